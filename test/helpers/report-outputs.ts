import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPORT_FORMATS } from '../../reports/index.ts'

/** The file name of each report format a run can write, as `everyReport` names them. */
export const REPORT_FILES = Object.keys(REPORT_FORMATS).map((format) => `report.${format}`)

/** `--report FORMAT=OUT/report.FORMAT` for every report format. */
export const everyReport = (out: string): string[] =>
  Object.keys(REPORT_FORMATS).flatMap((format) => [
    '--report',
    `${format}=${join(out, `report.${format}`)}`,
  ])

/** The text of every file a run wrote into `out`, by name; keys and lock files left out. */
export const readOutputs = (out: string): Record<string, string> =>
  Object.fromEntries(
    readdirSync(out)
      .filter((name) => !/\.(pem|lock)$/.test(name))
      .map((name) => [name, readFileSync(join(out, name), 'utf8')]),
  )
