import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { SildInputError } from '../../specs/source-file/index.ts'

/**
 * One writer per message log file, across processes: two writers would each continue the chain
 * from the same head and fork it (seq 5 twice). `LOG.lock` holds the writer's pid; a lock whose
 * process is gone (killed) is taken over. Returns the release.
 */
export const acquireLogLock = (log: string): (() => void) => {
  const file = `${log}.lock`
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' })
      return () => rmSync(file, { force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const holder = Number.parseInt(readFileSync(file, 'utf8'), 10)
    if (Number.isSafeInteger(holder) && holder > 0 && isRunning(holder)) {
      throw new SildInputError(
        `message log ${log} is in use by process ${holder}`,
        undefined,
        `Stop that process first, or give this one its own log (--log another.jsonl). If process ${holder} is not a Sild, remove ${file}.`,
      )
    }
    rmSync(file, { force: true })
  }
  throw new SildInputError(`message log ${log}: could not take its lock ${file}`)
}

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
