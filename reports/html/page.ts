import { createHash } from 'node:crypto'

/** The report's stylesheet: large type and strong contrast, to read on a projector. */
export const STYLES = `
:root { --pass: #11703a; --fail: #c0262d; --error: #7a2fbf; --skip: #5b6470; --ink: #14171c;
  --muted: #4a515c; --line: #c9ced6; --panel: #f4f6f9; --accent: #0b5cad;
  --l1: #0b5cad; --l2: #0a7c86; --l3: #3a7d1c; --l4: #7a5a00; }
* { box-sizing: border-box; }
html { font-size: 18px; }
body { margin: 0; font-family: system-ui, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--ink);
  background: #fff; line-height: 1.45; }
header.run, main, footer { max-width: 1400px; margin: 0 auto; padding: 0 1.5rem; }
header.run { padding-top: 1.5rem; }
h1 { font-size: 2rem; margin: 0 0 .25rem; }
h2 { font-size: 1.6rem; margin: 2.2rem 0 .8rem; border-bottom: 3px solid var(--ink); padding-bottom: .2rem; }
h3 { font-size: 1.3rem; margin: 0 0 .4rem; }
h4 { font-size: 1.1rem; margin: 1.2rem 0 .4rem; }
code, pre, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .85rem; }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem;
  overflow-x: auto; white-space: pre-wrap; word-break: break-word; margin: .3rem 0 .8rem; }
.verdict { font-size: 1.35rem; font-weight: 700; margin: .2rem 0 .6rem; }
.verdict.pass { color: var(--pass); } .verdict.fail { color: var(--fail); }
.incomplete { background: #fff1c2; border: 3px solid #b07b00; padding: .6rem 1rem; font-weight: 700; border-radius: 6px; }
dl.meta { display: flex; flex-wrap: wrap; gap: .3rem 1.6rem; margin: .4rem 0; color: var(--muted); }
dl.meta div { display: flex; gap: .4rem; } dl.meta dt { font-weight: 600; } dl.meta dd { margin: 0; }
ul.counts { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem 2rem; font-size: 1.05rem; }
.controls { display: flex; flex-wrap: wrap; gap: .6rem 1rem; align-items: center; margin: .8rem 0; }
.controls button { font: inherit; font-size: .9rem; padding: .3rem .8rem; border: 2px solid var(--ink);
  background: #fff; border-radius: 6px; cursor: pointer; }
.state-pass { color: var(--pass); } .state-fail { color: var(--fail); }
.state-error { color: var(--error); } .state-skip { color: var(--skip); }
.mark { font-weight: 800; display: inline-block; min-width: 1.2em; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap: 1rem; }
.card { border: 2px solid var(--line); border-radius: 10px; padding: .8rem 1rem; background: #fff; }
.card .who { display: flex; flex-direction: column; }
.card .party { font-weight: 800; font-size: 1.15rem; } .card .profile { font-family: ui-monospace, monospace; font-size: .95rem; }
.ladder { display: grid; grid-template-columns: repeat(4, 1fr); gap: 4px; margin: .6rem 0 .3rem; }
.rung { border: 2px solid var(--line); border-radius: 4px; padding: .15rem .3rem; font-size: .72rem;
  text-align: center; color: var(--muted); min-height: 2.6em; }
.rung.reached { color: #fff; border-color: transparent; }
.rung.reached.l1 { background: var(--l1); } .rung.reached.l2 { background: var(--l2); }
.rung.reached.l3 { background: var(--l3); } .rung.reached.l4 { background: var(--l4); }
.rung.blocked { border-color: var(--fail); color: var(--fail); border-style: dashed; }
.rung.not-tested { border-style: dotted; color: var(--muted, #666); }
.untested { margin: .4rem 0; } .untested ul { margin: .2rem 0; padding-left: 1.2rem; }
.diagnosis { margin: .4rem 0; color: var(--fail); }
.sandbox { margin: .4rem 0; font-style: italic; color: var(--muted); }
.level { font-size: 1.2rem; font-weight: 800; margin: .2rem 0; }
.score { font-size: 2rem; font-weight: 800; margin: 0; } .score small { font-size: .9rem; font-weight: 600; color: var(--muted); }
.blocks { margin: .4rem 0; } .blocks ul { margin: .2rem 0; padding-left: 1.2rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--panel); }
.sev { font-weight: 700; text-transform: uppercase; font-size: .75rem; letter-spacing: .03em;
  padding: .05rem .4rem; border-radius: 4px; color: #fff; white-space: nowrap; }
.sev-critical { background: #8b0d12; } .sev-high { background: var(--fail); }
.sev-medium { background: #a85a00; } .sev-low { background: var(--skip); }
article.scenario { border-top: 2px solid var(--line); padding: 1.2rem 0; }
.file { color: var(--muted); font-size: .85rem; }
figure.diagram { margin: .8rem 0; overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; background: #fbfcfd; }
svg.sequence { display: block; font-family: system-ui, sans-serif; }
svg.sequence .lifeline line { stroke: #8a929e; stroke-width: 1.5; stroke-dasharray: 5 4; }
svg.sequence .lifeline rect { fill: #fff; stroke: var(--ink); stroke-width: 1.5; }
svg.sequence .lifeline.ss rect { fill: #1f2937; }
svg.sequence .lifeline text { text-anchor: middle; fill: var(--ink); }
svg.sequence .lifeline.ss text { fill: #fff; }
svg.sequence .lifeline .main { font-size: 14px; font-weight: 700; } svg.sequence .lifeline .sub { font-size: 11px; }
svg.sequence .border line { stroke: #b07b00; stroke-width: 2; stroke-dasharray: 2 5; }
svg.sequence .border text { text-anchor: middle; font-size: 12px; fill: #b07b00; font-weight: 700; }
svg.sequence .exchange line { stroke: var(--pass); stroke-width: 2; }
svg.sequence .exchange .hit { fill: transparent; cursor: pointer; }
svg.sequence .exchange:hover .hit { fill: rgba(11, 92, 173, .08); }
svg.sequence .exchange .head { fill: var(--pass); }
svg.sequence .exchange line.response { stroke-dasharray: 6 4; }
svg.sequence .exchange.failed line { stroke: var(--fail); stroke-width: 2.5; }
svg.sequence .exchange.failed .head { fill: var(--fail); }
svg.sequence .exchange text { font-size: 13px; fill: var(--ink); }
svg.sequence .exchange.failed text { fill: var(--fail); font-weight: 700; }
svg.sequence .exchange .cross { stroke: var(--fail); stroke-width: 3; }
svg.sequence .exchange:hover line { stroke-width: 4; }
ol.steps { list-style: none; padding: 0; margin: 0; }
details.step { border: 2px solid var(--line); border-radius: 8px; margin: .4rem 0; }
details.step.failed { border-color: var(--fail); }
details.step > summary { cursor: pointer; padding: .45rem .7rem; font-size: 1rem; }
details.step > summary .call { font-family: ui-monospace, monospace; font-size: .85rem; color: var(--muted); margin-left: .5rem; }
details.step > summary .count { margin-left: .5rem; color: var(--fail); font-weight: 700; }
details.step[open] > summary { border-bottom: 1px solid var(--line); background: var(--panel); }
.step-body { padding: .6rem .9rem; }
ul.failed-checks { list-style: none; padding: 0; margin: 0 0 .6rem; }
ul.failed-checks li { border-left: 5px solid var(--fail); padding: .3rem .7rem; margin: .4rem 0; background: #fdf2f2; }
ul.failed-checks .explain { color: var(--muted); font-size: .85rem; }
.http { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
@media (max-width: 900px) { .http { grid-template-columns: 1fr; } }
.facts { color: var(--muted); font-size: .85rem; }
.note { color: var(--muted); font-size: .85rem; }
body.only-failing details.step:not(.failed), body.only-failing article.scenario.scenario-pass,
body.only-failing .card.complete { display: none; }
footer { color: var(--muted); font-size: .85rem; padding: 2rem 1.5rem 3rem; }
@media print { details { display: block; } .controls { display: none; } }
`

/**
 * The report's only script: opens the details a link points at and drives the buttons. It reads
 * and toggles the DOM built by the page and never writes markup.
 */
export const SCRIPT = `
(() => {
  const openTarget = () => {
    const id = decodeURIComponent(location.hash.slice(1))
    const target = id && document.getElementById(id)
    if (!target) return
    for (let node = target; node; node = node.parentElement) if (node.tagName === 'DETAILS') node.open = true
    target.scrollIntoView({ block: 'start' })
  }
  addEventListener('hashchange', openTarget)
  openTarget()
  for (const button of document.querySelectorAll('button[data-open]')) {
    button.addEventListener('click', () => {
      const open = button.dataset.open === 'true'
      const selector = open ? 'details.step.failed' : 'details'
      for (const details of document.querySelectorAll(selector)) details.open = open
    })
  }
  const only = document.getElementById('only-failing')
  if (only) only.addEventListener('change', () => document.body.classList.toggle('only-failing', only.checked))
})()
`

/** The Content-Security-Policy of the page: no network, no script but the one above. */
export const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${createHash('sha256').update(SCRIPT).digest('base64')}'`
