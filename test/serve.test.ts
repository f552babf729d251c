import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { request } from 'undici'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { verifyLog } from '../mocks/message-log/index.ts'
import { loadFederation } from '../specs/federation/index.ts'
import { formats } from '../specs/formats/index.ts'
import { loadSpec, type SpecModel } from '../specs/openapi/index.ts'
import { mediaType, specValidator } from '../specs/openapi/validator.ts'
import { startServe, type ServeProcess } from './helpers/serve-process.ts'

const PORTAL = 'ee-test/GOV/70006317/eesti-ee'
const POPULATION = 'ee-test/GOV/70008440/rr/population'
const MARI_TAMM = '48001013546'
// Valid check digits, but nobody in the population register holds this code.
const UNKNOWN = '38001085718'
const WRONG_CHECK_DIGIT = '48001013545'

let dir: string
let spec: SpecModel
// Two processes started side by side: one is stopped with SIGTERM, the other with SIGINT.
let first: ServeProcess
let second: ServeProcess
/** Calls made through the first process's security servers: each leaves one log record. */
let exchanges = 0

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sild-serve-'))
  spec = await loadSpec(
    fileURLToPath(new URL('../specs/ee/population-register.yaml', import.meta.url)),
  )
  ;[first, second] = await Promise.all([
    startServe(await mkdtemp(join(dir, 'term-'))),
    startServe(await mkdtemp(join(dir, 'int-'))),
  ])
  console.log(`sild serve was ready after ${Math.round(first.startMs)} ms`)
})

afterAll(async () => {
  for (const server of [first, second]) {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL')
  }
  if (dir) await rm(dir, { recursive: true, force: true })
})

type Got = { status: number; contentType: string | null; body: unknown }

const get = async (url: string, headers: Record<string, string> = {}): Promise<Got> => {
  const res = await request(url, { headers: { accept: 'application/json', ...headers } })
  const text = await res.body.text()
  const contentType = [res.headers['content-type']].flat()[0] ?? null
  return {
    status: res.statusCode,
    contentType,
    body: mediaType(contentType)?.endsWith('json') ? JSON.parse(text) : text,
  }
}

/** The status and the spec's verdict on the body, so a failure shows both. */
const checkedAgainstSpec = (got: Got) => {
  const operation = spec.operation('getPerson')
  if (!operation) throw new Error('the population register spec has no getPerson')
  const diagnostics = specValidator(spec).validateResponse(operation, {
    status: got.status,
    headers: new Headers(got.contentType ? { 'content-type': got.contentType } : {}),
    body: got.body,
    contentType: got.contentType,
  })
  return { status: got.status, diagnostics }
}

test('writes a ready file with the URL of every mocked service and every security server', () => {
  const mocked = loadFederation()
    .services.filter((s) => s.provider === 'mock')
    .map((s) => s.id)
  expect(Object.keys(first.ready.services).sort()).toEqual([...mocked].sort())
  expect(Object.keys(first.ready.securityServers).sort()).toEqual(
    ['FI-TEST', 'SEVDEIR-TEST', 'ee-test'].sort(),
  )
  for (const url of [
    ...Object.values(first.ready.services),
    ...Object.values(first.ready.securityServers),
  ]) {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  }
})

test('answers 200, 404 and 400 with spec-valid bodies through the ee-test security server', async () => {
  const valid = (code: string) => formats['ee-personal-code'].validate(code).valid
  expect([MARI_TAMM, UNKNOWN, WRONG_CHECK_DIGIT].map(valid)).toEqual([true, true, false])
  const ss = first.ready.securityServers['ee-test']
  const person = (code: string) => {
    exchanges += 1
    return get(`${ss}/r1/${POPULATION}/persons/${code}`, { 'X-Road-Client': PORTAL })
  }
  const found = await person(MARI_TAMM)
  const unknown = await person(UNKNOWN)
  const malformed = await person(WRONG_CHECK_DIGIT)

  expect(checkedAgainstSpec(found)).toEqual({ status: 200, diagnostics: [] })
  expect(checkedAgainstSpec(unknown)).toEqual({ status: 404, diagnostics: [] })
  expect(checkedAgainstSpec(malformed)).toEqual({ status: 400, diagnostics: [] })
  expect(found.body).toMatchObject({
    personalCode: MARI_TAMM,
    givenName: 'Mari',
    familyName: 'Tamm',
  })
  expect(malformed.body).toMatchObject({ type: 'urn:sild:problem:invalid-identifier' })
})

test('answers 200, 404 and 400 with spec-valid bodies from the population register mock directly', async () => {
  const mock = first.ready.services['ee-population-register']
  const person = (code: string) => get(`${mock}/persons/${code}`)
  const found = await person(MARI_TAMM)
  const unknown = await person(UNKNOWN)
  const malformed = await person(WRONG_CHECK_DIGIT)

  expect(checkedAgainstSpec(found)).toEqual({ status: 200, diagnostics: [] })
  expect(checkedAgainstSpec(unknown)).toEqual({ status: 404, diagnostics: [] })
  expect(checkedAgainstSpec(malformed)).toEqual({ status: 400, diagnostics: [] })
  expect(found.body).toMatchObject({ personalCode: MARI_TAMM, birthDate: '1980-01-01' })
  expect(malformed.body).toMatchObject({ type: 'urn:sild:problem:invalid-identifier' })
})

test('exits 0 on SIGTERM, removes its ready file and leaves a verifiable message log', async () => {
  expect(existsSync(first.readyFile)).toBe(true)
  expect({ exitCode: await first.stop('SIGTERM'), output: first.output() }).toMatchObject({
    exitCode: 0,
  })
  expect(existsSync(first.readyFile)).toBe(false)
  expect(await verifyLog(first.ready.log as string)).toMatchObject({ ok: true, records: exchanges })
})

test('exits 0 on SIGINT and removes its ready file', async () => {
  expect(existsSync(second.readyFile)).toBe(true)
  expect({ exitCode: await second.stop('SIGINT'), output: second.output() }).toMatchObject({
    exitCode: 0,
  })
  expect(existsSync(second.readyFile)).toBe(false)
})
