import { once } from 'node:events'
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Writable } from 'node:stream'
import { finished } from 'node:stream/promises'
import type { RunOutline, ScenarioResult } from '../../runner/types.ts'

/**
 * A report written while the run goes on: each scenario's whole result as it is handed on, in
 * run order, then the fields known only at the end. It never holds more than one scenario.
 */
export type ReportStream = {
  /** The next scenario's whole result. */
  scenario(result: ScenarioResult): Promise<void>
  /** Writes what depends on the whole run and closes the file. */
  end(outline: RunOutline): Promise<void>
  /** Drops what was written: the run failed before its end. */
  abort(): Promise<void>
}

/** Writes text to a stream, waiting when its buffer is full. */
export const writeTo = async (out: Writable, text: string | Buffer): Promise<void> => {
  if (!out.write(text)) await once(out, 'drain')
}

/**
 * A file that scenarios are appended to before the report's head is known (its fields depend on
 * the whole run), copied into the report at its end and then removed.
 */
export const spillFile = (path: string) => {
  const file = `${path}.${process.pid}.part`
  let out: WriteStream | undefined
  const open = async () => {
    if (out) return out
    await mkdir(dirname(file), { recursive: true })
    out = createWriteStream(file)
    return out
  }
  return {
    append: async (text: string) => writeTo(await open(), text),
    /**
     * Appends everything spilled to `to`, each line through `line` when given (a line is what
     * ends in a newline), then removes the spill file.
     */
    async copyTo(to: Writable, line?: (text: string) => string) {
      if (!out) return
      out.end()
      await finished(out)
      let rest = ''
      for await (const chunk of createReadStream(file, line ? { encoding: 'utf8' } : {})) {
        if (!line) {
          await writeTo(to, chunk as Buffer)
          continue
        }
        const lines = (rest + (chunk as string)).split('\n')
        rest = lines.pop() ?? ''
        if (lines.length) await writeTo(to, `${lines.map(line).join('\n')}\n`)
      }
      if (line && rest) await writeTo(to, line(rest))
      await rm(file, { force: true })
    },
    async remove() {
      out?.destroy()
      await rm(file, { force: true })
    },
  }
}

/** Opens a report file for writing, its folder made first. */
export const openReport = async (path: string): Promise<WriteStream> => {
  await mkdir(dirname(path), { recursive: true })
  return createWriteStream(path)
}

/** Ends a stream and waits until everything is written. */
export const close = async (out: Writable): Promise<void> => {
  out.end()
  await finished(out)
}

/** A report drawn from the run's outline alone (it lists failures only): written at the end. */
export const outlineReportStream = (
  path: string,
  render: (outline: RunOutline) => string,
): ReportStream => ({
  scenario: async () => {},
  async end(outline) {
    const out = await openReport(path)
    await writeTo(out, render(outline))
    await close(out)
  },
  abort: async () => {},
})
