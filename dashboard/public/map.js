// The federation map: instances side by side, each with its security server on top and its members,
// subsystems and services below; federation links arc between the security servers; access rights
// are drawn on demand; every exchange from the live feed travels across it as a moving dot.

import {
  add,
  clear,
  dataProps,
  dataSpan,
  dataText,
  h,
  instanceOf,
  label,
  onLanguage,
  s,
  sendJson,
  setLabel,
  t,
} from './dom.js'
import { instanceBadge, instanceInfo, on, store } from './state.js'

// The map's drawing width: 1600 for the sandbox's instances, wider as partners join so that no
// panel column gets narrower than MIN_UNIT_W (the page then scrolls the map sideways).
const BASE_W = 1600
const MIN_UNIT_W = 340
let W = BASE_W
const PAD = 20
const ARC_BAND = 140
const HEADER = 112
const INSTANCE_LINE = 21
const BOX_GAP = 14
const MEMBER_HEAD = 56
const SUB_ROW = 34
const SERVICE_ROW = 36
const CHAR = 0.58 // average glyph width per unit of font size, a little generous for DejaVu Sans

let root
let svg
let layer = {}
let anchors = new Map() // key → { x, y, left, right, node }
let selected
let showAll = false
let details
const pendingProvider = new Map() // requestId → provider-side summary, to see who refused

