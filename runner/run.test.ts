import { setTimeout as sleep } from 'node:timers/promises'
import { expect, test } from 'vitest'
import type { Federation } from '../specs/federation/index.ts'
import { runScenarios, runScenarioStream } from './run.ts'
import type { Scenario } from './scenario/types.ts'
import type { Environment, Session } from './transport.ts'
import type { ScenarioResult } from './types.ts'

// Scenarios without workflows: what is tested here is how results travel, not what they say.
const scenario = (id: string): Scenario =>
  ({ file: `/s/${id}.arazzo.yaml`, title: id, digest: id, workflows: [] }) as unknown as Scenario

/** Sessions whose k-th reset waits `delays[k]` ms, so that scenarios finish out of order. */
const environment = (delays: number[] = []): Environment => {
  let resets = 0
  const session = (): Session => ({
    transport: {} as Session['transport'],
    reset: () => sleep(delays[resets++] ?? 0).then(() => undefined),
  })
  return {
    mode: 'inproc',
    openSession: async () => session(),
    closeSession: async () => {},
    protocolOf: () => undefined,
  }
}

const options = (ids: string[], env: Environment, concurrency = 1) => ({
  scenarios: ids.map(scenario),
  federation: {} as Federation,
  env,
  concurrency,
  version: '0.0.0',
  specsDigest: 'digest',
})

test('hands each result on as soon as it is done, before the next scenario starts', async () => {
  const events: string[] = []
  await runScenarioStream({
    ...options(['a', 'b', 'c'], environment()),
    listener: {
      onScenarioStart: (s) => void events.push(`start ${s.id}`),
      onRunEnd: () => void events.push('end'),
    },
    onResult: (r) => void events.push(`result ${r.id}`),
  })
  expect(events).toEqual([
    'start a',
    'result a',
    'start b',
    'result b',
    'start c',
    'result c',
    'end',
  ])
})

test('hands results on in run order when concurrent scenarios finish out of order', async () => {
  const finished: string[] = []
  const handed: string[] = []
  const outline = await runScenarioStream({
    ...options(['a', 'b', 'c', 'd', 'e'], environment([40, 5, 5, 30, 0]), 3),
    listener: { onScenarioEnd: (s) => void finished.push(s.id) },
    onResult: async (r) => {
      await sleep(1)
      handed.push(r.id)
    },
  })
  expect(finished).not.toEqual(['a', 'b', 'c', 'd', 'e'])
  expect(handed).toEqual(['a', 'b', 'c', 'd', 'e'])
  expect(outline.scenarios.map((s) => s.id)).toEqual(handed)
  expect(outline.complete).toBe(true)
  expect(outline.summary.scenarios.pass).toBe(5)
})

test('ends a streamed run with the whole report but its scenarios, which are outlined', async () => {
  const results: ScenarioResult[] = []
  const streamed = await runScenarioStream({
    ...options(['b', 'a'], environment()),
    onResult: (r) => void results.push(r),
  })
  const whole = await runScenarios(options(['b', 'a'], environment()))
  const { scenarios: outlines, ...rest } = streamed
  const { scenarios, ...wholeRest } = whole
  expect({ ...rest, startedAt: '', durationMs: 0 }).toEqual({
    ...wholeRest,
    startedAt: '',
    durationMs: 0,
  })
  expect(Object.keys(streamed)).toEqual(Object.keys(whole))
  expect(scenarios.map((s) => ({ ...s, durationMs: 0 }))).toEqual(
    results.map((s) => ({ ...s, durationMs: 0 })),
  )
  expect(outlines.map((s) => s.id)).toEqual(['a', 'b'])
})

test('says an interrupted streamed run is incomplete and hands on only what ran', async () => {
  let interrupt = () => {}
  const interrupted = new Promise<void>((resolve) => (interrupt = resolve))
  const handed: string[] = []
  const outline = await runScenarioStream({
    ...options(['a', 'b', 'c'], environment()),
    interrupted,
    onResult: async (r) => {
      handed.push(r.id)
      interrupt()
      await sleep(0)
    },
  })
  expect(handed).toEqual(['a'])
  expect(outline.complete).toBe(false)
  expect(outline.scenarios.map((s) => s.id)).toEqual(['a'])
})

test('takes the scenarios of a streamed run, so none is held past its turn, and lends them to a whole run', async () => {
  const streamed = ['b', 'a'].map(scenario)
  const handed: string[] = []
  await runScenarioStream({
    ...options([], environment()),
    scenarios: streamed,
    onResult: (r) => void handed.push(r.id),
  })
  expect(streamed).toEqual([])
  expect(handed).toEqual(['a', 'b'])
  const lent = ['b', 'a'].map(scenario)
  await runScenarios({ ...options([], environment()), scenarios: lent })
  expect(lent.map((s) => s.title)).toEqual(['b', 'a'])
})
