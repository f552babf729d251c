// Try it yourself: compose a call to any service, prefilled from its spec's examples and the world,
// send it through the caller's own security server, and see what each security server added or
// refused; with the same call as a curl to copy.

import {
  add,
  clear,
  dataProps,
  dataText,
  getJson,
  h,
  inlineMarkdown,
  label,
  onLanguage,
  roleLabels,
  sendJson,
  setLabel,
  t,
} from './dom.js'
import { instanceBadge, instanceInfo, on, store } from './state.js'

const PREFERRED_SERVICE = 'ua-demographic-register'

let root
let form
let result
let world = []
let current // { service: ServiceForm, operation, client }
const forms = new Map()

const services = () =>
  store.federation.instances.flatMap((inst) =>
    inst.members.flatMap((m) =>
      // Try it sends through the security servers; a direct service is not published there.
      m.subsystems.flatMap((sub) =>
        sub.services.filter((svc) => !svc.direct).map((svc) => ({ inst, svc, sub })),
      ),
    ),
  )

const loadForm = async (serviceId) => {
  if (!forms.has(serviceId))
    forms.set(serviceId, await getJson(`/api/services/${encodeURIComponent(serviceId)}/form`))
  return forms.get(serviceId)
}

const fieldId = (field) => `try-${field.in}-${field.name}`.replace(/[^\w-]/g, '_')

const clientOption = (client, operation) => {
  const allowed = client.allowed.includes(operation.operationId)
  return h(
    'option',
    { value: client.key, 'data-allowed': String(allowed) },
    `${allowed ? '✓' : '✗'} ${client.key} — ${dataText(client)}`,
  )
}

const renderForm = () => {
  const { service, operation } = current
  const serviceSelect = h(
    'select',
    { id: 'try-service', onchange: () => choose(serviceSelect.value) },
    store.federation.instances.map((inst) =>
      h(
        'optgroup',
        { label: `${inst.country ?? ''} · ${dataText(inst)}` },
        services()
          .filter((x) => x.inst.code === inst.code)
          .map(({ svc }) =>
            h(
              'option',
              dataProps(svc, 'title', { value: svc.id, selected: svc.id === service.id }),
              `${dataText(svc, 'title') ?? svc.id}`,
            ),
          ),
      ),
    ),
  )
  const operationSelect = h(
    'select',
    {
      id: 'try-operation',
      onchange: () => {
        current.operation = service.operations.find((o) => o.operationId === operationSelect.value)
        current.client = undefined
        renderForm()
      },
    },
    service.operations.map((op) =>
      h(
        'option',
        dataProps(op, 'summary', {
          value: op.operationId,
          selected: op.operationId === operation.operationId,
        }),
        `${op.method} ${op.path}${op.summary ? ` — ${dataText(op, 'summary')}` : ''}`,
      ),
    ),
  )
  const allowedClients = service.clients.filter((c) => c.allowed.includes(operation.operationId))
  current.client ??=
    allowedClients.find((c) => c.key === service.defaultClient)?.key ??
    allowedClients[0]?.key ??
    service.clients[0]?.key
  const clientSelect = h(
    'select',
    {
      id: 'try-client',
      onchange: () => {
        current.client = clientSelect.value
        renderAccess()
      },
    },
    service.clients.map((c) => {
      const option = clientOption(c, operation)
      if (c.key === current.client) option.selected = true
      return option
    }),
  )
  const access = h('p', { class: 'access', id: 'try-access' })
  const renderAccess = () => {
    const chosen = service.clients.find((c) => c.key === current.client)
    const allowed = chosen?.allowed.includes(operation.operationId)
    access.className = `access ${allowed ? 'allowed' : 'denied'}`
    setLabel(access, allowed ? 'dashboard.try.allowed' : 'dashboard.try.denied')
  }
  const worldSelect = h(
    'select',
    { id: 'try-world', onchange: () => fillFromWorld(worldSelect.value) },
    h('option', { value: '', i18n: 'dashboard.try.worldNone' }),
    h(
      'optgroup',
      { i18nAttr: { label: 'dashboard.try.people' } },
      world
        .filter((w) => w.kind === 'person')
        .map((w) =>
          h('option', { value: w.id }, `${w.label}${w.country ? ` (${w.country})` : ''}`),
        ),
    ),
    h(
      'optgroup',
      { i18nAttr: { label: 'dashboard.try.companies' } },
      world
        .filter((w) => w.kind === 'company')
        .map((w) =>
          h('option', { value: w.id }, `${w.label}${w.country ? ` (${w.country})` : ''}`),
        ),
    ),
  )

  const fields = operation.fields.map((field) => {
    const id = fieldId(field)
    const input = h('input', {
      id,
      name: `${field.in}:${field.name}`,
      type: field.secret ? 'password' : 'text',
      value: field.example ?? '',
      required: field.required,
      autocomplete: 'off',
      spellcheck: 'false',
      'data-param': field.name,
    })
    return h(
      'div',
      { class: 'field' },
      h(
        'label',
        { for: id },
        h('code', { text: field.name }),
        ' ',
        h('span', { class: 'where', text: field.in }),
        field.required
          ? h('span', { class: 'req', title: t('dashboard.try.required'), text: ' *' })
          : null,
      ),
      input,
      field.description
        ? h(
            'p',
            dataProps(field, 'description', { class: 'hint' }),
            inlineMarkdown(dataText(field, 'description')),
          )
        : null,
    )
  })
  const body = operation.body
    ? h(
        'div',
        { class: 'field' },
        h(
          'label',
          { for: 'try-body' },
          label('dashboard.try.body'),
          ' ',
          h('span', { class: 'where', text: operation.body.contentType }),
        ),
        h(
          'textarea',
          { id: 'try-body', rows: '10', spellcheck: 'false' },
          operation.body.example ?? '',
        ),
      )
    : null

  add(
    clear(form),
    h('div', { class: 'panel-head' }, h('h2', { id: 'try-heading', i18n: 'dashboard.try.title' })),
    h('p', { class: 'muted', i18n: 'dashboard.try.intro' }),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'try-service', i18n: 'dashboard.try.service' }),
      serviceSelect,
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'try-operation', i18n: 'dashboard.try.operation' }),
      operationSelect,
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'try-client', i18n: 'dashboard.try.client' }),
      clientSelect,
      access,
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'try-world', i18n: 'dashboard.try.world' }),
      worldSelect,
    ),
    h(
      'fieldset',
      { class: 'params' },
      h('legend', { i18n: 'dashboard.try.parameters' }),
      fields.length ? fields : h('p', { class: 'muted', i18n: 'dashboard.try.noParameters' }),
    ),
    body,
    h(
      'div',
      { class: 'row' },
      h(
        'button',
        { type: 'submit', class: 'primary', id: 'try-send' },
        h('span', { 'aria-hidden': 'true' }, '➜ '),
        label('dashboard.try.send'),
      ),
      h('button', {
        type: 'button',
        class: 'secondary',
        i18n: 'dashboard.try.reset',
        onclick: () => renderForm(),
      }),
    ),
  )
  renderAccess()
}

