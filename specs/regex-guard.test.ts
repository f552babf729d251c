import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'

const ROOT = fileURLToPath(new URL('../', import.meta.url))

// In a child process with a time limit: without the guard the match would never end, and a
// synchronous match cannot be interrupted inside the test worker.
const inChild = (code: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  })

test('a regex criterion that backtracks without end on a crafted answer finishes, unmet', () => {
  const child = inChild(`
    const { evaluateCriterion } = await import('./runner/criteria/index.ts')
    const answer = { name: 'a'.repeat(48) + '!' }
    const result = evaluateCriterion(
      { context: '$response.body#/name', condition: '^(a+)+$', type: 'regex' },
      { inputs: {}, steps: {}, workflows: {}, response: { headers: {}, body: answer } },
    )
    process.stdout.write(JSON.stringify(result))
  `)
  expect(child.signal).toBeNull()
  expect(child.stderr).toBe('')
  expect(JSON.parse(child.stdout)).toMatchObject({ ok: false, reason: 'unmet' })
})
