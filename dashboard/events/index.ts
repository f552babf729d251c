/** One server-sent event: `event` names its kind, `id` lets a reconnecting page resume. */
export type ServerEvent = { event: string; data: unknown; id?: string }

/** Fans events out to every open page over server-sent events. */
export type EventHub = {
  publish(event: ServerEvent): void
  /**
   * A `text/event-stream` response that starts with `backlog()` and then carries every event
   * published later. The backlog is taken in the same tick as the subscription, so none is lost.
   */
  stream(backlog?: () => ServerEvent[]): Response
  /** How many pages listen now. */
  readonly size: number
  /** Ends every stream. */
  close(): void
}

const encoder = new TextEncoder()

/** How many unread bytes a page may fall behind before its stream is dropped. */
export const MAX_BEHIND_BYTES = 1024 * 1024

/** One event in the wire format: a `data:` line per line of JSON (JSON has none, but be safe). */
export const formatEvent = ({ event, data, id }: ServerEvent): string => {
  const lines = [`event: ${event}`]
  if (id !== undefined) lines.push(`id: ${id.replace(/[\r\n]/g, '')}`)
  for (const line of JSON.stringify(data).split('\n')) lines.push(`data: ${line}`)
  return `${lines.join('\n')}\n\n`
}

/**
 * @example const hub = createEventHub(); app.get('/api/events', () => hub.stream())
 */
export const createEventHub = ({
  keepAliveMs = 15_000,
  maxBehindBytes = MAX_BEHIND_BYTES,
} = {}): EventHub => {
  const clients = new Set<ReadableStreamDefaultController<Uint8Array>>()
  const send = (controller: ReadableStreamDefaultController<Uint8Array>, text: string) => {
    try {
      // A page that stops reading would make the queue grow without end: past the limit it is
      // dropped, with what it had not read, and its EventSource reconnects with Last-Event-ID.
      if ((controller.desiredSize ?? 0) < -maxBehindBytes) {
        clients.delete(controller)
        controller.error(new Error('event stream reader fell behind'))
        return
      }
      controller.enqueue(encoder.encode(text))
    } catch {
      clients.delete(controller)
    }
  }
  // A comment line now and then keeps proxies and idle timeouts from closing a quiet stream.
  const timer = setInterval(() => {
    for (const client of clients) send(client, ': keep-alive\n\n')
  }, keepAliveMs)
  timer.unref()
  return {
    publish(event) {
      if (clients.size === 0) return
      const text = formatEvent(event)
      for (const client of clients) send(client, text)
    },
    stream(backlog = () => []) {
      let self: ReadableStreamDefaultController<Uint8Array> | undefined
      const body = new ReadableStream<Uint8Array>(
        {
          start(controller) {
            self = controller
            send(controller, 'retry: 2000\n\n')
            for (const event of backlog()) send(controller, formatEvent(event))
            clients.add(controller)
          },
          cancel() {
            if (self) clients.delete(self)
          },
        },
        { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
      )
      return new Response(body, {
        headers: {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          'x-accel-buffering': 'no',
        },
      })
    },
    get size() {
      return clients.size
    },
    close() {
      clearInterval(timer)
      for (const client of clients) {
        try {
          client.close()
        } catch {
          // already closed by the page
        }
      }
      clients.clear()
    },
  }
}
