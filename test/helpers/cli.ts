import { vi } from 'vitest'
import { main } from '../../cli/main.ts'

export type Outcome = { code: number; stdout: string; stderr: string }

/** Runs `sild …` in-process with stdout and stderr captured. */
export const sild = async (...argv: string[]): Promise<Outcome> => {
  const out: string[] = []
  const err: string[] = []
  const into =
    (chunks: string[]) =>
    (chunk: string | Uint8Array): boolean => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
      return true
    }
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(into(out) as never)
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(into(err) as never)
  try {
    const code = await main(argv)
    return { code, stdout: out.join(''), stderr: err.join('') }
  } finally {
    stdout.mockRestore()
    stderr.mockRestore()
  }
}
