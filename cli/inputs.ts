import { readFileSync } from 'node:fs'
import { InvalidArgumentError } from 'commander'
import type { InputOverrides, Scenario } from '../runner/scenario/index.ts'
import { parseSource, SildInputError } from '../specs/source-file/index.ts'

/** `--input name=value`, one input value for every workflow that declares the input. */
export const parseInput = (value: string): [string, string] => {
  const eq = value.indexOf('=')
  if (eq < 1) throw new InvalidArgumentError('write NAME=VALUE, e.g. personalCode=38001085718')
  return [value.slice(0, eq), value.slice(eq + 1)]
}

/**
 * The input values of `--inputs FILE` (a JSON or YAML object, name → value) and of `--input`
 * (which win), for every workflow that declares them.
 */
export const inputOverrides = (
  file: string | undefined,
  pairs: Array<[string, string]>,
  partnerFile?: string,
): InputOverrides | undefined => {
  if (!file && !pairs.length) return undefined
  if (partnerFile) {
    throw new SildInputError(
      '--input and --inputs do not combine with --partner',
      undefined,
      `A partner's scenarios take their inputs from the testData of ${partnerFile}.`,
    )
  }
  const values: Record<string, unknown> = file ? readInputs(file) : {}
  for (const [name, value] of pairs) values[name] = value
  return { '*': values }
}

const readInputs = (file: string): Record<string, unknown> => {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new SildInputError(
      `--inputs ${file}: cannot read it (${(error as NodeJS.ErrnoException).code})`,
      undefined,
      'Name a JSON or YAML file that maps input names to values.',
    )
  }
  const { value } = parseSource(text, file)
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SildInputError(
      `--inputs ${file}: expected an object of input names and values`,
      { file, line: 1, column: 1 },
      'Write e.g. { "personalCode": "38001085718" } (JSON) or personalCode: "38001085718" (YAML).',
    )
  }
  return value as Record<string, unknown>
}

/** Every input given must be declared by a workflow that runs: a misspelt name is not ignored. */
export const assertInputsDeclared = (
  overrides: InputOverrides | undefined,
  scenarios: Scenario[],
): void => {
  const declared = new Set(scenarios.flatMap((s) => s.workflows.flatMap((w) => w.inputNames)))
  for (const name of Object.keys(overrides?.['*'] ?? {})) {
    if (declared.has(name)) continue
    throw new SildInputError(
      `input "${name}" is declared by no workflow of the scenarios run`,
      undefined,
      `Inputs these scenarios declare: ${[...declared].sort().join(', ') || '(none)'}.`,
    )
  }
}
