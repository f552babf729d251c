// Scenarios: the bundled stories, runs started from the page, their steps as they finish, a
// sequence diagram filling in, then the scorecards, the failed checks and the reports.

import {
  add,
  announce,
  announceLabel,
  clear,
  currentLanguage,
  dataProps,
  dataSpan,
  dataText,
  formatMs,
  getJson,
  h,
  label,
  onLanguage,
  s,
  sendJson,
  setLabel,
  t,
} from './dom.js'
import { instanceBadge, instanceInfo, on, store } from './state.js'
import { openExchange } from './feed.js'

const FEATURED = ['e-residency-via-diia', 'estonian-bank-checks-ukrainian-counterparty']
const STATE_MARK = { pass: '✓', fail: '✗', skip: '–', error: '!' }

let scenarios = []
let listEl
let runEl
let run // { id, status, scenarios: [ids], steps: Map(scenario → [step]), states: Map, end, error, viewing, follow }

const byId = (id) => scenarios.find((s) => s.id === id)

export const featuredScenario = () =>
  FEATURED.map(byId).find(Boolean) ??
  scenarios.find((s) => s.crossBorder && !s.negative) ??
  scenarios[0]

const start = async (ids) => {
  try {
    const view = await sendJson('/api/runs', 'POST', { scenarios: ids })
    beginRun(view)
    runEl.querySelector('h2')?.focus()
  } catch (error) {
    const key =
      error.status !== 409
        ? 'dashboard.run.failedToStart'
        : error.reason === 'try-in-flight'
          ? 'dashboard.run.tryInFlight'
          : 'dashboard.run.busy'
    announce(error.status === 409 ? t(key) : error.message)
    setLabel(
      runEl.querySelector('.run-message') ??
        runEl.appendChild(h('p', { class: 'run-message', role: 'alert' })),
      key,
    )
  }
}

// ---- the list ----------------------------------------------------------------------------------

const featuredFirst = () => {
  const featured = featuredScenario()
  return featured ? [featured, ...scenarios.filter((s) => s !== featured)] : scenarios
}

const scenarioCard = (scenario) => {
  const featured = scenario.id === featuredScenario()?.id
  return h(
    'article',
    { class: ['scenario', featured && 'featured'], 'data-scenario': scenario.id },
    h(
      'div',
      { class: 'scenario-head' },
      h('h3', dataProps(scenario, 'title'), dataText(scenario, 'title')),
      h(
        'button',
        {
          type: 'button',
          class: featured ? 'primary' : 'secondary',
          'data-run': scenario.id,
          onclick: () => start([scenario.id]),
        },
        h('span', { 'aria-hidden': 'true' }, '▶ '),
        label('dashboard.scenarios.run'),
        h('span', { class: 'visually-hidden', text: ` ${dataText(scenario, 'title')}` }),
      ),
    ),
    h(
      'p',
      { class: 'tags' },
      scenario.instances.map((code) => [instanceBadge(code), ' ']),
      scenario.crossBorder
        ? h('span', { class: 'tag border', i18n: 'dashboard.scenarios.crossBorder' })
        : null,
      scenario.negative
        ? h('span', { class: 'tag negative', i18n: 'dashboard.scenarios.negative' })
        : null,
      h('span', { class: 'tag', i18n: ['dashboard.scenarios.steps', { count: scenario.steps }] }),
      h('code', { class: 'id', text: scenario.id }),
    ),
    scenario.description
      ? h(
          'details',
          { class: 'story' },
          h('summary', { i18n: 'dashboard.scenarios.story' }),
          h('p', dataProps(scenario, 'description'), dataText(scenario, 'description')),
          h(
            'ul',
            {},
            scenario.workflows.map((w) =>
              h(
                'li',
                {},
                w.summary
                  ? h('strong', dataProps(w, 'summary'), dataText(w, 'summary'))
                  : h('strong', { text: w.workflowId }),
                w.client ? [' · ', h('code', { text: w.client })] : null,
                w.description
                  ? h(
                      'p',
                      dataProps(w, 'description', { class: 'workflow-text' }),
                      dataText(w, 'description'),
                    )
                  : null,
              ),
            ),
          ),
        )
      : null,
  )
}