const fillFromWorld = (id) => {
  const sample = world.find((w) => w.id === id)
  if (!sample) return
  const lower = Object.fromEntries(
    Object.entries(sample.values).map(([k, v]) => [k.toLowerCase(), v]),
  )
  for (const input of form.querySelectorAll('input[data-param]')) {
    const value = lower[input.dataset.param.toLowerCase()]
    if (value !== undefined) input.value = value
  }
}

const choose = async (serviceId) => {
  const service = await loadForm(serviceId)
  current = { service, operation: service.operations[0], client: undefined }
  renderForm()
}

// ---- the result --------------------------------------------------------------------------------

const headerRows = (headers, added = {}) =>
  h(
    'table',
    { class: 'headers' },
    h(
      'tbody',
      {},
      Object.entries(headers).map(([name, value]) =>
        h(
          'tr',
          { class: name in added ? 'added' : '' },
          h('th', { scope: 'row', text: name }),
          h('td', { text: value }),
        ),
      ),
    ),
  )

const bodyText = (text) => {
  if (!text) return ''
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}

const copyButton = (getText) => {
  const button = h('button', { type: 'button', class: 'secondary', i18n: 'dashboard.try.copy' })
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(getText())
      setLabel(button, 'dashboard.try.copied')
    } catch {
      const pre = button.parentElement.parentElement.querySelector('pre')
      getSelection().selectAllChildren(pre)
      setLabel(button, 'dashboard.try.selected')
    }
    setTimeout(() => setLabel(button, 'dashboard.try.copy'), 2000)
  })
  return button
}

