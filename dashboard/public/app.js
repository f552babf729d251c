import { getJson, h, setLabel, setMessages, t } from './dom.js'
import { emit, on, store } from './state.js'
import { initMap } from './map.js'
import { initFeed } from './feed.js'
import { initScenarios } from './scenarios.js'
import { initComposer } from './composer.js'
import { initPresenter, presentNextRun } from './presenter.js'

const TABS = ['map', 'feed', 'scenarios', 'try']
const LANG_KEY = 'sild.dashboard.lang'

let catalogues = {}

const pickLanguage = (languages) => {
  const codes = languages.map((l) => l.code)
  const fromUrl = new URLSearchParams(location.search).get('lang')
  const stored = localStorage.getItem(LANG_KEY)
  const browser = (navigator.language || 'en').slice(0, 2)
  return [fromUrl, stored, browser].find((c) => codes.includes(c)) ?? 'en'
}

const setLanguage = (code) => {
  localStorage.setItem(LANG_KEY, code)
  setMessages(code, catalogues[code] ?? catalogues.en)
  document.title = `Sild · ${t('dashboard.title')}`
  for (const button of document.querySelectorAll('#languages button'))
    button.setAttribute('aria-pressed', String(button.dataset.lang === code))
}

const renderLanguages = (languages) => {
  const group = document.getElementById('languages')
  for (const { code, name } of languages) {
    group.append(
      h(
        'button',
        {
          type: 'button',
          lang: code,
          title: name,
          'aria-label': name,
          'aria-pressed': 'false',
          dataset: { lang: code },
          onclick: () => setLanguage(code),
        },
        code.toUpperCase(),
      ),
    )
  }
}

export const showTab = (name, { focus = false } = {}) => {
  for (const tab of TABS) {
    const button = document.querySelector(`[data-tab="${tab}"]`)
    const panel = document.querySelector(`[data-panel="${tab}"]`)
    const selected = tab === name
    button.setAttribute('aria-selected', String(selected))
    button.tabIndex = selected ? 0 : -1
    panel.hidden = !selected
    if (selected && focus) button.focus()
  }
  history.replaceState(null, '', `#${name}`)
  emit('tab', name)
}

const initTabs = () => {
  const tablist = document.querySelector('[role="tablist"]')
  for (const button of tablist.querySelectorAll('[role="tab"]')) {
    button.addEventListener('click', () => showTab(button.dataset.tab))
  }
  // Arrow keys move between tabs, as in every desktop tab strip (WAI-ARIA tabs pattern).
  tablist.addEventListener('keydown', (event) => {
    const current = TABS.indexOf(document.activeElement?.dataset?.tab)
    if (current < 0) return
    const next = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: TABS.length - 1 }[
      event.key
    ]
    if (next === undefined) return
    event.preventDefault()
    showTab(TABS[(next + TABS.length) % TABS.length], { focus: true })
  })
  const initial = TABS.includes(location.hash.slice(1)) ? location.hash.slice(1) : 'map'
  showTab(initial)
}

const connect = () => {
  const status = document.getElementById('connection')
  const source = new EventSource('/api/events')
  source.addEventListener('open', () => {
    status.dataset.state = 'live'
    setLabel(status, 'dashboard.connection.live')
    emit('connected')
  })
  source.addEventListener('error', () => {
    status.dataset.state = 'lost'
    setLabel(status, 'dashboard.connection.lost')
  })
  for (const kind of ['exchange', 'backlog', 'run', 'federation']) {
    source.addEventListener(kind, (event) => emit(kind, JSON.parse(event.data)))
  }
}

const start = async () => {
  const [meta, i18n, federation] = await Promise.all([
    getJson('/api/meta'),
    getJson('/api/i18n'),
    getJson('/api/federation'),
  ])
  catalogues = i18n.catalogues
  store.meta = meta
  store.federation = federation
  renderLanguages(meta.languages)
  setLanguage(pickLanguage(meta.languages))
  initTabs()
  initMap(document.getElementById('panel-map'))
  initFeed(document.getElementById('panel-feed'))
  const scenarios = await initScenarios(document.getElementById('panel-scenarios'))
  initComposer(document.getElementById('panel-try'))
  initPresenter(document.getElementById('panel-map'))
  // The story runs where the audience is looking: on the map, replayed at a human pace.
  document.getElementById('run-featured').addEventListener('click', () => {
    showTab('map')
    presentNextRun()
    scenarios.runFeatured()
  })
  on('show-tab', (tab) => showTab(tab, { focus: true }))
  on('federation', async () => {
    store.federation = await getJson('/api/federation')
    emit('federation-changed', store.federation)
  })
  connect()
  document.body.dataset.ready = 'true'
}

start().catch((error) => {
  document.body.dataset.ready = 'error'
  document
    .getElementById('main')
    .append(h('p', { class: 'fatal', role: 'alert', text: `Sild: ${error.message}` }))
})
