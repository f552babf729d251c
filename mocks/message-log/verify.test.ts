import { createHash } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { GENESIS, HASH_SUFFIX_LENGTH, serialiseRecord, type ExchangeLogEntry } from './record.ts'
import { scanLog, verifyLog } from './verify.ts'

const entry = (i: number): ExchangeLogEntry => ({
  kind: 'exchange',
  securityServer: 'ss1.ee-test',
  instance: 'ee-test',
  messageId: `sild-${i}`,
  method: 'GET',
  path: `/persons/${i}`,
  status: 200,
  responseBody: `{"givenName":"Mari","familyName":"Tamm","n":${i}}`,
})

/** A chained log of `count` records, one string per line with its newline. */
const buildLines = (count: number): string[] => {
  const lines: string[] = []
  let prev = GENESIS
  for (let i = 0; i < count; i++) {
    const at = new Date(Date.UTC(2024, 4, 1, 10, 0, i)).toISOString()
    const { record, line } = serialiseRecord(i, prev, at, entry(i))
    prev = record.hash
    lines.push(line)
  }
  return lines
}

const verifyLines = (lines: string[]) => verifyLog({ text: lines.join('') })

/** What a forger does: change a record, then compute its hash again. */
const rehash = (line: string, change: (record: Record<string, unknown>) => void): string => {
  const record = JSON.parse(line) as Record<string, unknown>
  change(record)
  delete record.hash
  const content = JSON.stringify(record)
  const hash = createHash('sha256').update(content).digest('hex')
  return `${content.slice(0, -1)},"hash":"${hash}"}\n`
}

const editField = (line: string, field: string): string => {
  const record = JSON.parse(line) as Record<string, unknown>
  const value = record[field]
  record[field] =
    typeof value === 'number'
      ? value + 1
      : /^[0-9a-f]{64}$/.test(String(value))
        ? `f${String(value).slice(1)}`
        : `${String(value)}x`
  return `${JSON.stringify(record)}\n`
}

test('accepts an intact log and reports its record count and head', async () => {
  const lines = buildLines(5)
  const last = JSON.parse(lines[4] as string) as { hash: string }
  expect(await verifyLines(lines)).toEqual({ ok: true, records: 5, head: last.hash })
})

test('accepts an empty log', async () => {
  expect(await verifyLog({ text: '' })).toEqual({ ok: true, records: 0, head: GENESIS })
})

test.each(['seq', 'prev', 'at', 'hash', 'kind', 'messageId', 'path', 'status', 'responseBody'])(
  'reports an edit of the %s field',
  async (field) => {
    const lines = buildLines(5)
    lines[2] = editField(lines[2] as string, field)
    expect(await verifyLines(lines)).toMatchObject({ ok: false, line: 3, problem: 'edited' })
  },
)

test('reports an edit inside the body with the record seq', async () => {
  const lines = buildLines(5)
  lines[1] = (lines[1] as string).replace('Tamm', 'Kask')
  expect(await verifyLines(lines)).toEqual({
    ok: false,
    line: 2,
    seq: 1,
    problem: 'edited',
    message: 'record seq 1 was edited (hash mismatch)',
  })
})

test('detects a change of any single byte of a record', async () => {
  const lines = buildLines(3)
  const original = Buffer.from(lines.join(''))
  const second = {
    start: Buffer.byteLength(lines[0] as string),
    length: Buffer.byteLength(lines[1] as string),
  }
  const missed: number[] = []
  for (let i = second.start; i < second.start + second.length; i++) {
    const bytes = Buffer.from(original)
    bytes[i] = (bytes[i] as number) ^ 1
    if ((await verifyLog({ text: bytes })).ok) missed.push(i)
  }
  expect(missed).toEqual([])
})

test('detects a record rewritten with a recomputed hash at the next record', async () => {
  const lines = buildLines(5)
  lines[2] = rehash(lines[2] as string, (record) => (record.status = 404))
  expect(await verifyLines(lines)).toMatchObject({
    ok: false,
    line: 4,
    seq: 3,
    problem: 'edited',
    message: expect.stringContaining('does not chain to record seq 2 on line 3'),
  })
})

test('rejects a first record that does not start the chain', async () => {
  const lines = buildLines(2)
  lines[0] = rehash(lines[0] as string, (record) => (record.prev = 'a'.repeat(64)))
  expect(await verifyLines(lines)).toMatchObject({ ok: false, line: 1, seq: 0, problem: 'edited' })
})

test('detects a deleted record', async () => {
  const lines = buildLines(5)
  lines.splice(2, 1)
  expect(await verifyLines(lines)).toEqual({
    ok: false,
    line: 3,
    seq: 3,
    problem: 'deleted-or-reordered',
    message: 'record seq 3 follows seq 1: record seq 2 was deleted or moved',
  })
})

test('detects several deleted records', async () => {
  const lines = buildLines(6)
  lines.splice(1, 3)
  expect(await verifyLines(lines)).toMatchObject({
    line: 2,
    seq: 4,
    problem: 'deleted-or-reordered',
    message: 'record seq 4 follows seq 0: records seq 1–3 were deleted or moved',
  })
})

