// Presenter mode: a run started from the map replays on the map at a human pace, one exchange
// at a time (the run itself takes about a second), with a speed control, a step-through and a
// replay; the caption tells each step in the visitor's language and the scorecards follow.

import { add, announceLabel, clear, dataProps, dataText, h, label, onLanguage, t } from './dom.js'
import { emit, instanceBadge, on, store } from './state.js'
import { clearPresented, showStep } from './map.js'

/** How long one exchange stays on the map at 1×. */
const STEP_MS = 2600
const SPEEDS = [0.5, 1, 2, 4]

let bar
let caption
let playButton
let run // { id, scenario, steps: [], end, index }
let watching // the run id the map started, until its `start` event names it
let speed = 1
let playing = false
let timer

const stepsTotal = () => Math.max(run?.steps.length ?? 0, run?.expected ?? 0)

const stepText = (step) => {
  const scenario = store.scenarios?.find((s) => s.id === run?.scenario)
  return scenario?.stepTexts?.[`${step.workflowId}/${step.stepId}`]
}

const renderCaption = () => {
  if (!caption) return
  clear(caption)
  if (!run) return
  const step = run.steps[run.index]
  if (run.index >= run.steps.length && run.end) {
    add(caption, ending())
    return
  }
  if (!step) {
    add(caption, h('p', { class: 'muted', i18n: 'dashboard.presenter.waiting' }))
    return
  }
  const text = stepText(step)
  add(
    caption,
    h(
      'p',
      { class: 'presenter-step' },
      h('strong', {
        i18n: ['dashboard.presenter.step', { n: run.index + 1, total: stepsTotal() }],
      }),
      ' ',
      text ? h('span', dataProps(text, 'description'), dataText(text, 'description')) : step.stepId,
    ),
    h(
      'p',
      { class: 'presenter-call' },
      instanceBadge(step.client?.split('/')[0]),
      ' → ',
      instanceBadge(step.service?.split('/')[0]),
      ' ',
      h('code', { text: `${step.method ?? ''} ${step.path ?? ''}` }),
      ' ',
      h('span', {
        class: ['pill', step.error ? 's-refused' : (step.status ?? 0) >= 400 ? 's-failed' : 's-ok'],
        text: step.status ?? '—',
      }),
      step.error ? h('span', { class: 'error-code', text: ` ${step.error}` }) : null,
      step.crossBorder
        ? [' ', h('span', { class: 'tag border', i18n: 'dashboard.scenarios.crossBorder' })]
        : null,
    ),
  )
}

// The end of the story: the verdict and where each party stands, one press from the full cards.
const ending = () => {
  const end = run.end
  const passed = end.summary.scenarios.pass
  const total = Object.values(end.summary.scenarios).reduce((sum, n) => sum + n, 0)
  return h(
    'div',
    { class: 'presenter-end' },
    h('p', {
      class: ['verdict', passed === total ? 'pass' : 'fail'],
      i18n: [
        passed === total ? 'dashboard.verdict.pass' : 'dashboard.verdict.fail',
        { passed, total },
      ],
    }),
    h(
      'ul',
      { class: 'presenter-cards' },
      end.scorecards.map((card) =>
        h(
          'li',
          { 'data-party': card.party, 'data-profile': card.profile },
          instanceBadge(card.party),
          ' ',
          h('code', { text: card.profile }),
          ' ',
          label('level.reached', { level: card.level, name: t(`level.name.${card.level}`) }),
        ),
      ),
    ),
    h('button', {
      type: 'button',
      class: 'secondary',
      i18n: 'dashboard.presenter.scorecards',
      onclick: () => emit('show-tab', 'scenarios'),
    }),
  )
}

const schedule = () => {
  clearTimeout(timer)
  if (!playing || !run) return
  if (run.index >= run.steps.length) {
    // Caught up with the run: wait for the next step, or stop at the end.
    if (run.end) {
      playing = false
      renderControls()
      announceLabel('dashboard.presenter.done')
    }
    return
  }
  timer = setTimeout(() => advance(), STEP_MS / speed)
}

const present = () => {
  const step = run?.steps[run.index]
  if (step) showStep(step, STEP_MS / speed)
  else clearPresented()
  renderCaption()
  emit('present-step', step)
}

const advance = () => {
  if (!run || run.index >= run.steps.length) return
  run.index++
  present()
  schedule()
}

const play = () => {
  if (!run) return
  if (run.index >= run.steps.length && run.end) run.index = 0
  playing = true
  renderControls()
  present()
  schedule()
}

const pause = () => {
  playing = false
  clearTimeout(timer)
  renderControls()
}

const renderControls = () => {
  if (!bar) return
  bar.hidden = !run
  playButton?.setAttribute('data-playing', String(playing))
  if (playButton) {
    clear(playButton)
    add(playButton, label(playing ? 'dashboard.presenter.pause' : 'dashboard.presenter.play'))
  }
}

/** Arms the presenter for the run the map is about to start. */
export const presentNextRun = () => {
  watching = 'next'
  pause()
  run = { id: undefined, scenario: undefined, steps: [], end: undefined, index: 0, expected: 0 }
  playing = true
  renderControls()
  renderCaption()
}

export const initPresenter = (mapPanel) => {
  playButton = h('button', {
    type: 'button',
    class: 'primary',
    id: 'presenter-play',
    onclick: () => (playing ? pause() : play()),
  })
  const next = h('button', {
    type: 'button',
    class: 'secondary',
    id: 'presenter-next',
    i18n: 'dashboard.presenter.next',
    onclick: () => {
      pause()
      if (run && run.index < run.steps.length) {
        run.index++
        present()
      }
    },
  })
  const replay = h('button', {
    type: 'button',
    class: 'secondary',
    id: 'presenter-replay',
    i18n: 'dashboard.presenter.replay',
    onclick: () => {
      if (!run) return
      run.index = 0
      play()
    },
  })
  const speedSelect = h(
    'select',
    {
      id: 'presenter-speed',
      onchange: () => {
        speed = Number(speedSelect.value)
        schedule()
      },
    },
    SPEEDS.map((value) => h('option', { value, selected: value === speed }, `${value}×`)),
  )
  caption = h('div', { class: 'presenter-caption', 'aria-live': 'polite' })
  bar = h(
    'section',
    { class: 'presenter', hidden: true, i18nAttr: { 'aria-label': 'dashboard.presenter.label' } },
    h(
      'div',
      { class: 'presenter-controls' },
      playButton,
      next,
      replay,
      h('label', { for: 'presenter-speed', i18n: 'dashboard.presenter.speed' }),
      speedSelect,
    ),
    caption,
  )
  mapPanel.querySelector('.map-frame')?.before(bar)
  on('run', (event) => {
    if (!run) return
    if (event.type === 'start' && watching === 'next') {
      watching = event.runId
      run.id = event.runId
      run.scenario = event.scenarios[0]?.id
      run.expected = store.scenarios?.find((s) => s.id === run.scenario)?.steps ?? 0
    }
    if (event.runId !== run.id) return
    if (event.type === 'step') {
      run.steps.push(event.step)
      // The step the replay waits for shows as it comes; the others wait their turn.
      if (playing && run.steps.length === run.index + 1) {
        present()
        schedule()
      }
    }
    if (event.type === 'end' || event.type === 'error') {
      run.end = event.type === 'end' ? event : undefined
      renderCaption()
      schedule()
    }
  })
  onLanguage(() => renderCaption())
  renderControls()
}