const renderResult = (data) => {
  const steps = data.securityServers
  add(
    clear(result),
    h('h2', { i18n: 'dashboard.try.result', tabindex: '-1' }),
    h(
      'section',
      { class: 'try-step' },
      h('h3', {}, h('span', { class: 'num', text: '1' }), ' ', label('dashboard.try.yourRequest')),
      h(
        'p',
        { class: 'call' },
        h('span', { class: 'method', text: data.request.method }),
        ' ',
        h('span', { class: 'path', text: data.request.url }),
      ),
      headerRows(data.request.headers),
      data.request.body
        ? h('pre', { class: 'body-text', text: bodyText(data.request.body) })
        : null,
    ),
    steps.map((step, i) =>
      h(
        'section',
        { class: ['try-step', step.refused ? 'refused' : 'passed'] },
        h(
          'h3',
          {},
          h('span', { class: 'num', text: String(i + 2) }),
          ' ',
          instanceBadge(step.instance),
          ' ',
          label('dashboard.map.securityServer'),
          ' ',
          h('code', { text: step.securityServer }),
          h('span', { class: 'role' }, ' · ', ...roleLabels(step.roles)),
        ),
        step.refused
          ? [
              h(
                'p',
                { class: 'refusal' },
                label('dashboard.try.refused'),
                ' ',
                h('strong', { text: step.refused.error }),
                step.refused.message ? ` — ${step.refused.message}` : '',
              ),
              h(
                'p',
                { class: 'why' },
                label(`dashboard.try.why.${step.refused.reason}`, {
                  refuser: instanceInfo(step.instance).name,
                  refuserCode: step.instance,
                  client: instanceInfo(data.clientInstance).name,
                  clientCode: data.clientInstance,
                }),
              ),
            ]
          : null,
        step.relayed
          ? h(
              'p',
              { class: 'relayed' },
              label('dashboard.try.relayed'),
              ' ',
              instanceBadge(step.relayed.from),
              ' ',
              h('code', { text: step.relayed.error }),
            )
          : null,
        Object.keys(step.added).length
          ? [h('p', { i18n: 'dashboard.try.added' }), headerRows(step.added, step.added)]
          : step.refused
            ? null
            : step.relayed
              ? null
              : h('p', { class: 'muted', i18n: 'dashboard.try.addedNothing' }),
        step.addedToResponse
          ? [
              h('p', { i18n: 'dashboard.try.addedToResponse' }),
              headerRows(step.addedToResponse, step.addedToResponse),
            ]
          : null,
        step.translation
          ? h(
              'p',
              { class: 'muted' },
              label('dashboard.detail.translation'),
              ': ',
              step.translation,
            )
          : null,
      ),
    ),
    data.response
      ? h(
          'section',
          { class: 'try-step response' },
          h(
            'h3',
            {},
            h('span', { class: 'num', text: String(steps.length + 2) }),
            ' ',
            label('dashboard.try.response'),
            ' ',
            h('span', {
              class: [
                'pill',
                data.response.status >= 400
                  ? data.response.headers['x-road-error'] || data.response.headers['uxp-error']
                    ? 's-refused'
                    : 's-failed'
                  : 's-ok',
              ],
              text: data.response.status,
            }),
          ),
          Object.keys(data.responseAdded).length
            ? h('p', { class: 'muted', i18n: 'dashboard.try.responseAdded' })
            : null,
          headerRows(data.response.headers, data.responseAdded),
          h('pre', { class: 'body-text', tabindex: '0', text: bodyText(data.response.body) }),
        )
      : h('p', { class: 'refusal', text: data.transportError ?? '' }),
    h(
      'section',
      { class: 'curl' },
      h(
        'div',
        { class: 'row' },
        h('h3', { i18n: 'dashboard.try.curl' }),
        copyButton(() => data.curl),
      ),
      h('pre', { class: 'body-text', tabindex: '0', text: data.curl }),
    ),
  )
  result.querySelector('h2').focus()
}

const send = async (event) => {
  event.preventDefault()
  const values = {}
  for (const input of form.querySelectorAll('input[data-param]')) values[input.name] = input.value
  const body = form.querySelector('#try-body')?.value
  const button = form.querySelector('#try-send')
  button.disabled = true
  try {
    const data = await sendJson('/api/try', 'POST', {
      serviceId: current.service.id,
      operationId: current.operation.operationId,
      client: current.client,
      values,
      ...(body !== undefined ? { body } : {}),
    })
    renderResult(data)
  } catch (error) {
    const text = error.status === 409 ? t('dashboard.try.busy') : error.message
    add(clear(result), h('p', { class: 'refusal', role: 'alert', text }))
  } finally {
    button.disabled = false
  }
}

export const initComposer = async (panel) => {
  root = panel
  form = h('form', { class: 'try-form', 'aria-labelledby': 'try-heading', onsubmit: send })
  result = h(
    'div',
    { class: 'try-result', 'aria-live': 'polite' },
    h('p', { class: 'muted', i18n: 'dashboard.try.nothingYet' }),
  )
  root.append(h('div', { class: 'try-layout' }, form, result))
  world = await getJson('/api/world')
  const first = services().find((x) => x.svc.id === PREFERRED_SERVICE) ?? services()[0]
  if (first) await choose(first.svc.id)
  on('federation-changed', () => forms.clear())
  // Names, summaries and field help come in the page's language: redraw, keeping what was typed.
  onLanguage(() => {
    if (!current) return
    const typed = [...form.querySelectorAll('input[id], textarea[id]')].map((el) => [
      el.id,
      el.value,
    ])
    renderForm()
    for (const [id, value] of typed) {
      const el = form.querySelector(`#${CSS.escape(id)}`)
      if (el) el.value = value
    }
  })
}
