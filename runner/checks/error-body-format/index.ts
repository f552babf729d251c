import { isJsonMediaType, mediaType } from '../../../specs/openapi/validator.ts'
import {
  ERROR_CONTENT_TYPE,
  errorMediaType,
  type XroadFault,
} from '../../../specs/protocol/index.ts'
import { headerOf, quote } from '../internal/exchange.ts'
import { missingFaultHeader } from '../internal/faults.ts'
import { onFault } from '../preconditions/index.ts'

const JSON_TYPE = 'application/json'
const XML_TYPES: ReadonlySet<string> = new Set(
  Object.keys(ERROR_CONTENT_TYPE).filter((type) => type !== JSON_TYPE),
)

/**
 * A security-server fault is X-Road's error message (PR-REST §4.6): `{type, message, detail}` as
 * JSON, or `<error><type/><message/><detail/></error>` when the request's Accept asked for XML;
 * `type` repeats the error header, `detail` locates the fault in the security server's log, and the
 * Content-Type names a charset. Bare `application/json` is accepted: X-Road 7.6.3 sends exactly
 * that for JSON errors (see ERROR_CONTENT_TYPE).
 */
export const errorBodyFormat = onFault({
  scope: 'exchange',
  name: 'errorBodyFormat',
  title: 'Security-server error format',
  level: 1,
  severity: 'high',
  mandatory: true,
  appliedBy:
    'every security-server fault, e.g. a step calling from a client without an access right',
  applies: () => true,
  run: (ctx) => {
    const { exchange, fault } = ctx
    if (!exchange.response) return undefined
    if (!fault) return missingFaultHeader(ctx)
    const wanted = errorMediaType(headerOf(exchange.request.headers, 'accept'))
    const xml = wanted !== JSON_TYPE
    const problems: string[] = []
    const contentType = headerOf(exchange.response.headers, 'content-type')
    const type = mediaType(contentType)
    const asked = xml ? 'the request accepts XML' : 'the request does not ask for XML'
    if (contentType === undefined || type === undefined) {
      problems.push(
        `the fault has no Content-Type; expected ${ERROR_CONTENT_TYPE[wanted]} (${asked})`,
      )
    } else if (xml ? !XML_TYPES.has(type) : type !== JSON_TYPE) {
      problems.push(
        `Content-Type is ${quote(contentType)}; expected ${ERROR_CONTENT_TYPE[wanted]} (${asked})`,
      )
    } else if (type !== JSON_TYPE && !/;\s*charset=/i.test(contentType)) {
      problems.push(
        `Content-Type ${quote(contentType)} names no charset; PR-REST requires one on security-server messages (expected ${ERROR_CONTENT_TYPE[wanted]})`,
      )
    }
    const body = xml
      ? readXml(exchange.response.body)
      : readJson(
          exchange.response.body,
          type !== undefined && isJsonMediaType(type) ? type : undefined,
        )
    const form = xml
      ? 'an <error> XML document with <type>, <message> and <detail>'
      : 'a JSON object {type, message, detail}'
    if (typeof body === 'string') {
      problems.push(body.startsWith(NOT_JSON) ? body : `the fault body is not ${form}: ${body}`)
      return problems
    }
    if (body.type !== fault.code) {
      problems.push(
        `the fault body's type is ${quote(body.type)}; expected ${quote(fault.code)} as in the ${fault.header} header`,
      )
    }
    if (body.detail.trim() === '') {
      problems.push(
        `the fault body's detail is empty; expected the id that locates the fault in the security server's log`,
      )
    }
    return problems
  },
})

/** The fault's fields, or what is wrong with the body. */
type Read = XroadFault | string

const NOT_JSON = 'the fault body is not JSON although'

/**
 * The fault's fields from its JSON, parsed here when it came as text: under a text type too, so a
 * fault with the wrong Content-Type is still held to the error shape.
 */
const readJson = (raw: unknown, jsonType: string | undefined): Read => {
  let body = raw
  if (typeof raw === 'string') {
    try {
      body = JSON.parse(raw)
    } catch {
      return jsonType
        ? `${NOT_JSON} content-type is ${jsonType}: ${quote(raw, 64)}`
        : `${quote(raw)} is not JSON`
    }
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return `found ${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body}`
  }
  const fields = body as Record<string, unknown>
  const wrong = (['type', 'message', 'detail'] as const).filter(
    (k) => typeof fields[k] !== 'string',
  )
  if (wrong.length > 0) {
    return `${wrong.map((k) => (k in fields ? `${k} is not a string` : `${k} is missing`)).join(', ')}`
  }
  return fields as XroadFault
}

const readXml = (raw: unknown): Read => {
  if (typeof raw !== 'string')
    return `found ${raw === undefined ? 'no body' : 'a parsed JSON value'}`
  const error = /<error>([\s\S]*)<\/error>/.exec(raw)?.[1]
  if (error === undefined) return `${quote(raw)} has no <error> element`
  const field = (name: string): string | undefined => {
    if (new RegExp(`<${name}\\s*/>`).test(error)) return ''
    const text = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(error)?.[1]
    return text === undefined ? undefined : decodeXmlText(text)
  }
  const type = field('type')
  const message = field('message')
  const detail = field('detail')
  if (type === undefined || message === undefined || detail === undefined) {
    const missing = [
      type === undefined && '<type>',
      message === undefined && '<message>',
      detail === undefined && '<detail>',
    ].filter(Boolean)
    return `<error> has no ${missing.join(', ')}`
  }
  return { type, message, detail }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

const decodeXmlText = (text: string): string =>
  text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X'
          ? parseInt(name.slice(2), 16)
          : parseInt(name.slice(1), 10)
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : entity
    }
    return ENTITIES[name] ?? entity
  })
