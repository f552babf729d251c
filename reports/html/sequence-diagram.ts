import { UXP_CHOICES } from '../../specs/protocol/uxp/index.ts'
import { XROAD_HEADER } from '../../specs/protocol/xroad-headers/index.ts'
import type { Exchange } from '../../runner/types.ts'
import { escapeHtml } from './escape.ts'

/** One exchange to draw: whether its step failed, and where its details are on the page. */
export type DiagramExchange = { exchange: Exchange; failed: boolean; href: string }

export type DiagramLabels = {
  title: string
  securityServer: string
  border: string
  noResponse: string
}

type Node = { key: string; instance: string; role: 'client' | 'ss' | 'service' }

const COLUMN = 200
const MARGIN = 16
const TOP = 18
const HEAD = TOP + 56
const ROW = 26
const GAP = 12

/**
 * A sequence diagram as inline SVG: one lifeline per information system and security server,
 * grouped by instance with the border between them; per exchange the request along its hops and
 * the response back from where it came. Each exchange links to its details.
 */
export const sequenceDiagram = (items: DiagramExchange[], labels: DiagramLabels): string => {
  const columns = layout(items.map((i) => routeOf(i.exchange)))
  const x = (key: string) => MARGIN + COLUMN / 2 + (columns.index.get(key) ?? 0) * COLUMN
  const width = MARGIN * 2 + columns.nodes.length * COLUMN
  const rows: string[] = []
  let y = HEAD + 28
  for (const item of items) {
    rows.push(exchangeRows(item, x, y, labels))
    y += 2 * ROW + GAP
  }
  const height = y + 4
  const heads = columns.nodes.map((n) => lifeline(n, x(n.key), height, labels))
  const borders = columns.borders.map((b) =>
    border(x(b[0]) + (x(b[1]) - x(b[0])) / 2, height, labels),
  )
  return [
    `<svg class="sequence" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(labels.title)}">`,
    `<title>${escapeHtml(labels.title)}</title>`,
    ...borders,
    ...heads,
    ...rows,
    '</svg>',
  ].join('\n')
}

/** The nodes an exchange passes, client first. */
const routeOf = (exchange: Exchange): Node[] => {
  const clientInstance = instanceOf(exchange.client)
  const serviceInstance = instanceOf(exchange.service)
  if (exchange.hops.length === 0)
    return [
      { key: exchange.client, instance: clientInstance, role: 'client' },
      { key: exchange.service, instance: serviceInstance, role: 'service' },
    ]
  const keys = [exchange.hops[0]?.from ?? exchange.client, ...exchange.hops.map((h) => h.to)]
  return keys.map((key, i) => ({
    key,
    role: i === 0 ? 'client' : i === keys.length - 1 ? 'service' : 'ss',
    // The first security server is the client's, any later one the provider's.
    instance: i === 0 || i === 1 ? clientInstance : serviceInstance,
  }))
}

const instanceOf = (id: string): string => id.split('/')[0] ?? id

/**
 * Columns by instance in order of appearance: the first instance's clients left of its security
 * server and its services right of it; every other instance's security server first, then its
 * information systems, so each request reads left to right across the border.
 */
const layout = (routes: Node[][]) => {
  const instances: string[] = []
  const seen = new Map<string, Node>()
  for (const node of routes.flat()) {
    if (!instances.includes(node.instance)) instances.push(node.instance)
    if (!seen.has(node.key)) seen.set(node.key, node)
  }
  const of = (instance: string, role: Node['role']) =>
    [...seen.values()].filter((n) => n.instance === instance && n.role === role)
  const groups = instances.map((instance, i) =>
    i === 0
      ? [...of(instance, 'client'), ...of(instance, 'ss'), ...of(instance, 'service')]
      : [...of(instance, 'ss'), ...of(instance, 'client'), ...of(instance, 'service')],
  )
  const nodes = groups.flat()
  const borders: Array<[string, string]> = []
  groups.forEach((group, i) => {
    const next = groups[i + 1]
    if (next?.[0] && group.length) borders.push([(group.at(-1) as Node).key, next[0].key])
  })
  return { nodes, index: new Map(nodes.map((n, i) => [n.key, i])), borders }
}