const renderList = () => {
  add(
    clear(listEl),
    h(
      'div',
      { class: 'panel-head' },
      h('h2', { id: 'scenarios-heading', i18n: 'dashboard.scenarios.title' }),
      h(
        'button',
        { type: 'button', class: 'secondary', id: 'run-all', onclick: () => start([]) },
        h('span', { 'aria-hidden': 'true' }, '▶▶ '),
        label('dashboard.scenarios.runAll'),
      ),
    ),
    h('div', { class: 'scenario-list' }, featuredFirst().map(scenarioCard)),
  )
}

// ---- a run -------------------------------------------------------------------------------------

const eventsSeen = () => run?.seen ?? 0

const beginRun = (view, keepView = false) => {
  // The stream may have delivered more of this run than the snapshot holds.
  if (run && (run.id > view.id || (run.id === view.id && eventsSeen() >= view.events.length)))
    return
  const previous = run?.id === view.id ? run : undefined
  run = {
    id: view.id,
    status: view.status,
    scenarios: view.scenarios,
    steps: new Map(),
    states: new Map(),
    end: undefined,
    error: undefined,
    viewing: view.scenarios[0],
    follow: true,
  }
  if (keepView && previous)
    Object.assign(run, { viewing: previous.viewing, follow: previous.follow })
  for (const event of view.events) apply(event, false)
  renderRun()
}

const apply = (event, live = true) => {
  if (!run || event.runId > run.id) {
    if (event.type !== 'start') return
    run = {
      id: event.runId,
      status: 'running',
      scenarios: event.scenarios.map((s) => s.id),
      steps: new Map(),
      states: new Map(),
      end: undefined,
      error: undefined,
      viewing: event.scenarios[0]?.id,
      follow: true,
    }
  }
  if (event.runId !== run.id) return
  run.seen = (run.seen ?? 0) + 1
  switch (event.type) {
    case 'start':
      run.scenarios = event.scenarios.map((s) => s.id)
      break
    case 'scenario-start':
      run.states.set(event.scenario, 'running')
      if (run.follow) run.viewing = event.scenario
      break
    case 'step':
      if (!run.steps.has(event.scenario)) run.steps.set(event.scenario, [])
      run.steps.get(event.scenario).push(event.step)
      break
    case 'scenario-end':
      run.states.set(event.scenario, event.state)
      break
    case 'end':
      run.end = event
      run.status = 'done'
      if (live) announceLabel(...verdictLabel())
      break
    case 'error':
      run.error = event.message
      run.status = 'error'
      break
  }
  if (live) renderRun()
}

const totalSteps = () => run.scenarios.reduce((sum, id) => sum + (byId(id)?.steps ?? 0), 0)
const doneSteps = () => [...run.steps.values()].reduce((sum, steps) => sum + steps.length, 0)

const verdictLabel = () => {
  const total = run.scenarios.length
  const passed = run.end?.summary?.scenarios.pass ?? 0
  return [passed === total ? 'dashboard.verdict.pass' : 'dashboard.verdict.fail', { passed, total }]
}

const verdictText = () => (run.end?.summary ? t(...verdictLabel()) : '')

const renderRun = () => {
  // Re-rendering must not throw a keyboard user's focus away.
  const focused = runEl.contains(document.activeElement)
    ? document.activeElement?.dataset?.focus
    : undefined
  drawRun()
  if (focused) runEl.querySelector(`[data-focus="${CSS.escape(focused)}"]`)?.focus()
}

