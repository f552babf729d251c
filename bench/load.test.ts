import { expect, test } from 'vitest'
import { alternate, median, roundRatio, runLoad, type Rate } from './load.ts'

const rate = (perSecond: number): Rate => ({ requests: perSecond, ms: 1000, perSecond })

test('sends exactly the fixed number of requests with the given concurrency', async () => {
  let inFlight = 0
  let most = 0
  let calls = 0
  const result = await runLoad(
    async () => {
      calls++
      most = Math.max(most, ++inFlight)
      await new Promise((resolve) => setImmediate(resolve))
      inFlight--
      return 200
    },
    { requests: 50, concurrency: 8 },
  )
  expect(calls).toBe(50)
  expect(most).toBe(8)
  expect(result.requests).toBe(50)
})

test('rejects a run in which a call answers an unexpected status', async () => {
  let n = 0
  await expect(runLoad(async () => (++n === 3 ? 500 : 200), { requests: 5 })).rejects.toThrow(
    'benchmark call answered 500, expected 200',
  )
})

test('rotates which side goes first in each round', async () => {
  const order: string[] = []
  const side = (name: string) => async () => {
    order.push(name)
    return rate(1)
  }
  const rounds = await alternate({ a: side('a'), b: side('b'), c: side('c') }, 3)
  expect(order).toEqual(['a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b'])
  expect(rounds.a).toHaveLength(3)
})

test('takes the median of per-round ratios, so one disturbed round does not move it', () => {
  const a = [rate(100), rate(100), rate(10)]
  const b = [rate(200), rate(200), rate(200)]
  expect(roundRatio(a, b)).toBe(0.5)
  expect(median([3, 1, 2, 4])).toBe(2.5)
})
