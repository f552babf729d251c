// DOM helpers. Every piece of data goes in as a text node or an attribute value, never as markup:
// the page has no innerHTML anywhere, so nothing a service returns can become an element.

const SVG_NS = 'http://www.w3.org/2000/svg'

const applyProps = (el, props) => {
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue
    if (key === 'text') el.textContent = String(value)
    else if (key === 'class')
      el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value)
    else if (key === 'i18n') setLabel(el, value)
    else if (key === 'i18nAttr') setAttrLabels(el, value)
    else if (key === 'dataset') Object.assign(el.dataset, value)
    else if (key.startsWith('on') && typeof value === 'function')
      el.addEventListener(key.slice(2), value)
    else el.setAttribute(key, value === true ? '' : String(value))
  }
}

const appendChildren = (el, children) => {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue
    el.append(child instanceof Node ? child : document.createTextNode(String(child)))
  }
}

/** An HTML element: `h('p', { class: 'x' }, 'text', child)`. */
export const h = (tag, props, ...children) => {
  const el = document.createElement(tag)
  applyProps(el, props)
  appendChildren(el, children)
  return el
}

/** An SVG element, attributes as given. */
export const s = (tag, props, ...children) => {
  const el = document.createElementNS(SVG_NS, tag)
  applyProps(el, props)
  appendChildren(el, children)
  return el
}

/** Appends children (arrays, text, nothing) the way `h` does: native `append` would print `null`. */
export const add = (el, ...children) => {
  appendChildren(el, children)
  return el
}

export const clear = (el) => {
  while (el.firstChild) el.firstChild.remove()
  return el
}

// ---- labels -------------------------------------------------------------------------------

let messages = {}
let language = 'en'
const listeners = new Set()

export const currentLanguage = () => language

/** The label for `key` in the current language, `{name}` filled from `values`. */
export const t = (key, values = {}) => {
  const template = messages[key] ?? key
  return template.replace(/\{(\w+)\}/g, (whole, name) =>
    name in values ? String(values[name]) : whole,
  )
}

/** Marks an element's text as the label `key` (with values), so a language switch updates it. */
export const setLabel = (el, spec) => {
  const [key, values] = Array.isArray(spec) ? spec : [spec, undefined]
  el.dataset.i18n = key
  if (values) el.dataset.i18nArgs = JSON.stringify(values)
  else delete el.dataset.i18nArgs
  el.textContent = t(key, values)
  return el
}

/** `{ 'aria-label': key }` or the string form `aria-label:key;title:key2`. */
const setAttrLabels = (el, spec) => {
  const pairs =
    typeof spec === 'string' ? spec.split(';').map((p) => p.split(':')) : Object.entries(spec)
  el.dataset.i18nAttr = pairs.map(([attr, key]) => `${attr}:${key}`).join(';')
  for (const [attr, key] of pairs) el.setAttribute(attr, t(key))
}

// ---- texts of the data (names, titles, stories) ------------------------------------------------

/** A text of the data in the page's language: `item.i18n[lang][field]`, else the English `item[field]`. */
export const dataText = (item, field = 'name') => item?.i18n?.[language]?.[field] ?? item?.[field]

/** Whether `item[field]` shows in English for want of a translation into the page's language. */
export const untranslated = (item, field = 'name') =>
  language !== 'en' && item?.[field] != null && item?.i18n?.[language]?.[field] == null

/**
 * The props that mark an English fallback so a visitor sees it (class `untranslated`, `lang="en"`,
 * a title saying so); the props unchanged when the text is translated.
 */
export const dataProps = (item, field = 'name', props = {}) =>
  untranslated(item, field)
    ? {
        ...props,
        class: [props.class, 'untranslated'].flat().filter(Boolean),
        lang: 'en',
        title: props.title ?? t('dashboard.untranslated'),
      }
    : props

