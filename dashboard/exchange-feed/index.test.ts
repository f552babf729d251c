import { expect, test } from 'vitest'
import { createMessageLog, type ExchangeLogEntry } from '../../mocks/message-log/index.ts'
import { loadFederation } from '../../specs/federation/index.ts'
import { exchangeDetail, summarizeRecord } from './index.ts'

const federation = loadFederation()
const CLIENT = 'ee-test/GOV/70008747/e-residency'
const EDDR = 'SEVDEIR-TEST/GOV/37508470/EDDR/DemographicRegister_v1'
const clock = () => new Date('2026-01-02T03:04:05.000Z')

const crossBorder = (instance: string, roles: string[], extra: Partial<ExchangeLogEntry> = {}) => ({
  kind: 'exchange' as const,
  securityServer: `${instance}/GOV/1/ss1`,
  instance,
  roles,
  requestId: 'req-1',
  messageId: 'msg-1',
  client: CLIENT,
  service: EDDR,
  method: 'GET',
  path: '/persons/19900314-00234',
  status: 200,
  durationMs: 3.5,
  ...extra,
})

test('summarizes a cross-border record with both instances and the service id', async () => {
  const log = await createMessageLog({ now: clock })
  const record = log.append(crossBorder('SEVDEIR-TEST', ['provider']))
  expect(summarizeRecord(record, federation)).toMatchObject({
    seq: 0,
    client: CLIENT,
    service: EDDR,
    serviceId: 'ua-demographic-register',
    clientInstance: 'ee-test',
    serviceInstance: 'SEVDEIR-TEST',
    crossBorder: true,
    outcome: 'ok',
    requestId: 'req-1',
  })
})

test('calls a record with a security-server fault refused, and a provider error failed', async () => {
  const log = await createMessageLog({ now: clock })
  const refused = log.append(
    crossBorder('ee-test', ['consumer'], {
      status: 500,
      error: 'Server.ServerProxy.AccessDenied',
      errorMessage: 'Request is not allowed',
    }),
  )
  const failed = log.append(crossBorder('ee-test', ['consumer'], { status: 404 }))
  expect(summarizeRecord(refused, federation)).toMatchObject({
    outcome: 'refused',
    error: 'Server.ServerProxy.AccessDenied',
  })
  expect(summarizeRecord(failed, federation).outcome).toBe('failed')
})

test('takes the client from the header of a message refused before it was parsed', async () => {
  const log = await createMessageLog({ now: clock })
  const record = log.append({
    kind: 'exchange',
    securityServer: 'ee-test/GOV/70006317/ss1',
    instance: 'ee-test',
    roles: ['consumer'],
    method: 'GET',
    path: '/r1/nonsense',
    requestHeaders: { 'x-road-client': 'ee-test/GOV/70006317/eesti%2Dee' },
    status: 400,
    error: 'Client.BadRequest',
  })
  const summary = summarizeRecord(record, federation)
  expect(summary.client).toBe('ee-test/GOV/70006317/eesti-ee')
  expect(summary.crossBorder).toBe(false)
})

test('details both records of an exchange and where the record sits in the chain', async () => {
  const log = await createMessageLog({ now: clock })
  log.append(crossBorder('ee-test', ['consumer'], { requestId: 'other' }))
  const provider = log.append(crossBorder('SEVDEIR-TEST', ['provider']))
  log.append(crossBorder('ee-test', ['consumer']))
  const detail = exchangeDetail(log, federation, provider.seq, 'log.jsonl')
  expect(detail?.records.map((r) => [r.seq, r.instance])).toEqual([
    [1, 'SEVDEIR-TEST'],
    [2, 'ee-test'],
  ])
  expect(detail?.chain).toMatchObject({
    seq: 1,
    size: 3,
    linksToPrevious: true,
    linkedByNext: true,
    hash: provider.hash,
  })
  expect(detail?.file).toBe('log.jsonl')
})

test('redacts credentials and indents JSON bodies in the detail', async () => {
  const log = await createMessageLog({ now: clock })
  const record = log.append(
    crossBorder('ee-test', ['consumer', 'provider'], {
      requestHeaders: { 'x-session': 'abc', authorization: 'Bearer abcdefgh12345' },
      responseBody: '{"name":"<b>Olena</b>","sessionToken":"s3cr3t-value"}',
    }),
  )
  const view = exchangeDetail(log, federation, record.seq)?.records[0]
  expect(view?.requestHeaders.authorization).not.toContain('abcdefgh12345')
  expect(view?.responseBody).not.toContain('s3cr3t-value')
  expect(view?.responseBody).toMatch(/^\{\n {2}"name": "<b>Olena<\/b>",\n {2}"sessionToken": "\[/)
})

test('has no detail for a record the log no longer keeps', async () => {
  const log = await createMessageLog({ now: clock, memoryRecords: 1 })
  log.append(crossBorder('ee-test', ['consumer']))
  log.append(crossBorder('ee-test', ['consumer']))
  expect(exchangeDetail(log, federation, 0)).toBeUndefined()
  expect(exchangeDetail(log, federation, 7)).toBeUndefined()
})
