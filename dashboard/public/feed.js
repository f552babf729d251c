// The live exchange feed: one line per exchange (the consumer's and the provider's log records of
// one message share a request id and make one line), filters, and a dialog with everything logged.

import {
  add,
  clear,
  dataText,
  formatMs,
  formatTime,
  getJson,
  h,
  label,
  onLanguage,
  roleLabels,
  setLabel,
  shortKey,
  t,
} from './dom.js'
import { instanceBadge, on, partyLabel, store } from './state.js'

const MAX_ROWS = 400

let list
let count
let unseen = 0
let feedVisible = false
const rows = new Map() // requestId or `#seq` → { records: [], el }
const filters = { instance: '', member: '', service: '', outcome: '' }

const rowKey = (summary) => summary.requestId ?? `#${summary.seq}`

/** The record that says what the caller saw: the consumer's, else whatever there is. */
const primary = (records) =>
  records.find((r) => r.roles.includes('consumer')) ?? records[records.length - 1]

const memberOf = (key) =>
  typeof key === 'string' ? key.split('/').slice(0, 3).join('/') : undefined

const matches = (summary) => {
  const { instance, member, service, outcome } = filters
  if (
    instance &&
    ![summary.clientInstance, summary.serviceInstance, summary.instance].includes(instance)
  )
    return false
  if (member && memberOf(summary.client) !== member && memberOf(summary.service) !== member)
    return false
  if (service) {
    const id = summary.serviceId ?? (summary.service?.split('/').length >= 5 ? 'meta' : '')
    if (
      service === 'meta'
        ? !/\/(listMethods|allowedMethods|getOpenAPI)$/.test(summary.service ?? '')
        : id !== service
    )
      return false
  }
  if (outcome && summary.outcome !== outcome) return false
  return true
}

const OUTCOME_KEY = {
  ok: 'dashboard.outcome.ok',
  refused: 'dashboard.outcome.refused',
  failed: 'dashboard.outcome.failed',
}

const rowContent = (summary) => {
  const border = summary.crossBorder
  return [
    h('span', { class: 'c-time', text: formatTime(summary.at) }),
    h(
      'span',
      { class: 'c-client' },
      partyLabel(summary.client, summary.client ? shortKey(summary.client) : '—'),
    ),
    h(
      'span',
      {
        class: ['c-arrow', border && 'border'],
        title: border ? t('dashboard.feed.crossBorder') : '',
      },
      border ? h('span', { class: 'border-chip', i18n: 'dashboard.feed.border' }) : '→',
    ),
    h(
      'span',
      { class: 'c-service' },
      partyLabel(summary.service, summary.service ? shortKey(summary.service) : '—'),
    ),
    h(
      'span',
      { class: 'c-call', title: `${summary.method ?? ''} ${summary.path ?? ''}` },
      h('span', { class: 'method', text: summary.method ?? '' }),
      ' ',
      h('span', { class: 'path', text: summary.path ?? '' }),
    ),
    h(
      'span',
      { class: ['c-status', `s-${summary.outcome}`] },
      h('span', { class: 'pill', text: summary.status ?? '—' }),
    ),
    h('span', { class: 'c-error', title: summary.errorMessage ?? '' }, summary.error ?? ''),
    h('span', { class: 'c-ms', text: formatMs(summary.durationMs) }),
  ]
}

const updateRow = (row) => {
  const summary = primary(row.records)
  clear(row.button).append(...rowContent(summary))
  row.button.dataset.seq = String(summary.seq)
  row.button.dataset.outcome = summary.outcome
  row.button.setAttribute('aria-label', describe(summary))
  row.el.hidden = !matches(summary)
  row.summary = summary
}

const describe = (summary) =>
  `${summary.method ?? ''} ${summary.path ?? ''}, ${summary.client ?? '?'} → ${summary.service ?? '?'}, ${summary.status ?? ''} ${summary.error ?? ''}, ${t(OUTCOME_KEY[summary.outcome])}`

const addSummary = (summary, live = true) => {
  const key = rowKey(summary)
  let row = rows.get(key)
  if (row?.records.some((r) => r.seq === summary.seq)) return
  if (!row) {
    const button = h('button', {
      type: 'button',
      class: 'exchange',
      onclick: () => openExchange(Number(button.dataset.seq)),
    })
    row = { records: [], el: h('li', { class: 'feed-row' }, button), button }
    rows.set(key, row)
    list.prepend(row.el)
    row.el.classList.add('fresh')
    setTimeout(() => row.el.classList.remove('fresh'), 1500)
    if (!feedVisible && live) setUnseen(unseen + 1)
    while (rows.size > MAX_ROWS) {
      const [oldest] = rows.keys()
      rows.get(oldest).el.remove()
      rows.delete(oldest)
    }
  }
  row.records.push(summary)
  updateRow(row)
  updateCount()
}

const setUnseen = (n) => {
  unseen = n
  const badge = document.getElementById('feed-unseen')
  badge.hidden = n === 0
  badge.textContent = n > 99 ? '99+' : String(n)
}

