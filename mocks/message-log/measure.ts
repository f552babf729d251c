import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createMessageLog } from './log.ts'
import type { ExchangeLogEntry } from './record.ts'

// Requests arrive in bursts between I/O callbacks, not in one synchronous loop: yielding this
// often lets batches be written and synced while appends go on, as under real load.
const BURST = 100

/**
 * Appends `records` typical exchange records to a file-backed log and returns the rate, from the
 * first append until the last record is synced. Without `file` a temporary one is used.
 */
export const measureAppendRate = async ({
  records = 20_000,
  file,
}: { records?: number; file?: string } = {}): Promise<{ appendsPerSecond: number }> => {
  const dir = file ? undefined : await mkdtemp(join(tmpdir(), 'sild-message-log-'))
  try {
    const log = await createMessageLog({ file: file ?? join(dir as string, 'message-log.jsonl') })
    const started = performance.now()
    for (let i = 0; i < records; i++) {
      log.append(sampleEntry(i))
      if (i % BURST === BURST - 1) await new Promise<void>((done) => setImmediate(done))
    }
    await log.close()
    return { appendsPerSecond: records / ((performance.now() - started) / 1000) }
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true })
  }
}

const sampleEntry = (i: number): ExchangeLogEntry => ({
  kind: 'exchange',
  securityServer: 'ss1.ee-test',
  instance: 'ee-test',
  messageId: `sild-${i}`,
  requestId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  client: 'ee-test/GOV/70000001/sild-client',
  service: 'ee-test/GOV/70000310/population-register/persons/v1',
  method: 'GET',
  path: `/persons/3800108571${i % 10}`,
  status: 200,
  durationMs: 3,
  requestHeaders: {
    'X-Road-Client': 'ee-test/GOV/70000001/sild-client',
    'X-Road-Id': `sild-${i}`,
    Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzaWxkIn0.c2lnbmF0dXJl',
    Accept: 'application/json',
  },
  responseHeaders: {
    'Content-Type': 'application/json',
    'X-Road-Request-Hash': 'b1d5781111d84f7b3fe45a0852e59758cd7a87e5',
  },
  responseBody: `{"personalCode":"3800108571${i % 10}","givenName":"Mari","familyName":"Tamm","citizenship":"EST"}`,
})
