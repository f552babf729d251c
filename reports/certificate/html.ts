import type { Level, LevelState } from '../../runner/types.ts'
import { escapeHtml as h } from '../html/escape.ts'
import { en, translate, type Messages } from '../i18n/index.ts'
import type { SignedCertificate } from './index.ts'

export type CertificateHtmlOptions = {
  messages?: Messages
  lang?: string
  /** The certificate file's name, for the verify command shown. */
  file?: string
}

const STYLES = `
body { font-family: system-ui, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: #14171c; margin: 0;
  background: #eef1f5; font-size: 18px; line-height: 1.45; }
main { max-width: 920px; margin: 2rem auto; background: #fff; border: 3px solid #14171c; border-radius: 12px;
  padding: 2rem 2.5rem; }
h1 { font-size: 2rem; margin: 0 0 .4rem; } .party { font-size: 1.6rem; font-weight: 800; margin: .2rem 0 1rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1.2rem; }
th, td { text-align: left; border-bottom: 1px solid #c9ced6; padding: .35rem .5rem; }
th { background: #f4f6f9; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .8rem; word-break: break-all; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; } dt { font-weight: 700; } dd { margin: 0; }
.note { color: #4a515c; font-size: .85rem; margin-top: 1.5rem; }
`

/** A printable page of a signed certificate; the JSON file beside it is the evidence. */
export const renderCertificateHtml = (
  signed: SignedCertificate,
  { messages = en, lang = 'en', file = 'certificate.json' }: CertificateHtmlOptions = {},
): string => {
  const t = (key: Parameters<typeof translate>[1], values?: Record<string, string | number>) =>
    translate(messages, key, values)
  const c = signed.certificate
  const level = (n: 0 | Level) =>
    n === 0 ? t('level.none') : t('level.reached', { level: n, name: t(`level.name.${n}`) })
  // The first level above the one reached, and its state: a certificate says why it stops there.
  const above = (n: 0 | Level, levels: Array<{ level: Level; state: LevelState }> = []) => {
    const next = levels.find((v) => v.level === n + 1)
    return next
      ? ` · ${h(t('level.short', { level: next.level }))} ${h(t(`level.state.${next.state}`))}`
      : ''
  }
  return [
    '<!doctype html>',
    `<html lang="${h(lang)}"><head><meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${h(t('certificate.title'))} · ${h(c.party)}</title><style>${STYLES}</style></head><body><main>`,
    `<h1>${h(t('certificate.title'))}</h1>`,
    `<p class="party">${h(c.party)}</p>`,
    `<p>${h(t('certificate.statement', { party: c.party }))}</p>`,
    `<h2>${h(t('certificate.profiles'))}</h2>`,
    `<table><thead><tr><th>${h(t('scorecard.profile'))}</th><th>${h(t('table.level'))}</th><th>${h(t('table.score'))}</th></tr></thead><tbody>`,
    ...c.profiles.map(
      (p) =>
        `<tr><td><code>${h(p.profile)}</code></td><td>${h(level(p.level))}${above(p.level, p.levels)}</td><td class="num">${h(p.score.toFixed(1))}</td></tr>`,
    ),
    '</tbody></table>',
    '<dl>',
    ...(c.providers?.length
      ? [
          `<dt>${h(t('certificate.providers'))}</dt><dd>${c.providers.map((p) => `<code>${h(p.service)}</code> <span class="mono">${h(p.url)}</span>${p.target ? ` (${h(t('certificate.target'))})` : ''}`).join('<br>')}</dd>`,
        ]
      : []),
    `<dt>${h(t('certificate.date'))}</dt><dd>${h(c.date)}</dd>`,
    `<dt>${h(t('certificate.version'))}</dt><dd>${h(c.sild.version)}</dd>`,
    `<dt>${h(t('certificate.specsDigest'))}</dt><dd class="mono">${h(c.specsDigest)}</dd>`,
    `<dt>${h(t('certificate.scenarios'))}</dt><dd>${c.scenarios.map((s) => `<code>${h(s.id)}</code> <span class="mono">${h(s.digest)}</span>`).join('<br>')}</dd>`,
    `<dt>${h(t('certificate.signature'))}</dt><dd>${h(signed.signature.alg)} <span class="mono">${h(signed.signature.value)}</span></dd>`,
    `<dt>${h(t('certificate.keyId'))}</dt><dd class="mono">${h(signed.signature.keyId)}</dd>`,
    '</dl>',
    `<p>${h(t('certificate.verify', { command: `sild certificate verify ${file} --public-key KEY.pub.pem` }))}</p>`,
    `<p class="note">${h(t('certificate.note'))}</p>`,
    '</main></body></html>',
    '',
  ].join('\n')
}
