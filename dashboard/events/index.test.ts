import { expect, test } from 'vitest'
import { createEventHub, formatEvent } from './index.ts'

const reader = (response: Response) => {
  const stream = response.body?.getReader()
  if (!stream) throw new Error('no body')
  const decoder = new TextDecoder()
  let text = ''
  return {
    async until(fragment: string): Promise<string> {
      while (!text.includes(fragment)) {
        const { done, value } = await stream.read()
        if (done) break
        text += decoder.decode(value)
      }
      return text
    },
    cancel: () => stream.cancel(),
  }
}

test('writes an event as its name, id and one data line of JSON', () => {
  expect(formatEvent({ event: 'exchange', id: '7', data: { path: '/a\nb' } })).toBe(
    'event: exchange\nid: 7\ndata: {"path":"/a\\nb"}\n\n',
  )
})

test('streams the backlog first, then what is published later', async () => {
  const hub = createEventHub()
  const response = hub.stream(() => [{ event: 'exchange', id: '1', data: { seq: 1 } }])
  expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
  hub.publish({ event: 'run', data: { type: 'start' } })
  const text = await reader(response).until('"start"')
  expect(text.indexOf('"seq":1')).toBeLessThan(text.indexOf('"start"'))
  hub.close()
})

test('forgets a page that went away', async () => {
  const hub = createEventHub()
  const page = reader(hub.stream())
  expect(hub.size).toBe(1)
  await page.cancel()
  expect(hub.size).toBe(0)
  hub.close()
})