const drawRun = () => {
  clear(runEl)
  if (!run) {
    const featured = featuredScenario()
    add(
      runEl,
      h(
        'div',
        { class: 'run-empty' },
        h('h2', { tabindex: '-1', i18n: 'dashboard.run.none' }),
        h('p', { class: 'muted', i18n: 'dashboard.run.noneHint' }),
        featured
          ? h(
              'button',
              { type: 'button', class: 'primary big', onclick: () => start([featured.id]) },
              h('span', { 'aria-hidden': 'true' }, '▶ '),
              dataSpan(featured, 'title'),
            )
          : null,
      ),
    )
    return
  }
  const done = doneSteps()
  const total = Math.max(totalSteps(), done)
  const finished = run.status !== 'running'
  const percent = finished ? 100 : Math.min(99, Math.round((done / Math.max(1, total)) * 100))
  runEl.dataset.state = run.status
  add(
    runEl,
    h(
      'div',
      { class: 'run-head' },
      h(
        'h2',
        { tabindex: '-1', 'data-focus': 'heading' },
        label('dashboard.run.title', { id: run.id }),
        ' · ',
        h('span', {
          class: ['run-status', run.status],
          i18n: `dashboard.run.status.${run.status}`,
        }),
      ),
      h('p', { class: 'muted', i18n: ['dashboard.run.progress', { done, total }] }),
    ),
    h(
      'div',
      {
        class: 'progress',
        role: 'progressbar',
        'aria-valuemin': '0',
        'aria-valuemax': '100',
        'aria-valuenow': String(percent),
        i18nAttr: { 'aria-label': 'dashboard.run.progressLabel' },
      },
      h('span', { class: 'bar', style: undefined, dataset: { percent: String(percent) } }),
    ),
    run.error ? h('p', { class: 'refusal', role: 'alert', text: run.error }) : null,
    run.end ? results(run.end) : null,
    run.scenarios.length > 1 ? scenarioPicker() : null,
    scenarioView(run.viewing),
  )
  const bar = runEl.querySelector('.progress .bar')
  bar.style.width = `${percent}%`
}

const scenarioPicker = () =>
  h(
    'div',
    {
      class: 'run-scenarios',
      role: 'group',
      i18nAttr: { 'aria-label': 'dashboard.run.scenarios' },
    },
    run.scenarios.map((id) => {
      const state = run.states.get(id) ?? 'waiting'
      return h(
        'button',
        {
          type: 'button',
          class: ['chip', `st-${state}`],
          'aria-pressed': String(run.viewing === id),
          title: dataText(byId(id), 'title') ?? id,
          'data-focus': `chip:${id}`,
          onclick: () => {
            run.viewing = id
            run.follow = false
            renderRun()
          },
        },
        STATE_MARK[state] ?? (state === 'running' ? '…' : '·'),
        ' ',
        id,
      )
    }),
  )

const scenarioView = (id) => {
  const scenario = byId(id)
  const steps = run.steps.get(id) ?? []
  const state = run.states.get(id) ?? 'waiting'
  return h(
    'section',
    { class: 'scenario-run', 'aria-live': 'polite' },
    h(
      'h3',
      {},
      h('span', { class: ['state', `st-${state}`], text: STATE_MARK[state] ?? '…' }),
      ' ',
      scenario ? dataSpan(scenario, 'title') : id,
    ),
    sequenceDiagram(steps),
    h(
      'ol',
      { class: 'steps' },
      steps.map((step) =>
        stepItem(step, scenario?.stepTexts?.[`${step.workflowId}/${step.stepId}`]),
      ),
    ),
  )
}

const stepItem = (step, text) =>
  h(
    'li',
    { class: ['step', `st-${step.state}`] },
    h('span', {
      class: 'state',
      text: STATE_MARK[step.state] ?? '?',
      title: t(`state.${step.state}`),
    }),
    h('span', { class: 'step-id', text: step.stepId }),
    step.operationId
      ? h(
          'span',
          { class: 'step-call' },
          h('span', { class: 'method', text: step.method ?? '' }),
          ' ',
          h('span', { class: 'path', text: step.path ?? '' }),
        )
      : h('span', { class: 'step-call muted', text: step.message ?? '' }),
    h(
      'span',
      { class: 'step-status' },
      step.status !== undefined
        ? h('span', {
            class: ['pill', step.error ? 's-refused' : step.status >= 400 ? 's-failed' : 's-ok'],
            text: step.status,
          })
        : null,
      step.error ? h('span', { class: 'error-code', text: ` ${step.error}` }) : null,
    ),
    h('span', { class: 'step-ms', text: formatMs(step.durationMs) }),
    step.logRefs.length
      ? h('button', {
          type: 'button',
          class: 'link',
          'data-focus': `open:${step.workflowId}/${step.stepId}`,
          onclick: () => openExchange(Number(step.logRefs[0].split('#')[1])),
          i18n: 'dashboard.run.openExchange',
        })
      : h('span'),
    text
      ? h(
          'p',
          dataProps(text, 'description', { class: 'step-text' }),
          dataText(text, 'description'),
        )
      : null,
    step.failures.length
      ? h(
          'ul',
          { class: 'failures' },
          step.failures.map((f) =>
            h(
              'li',
              {},
              h('span', { class: ['sev', f.severity], text: t(`severity.${f.severity}`) }),
              ' ',
              h('strong', { text: f.check }),
              ` — ${f.message}`,
            ),
          ),
        )
      : null,
  )