/** A span with a text of the data in the page's language, an English fallback marked. */
export const dataSpan = (item, field = 'name', props = {}) =>
  h('span', dataProps(item, field, props), dataText(item, field) ?? '')

/**
 * The inline Markdown of a spec's description (`code`, **strong**, *emphasis*) as nodes: the
 * text stays text, only these three become elements.
 */
export const inlineMarkdown = (text) => {
  const nodes = []
  const pattern = /`([^`]+)`|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*/g
  let last = 0
  for (const match of String(text ?? '').matchAll(pattern)) {
    if (match.index > last) nodes.push(text.slice(last, match.index))
    const [, code, strong, em] = match
    nodes.push(
      code !== undefined
        ? h('code', { text: code })
        : strong !== undefined
          ? h('strong', { text: strong })
          : h('em', { text: em }),
    )
    last = match.index + match[0].length
  }
  if (last < String(text ?? '').length) nodes.push(String(text).slice(last))
  return nodes
}

/** A span showing a label. */
export const label = (key, values) => h('span', { i18n: values ? [key, values] : key })

/** A security server's roles in an exchange, `consumer side + provider side`, as labels. */
export const roleLabels = (roles) =>
  roles.flatMap((role, i) => [...(i ? [' + '] : []), label(`dashboard.role.${role}`)])

const retranslate = (root) => {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    const args = el.dataset.i18nArgs ? JSON.parse(el.dataset.i18nArgs) : undefined
    el.textContent = t(el.dataset.i18n, args)
  }
  for (const el of root.querySelectorAll('[data-i18n-attr]')) setAttrLabels(el, el.dataset.i18nAttr)
}

export const setMessages = (lang, catalogue) => {
  language = lang
  messages = catalogue
  document.documentElement.lang = lang
  retranslate(document)
  for (const listener of listeners) listener(lang)
}

/** Calls `fn` after each language switch (for text drawn into SVG or computed strings). */
export const onLanguage = (fn) => listeners.add(fn)

// ---- small formatting helpers ------------------------------------------------------------------

export const instanceOf = (key) => (typeof key === 'string' ? key.split('/')[0] : undefined)

/** `ee-test/GOV/70006317/eesti-ee` → `eesti-ee`; a service key → its service code. */
export const shortKey = (key) => {
  if (typeof key !== 'string') return ''
  const parts = key.split('/')
  return parts.length >= 5 ? parts.slice(4).join('/') : parts.slice(3).join('/') || key
}

/** A duration with the unit of the page's language (`1.1 s`, `1,1 с`, `1,1 s`). */
export const formatMs = (ms) => {
  if (typeof ms !== 'number') return ''
  const number = (value, digits) =>
    value.toLocaleString(language, { minimumFractionDigits: digits, maximumFractionDigits: digits })
  return ms >= 1000
    ? t('dashboard.unit.seconds', { value: number(ms / 1000, 1) })
    : t('dashboard.unit.milliseconds', { value: number(Math.round(ms), 0) })
}

export const formatTime = (iso) => {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString(language, { hour12: false })
}

export const getJson = async (url) => {
  const response = await fetch(url, { headers: { accept: 'application/json' } })
  if (response.status === 204) return undefined
  const body = await response.json()
  if (!response.ok) throw new Error(body?.error ?? `${response.status}`)
  return body
}

export const sendJson = async (url, method, data) => {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(data),
  })
  const body = await response.json().catch(() => ({}))
  if (!response.ok)
    throw Object.assign(new Error(body?.error ?? `${response.status}`), {
      status: response.status,
      reason: body?.reason,
    })
  return body
}

/** Announces a message to screen readers. */
export const announce = (text) => {
  const region = document.getElementById('announcer')
  if (!region) return
  delete region.dataset.i18n
  region.textContent = text
}

/** Announces a label to screen readers; it follows a language switch like any other label. */
export const announceLabel = (key, values) => {
  const region = document.getElementById('announcer')
  if (region) setLabel(region, [key, values])
}