const updateCount = () => {
  const shown = [...rows.values()].filter((r) => !r.el.hidden).length
  setLabel(count, ['dashboard.feed.count', { shown, total: rows.size }])
  list.parentElement.querySelector('.empty').hidden = rows.size > 0
}

const applyFilters = () => {
  for (const row of rows.values()) row.el.hidden = !matches(row.summary)
  updateCount()
}

const select = (id, key, options, labelled = []) => {
  const el = h(
    'select',
    {
      id,
      onchange: () => {
        filters[key] = el.value
        applyFilters()
      },
    },
    h('option', { value: '', i18n: 'dashboard.filter.all' }),
    options.map(([value, text]) => h('option', { value }, text)),
    labelled.map(([value, i18n]) => h('option', { value, i18n })),
  )
  return h('div', { class: 'field' }, h('label', { for: id, i18n: `dashboard.filter.${key}` }), el)
}

const filterBar = () => {
  const federation = store.federation
  const instances = federation.instances.map((i) => [i.code, `${i.country ?? ''} · ${i.code}`])
  const members = federation.instances.flatMap((i) =>
    i.members.map((m) => [m.key, `${i.country ?? i.code} · ${dataText(m)}`]),
  )
  const services = federation.instances.flatMap((i) =>
    i.members.flatMap((m) =>
      m.subsystems.flatMap((sub) =>
        sub.services.map((svc) => [
          svc.id,
          `${i.country ?? i.code} · ${dataText(svc, 'title') ?? svc.id}`,
        ]),
      ),
    ),
  )
  const outcome = h(
    'select',
    {
      id: 'filter-outcome',
      onchange: () => {
        filters.outcome = outcome.value
        applyFilters()
      },
    },
    h('option', { value: '', i18n: 'dashboard.filter.all' }),
    Object.entries(OUTCOME_KEY).map(([value, key]) => h('option', { value, i18n: key })),
  )
  return h(
    'div',
    { class: 'filters', role: 'search' },
    select('filter-instance', 'instance', instances),
    select('filter-member', 'member', members),
    select('filter-service', 'service', services, [['meta', 'dashboard.filter.metaservices']]),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'filter-outcome', i18n: 'dashboard.filter.outcome' }),
      outcome,
    ),
  )
}

// ---- the exchange dialog -----------------------------------------------------------------------

const headerTable = (headers, captionKey) => {
  const entries = Object.entries(headers ?? {})
  if (!entries.length) return h('p', { class: 'muted' }, label(captionKey), ': —')
  return h(
    'table',
    { class: 'headers' },
    h('caption', { i18n: captionKey }),
    h(
      'tbody',
      {},
      entries.map(([name, value]) =>
        h('tr', {}, h('th', { scope: 'row', text: name }), h('td', { text: value })),
      ),
    ),
  )
}

const bodyBlock = (body, captionKey) =>
  body === undefined
    ? null
    : h(
        'figure',
        { class: 'body' },
        h('figcaption', { i18n: captionKey }),
        h('pre', { tabindex: '0', class: 'body-text', text: body }),
      )

const short = (hash) => (typeof hash === 'string' ? `${hash.slice(0, 12)}…${hash.slice(-6)}` : '')

const chainBlock = (record, chain) => {
  const here = record.seq === chain.seq
  const parts = [
    h('span', {}, label('dashboard.detail.record', { seq: record.seq, size: chain.size })),
    h(
      'span',
      { class: 'hash', title: record.prev },
      'prev ',
      h('code', { text: short(record.prev) }),
    ),
    h(
      'span',
      { class: 'hash', title: record.hash },
      'hash ',
      h('code', { text: short(record.hash) }),
    ),
  ]
  if (here && chain.linksToPrevious !== undefined) {
    parts.push(
      h(
        'span',
        { class: chain.linksToPrevious ? 'chain-ok' : 'chain-bad' },
        label(chain.linksToPrevious ? 'dashboard.detail.linked' : 'dashboard.detail.broken', {
          seq: record.seq - 1,
        }),
      ),
    )
  }
  return h('p', { class: 'chain' }, parts)
}

const recordSection = (record, chain) =>
  h(
    'section',
    { class: 'record' },
    h(
      'h3',
      {},
      instanceBadge(record.instance),
      ' ',
      label('dashboard.detail.server', { server: record.securityServer }),
      ' · ',
      ...roleLabels(record.roles),
    ),
    chainBlock(record, chain),
    record.error
      ? h(
          'p',
          { class: 'refusal' },
          h('strong', { text: record.error }),
          record.errorMessage ? ` — ${record.errorMessage}` : '',
        )
      : null,
    record.translation
      ? h('p', { class: 'muted' }, label('dashboard.detail.translation'), ': ', record.translation)
      : null,
    h(
      'div',
      { class: 'columns' },
      h(
        'div',
        {},
        headerTable(record.requestHeaders, 'dashboard.detail.requestHeaders'),
        bodyBlock(record.requestBody, 'dashboard.detail.requestBody'),
      ),
      h(
        'div',
        {},
        headerTable(record.responseHeaders, 'dashboard.detail.responseHeaders'),
        bodyBlock(record.responseBody, 'dashboard.detail.responseBody'),
      ),
    ),
  )