test('detects a deleted first record', async () => {
  const lines = buildLines(3)
  lines.shift()
  expect(await verifyLines(lines)).toMatchObject({
    line: 1,
    seq: 1,
    problem: 'deleted-or-reordered',
    message: 'record seq 1 is the first record: record seq 0 was deleted or moved',
  })
})

test('detects reordered records', async () => {
  const lines = buildLines(5)
  ;[lines[1], lines[2]] = [lines[2] as string, lines[1] as string]
  expect(await verifyLines(lines)).toMatchObject({
    line: 2,
    seq: 2,
    problem: 'deleted-or-reordered',
  })
})

test('detects a duplicated record', async () => {
  const lines = buildLines(5)
  lines.splice(3, 0, lines[2] as string)
  expect(await verifyLines(lines)).toEqual({
    ok: false,
    line: 4,
    seq: 2,
    problem: 'duplicated',
    message: 'record seq 2 appears again (first on line 3)',
  })
})

test('detects a record copied to the end of the log', async () => {
  const lines = buildLines(5)
  lines.push(lines[1] as string)
  expect(await verifyLines(lines)).toMatchObject({ line: 6, seq: 1, problem: 'duplicated' })
})

test('reports a last line cut short as a torn tail', async () => {
  const lines = buildLines(5)
  lines[4] = (lines[4] as string).slice(0, 40)
  expect(await verifyLines(lines)).toEqual({
    ok: false,
    line: 5,
    problem: 'torn-tail',
    message: 'the last line is cut short (40 bytes without a newline): a write was cut short',
  })
})

test('reports a last record without its newline as a torn tail', async () => {
  const lines = buildLines(5)
  lines[4] = (lines[4] as string).slice(0, -1)
  expect(await verifyLines(lines)).toMatchObject({
    line: 5,
    problem: 'torn-tail',
    message: expect.stringContaining('has no newline'),
  })
})

test('reports an unparsable last line as a torn tail', async () => {
  const lines = buildLines(3)
  lines.push('{"seq":3,"prev\n')
  expect(await verifyLines(lines)).toMatchObject({ line: 4, problem: 'torn-tail' })
})

test('reports an unparsable line in the middle as not JSON', async () => {
  const lines = buildLines(4)
  lines.splice(2, 0, '{"seq":2,"prev\n')
  expect(await verifyLines(lines)).toMatchObject({ line: 3, problem: 'not-json' })
})

test('reports an unparsable line followed by a torn fragment as not JSON', async () => {
  const lines = buildLines(2)
  lines.push('garbage\n', '{"seq":')
  expect(await verifyLines(lines)).toMatchObject({ line: 3, problem: 'not-json' })
})

test('reports a line without a hash field as edited', async () => {
  const lines = buildLines(2)
  lines[1] = `${JSON.stringify({ seq: 1, prev: GENESIS, at: '2024-05-01T10:00:00.000Z' })}\n`
  expect(await verifyLines(lines)).toMatchObject({
    line: 2,
    problem: 'edited',
    message: 'record seq 1 has no hash field at its end',
  })
})

test('reads records split across chunk boundaries', async () => {
  const bytes = Buffer.from(buildLines(5).join(''))
  const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) =>
    bytes.subarray(i * 7, i * 7 + 7),
  )
  const scan = await scanLog(chunks)
  expect(scan).toMatchObject({ records: 5, goodBytes: bytes.length, failure: undefined })
})

test('returns the verified prefix and a whole last record that lacks its newline', async () => {
  const lines = buildLines(3)
  const text = lines.join('').slice(0, -1)
  const scan = await scanLog([Buffer.from(text)])
  expect(scan.records).toBe(2)
  expect(scan.goodBytes).toBe(
    Buffer.byteLength(lines[0] as string) + Buffer.byteLength(lines[1] as string),
  )
  expect(scan.tail?.seq).toBe(2)
  expect(scan.failure?.problem).toBe('torn-tail')
})

test('verifies a log file larger than one read chunk, naming the bad line', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sild-verify-'))
  try {
    const file = join(dir, 'message-log.jsonl')
    const lines = buildLines(4000)
    await writeFile(file, lines.join(''))
    expect(await verifyLog(file, { anchors: false })).toMatchObject({ ok: true, records: 4000 })
    lines[3499] = (lines[3499] as string).replace('Mari', 'Mary')
    await writeFile(file, lines.join(''))
    expect(await verifyLog(file, { anchors: false })).toMatchObject({
      ok: false,
      line: 3500,
      seq: 3499,
      problem: 'edited',
    })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})

test('returns a different head when the log is cut at a record boundary', async () => {
  const lines = buildLines(5)
  const whole = await verifyLines(lines)
  const cut = await verifyLines(lines.slice(0, 4))
  expect(cut).toMatchObject({ ok: true, records: 4 })
  expect(cut.ok && whole.ok && cut.head !== whole.head).toBe(true)
})

test('puts the hash field last in a fixed-length suffix', () => {
  const [line] = buildLines(1)
  const text = (line as string).slice(0, -1)
  expect(text.slice(-HASH_SUFFIX_LENGTH)).toMatch(/^,"hash":"[0-9a-f]{64}"\}$/)
})