const fit = (text, fontSize, width) => {
  const max = Math.max(3, Math.floor(width / (fontSize * CHAR)))
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`
}

const textEl = (x, y, content, props = {}) => s('text', { x, y, ...props }, content)

/** The font size at which `text` fits `width`, at most `size`; below `min` it is cut instead. */
const fittingSize = (text, size, width, min) =>
  Math.max(min, Math.min(size, Math.floor((width / (text.length * CHAR)) * 10) / 10))

/** Text shrunk to fit its width (down to `min`), cut with … only past that. */
const fittedText = (x, y, text, size, width, min, props = {}) => {
  const fontSize = fittingSize(text, size, width, min)
  const el = textEl(x, y, fit(text, fontSize, width), props)
  // A style property, not an attribute: the page's CSS sets the size and the CSP allows no inline style.
  el.style.fontSize = `${fontSize}px`
  return el
}

/** Words broken into at most `max` lines of `width`; the last one cut with … when it overflows. */
const wrap = (text, fontSize, width, max = 2) => {
  const perLine = Math.max(3, Math.floor(width / (fontSize * CHAR)))
  const lines = []
  let line = ''
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word
    if (next.length <= perLine || !line) line = next
    else {
      lines.push(line)
      line = word
    }
  }
  if (line) lines.push(line)
  if (lines.length <= max) return lines.map((l) => fit(l, fontSize, width))
  return [...lines.slice(0, max - 1), fit(lines.slice(max - 1).join(' '), fontSize, width)]
}

const MEMBER_FONT = 17
const SUB_CODE_FONT = 17
const SUB_NAME_FONT = 15
const SUB_LINE = 20

/** A member box's heading: the name in one or two lines, and how much taller two make it. */
const memberHead = (member, width) => {
  const name = dataText(member)
  // The largest size at which the whole name fits in three lines (bold glyphs, Cyrillic most, run
  // up to a fifth wider than the average CHAR allows for); at the smallest, four lines.
  for (const [size, max] of [
    [MEMBER_FONT, 3],
    [15, 3],
    [13, 4],
  ]) {
    const lines = wrap(name, size * 1.2, width - 28, max)
    if (!lines.at(-1).endsWith('…') || size === 13) {
      const line = Math.round(size * 1.2)
      return { lines, size, line, extra: (lines.length - 1) * line }
    }
  }
}

/** An instance's name under its security server: one line, or two when it is long. */
const instanceLines = (instance, width) => wrap(dataText(instance), 17 * 1.1, width - 30, 3)

/** A subsystem row: its name beside the code when it fits there, else on a line of its own. */
const subsystemRow = (sub, width) => {
  const codeWidth = Math.min(sub.code.length, 12) * SUB_CODE_FONT * CHAR + 12
  const name = dataText(sub) ?? ''
  const beside = width - 40 - codeWidth
  if (name.length * SUB_NAME_FONT * CHAR <= beside)
    return { codeWidth, lines: [name], below: false, height: SUB_ROW }
  const fits = wrap(name, SUB_NAME_FONT, width - 40, 3)
  const lines = fits.at(-1).endsWith('…') ? wrap(name, 13, width - 40, 4) : fits
  const size = lines === fits ? SUB_NAME_FONT : 13
  const line = lines === fits ? SUB_LINE : 17
  return { codeWidth, lines, size, line, below: true, height: SUB_ROW + lines.length * line }
}

const colsOf = (inst) => (inst.members.length >= 4 ? 2 : 1)

const mapWidth = (instances) => {
  const units = instances.reduce((sum, inst) => sum + colsOf(inst), 0) || 1
  return Math.max(BASE_W, units * MIN_UNIT_W + PAD * (instances.length + 1))
}

const layout = (federation) => {
  const instances = federation.instances
  const units = instances.reduce((sum, inst) => sum + colsOf(inst), 0) || 1
  const usable = W - PAD * (instances.length + 1)
  let x = PAD
  // Room for a second line of instance names when one needs it.
  const nameExtra =
    (Math.max(
      1,
      ...instances.map((inst) => instanceLines(inst, (usable * colsOf(inst)) / units).length),
    ) -
      1) *
    INSTANCE_LINE
  return instances.map((inst) => {
    const cols = colsOf(inst)
    const width = (usable * cols) / units
    const boxW = (width - 2 * 14 - (cols - 1) * BOX_GAP) / cols
    const boxes = inst.members.map((member) => {
      const height =
        MEMBER_HEAD +
        memberHead(member, boxW).extra +
        member.subsystems.reduce(
          (sum, sub) => sum + subsystemRow(sub, boxW).height + sub.services.length * SERVICE_ROW,
          0,
        ) +
        10
      return { member, height }
    })
    const rows = []
    boxes.forEach((box, i) => {
      const row = Math.floor(i / cols)
      rows[row] = Math.max(rows[row] ?? 0, box.height)
    })
    let y = ARC_BAND + HEADER + nameExtra
    const rowY = rows.map((height) => {
      const top = y
      y += height + BOX_GAP
      return top
    })
    const placed = boxes.map((box, i) => ({
      ...box,
      x: x + 14 + (i % cols) * (boxW + BOX_GAP),
      y: rowY[Math.floor(i / cols)],
      width: boxW,
    }))
    const panel = { instance: inst, x, width, boxes: placed, bottom: y + 4 }
    x += width + PAD
    return panel
  })
}

const focusable = (node, key, name, kind) => {
  node.setAttribute('tabindex', '0')
  node.setAttribute('role', 'button')
  node.setAttribute('aria-label', name)
  node.dataset.key = key
  node.dataset.kind = kind
  node.classList.add('node')
  node.addEventListener('click', (event) => {
    event.stopPropagation()
    select(key, kind)
  })
  node.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault()
      select(key, kind)
    }
  })
}

const drawPanel = (panel) => {
  const { instance } = panel
  const info = instanceInfo(instance.code)
  const g = s('g', { class: 'instance', 'data-instance': instance.code })
  g.style.setProperty('--accent', info.color)
  const height = panel.bottom - ARC_BAND + 6
  g.append(
    s('rect', { class: 'panel', x: panel.x, y: ARC_BAND, width: panel.width, height, rx: 18 }),
  )
  g.append(
    s('rect', {
      class: 'panel-band',
      x: panel.x,
      y: ARC_BAND,
      width: panel.width,
      height: 8,
      rx: 4,
    }),
  )
  const cx = panel.x + panel.width / 2
  // The security server: the single door of the instance, drawn on the panel's top edge.
  const ssW = Math.min(panel.width - 28, 420)
  const ss = s('g', { class: 'ss' })
  ss.append(
    s('rect', { x: cx - ssW / 2, y: ARC_BAND + 20, width: ssW, height: 52, rx: 12 }),
    s('path', { class: 'shield', d: shieldPath(cx - ssW / 2 + 16, ARC_BAND + 28) }),
    textEl(cx - ssW / 2 + 50, ARC_BAND + 43, fit(`${instance.code}`, 20, ssW - 60), {
      class: 'ss-name',
    }),
    textEl(
      cx - ssW / 2 + 50,
      ARC_BAND + 64,
      fit(`${protocolLabel(instance.protocol)} · ${versionLabel(instance)}`, 15, ssW - 60),
      { class: 'ss-protocol' },
    ),
  )
  focusable(
    ss,
    `ss:${instance.code}`,
    `${t('dashboard.map.securityServer')} ${instance.securityServer}`,
    'ss',
  )
  ss.append(
    s(
      'title',
      {},
      [
        dataText(instance),
        instance.securityServer,
        protocolLabel(instance.protocol),
        instance.faultStyle ?? '',
        ...(instance.assumed ?? []),
      ]
        .filter(Boolean)
        .join('\n'),
    ),
  )
  ss.style.setProperty('--accent', info.color)
  // Drawn above the moving messages: they pass behind the security server, as through a door.
  layer.servers.append(ss)
  anchors.set(`ss:${instance.code}`, {
    x: cx,
    y: ARC_BAND + 46,
    top: ARC_BAND + 20,
    left: cx - ssW / 2,
    right: cx + ssW / 2,
    node: ss,
  })
  g.append(
    textEl(
      cx,
      ARC_BAND + 100,
      instanceLines(instance, panel.width).map((line, i) =>
        s('tspan', { x: cx, dy: i ? INSTANCE_LINE : 0 }, line),
      ),
      dataProps(instance, 'name', { class: 'instance-name', 'text-anchor': 'middle' }),
    ),
  )
  for (const box of panel.boxes) g.append(drawMember(box))
  anchors.set(`panel:${instance.code}`, {
    left: panel.x,
    right: panel.x + panel.width,
    top: ARC_BAND,
    bottom: panel.bottom,
  })
  return g
}

// The X-Road release an instance declares, or the UXP assumption, as the panel shows it.
const versionLabel = (instance) =>
  instance.protocol === 'uxp-rest' ? t('dashboard.map.faultsAssumed') : (instance.faultStyle ?? '')

const protocolLabel = (protocol) =>
  protocol === 'uxp-rest' ? 'Trembita / UXP REST · /restapi' : 'X-Road REST · /r1/{serviceId}'

const shieldPath = (x, y) =>
  `M${x + 14} ${y} L${x + 28} ${y + 6} V${y + 18} C${x + 28} ${y + 28} ${x + 20} ${y + 34} ${x + 14} ${y + 37} C${x + 8} ${y + 34} ${x} ${y + 28} ${x} ${y + 18} V${y + 6} Z`

const drawMember = ({ member, x, y, width, height }) => {
  const g = s('g', { class: 'member' })
  g.append(s('rect', { class: 'member-box', x, y, width, height, rx: 12 }))
  const head = memberHead(member, width)
  g.append(
    textEl(
      x + 14,
      y + 26,
      head.lines.map((line, i) => {
        const tspan = s('tspan', { x: x + 14, dy: i ? head.line : 0 }, line)
        tspan.style.fontSize = `${head.size}px`
        return tspan
      }),
      dataProps(member, 'name', { class: 'member-name' }),
    ),
    textEl(x + 14, y + 46 + head.extra, `${member.memberClass}/${member.code}`, {
      class: 'member-code',
    }),
    s('title', {}, `${dataText(member)}\n${member.key}`),
  )
  let yy = y + MEMBER_HEAD + head.extra
  for (const sub of member.subsystems) {
    const row = s('g', { class: 'subsystem' })
    const place = subsystemRow(sub, width)
    row.append(
      s('rect', {
        class: 'hit',
        x: x + 8,
        y: yy,
        width: width - 16,
        height: place.height - 4,
        rx: 8,
      }),
      textEl(x + 16, yy + 21, fit(sub.code, SUB_CODE_FONT, 120), { class: 'subsystem-code' }),
      place.below
        ? textEl(
            x + 16,
            yy + 21 + SUB_LINE,
            place.lines.map((line, i) => {
              const tspan = s('tspan', { x: x + 16, dy: i ? place.line : 0 }, line)
              tspan.style.fontSize = `${place.size}px`
              return tspan
            }),
            dataProps(sub, 'name', { class: 'subsystem-name' }),
          )
        : textEl(
            x + 16 + place.codeWidth,
            yy + 21,
            dataText(sub),
            dataProps(sub, 'name', { class: 'subsystem-name' }),
          ),
      s('title', {}, `${dataText(sub)}\n${sub.key}`),
    )
    focusable(
      row,
      sub.key,
      `${t('dashboard.map.subsystem')} ${sub.code}: ${dataText(sub)}`,
      'subsystem',
    )
    g.append(row)
    anchors.set(sub.key, {
      x: x + width / 2,
      y: yy + place.height / 2,
      left: x,
      right: x + width,
      top: yy,
      node: row,
    })
    yy += place.height
    for (const service of sub.services) {
      const chip = s('g', {
        class: ['service', service.provider !== 'mock' && 'plugged', service.direct && 'direct'],
      })
      const chipW = width - 44
      chip.append(
        s('rect', { x: x + 28, y: yy + 2, width: chipW, height: SERVICE_ROW - 8, rx: 14 }),
        s('circle', { class: 'dot', cx: x + 46, cy: yy + 16, r: 6 }),
        fittedText(x + 60, yy + 22, service.code, 16, chipW - 44, 11, { class: 'service-code' }),
        s(
          'title',
          {},
          `${dataText(service, 'title') ?? service.id}\n${service.key}\n${service.direct ? t('dashboard.map.direct') : service.provider}`,
        ),
      )
      focusable(
        chip,
        service.key,
        `${t('dashboard.map.service')} ${service.code}: ${dataText(service, 'title') ?? ''}${service.direct ? ` (${t('dashboard.map.direct')})` : ''}`,
        'service',
      )
      g.append(chip)
      anchors.set(service.key, {
        x: x + 28 + chipW / 2,
        y: yy + 16,
        left: x + 28,
        right: x + 28 + chipW,
        top: yy + 2,
        node: chip,
      })
      yy += SERVICE_ROW
    }
  }
  return g
}

// Links between neighbours start inside, longer ones outside, so the arcs nest without crossing.
const arcPath = (a, b, lift, span) => {
  const y = ARC_BAND + 20
  const shift = span === 1 ? 36 : -36
  const [x1, x2] = a.x < b.x ? [a.x + shift, b.x - shift] : [a.x - shift, b.x + shift]
  return `M${x1} ${y} C${x1} ${y - lift}, ${x2} ${y - lift}, ${x2} ${y}`
}

const drawLinks = (federation, panels) => {
  const g = s('g', { class: 'links' })
  const index = new Map(panels.map((p, i) => [p.instance.code, i]))
  for (const link of federation.links) {
    if (!link.aAcceptsB && !link.bAcceptsA) continue
    const a = anchors.get(`ss:${link.a}`)
    const b = anchors.get(`ss:${link.b}`)
    if (!a || !b) continue
    const span = Math.abs(index.get(link.a) - index.get(link.b))
    // The widest arc reaches just below the top of the view, however many instances there are.
    const lift = ((ARC_BAND - 4) * span) / Math.max(2, panels.length - 1)
    const mutual = link.aAcceptsB && link.bAcceptsA
    const path = s('path', {
      class: ['federation', mutual ? 'mutual' : 'one-sided'],
      d: arcPath(a, b, lift, span),
    })
    // With partners joined, the many "federated both ways" labels would pile up over each other:
    // the legend says what a green arc means, and only one-sided arcs keep their label.
    if (mutual && panels.length > 4) {
      g.append(path)
      continue
    }
    const mid = { x: (a.x + b.x) / 2, y: ARC_BAND + 20 - lift * 0.75 }
    const refuser = link.aAcceptsB ? link.b : link.a
    const refused = link.aAcceptsB ? link.a : link.b
    const caption = mutual
      ? ['dashboard.map.federated', {}]
      : ['dashboard.map.refuses', { refuser, refused }]
    const text = textEl(mid.x, mid.y - 8, t(caption[0], caption[1]), {
      class: ['federation-label', mutual ? 'mutual' : 'one-sided'],
      'text-anchor': 'middle',
      'data-i18n': caption[0],
      'data-i18n-args': JSON.stringify(caption[1]),
    })
    const bg = s('rect', {
      class: 'label-bg',
      x: mid.x - 10,
      y: mid.y - 30,
      width: 20,
      height: 30,
      rx: 8,
    })
    g.append(path, bg, text)
    requestAnimationFrame(() => sizeLabel(bg, text))
  }
  return g
}

const sizeLabel = (bg, text) => {
  let width
  try {
    width = text.getComputedTextLength()
  } catch {
    width = 0
  }
  if (!width) width = text.textContent.length * 16 * CHAR
  const x = Number(text.getAttribute('x'))
  bg.setAttribute('x', x - width / 2 - 10)
  bg.setAttribute('width', width + 20)
}

const render = () => {
  const federation = store.federation
  anchors = new Map()
  W = mapWidth(federation.instances)
  // Scaled like the sandbox's map, a wider one keeps its text size and scrolls instead.
  svg.style.minWidth = W > BASE_W ? `${Math.round((W * 0.6) / 10) * 10}px` : ''
  const panels = layout(federation)
  const height = Math.max(...panels.map((p) => p.bottom)) + 14
  clear(svg)
  svg.setAttribute('viewBox', `0 0 ${W} ${height}`)
  svg.append(
    s('title', { 'data-i18n': 'dashboard.map.title' }, t('dashboard.map.title')),
    s(
      'defs',
      {},
      s(
        'marker',
        {
          id: 'arrow',
          viewBox: '0 0 10 10',
          refX: 9,
          refY: 5,
          markerWidth: 7,
          markerHeight: 7,
          orient: 'auto-start-reverse',
        },
        s('path', { d: 'M0 0 L10 5 L0 10 z', class: 'arrow-head' }),
      ),
    ),
  )
  layer.panels = s('g', { class: 'panels' })
  layer.servers = s('g', { class: 'servers' })
  for (const panel of panels) layer.panels.append(drawPanel(panel))
  layer.links = drawLinks(federation, panels)
  layer.rights = s('g', { class: 'rights' })
  layer.pulses = s('g', { class: 'pulses' })
  layer.presenter = s('g', { class: 'presenter-layer' })
  svg.append(layer.links, layer.panels, layer.rights, layer.pulses, layer.servers, layer.presenter)
  drawRights()
}

// ---- access rights -----------------------------------------------------------------------------

const rightPath = (from, to) => {
  const fromRight = to.x >= from.x
  const x1 = fromRight ? from.right : from.left
  const x2 = fromRight ? to.left : to.right
  const bend = Math.max(60, Math.abs(x2 - x1) * 0.4)
  const sameColumn = Math.abs(from.x - to.x) < 40
  if (sameColumn) {
    const x = from.right + 10
    return `M${from.right} ${from.y} C${x + 70} ${from.y}, ${x + 70} ${to.y}, ${to.right} ${to.y}`
  }
  return `M${x1} ${from.y} C${x1 + (fromRight ? bend : -bend)} ${from.y}, ${x2 + (fromRight ? -bend : bend)} ${to.y}, ${x2} ${to.y}`
}

const relatedRights = () => {
  const rights = store.federation.accessRights
  if (!selected) return showAll ? rights : []
  const { key, kind } = selected
  if (kind === 'ss')
    return rights.filter(
      (r) => instanceOf(r.client) === key.slice(3) || instanceOf(r.service) === key.slice(3),
    )
  if (kind === 'service') return rights.filter((r) => r.service === key)
  return rights.filter((r) => r.client === key || r.service.startsWith(`${key}/`))
}

const drawRights = () => {
  clear(layer.rights)
  const rights = relatedRights()
  svg.classList.toggle('focused', !!selected)
  for (const node of svg.querySelectorAll('.node.related, .node.selected'))
    node.classList.remove('related', 'selected')
  for (const right of rights) {
    const from = anchors.get(right.client)
    const to = serviceAnchor(right.service)
    if (!from || !to) continue
    const cross = instanceOf(right.client) !== instanceOf(right.service)
    const path = s('path', {
      class: ['right', cross && 'cross', !selected && 'faint'],
      d: rightPath(from, to),
      'marker-end': 'url(#arrow)',
    })
    path.append(s('title', {}, `${right.client} → ${right.service}\n${endpointsText(right)}`))
    layer.rights.append(path)
    from.node.classList.add('related')
    to.node.classList.add('related')
  }
  if (selected) anchors.get(selected.key)?.node.classList.add('selected')
  renderDetails()
}

const endpointsText = (right) =>
  right.endpoints?.length
    ? right.endpoints.map((e) => `${e.method} ${e.path}`).join(', ')
    : t('dashboard.map.wholeService')

const select = (key, kind) => {
  selected = selected?.key === key ? undefined : { key, kind }
  drawRights()
}

// ---- details below the map ---------------------------------------------------------------------

const findService = (key) => {
  for (const inst of store.federation.instances)
    for (const m of inst.members)
      for (const sub of m.subsystems)
        for (const svc of sub.services) if (svc.key === key) return { inst, member: m, sub, svc }
  return undefined
}

const findSubsystem = (key) => {
  for (const inst of store.federation.instances)
    for (const m of inst.members)
      for (const sub of m.subsystems) if (sub.key === key) return { inst, member: m, sub }
  return undefined
}

const rightsList = (rights, side) =>
  rights.length
    ? h(
        'ul',
        { class: 'rights-list' },
        rights.map((r) =>
          h(
            'li',
            {},
            instanceBadge(instanceOf(side === 'service' ? r.service : r.client)),
            ' ',
            h('code', { text: side === 'service' ? r.service : r.client }),
            h('span', { class: 'endpoints', text: ` · ${endpointsText(r)}` }),
          ),
        ),
      )
    : h('p', { class: 'muted', i18n: 'dashboard.map.none' })

const renderDetails = () => {
  clear(details)
  if (!selected) {
    add(details, h('p', { class: 'muted', i18n: 'dashboard.map.selectHint' }))
    return
  }
  const rights = store.federation.accessRights
  const { key, kind } = selected
  if (kind === 'ss') {
    const code = key.slice(3)
    const inst = store.federation.instances.find((i) => i.code === code)
    add(
      details,
      h('h3', {}, instanceBadge(code), ' ', inst ? dataSpan(inst) : code),
      h(
        'p',
        {},
        label('dashboard.map.securityServer'),
        ': ',
        h('code', { text: inst?.securityServer ?? '' }),
        ' · ',
        protocolLabel(inst?.protocol),
      ),
      h(
        'p',
        {},
        label('dashboard.map.accepts'),
        ': ',
        (inst?.allowedFederations ?? []).join(', ') || '—',
      ),
    )
    return
  }
  if (kind === 'service') {
    const found = findService(key)
    if (!found) return
    const { sub, svc } = found
    add(
      details,
      h(
        'h3',
        {},
        instanceBadge(instanceOf(key)),
        ' ',
        svc.title ? dataSpan(svc, 'title') : svc.code,
      ),
      h(
        'p',
        {},
        h('code', { text: svc.key }),
        ' · ',
        label('dashboard.map.operations', { count: svc.operations }),
        ' · ',
        dataSpan(sub),
      ),
      h('h4', { i18n: 'dashboard.map.calledBy' }),
      rightsList(
        rights.filter((r) => r.service === key),
        'client',
      ),
      pluginForm(svc),
    )
    return
  }
  const found = findSubsystem(key)
  if (!found) return
  const { member, sub } = found
  add(
    details,
    h('h3', {}, instanceBadge(instanceOf(key)), ' ', sub.code, ' · ', dataSpan(sub)),
    h('p', {}, dataSpan(member), ' · ', h('code', { text: sub.key })),
    h('h4', { i18n: 'dashboard.map.mayCall' }),
    rightsList(
      rights.filter((r) => r.client === key),
      'service',
    ),
  )
  if (sub.services.length) {
    add(
      details,
      h('h4', { i18n: 'dashboard.map.calledBy' }),
      rightsList(
        rights.filter((r) => r.service.startsWith(`${key}/`)),
        'client',
      ),
    )
  }
}

/** A partner plugs its own implementation in place of the mock, then runs the scenarios. */
const pluginForm = (service) => {
  const input = h('input', {
    type: 'url',
    id: 'plugin-url',
    placeholder: 'http://127.0.0.1:8080',
    value: service.provider === 'mock' ? '' : service.provider,
    autocomplete: 'off',
  })
  const message = h('p', { class: 'plugin-message', role: 'status' })
  const submit = async (provider) => {
    try {
      const result = await sendJson(
        `/api/services/${encodeURIComponent(service.id)}/provider`,
        'PUT',
        { provider },
      )
      setLabel(
        message,
        result.provider === result.original
          ? ['dashboard.plugin.restored', {}]
          : ['dashboard.plugin.done', { url: result.provider }],
      )
    } catch (error) {
      message.textContent = error.message
    }
  }
  return h(
    'form',
    {
      class: 'plugin',
      onsubmit: (event) => {
        event.preventDefault()
        submit(input.value)
      },
    },
    h('h4', { i18n: 'dashboard.plugin.title' }),
    h(
      'p',
      { class: 'muted' },
      label('dashboard.plugin.now'),
      ' ',
      h('code', { text: service.provider }),
    ),
    h('label', { for: 'plugin-url', i18n: 'dashboard.plugin.url' }),
    h(
      'div',
      { class: 'row' },
      input,
      h('button', { type: 'submit', i18n: 'dashboard.plugin.submit' }),
      h('button', {
        type: 'button',
        class: 'secondary',
        i18n: 'dashboard.plugin.mock',
        onclick: () => submit('mock'),
      }),
    ),
    message,
  )
}

// ---- live exchanges ----------------------------------------------------------------------------

const MAX_PULSES = 14

/** A service's anchor: the service itself, else its subsystem (a metaservice or an unknown code). */
const serviceAnchor = (key) =>
  key && (anchors.get(key) ?? anchors.get(key.split('/').slice(0, 4).join('/')))

/**
 * The way a message travels through the security servers: caller, its security server, the
 * provider's security server unless the caller's refused it, and the service unless one refused.
 */
const routeOf = (client, clientInst, service, serviceInst, refusedAt) => {
  const from = anchors.get(client) ?? anchors.get(`ss:${clientInst}`)
  const ssA = anchors.get(`ss:${clientInst}`)
  if (!from || !ssA) return undefined
  const ssB = serviceInst ? anchors.get(`ss:${serviceInst}`) : undefined
  const target = serviceAnchor(service)
  const points = [from, ssA]
  if (ssB && ssB !== ssA && refusedAt !== clientInst) points.push(ssB)
  if (!refusedAt && target) points.push(target)
  return { points, from, ssA, ssB, target }
}

const pathThrough = (points) => points.map((p, i) => `${i ? 'L' : 'M'}${p.x} ${p.y}`).join(' ')

const pulse = (summary) => {
  if (summary.roles.includes('provider') && !summary.roles.includes('consumer')) {
    if (summary.requestId) pendingProvider.set(summary.requestId, summary)
    setTimeout(() => pendingProvider.delete(summary.requestId), 10_000)
    return
  }
  if (!layer.pulses || layer.pulses.childElementCount > MAX_PULSES * 2) return
  const provider = summary.requestId ? pendingProvider.get(summary.requestId) : undefined
  const clientInst = summary.clientInstance ?? summary.instance
  const serviceInst = summary.serviceInstance
  // The provider's record comes first; if it carries the fault, the provider's server refused.
  const refusedAt = provider?.error ? serviceInst : summary.error ? clientInst : undefined
  const route = routeOf(summary.client, clientInst, summary.service, serviceInst, refusedAt)
  if (!route) return
  const d = pathThrough(route.points)
  const color =
    summary.outcome === 'ok' ? 'ok' : summary.outcome === 'refused' ? 'refused' : 'failed'
  const trail = s('path', { class: ['trail', color], d })
  const dot = s('circle', { class: ['pulse', color], r: 11 })
  dot.append(s('animateMotion', { dur: '1.1s', path: d, fill: 'freeze', rotate: 'auto' }))
  layer.pulses.append(trail, dot)
  if (summary.crossBorder) trail.classList.add('cross')
  setTimeout(() => {
    trail.remove()
    dot.remove()
  }, 1600)
  if (refusedAt) {
    const at = anchors.get(`ss:${refusedAt}`)
    if (at) {
      const mark = s(
        'g',
        { class: 'refusal' },
        s('rect', { x: at.x - 190, y: at.top + 56, width: 380, height: 34, rx: 10 }),
        textEl(at.x, at.top + 79, `✗ ${fit(summary.error ?? String(summary.status), 15, 350)}`, {
          'text-anchor': 'middle',
        }),
      )
      layer.pulses.append(mark)
      setTimeout(() => mark.remove(), 2600)
    }
  }
}

export const initMap = (panel) => {
  root = panel
  const toggle = h('button', {
    type: 'button',
    class: 'secondary',
    'aria-pressed': 'false',
    i18n: 'dashboard.map.showAll',
  })
  toggle.addEventListener('click', () => {
    showAll = !showAll
    toggle.setAttribute('aria-pressed', String(showAll))
    drawRights()
  })
  svg = s('svg', {
    class: 'map',
    role: 'group',
    'aria-labelledby': 'map-heading',
    preserveAspectRatio: 'xMidYMin meet',
  })
  svg.addEventListener('click', () => {
    if (selected) select(selected.key)
  })
  svg.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && selected) select(selected.key)
  })
  details = h('div', { class: 'map-details', 'aria-live': 'polite' })
  root.append(
    h(
      'ol',
      { class: 'hints' },
      h('li', { i18n: 'dashboard.hint.map' }),
      h('li', { i18n: 'dashboard.hint.run' }),
      h('li', { i18n: 'dashboard.hint.try' }),
    ),
    h(
      'div',
      { class: 'map-bar' },
      h('h2', { id: 'map-heading', i18n: 'dashboard.map.title' }),
      toggle,
    ),
    h(
      'div',
      { class: 'map-frame' },
      h(
        'div',
        { class: 'legend' },
        h('span', { class: 'lg mutual', i18n: 'dashboard.legend.federated' }),
        h('span', { class: 'lg one-sided', i18n: 'dashboard.legend.oneSided' }),
        h('span', { class: 'lg right', i18n: 'dashboard.legend.right' }),
        h('span', { class: 'lg pulse-ok', i18n: 'dashboard.legend.ok' }),
        h('span', { class: 'lg pulse-refused', i18n: 'dashboard.legend.refused' }),
      ),
      svg,
    ),
    details,
  )
  render()
  on('exchange', pulse)
  on('federation-changed', () => render())
  // Node names for screen readers and the label boxes depend on the language: draw again.
  onLanguage(() => render())
}

// ---- presenter mode ----------------------------------------------------------------------------

/** The instance a subsystem or service key belongs to: its first segment. */
const instanceOfKey = (key) => (typeof key === 'string' ? key.split('/')[0] : undefined)

/** Where the border between two instances' panels runs: the gap beside the caller's panel. */
const borderX = (from, to) => {
  const a = anchors.get(`panel:${from}`)
  const b = anchors.get(`panel:${to}`)
  if (!a || !b) return undefined
  return a.left < b.left ? (a.right + b.left) / 2 : (b.right + a.left) / 2
}

/** The presenter's message: a trail and a dot moving along it at the presenter's pace. */
const presentTravel = (points, outcome, durationMs, extra) => {
  const d = pathThrough(points)
  const dot = s('circle', { class: ['pulse', 'presented', outcome], r: 14 })
  dot.append(
    s('animateMotion', {
      dur: `${Math.max(0.2, (durationMs * 0.7) / 1000)}s`,
      path: d,
      fill: 'freeze',
    }),
  )
  layer.presenter.append(s('path', { class: ['trail', 'presented', extra, outcome], d }), dot)
}

/**
 * A call straight to a service reached over HTTPS (Diia's acquirer API): from the caller, if the
 * step names one, to the service, past no security server.
 */
const showDirectStep = (step, durationMs) => {
  const target = step.service && anchors.get(step.service)
  if (!target) return
  const from = step.client ? anchors.get(step.client) : undefined
  const points = from ? [from, target] : [target, target]
  for (const anchor of points) anchor.node?.classList.add('lit')
  presentTravel(points, step.state === 'pass' ? 'ok' : 'failed', durationMs, 'direct')
}

/**
 * Plays one finished step of a run on the map, slowly enough to follow: the caller, its security
 * server, the border when the step crosses one, the provider's security server and the service
 * light up in turn while the message travels, and a refusal shows where it happened.
 */
export const showStep = (step, durationMs) => {
  if (!layer.presenter) return
  clear(layer.presenter)
  for (const node of svg.querySelectorAll('.lit')) node.classList.remove('lit')
  const clientInst = instanceOfKey(step.client)
  const serviceInst = instanceOfKey(step.service)
  if (step.direct) return showDirectStep(step, durationMs)
  const refusedAt = step.refusedAt
  const route = routeOf(step.client, clientInst, step.service, serviceInst, refusedAt)
  if (!route) return
  const { points, from, ssA, ssB, target } = route
  const lit = [from, ssA, ...(points.includes(ssB) ? [ssB] : []), ...(refusedAt ? [] : [target])]
  for (const anchor of lit) anchor?.node?.classList.add('lit')
  if (step.crossBorder && serviceInst) {
    const x = borderX(clientInst, serviceInst)
    const panel = anchors.get(`panel:${clientInst}`)
    if (x !== undefined && panel) {
      layer.presenter.append(
        s('line', { class: 'border-lit', x1: x, x2: x, y1: panel.top - 10, y2: panel.bottom }),
        textEl(x, panel.top - 16, t('dashboard.presenter.border'), {
          class: 'border-label',
          'text-anchor': 'middle',
        }),
      )
    }
  }
  const outcome = step.error ? 'refused' : step.state === 'pass' ? 'ok' : 'failed'
  presentTravel(points, outcome, durationMs)
  if (refusedAt) {
    const at = anchors.get(`ss:${refusedAt}`)
    if (at) {
      layer.presenter.append(
        s(
          'g',
          { class: 'refusal' },
          s('rect', { x: at.x - 190, y: at.top + 56, width: 380, height: 34, rx: 10 }),
          textEl(at.x, at.top + 79, `✗ ${fit(step.error ?? String(step.status), 15, 350)}`, {
            'text-anchor': 'middle',
          }),
        ),
      )
    }
  }
}

/** Clears what the presenter drew. */
export const clearPresented = () => {
  if (layer.presenter) clear(layer.presenter)
  for (const node of svg?.querySelectorAll('.lit') ?? []) node.classList.remove('lit')
}
