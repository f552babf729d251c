import type { Writable } from 'node:stream'
import type { RunOutline, ScenarioResult } from '../../runner/types.ts'
import { close, openReport, spillFile, writeTo, type ReportStream } from '../stream/index.ts'

/** `JSON.stringify(value, null, 2)` as it reads nested `depth` levels deep in the report. */
const nested = (value: unknown, depth: number): string | undefined =>
  JSON.stringify(value, null, 2)?.replace(/\n/g, `\n${'  '.repeat(depth)}`)

/**
 * The canonical JSON report (renderJsonReport) written a scenario at a time: the same bytes.
 * Scenarios wait in a spill file beside the report, as the fields before them (complete,
 * durationMs, providers) are known only at the end. `open` gives where the report goes.
 */
export const jsonReportStream = (
  path: string,
  open: () => Promise<Writable> = () => openReport(path),
): ReportStream => {
  const spill = spillFile(path)
  let count = 0
  return {
    async scenario(result: ScenarioResult) {
      await spill.append(`${count++ === 0 ? '' : ','}\n    ${nested(result, 2)}`)
    },
    async end(outline: RunOutline) {
      const out = await open()
      let first = true
      await writeTo(out, '{')
      for (const [key, value] of Object.entries(outline)) {
        const text = key === 'scenarios' ? undefined : nested(value, 1)
        if (key !== 'scenarios' && text === undefined) continue
        await writeTo(out, `${first ? '' : ','}\n  ${JSON.stringify(key)}: `)
        first = false
        if (key !== 'scenarios') await writeTo(out, text as string)
        else if (count === 0) await writeTo(out, '[]')
        else {
          await writeTo(out, '[')
          await spill.copyTo(out)
          await writeTo(out, '\n  ]')
        }
      }
      await writeTo(out, '\n}\n')
      if (out !== process.stdout) await close(out)
    },
    abort: () => spill.remove(),
  }
}
