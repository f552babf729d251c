// Shared state of the page: the federation, and who listens to the event stream.

import { dataText, h, instanceOf } from './dom.js'

const PALETTE = ['#1f6fd1', '#e0a400', '#7a55c7', '#138a72', '#c2410c', '#be185d']
const BY_COUNTRY = { EE: '#1f6fd1', UA: '#e0a400', FI: '#7a55c7' }

export const store = {
  federation: undefined,
  meta: undefined,
  scenarios: undefined,
}

const listeners = new Map()

/** Subscribes to a server-sent event kind (`exchange`, `run`, `federation`). */
export const on = (event, fn) => {
  if (!listeners.has(event)) listeners.set(event, new Set())
  listeners.get(event).add(fn)
}

export const emit = (event, data) => {
  for (const fn of listeners.get(event) ?? []) fn(data)
}

export const instanceInfo = (code) => {
  const instances = store.federation?.instances ?? []
  const index = instances.findIndex((i) => i.code.toLowerCase() === String(code).toLowerCase())
  const instance = instances[index]
  const country = instance?.country
  return {
    code: instance?.code ?? code,
    name: (instance && dataText(instance)) ?? code,
    country,
    protocol: instance?.protocol,
    color: BY_COUNTRY[country] ?? PALETTE[(index < 0 ? instances.length : index) % PALETTE.length],
    dark: country === 'UA',
  }
}

/** A small coloured tag naming an instance by its country (or code). */
export const instanceBadge = (code) => {
  if (!code) return h('span', { class: 'badge unknown', text: '?' })
  const info = instanceInfo(code)
  const badge = h('span', {
    class: ['badge', info.dark && 'dark'],
    title: `${info.name} (${info.code})`,
    text: info.country ?? info.code,
  })
  badge.style.setProperty('--accent', info.color)
  return badge
}

/** `[EE] eesti-ee`: an instance badge and the short key. */
export const partyLabel = (key, short) =>
  h(
    'span',
    { class: 'party', title: key ?? '' },
    instanceBadge(instanceOf(key)),
    ' ',
    h('span', { class: 'key', text: short ?? key ?? '—' }),
  )

export const subsystemName = (key) => {
  for (const instance of store.federation?.instances ?? [])
    for (const member of instance.members)
      for (const subsystem of member.subsystems)
        if (subsystem.key === key) return { member, subsystem }
  return undefined
}