const lifeline = (node: Node, x: number, height: number, labels: DiagramLabels): string => {
  const parts = node.key.split('/')
  const [main, sub] =
    node.role === 'ss'
      ? [node.instance, labels.securityServer]
      : [parts.slice(3).join('/') || node.key, parts.slice(0, 3).join('/')]
  const w = COLUMN - 16
  return [
    `<g class="lifeline ${node.role === 'ss' ? 'ss' : 'is'}">`,
    `<title>${escapeHtml(node.key)}</title>`,
    `<line x1="${x}" y1="${HEAD}" x2="${x}" y2="${height}"/>`,
    `<rect x="${x - w / 2}" y="${TOP}" width="${w}" height="${HEAD - TOP - 8}" rx="6"/>`,
    `<text x="${x}" y="${TOP + 21}" class="main">${escapeHtml(truncate(main, 20))}</text>`,
    `<text x="${x}" y="${TOP + 38}" class="sub">${escapeHtml(truncate(sub, 30))}</text>`,
    '</g>',
  ].join('')
}

const border = (x: number, height: number, labels: DiagramLabels): string =>
  `<g class="border"><line x1="${x}" y1="${TOP}" x2="${x}" y2="${height}"/><text x="${x}" y="${TOP - 5}">${escapeHtml(labels.border)}</text></g>`

const exchangeRows = (
  item: DiagramExchange,
  x: (key: string) => number,
  y: number,
  labels: DiagramLabels,
): string => {
  const ex = item.exchange
  const route = routeOf(ex).map((n) => x(n.key))
  const request = `${ex.request.method} ${ex.serviceId} ${ex.operationId}`.trim()
  const out: string[] = []
  if (ex.transportError !== undefined) {
    // The client only ever talks to its own security server, so that is where it saw nothing.
    const reached = route.slice(0, 2)
    out.push(...segments(reached, y, false), cross(reached.at(-1) as number, y))
    out.push(label(Math.min(...reached), y, request))
    out.push(label(Math.min(...reached), y + ROW, `${labels.noResponse}: ${ex.transportError}`))
  } else {
    const back = route.slice(0, responseOrigin(ex, route.length) + 1).reverse()
    out.push(...segments(route, y, false), label(Math.min(...route), y, request))
    out.push(...segments(back, y + ROW, true), label(Math.min(...back), y + ROW, responseLabel(ex)))
  }
  // A band over both rows, so the whole exchange is one click target and not just its thin lines.
  const left = Math.min(...route)
  const hit = `<rect class="hit" x="${left}" y="${y - ROW + 4}" width="${Math.max(...route) - left}" height="${2 * ROW}"/>`
  const title = `${request} → ${ex.response ? responseLabel(ex) : `${labels.noResponse}: ${ex.transportError}`}`
  return `<a href="#${escapeHtml(item.href)}" class="exchange${item.failed ? ' failed' : ''}"><title>${escapeHtml(title)}</title>${hit}${out.join('')}</a>`
}

/**
 * Index on the route of the node the response came from. A fault header means a security server
 * answered for itself: X-Road names the provider's side `ServerProxy` and the client's `ClientProxy`.
 */
const responseOrigin = (ex: Exchange, length: number): number => {
  const code = faultCode(ex)
  if (code === undefined || length < 3) return length - 1
  return /ClientProxy/.test(code) ? 1 : length - 2
}

const faultCode = (ex: Exchange): string | undefined =>
  ex.response?.headers[XROAD_HEADER.error] ?? ex.response?.headers[UXP_CHOICES.errorHeader]

const responseLabel = (ex: Exchange): string =>
  [String(ex.response?.status ?? ''), faultCode(ex) ?? ''].join(' ').trim()

const segments = (xs: number[], y: number, dashed: boolean): string[] =>
  xs.slice(1).map((to, i) => {
    const from = xs[i] as number
    const dir = to >= from ? 1 : -1
    const tip = to - dir * 2
    return `<line class="${dashed ? 'response' : 'request'}" x1="${from}" y1="${y}" x2="${tip - dir * 8}" y2="${y}"/><polygon class="head" points="${tip},${y} ${tip - dir * 9},${y - 4.5} ${tip - dir * 9},${y + 4.5}"/>`
  })

const cross = (x: number, y: number): string =>
  `<path class="cross" d="M${x - 6} ${y - 6}L${x + 6} ${y + 6}M${x + 6} ${y - 6}L${x - 6} ${y + 6}"/>`

const label = (x: number, y: number, text: string): string =>
  `<text x="${x + 8}" y="${y - 6}">${escapeHtml(truncate(text, 70))}</text>`

const truncate = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s)
