import { request } from 'node:http'

export type RawAnswer = { status: number; headers: Record<string, unknown>; text: string }

/**
 * One HTTP request with every header as given, `Host` included (fetch would not let a test forge
 * it) and the request target sent byte for byte.
 */
export const rawRequest = (
  base: string,
  target: string,
  {
    method = 'GET',
    headers = {},
    body,
  }: {
    method?: string
    headers?: Record<string, string>
    body?: string | Buffer
  } = {},
): Promise<RawAnswer> =>
  new Promise((resolve, reject) => {
    const url = new URL(base)
    const req = request(
      {
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port,
        method,
        path: target,
        headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        )
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
