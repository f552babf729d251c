import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { parse, stringify } from 'yaml'
import {
  DEFAULT_FEDERATION_FILE,
  loadFederation,
  type Federation,
} from '../../specs/federation/index.ts'
import { loadSpec } from '../../specs/openapi/index.ts'
import { SildInputError } from '../../specs/source-file/index.ts'
import { loadScenario } from '../../runner/scenario/index.ts'
import { applyMutations, arbitraryText, mutations, SEED } from './mutate.ts'

// Each property writes a file and loads it the way `sild run` does; the only outcomes allowed are
// a loaded document or one SildInputError that the CLI prints as a single located message.

const SCENARIO = fileURLToPath(
  new URL('../../scenarios/e-resident-founds-company.arazzo.yaml', import.meta.url),
)

const SPEC = `openapi: 3.1.0
info: { title: Fuzz, version: '1' }
paths:
  /persons/{id}:
    get:
      operationId: getPerson
      parameters:
        - { name: id, in: path, required: true, schema: { type: string, format: ee-personal-code } }
      responses:
        '200':
          description: A person
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Person' }
components:
  schemas:
    Person:
      type: object
      required: [personalCode]
      properties: { personalCode: { type: string } }
`

const FEDERATION = {
  version: 'sild.federation/v1',
  instances: [
    {
      code: 'ee-test',
      protocol: 'xroad-rest',
      securityServer: { member: 'GOV/70006317', code: 'ss1' },
      allowedFederations: ['SEVDEIR-TEST'],
      members: [
        { class: 'GOV', code: '70006317', subsystems: [{ code: 'portal' }] },
        {
          class: 'GOV',
          code: '70008440',
          subsystems: [
            {
              code: 'rr',
              services: [
                {
                  id: 'people',
                  code: 'people',
                  spec: 'spec.yaml',
                  provider: 'mock',
                  timeoutMs: 500,
                },
              ],
            },
          ],
        },
      ],
    },
    {
      code: 'SEVDEIR-TEST',
      protocol: 'uxp-rest',
      securityServer: { member: 'GOV/43220851', code: 'SS1' },
      members: [{ class: 'GOV', code: '44312340', subsystems: [{ code: 'KYC' }] }],
    },
  ],
  accessRights: [
    {
      client: 'ee-test/GOV/70006317/portal',
      service: 'ee-test/GOV/70008440/rr/people',
      endpoints: [{ method: 'GET', path: '/persons/*' }],
    },
    { client: 'SEVDEIR-TEST/GOV/44312340/KYC', service: 'ee-test/GOV/70008440/rr/people' },
  ],
}

let dir: string
let federation: Federation
let scenarioDoc: unknown
let runs = 0

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sild-fuzz-loaders-'))
  writeFileSync(join(dir, 'spec.yaml'), SPEC)
  federation = loadFederation([DEFAULT_FEDERATION_FILE])
  // The scenario is loaded from the temporary folder, so its sources point back into the project.
  const doc = parse(readFileSync(SCENARIO, 'utf8')) as {
    sourceDescriptions: Array<{ url: string }>
  }
  for (const source of doc.sourceDescriptions) {
    source.url = relative(dir, join(dirname(SCENARIO), source.url))
  }
  scenarioDoc = doc
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const write = (name: string, text: string): string => {
  const file = join(dir, `${++runs}-${name}`)
  writeFileSync(file, text)
  return file
}

type Outcome = 'loaded' | 'refused'

/** Runs a loader; a SildInputError must be one short located message without a stack trace. */
const outcomeOf = async (load: () => unknown, input: string): Promise<Outcome> => {
  try {
    await load()
    return 'loaded'
  } catch (error) {
    if (!(error instanceof SildInputError)) {
      throw new Error(`not a SildInputError for this input:\n${input}\n`, { cause: error })
    }
    const text = error.format(dir)
    expect(text.trim()).not.toBe('')
    expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/)
    expect(text.split('\n').length).toBeLessThanOrEqual(2)
    return 'refused'
  }
}

const toYaml = (value: unknown): string => stringify(value, { aliasDuplicateObjects: false })

test('the federation loader refuses arbitrary text with one located message', async () => {
  await fc.assert(
    fc.asyncProperty(arbitraryText, async (text) => {
      const file = write('federation.yaml', text)
      expect(await outcomeOf(() => loadFederation([file]), text)).toBe('refused')
    }),
    { seed: SEED, numRuns: 150 },
  )
})

test('the federation loader loads or refuses every mutation of a valid federation', async () => {
  const base = write('federation.yaml', toYaml(FEDERATION))
  expect(await outcomeOf(() => loadFederation([base]), 'base')).toBe('loaded')
  const seen = new Set<Outcome>()
  await fc.assert(
    fc.asyncProperty(mutations, async (edits) => {
      const text = toYaml(applyMutations(FEDERATION, edits))
      const file = write('federation.yaml', text)
      seen.add(await outcomeOf(() => loadFederation([file]), text))
    }),
    { seed: SEED, numRuns: 300 },
  )
  expect([...seen].sort()).toEqual(['loaded', 'refused'])
})

test('the federation loader refuses a partner file that mutates names the first file declared', async () => {
  const base = write('federation.yaml', toYaml(FEDERATION))
  await fc.assert(
    fc.asyncProperty(mutations, async (edits) => {
      const text = toYaml(applyMutations(FEDERATION, edits))
      const partner = write('partner.yaml', text)
      await outcomeOf(() => loadFederation([base, partner]), text)
    }),
    { seed: SEED, numRuns: 100 },
  )
})

test('the OpenAPI loader loads or refuses arbitrary text and mutations of a valid spec', async () => {
  const spec = parse(SPEC) as unknown
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        arbitraryText,
        mutations.map((edits) => toYaml(applyMutations(spec, edits))),
      ),
      async (text) => {
        const file = write('spec.yaml', text)
        await outcomeOf(() => loadSpec(file), text)
      },
    ),
    { seed: SEED, numRuns: 200 },
  )
})

test('the scenario loader refuses arbitrary text with one located message', async () => {
  await fc.assert(
    fc.asyncProperty(arbitraryText, async (text) => {
      const file = write('fuzz.arazzo.yaml', text)
      expect(await outcomeOf(() => loadScenario(file, { federation }), text)).toBe('refused')
    }),
    { seed: SEED, numRuns: 150 },
  )
})

test('the scenario loader loads or refuses every mutation of a bundled scenario', async () => {
  const base = write('base.arazzo.yaml', toYaml(scenarioDoc))
  expect(await outcomeOf(() => loadScenario(base, { federation }), 'base')).toBe('loaded')
  const seen = new Set<Outcome>()
  await fc.assert(
    fc.asyncProperty(mutations, async (edits) => {
      const text = toYaml(applyMutations(scenarioDoc, edits))
      const file = write('fuzz.arazzo.yaml', text)
      seen.add(await outcomeOf(() => loadScenario(file, { federation }), text))
    }),
    { seed: SEED, numRuns: 400 },
  )
  expect([...seen].sort()).toEqual(['loaded', 'refused'])
})
