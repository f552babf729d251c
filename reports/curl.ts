/** A `curl` command that sends the same request. */
export const toCurl = (request: {
  method: string
  url: string
  headers: Record<string, string>
  body?: string
}): string => {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`
  const parts = ['curl', '-sS', '-i']
  if (request.method !== 'GET') parts.push('-X', request.method)
  parts.push(q(request.url))
  for (const [name, value] of Object.entries(request.headers)) {
    if (name === 'accept' && value === 'application/json') continue
    parts.push('-H', q(`${name}: ${value}`))
  }
  if (request.body !== undefined) parts.push('--data-raw', q(request.body))
  return parts.join(' ')
}