// ---- sequence diagram --------------------------------------------------------------------------

const LANE_W = 160
const LANE_TOP = 92
const ROW = 84
const HOP = 9

const lanesOf = (steps) => {
  const order = []
  const members = new Map() // instance → [participant keys]
  const seen = new Set()
  const addInstance = (inst) => {
    if (inst && !members.has(inst)) {
      members.set(inst, [])
      order.push(inst)
    }
  }
  const addParticipant = (inst, key) => {
    addInstance(inst)
    if (!seen.has(key)) {
      seen.add(key)
      members.get(inst).push(key)
    }
  }
  for (const step of steps) {
    if (!step.client || !step.service) continue
    addParticipant(step.client.split('/')[0], step.client)
    addInstance(step.service.split('/')[0])
    addParticipant(step.service.split('/')[0], step.service)
  }
  // The security servers face each other across the border: the first instance's on its right
  // edge, every other instance's on its left.
  const lanes = []
  order.forEach((inst, i) => {
    const ss = { key: `ss:${inst}`, instance: inst, ss: true }
    const parts = members.get(inst).map((key) => ({ key, instance: inst, ss: false }))
    if (i === 0) lanes.push(...parts, ss)
    else lanes.push(ss, ...parts)
  })
  return lanes
}

const fitText = (text, width, size) => {
  const max = Math.max(4, Math.floor(width / (size * 0.6)))
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

// A subsystem is named by its code, a service by subsystem/service, as the HTML report does: a
// subsystem and the service it provides under the same code stay two distinct columns.
const laneLabel = (lane) => {
  if (lane.ss) return { name: [lane.instance], sub: t('dashboard.map.securityServer') }
  const parts = lane.key.split('/')
  const sub = `${parts[1]}/${parts[2]}`
  return parts.length >= 5
    ? { name: [parts[3], `/${parts.slice(4).join('/')}`], sub }
    : { name: [parts[3] ?? lane.key], sub }
}

const sequenceDiagram = (steps) => {
  const lanes = lanesOf(steps)
  const rows = steps.filter((st) => st.client && st.service)
  const height = LANE_TOP + 26 + Math.max(1, rows.length) * ROW
  const SEQ_W = Math.max(640, lanes.length * LANE_W)
  const svg = s('svg', {
    class: 'sequence',
    viewBox: `0 0 ${SEQ_W} ${height}`,
    role: 'img',
    'aria-label': t('dashboard.run.diagram'),
  })
  if (!lanes.length) {
    svg.append(
      s(
        'text',
        { x: SEQ_W / 2, y: 50, 'text-anchor': 'middle', class: 'muted' },
        t('dashboard.run.waiting'),
      ),
    )
    svg.setAttribute('viewBox', `0 0 ${SEQ_W} 80`)
    return svg
  }
  svg.append(
    s(
      'defs',
      {},
      ['ok', 'refused', 'failed'].map((kind) =>
        s(
          'marker',
          {
            id: `seq-arrow-${kind}`,
            viewBox: '0 0 10 10',
            refX: 9,
            refY: 5,
            markerWidth: 5,
            markerHeight: 5,
            orient: 'auto-start-reverse',
          },
          s('path', { d: 'M0 0 L10 5 L0 10 z', class: `head ${kind}` }),
        ),
      ),
    ),
  )
  const step = SEQ_W / lanes.length
  const x = new Map(lanes.map((lane, i) => [lane.key, step * i + step / 2]))
  lanes.forEach((lane, i) => {
    const next = lanes[i + 1]
    if (next && next.instance !== lane.instance) {
      const bx = step * (i + 1)
      svg.append(
        s('line', { class: 'border-line', x1: bx, y1: 4, x2: bx, y2: height - 4 }),
        s(
          'text',
          { class: 'border-text', x: bx, y: height - 8, 'text-anchor': 'middle' },
          t('dashboard.feed.border'),
        ),
      )
    }
  })
  for (const lane of lanes) {
    const cx = x.get(lane.key)
    const info = instanceInfo(lane.instance)
    const { name, sub } = laneLabel(lane)
    const g = s('g', { class: ['lane', lane.ss && 'ss'] })
    g.style.setProperty('--accent', info.color)
    g.append(
      s('line', { class: 'lifeline', x1: cx, y1: LANE_TOP, x2: cx, y2: height - 22 }),
      s('rect', { x: cx - step / 2 + 6, y: 8, width: step - 12, height: 74, rx: 10 }),
      s(
        'text',
        { x: cx, y: name.length > 1 ? 30 : 38, 'text-anchor': 'middle', class: 'lane-name' },
        name.map((line, i) => s('tspan', { x: cx, dy: i ? 18 : 0 }, fitText(line, step - 20, 15))),
      ),
      s(
        'text',
        { x: cx, y: 70, 'text-anchor': 'middle', class: 'lane-sub' },
        fitText(sub, step - 24, 13),
      ),
      s('title', {}, lane.ss ? `${lane.instance} ${t('dashboard.map.securityServer')}` : lane.key),
    )
    svg.append(g)
  }
  rows.forEach((st, i) => {
    const y = LANE_TOP + 34 + i * ROW
    const clientSs = x.get(`ss:${st.client.split('/')[0]}`)
    const providerSs = x.get(`ss:${st.service.split('/')[0]}`)
    const points = [x.get(st.client), clientSs]
    if (providerSs !== clientSs && st.refusedAt !== st.client.split('/')[0]) points.push(providerSs)
    if (!st.refusedAt) points.push(x.get(st.service))
    const cls = st.error ? 'refused' : st.status >= 400 || st.state !== 'pass' ? 'failed' : 'ok'
    const g = s('g', { class: ['message', cls] })
    // One arrow per hop, each a little lower, so a hop that turns back stays readable.
    for (let hop = 0; hop < points.length - 1; hop++) {
      const yy = y + hop * HOP
      if (hop > 0)
        g.append(
          s('line', { class: 'turn', x1: points[hop], y1: yy - HOP, x2: points[hop], y2: yy }),
        )
      g.append(
        s('line', {
          class: 'request',
          x1: points[hop],
          y1: yy,
          x2: points[hop + 1],
          y2: yy,
          'marker-end': `url(#seq-arrow-${cls})`,
        }),
      )
    }
    const first = points[0]
    const last = points[points.length - 1]
    const lastY = y + (points.length - 2) * HOP
    const span = Math.max(...points) - Math.min(...points)
    const left = Math.min(...points)
    g.append(
      s(
        'text',
        { x: left + 6, y: y - 9, class: 'call' },
        // Named by the operation, as the HTML report does; the path is in the tooltip.
        fitText(`${st.method ?? ''} ${st.operationId || st.path || ''}`, Math.max(span, 200), 14),
      ),
    )
    if (st.refusedAt)
      g.append(s('text', { x: last, y: lastY + 9, 'text-anchor': 'middle', class: 'cross' }, '✗'))
    const ry = lastY + 20
    g.append(
      s('line', {
        class: 'response',
        x1: last,
        y1: ry,
        x2: first,
        y2: ry,
        'marker-end': `url(#seq-arrow-${cls})`,
      }),
    )
    const reply = `${st.status ?? '—'}${st.error ? ` ${st.error}` : ''}`
    g.append(
      s(
        'text',
        { x: (first + last) / 2, y: ry + 17, 'text-anchor': 'middle', class: 'reply' },
        fitText(reply, Math.max(Math.abs(last - first), 220), 14),
      ),
    )
    g.append(
      s(
        'title',
        {},
        `${st.stepId}: ${st.method ?? ''} ${st.path ?? ''} → ${st.status ?? ''} ${st.error ?? ''}`,
      ),
    )
    svg.append(g)
  })
  return svg
}

// ---- results -----------------------------------------------------------------------------------

// The same words as every report (reports/levels.ts): the level reached, then the level above it,
// blocked or not tested in this run.
const levelText = (card) => {
  const reached =
    card.level > 0
      ? t('level.reached', { level: card.level, name: t(`level.name.${card.level}`) })
      : t('level.none')
  return `${reached} · ${nextLevelText(card)}`
}

const nextLevelText = (card) => {
  if (card.diagnosis && card.level === 0 && card.score === 0) return t('scorecard.silent')
  const next = (card.levels ?? []).find((v) => v.level === card.level + 1)
  if (!next) return t('scorecard.top')
  if (next.state === 'blocked')
    return t('scorecard.blockedBy', {
      level: next.level,
      checks: next.blocking.map((b) => b.check).join(', '),
    })
  return t('scorecard.notTested', { level: next.level })
}

// Each level above the one reached: what blocks it, or which checks never ran and what runs them.
const aboveReached = (card) =>
  (card.levels ?? [])
    .filter((v) => v.level > card.level && v.state !== 'passed')
    .flatMap((v) =>
      v.state === 'blocked'
        ? v.blocking.map((b) =>
            h('li', { class: 'blocked' }, h('strong', { text: b.check }), ` — ${b.message}`),
          )
        : v.untested.map((u) =>
            h(
              'li',
              { class: 'untested' },
              t('scorecard.neverApplied', { check: u.check, appliedBy: appliedByText(u) }),
              testedByButtons(card.testedBy?.[u.check] ?? []),
            ),
          ),
    )

// No failure is no clean bill while a level went untested: then the tick goes, and it says so.
const noFailure = (scorecards) => {
  const untested = scorecards.some((card) => card.levels?.some((v) => v.state === 'not-tested'))
  return h(
    'p',
    { class: untested ? 'none-failed' : 'all-passed' },
    label('failures.none'),
    untested ? [' ', label('dashboard.run.untestedLevels')] : null,
  )
}

// What applies a check, in the page's language; English is the registry's own text.
const appliedByText = (u) => {
  const key = `dashboard.appliedBy.${u.check}`
  const text = t(key)
  return text === key ? u.appliedBy : text
}

// The stories that applied an untested check in an earlier run: one press runs one of them.
const testedByButtons = (ids) =>
  ids.length
    ? h(
        'span',
        { class: 'tested-by' },
        ' ',
        label('dashboard.score.testedBy'),
        ' ',
        ids.map((id) =>
          h(
            'button',
            {
              type: 'button',
              class: 'link',
              'data-test-with': id,
              'data-focus': `test-with:${id}`,
              onclick: () => start([id]),
            },
            '▶ ',
            byId(id) ? dataSpan(byId(id), 'title') : id,
          ),
        ),
      )
    : null

const scoreDelta = (card) => {
  if (card.previousScore === undefined) return null
  // The level says more than the score: a run of fewer scenarios can keep 100 at a lower level.
  if (card.previousLevel !== undefined && card.previousLevel !== card.level) {
    return h(
      'span',
      { class: ['delta', card.level > card.previousLevel ? 'up' : 'down'] },
      `${card.level > card.previousLevel ? '▲' : '▼'} `,
      label('dashboard.score.levelChanged', { from: card.previousLevel, to: card.level }),
    )
  }
  const delta = Math.round((card.score - card.previousScore) * 10) / 10
  if (delta === 0) return h('span', { class: 'delta same', i18n: 'dashboard.score.same' })
  return h(
    'span',
    { class: ['delta', delta > 0 ? 'up' : 'down'] },
    `${delta > 0 ? '▲ +' : '▼ '}${delta.toFixed(1)} `,
    label('dashboard.score.sinceLast'),
  )
}

// What of Sild answered a card in place of an implementation (see runner/scoring/answered-by.ts).
const sandboxText = (card) =>
  card.answeredBySild.mocks.length
    ? t('scorecard.sandboxMock', { services: card.answeredBySild.mocks.join(', ') })
    : t('scorecard.sandboxSecurityServer')

const scorecard = (card, sandboxOnly) => {
  const el = h(
    'article',
    {
      class: [
        'scorecard',
        card.blocking.length ? 'blocked' : card.level < 4 ? 'untested' : 'clear',
      ],
      'data-party': card.party,
      'data-profile': card.profile,
    },
    h(
      'header',
      {},
      instanceBadge(card.party),
      ' ',
      h('span', { class: 'profile', text: card.profile }),
    ),
    h(
      'p',
      { class: 'score' },
      h('span', { class: 'number', text: card.score.toFixed(1) }),
      h('span', { class: 'of', text: ' / 100' }),
    ),
    h('div', { class: 'meter' }, h('span', {})),
    h('p', { class: 'level', text: levelText(card) }),
    scoreDelta(card),
    card.answeredBySild && !sandboxOnly
      ? h('p', { class: 'sandbox', text: sandboxText(card) })
      : null,
    card.diagnosis ? h('p', { class: 'diagnosis', role: 'note', text: card.diagnosis }) : null,
    card.level < 4 ? h('ul', { class: 'blocking' }, aboveReached(card)) : null,
  )
  el.querySelector('.meter span').style.width = `${card.score}%`
  return el
}

const everySandbox = (cards) => cards.length > 0 && cards.every((card) => card.answeredBySild)

const results = (end) => {
  const lang = currentLanguage()
  const sandboxOnly = everySandbox(end.scorecards)
  const failedScenarios = run.scenarios.length - end.summary.scenarios.pass
  return h(
    'section',
    { class: 'results', 'aria-labelledby': 'results-heading' },
    h('h3', {
      id: 'results-heading',
      class: failedScenarios ? 'verdict fail' : 'verdict pass',
      text: verdictText(),
    }),
    end.complete
      ? null
      : h('p', {
          class: 'refusal',
          role: 'alert',
          i18n: ['report.incomplete', { count: run.steps.size }],
        }),
    h(
      'p',
      { class: 'muted' },
      label('summary.checks'),
      ': ',
      t('summary.checksCount', {
        passed: end.summary.checks.passed,
        failed: end.summary.checks.failed,
      }),
      ' · ',
      label('meta.duration'),
      ': ',
      formatMs(end.durationMs),
    ),
    h('h4', { i18n: 'scorecards.title' }),
    sandboxOnly ? h('p', { class: 'sandbox', i18n: 'dashboard.scorecards.allSandbox' }) : null,
    h(
      'div',
      { class: 'scorecards' },
      end.scorecards.map((card) => scorecard(card, sandboxOnly)),
    ),
    end.failures.length
      ? h('h4', { i18n: ['failures.title', { count: end.failures.length }] })
      : null,
    end.failures.length
      ? h(
          'table',
          { class: 'failed-checks' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['table.severity', 'table.check', 'table.message', 'table.where'].map((k) =>
                h('th', { scope: 'col', i18n: k }),
              ),
            ),
          ),
          h(
            'tbody',
            {},
            end.failures.map((f) =>
              h(
                'tr',
                {},
                h(
                  'td',
                  {},
                  h('span', { class: ['sev', f.severity], text: t(`severity.${f.severity}`) }),
                ),
                h('td', {}, h('code', { text: f.check })),
                h('td', { text: f.message }),
                h('td', { text: [f.scenario, f.workflowId, f.stepId].filter(Boolean).join(' › ') }),
              ),
            ),
          ),
        )
      : noFailure(end.scorecards),
    h(
      'div',
      { class: 'downloads' },
      h('span', { i18n: 'dashboard.run.download' }),
      end.formats.map((format) =>
        h(
          'a',
          {
            class: 'button secondary',
            href: `/api/runs/${end.runId}/report/${format}?lang=${lang}`,
            download: '',
            'data-format': format,
          },
          format.toUpperCase(),
        ),
      ),
    ),
  )
}

export const initScenarios = async (panel) => {
  listEl = h('div', { class: 'scenarios-col' })
  runEl = h('div', { class: 'run-col', 'aria-live': 'off' })
  panel.append(h('div', { class: 'scenarios-layout' }, runEl, listEl))
  try {
    scenarios = await getJson('/api/scenarios')
  } catch (error) {
    // A federation the bundled scenarios do not fit: the rest of the page still works.
    add(listEl, h('p', { class: 'refusal', role: 'alert', text: error.message }))
  }
  store.scenarios = scenarios
  if (scenarios.length) renderList()
  const latest = await getJson('/api/runs/latest')
  if (latest) beginRun(latest)
  else renderRun()
  on('run', (event) => apply(event))
  // Events sent while the stream was down are in the run's own record.
  on('connected', async () => {
    const now = await getJson('/api/runs/latest').catch(() => undefined)
    if (now) beginRun(now, true)
  })
  onLanguage(() => {
    if (scenarios.length) renderList()
    renderRun()
  })
  return { runFeatured: () => featuredScenario() && start([featuredScenario().id]) }
}