export const openExchange = async (seq) => {
  const dialog = document.getElementById('exchange-dialog')
  const opener = document.activeElement
  let detail
  try {
    detail = await getJson(`/api/exchanges/${seq}`)
  } catch (error) {
    detail = { error: error.message }
  }
  clear(dialog)
  const close = h(
    'button',
    {
      type: 'button',
      class: 'close',
      i18nAttr: { 'aria-label': 'dashboard.close' },
      onclick: () => dialog.close(),
    },
    '×',
  )
  if (detail.error) {
    add(dialog, h('h2', { id: 'exchange-dialog-title', text: detail.error }), close)
  } else {
    const main = detail.records.find((r) => r.roles.includes('consumer')) ?? detail.records[0]
    add(
      dialog,
      h(
        'header',
        { class: 'dialog-head' },
        h(
          'h2',
          { id: 'exchange-dialog-title' },
          h('span', { class: 'method', text: main.method ?? '' }),
          ' ',
          h('span', { class: 'path', text: main.path ?? '' }),
        ),
        close,
      ),
      h(
        'dl',
        { class: 'facts' },
        fact('dashboard.detail.client', main.client ? partyLabel(main.client) : '—'),
        fact('dashboard.detail.service', main.service ? partyLabel(main.service) : '—'),
        fact(
          'dashboard.detail.status',
          h('span', { class: ['pill', `s-${main.outcome}`], text: main.status ?? '—' }),
        ),
        fact(
          'dashboard.detail.error',
          main.error ? `${main.error}${main.errorMessage ? ` — ${main.errorMessage}` : ''}` : '—',
        ),
        fact('dashboard.detail.duration', formatMs(main.durationMs)),
        fact('dashboard.detail.requestId', main.requestId ?? '—'),
        fact('dashboard.detail.messageId', main.messageId ?? '—'),
      ),
      detail.records.map((r) => recordSection(r, detail.chain)),
      h(
        'p',
        { class: 'muted verify' },
        label('dashboard.detail.verify'),
        ' ',
        h('code', { text: `npx sild log verify ${detail.file ?? ''}`.trim() }),
      ),
    )
  }
  const focusKey = opener?.dataset?.focus
  dialog.addEventListener(
    'close',
    () => {
      // The opener may have been drawn again meanwhile (a run's step list); find its successor.
      const back = opener?.isConnected
        ? opener
        : focusKey && document.querySelector(`[data-focus="${CSS.escape(focusKey)}"]`)
      back?.focus?.()
    },
    { once: true },
  )
  if (!dialog.open) dialog.showModal()
  close.focus()
}

const fact = (key, value) => [h('dt', { i18n: key }), h('dd', {}, value)]

export const initFeed = (panel) => {
  count = h('p', { class: 'count', role: 'status' })
  list = h('ol', { class: 'feed', 'aria-labelledby': 'feed-heading' })
  panel.append(
    h(
      'div',
      { class: 'panel-head' },
      h('h2', { id: 'feed-heading', i18n: 'dashboard.feed.title' }),
      count,
    ),
    filterBar(),
    h(
      'div',
      { class: 'feed-frame' },
      h(
        'div',
        { class: 'feed-columns', 'aria-hidden': 'true' },
        ['time', 'client', 'arrow', 'service', 'call', 'status', 'error', 'duration'].map((c) =>
          h('span', {
            class: `c-${c}`,
            i18n: c === 'arrow' ? undefined : `dashboard.feed.col.${c}`,
          }),
        ),
      ),
      h('p', { class: 'empty muted', i18n: 'dashboard.feed.empty' }),
      list,
    ),
  )
  on('exchange', (summary) => addSummary(summary))
  on('backlog', (summary) => addSummary(summary, false))
  on('tab', (tab) => {
    feedVisible = tab === 'feed'
    if (feedVisible) setUnseen(0)
  })
  // The exchange the presenter shows on the map is marked here too.
  on('present-step', (step) => {
    const refs = new Set((step?.logRefs ?? []).map((ref) => Number(ref.split('#')[1])))
    for (const row of rows.values())
      row.el.classList.toggle(
        'presented',
        row.records.some((r) => refs.has(r.seq)),
      )
  })
  onLanguage(() => {
    for (const row of rows.values()) updateRow(row)
    updateCount()
    // Member and service names are data in the page's language: redraw the filters, same choices.
    const bar = panel.querySelector('.filters')
    if (!bar) return
    const fresh = filterBar()
    for (const select of fresh.querySelectorAll('select'))
      select.value = bar.querySelector(`#${select.id}`)?.value ?? ''
    bar.replaceWith(fresh)
  })
  feedVisible = !panel.hidden
  updateCount()
}
