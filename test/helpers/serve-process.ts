import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ReadyFile } from '../../cli/sandbox-servers.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** `sild serve` running as a child process, as a user would start it. */
export type ServeProcess = {
  child: ChildProcess
  readyFile: string
  ready: ReadyFile
  /** From spawning the process to its ready file appearing. */
  startMs: number
  /** What the process wrote so far, for failure messages. */
  output(): string
  /** Sends `signal` and resolves to the exit code once the process has exited. */
  stop(signal: NodeJS.Signals): Promise<number | null>
}

// Bounds, not expectations: they only keep a broken `sild serve` from hanging the suite.
const READY_WITHIN_MS = 25_000
const EXIT_WITHIN_MS = 10_000
const POLL_MS = 25

/**
 * Spawns `node bin/sild.js serve --port-base 0` writing its ready file and log into `dir`, with
 * any further arguments (e.g. `--federation FILE`).
 */
export const startServe = async (dir: string, extraArgs: string[] = []): Promise<ServeProcess> => {
  const readyFile = join(dir, 'ready.json')
  const args = ['bin/sild.js', 'serve', '--port-base', '0', '--ready-file', readyFile, ...extraArgs]
  const started = performance.now()
  const child = spawn(process.execPath, [...args, '--log', join(dir, 'log.jsonl')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk) => (output += chunk))
  child.stderr?.on('data', (chunk) => (output += chunk))
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  )
  let exitCode: number | null | undefined
  void exited.then((code) => (exitCode = code))

  let ready: ReadyFile | undefined
  while (!(ready = await readReady(readyFile))) {
    if (exitCode !== undefined) {
      throw new Error(`sild serve exited with ${exitCode} before it was ready:\n${output}`)
    }
    if (performance.now() - started > READY_WITHIN_MS) {
      child.kill('SIGKILL')
      throw new Error(`sild serve wrote no ready file within ${READY_WITHIN_MS} ms:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, POLL_MS))
  }
  const startMs = performance.now() - started

  return {
    child,
    readyFile,
    ready,
    startMs,
    output: () => output,
    stop: async (signal) => {
      if (exitCode === undefined) child.kill(signal)
      let timer: NodeJS.Timeout | undefined
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL')
          reject(
            new Error(
              `sild serve did not exit within ${EXIT_WITHIN_MS} ms of ${signal}:\n${output}`,
            ),
          )
        }, EXIT_WITHIN_MS)
      })
      try {
        return await Promise.race([exited, late])
      } finally {
        clearTimeout(timer)
      }
    },
  }
}

// The file may be caught half written: read it again on the next poll.
const readReady = async (file: string): Promise<ReadyFile | undefined> => {
  if (!existsSync(file)) return undefined
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ReadyFile
  } catch {
    return undefined
  }
}
