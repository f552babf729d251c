import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { loadFederation } from '../../specs/federation/index.ts'
import { SildInputError } from '../../specs/source-file/index.ts'
import {
  BUNDLED_SCENARIOS_DIR,
  findScenarioFiles,
  loadScenario,
  loadScenarios,
  type LoadScenarioOptions,
} from './index.ts'

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))
const federation = loadFederation([fixture('federation.yaml')])
const VALID = fixture('valid.arazzo.yaml')

const load = (file: string, options: Partial<LoadScenarioOptions> = {}) =>
  loadScenario(file, { federation, ...options })

/** Loads a broken fixture and returns the one error it must give. */
const failure = async (name: string): Promise<SildInputError> => {
  const error = await load(fixture(`broken/${name}.arazzo.yaml`)).then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof SildInputError))
    throw new Error(`${name}: expected a SildInputError, got ${String(error)}`)
  return error
}

const at = (name: string, line: number, column: number) => ({
  file: fixture(`broken/${name}.arazzo.yaml`),
  line,
  column,
})

test('loads a valid scenario with its sources bound to federation services', async () => {
  const scenario = await load(VALID)
  expect(scenario.file).toBe(VALID)
  expect(scenario.title).toBe('A Ukrainian citizen checked in both registers')
  expect(scenario.digest).toBe(createHash('sha256').update(readFileSync(VALID)).digest('hex'))
  expect(scenario.sources.map((s) => [s.name, s.type, s.service?.id, s.spec?.title])).toEqual([
    ['ee-pop', 'openapi', 'ee-population-register', 'Population register (fixture)'],
    ['ua-ddr', 'openapi', 'ua-demographic-register', 'Demographic register (fixture)'],
  ])
  expect(scenario.workflows.map((w) => w.workflowId)).toEqual(['checkPerson', 'again'])
})

test('resolves operationId, $sourceDescriptions operationId and operationPath to operations', async () => {
  const [find, findInEe, register] = (await load(VALID)).workflows[0]!.steps
  expect(find?.target).toMatchObject({ kind: 'operation', operationId: 'getPersonByUnzr' })
  if (find?.target.kind !== 'operation') throw new Error('not an operation step')
  expect(find.target.service.id).toBe('ua-demographic-register')
  expect(find.target.operation.pathTemplate).toBe('/persons/{unzr}')
  expect(findInEe?.target).toMatchObject({ kind: 'operation', operationId: 'getPerson' })
  if (findInEe?.target.kind !== 'operation') throw new Error('not an operation step')
  expect(findInEe.target.source.name).toBe('ee-pop')
  expect(register?.target).toMatchObject({ kind: 'operation', operationId: 'registerPerson' })
})

test('takes the client from the step or else its workflow, and merges disabled checks', async () => {
  const workflow = (await load(VALID)).workflows[0]!
  expect(workflow.client).toBe('ee-test/GOV/70006317/eesti-ee')
  expect(workflow.profile).toBe('cross-border')
  expect(workflow.steps.map((s) => s.client)).toEqual([
    'ee-test/GOV/70006317/eesti-ee',
    'SEVDEIR-TEST/GOV/43220851/diia',
    'ee-test/GOV/70006317/eesti-ee',
  ])
  expect(workflow.steps[1]?.checks).toEqual({
    disable: ['requestHashValid', 'xroadHeadersPresent'],
  })
  expect(workflow.steps[2]?.expect).toEqual({
    error: 'Server.ServerProxy.AccessDenied',
    status: 500,
  })
})

test('resolves components references in parameters and actions', async () => {
  const step = (await load(VALID)).workflows[0]!.steps[1]!
  expect(step.parameters).toEqual([
    { name: 'fields', in: 'query', value: 'all', path: ['workflows', 0, 'parameters', 0] },
    {
      name: 'personalCode',
      in: 'path',
      value: '$inputs.personalCode',
      path: ['components', 'parameters', 'personalCode'],
    },
  ])
  expect(step.onSuccess).toEqual([
    {
      name: 'toRegister',
      type: 'goto',
      stepId: 'register',
      workflowId: undefined,
      retryAfter: undefined,
      retryLimit: undefined,
      criteria: [
        {
          condition: '$response.body#/name != null',
          context: undefined,
          type: undefined,
          path: ['components', 'successActions', 'toRegister', 'criteria', 0],
        },
      ],
      path: ['components', 'successActions', 'toRegister'],
    },
  ])
  expect(step.onFailure[0]).toMatchObject({
    name: 'retryOnce',
    type: 'retry',
    retryAfter: 1,
    retryLimit: 2,
  })
})

test('applies workflow parameters only to the operations that declare them', async () => {
  const steps = (await load(VALID)).workflows[0]!.steps
  expect(steps.map((s) => s.parameters.map((p) => p.name))).toEqual([
    ['fields', 'unzr'],
    ['fields', 'personalCode'],
    [],
  ])
})

test('takes input defaults from the inputs schema, with components inputs inlined', async () => {
  const [checkPerson, again] = (await load(VALID)).workflows
  expect(checkPerson?.inputDefaults).toEqual({
    unzr: '19900101-00011',
    personalCode: '38001085718',
  })
  expect(checkPerson?.inputsSchema).toMatchObject({ properties: { unzr: { type: 'string' } } })
  expect(again?.inputDefaults).toEqual({ year: 2024 })
  expect(again?.dependsOn).toEqual(['checkPerson'])
  expect(again?.steps[0]?.target).toEqual({ kind: 'workflow', workflowId: 'checkPerson' })
})

test('replaces input defaults with overrides for all workflows and for one', async () => {
  const scenario = await load(VALID, {
    inputOverrides: {
      '*': { unzr: '19851231-00018', year: 2025 },
      checkPerson: { personalCode: '49001010008' },
    },
  })
  expect(scenario.workflows[0]?.inputDefaults).toEqual({
    unzr: '19851231-00018',
    personalCode: '49001010008',
  })
  expect(scenario.workflows[1]?.inputDefaults).toEqual({ year: 2025 })
})

test('rejects an override of an input the workflow does not declare', async () => {
  await expect(load(VALID, { inputOverrides: { checkPerson: { unzrr: 'x' } } })).rejects.toThrow(
    'input override "unzrr" for workflow "checkPerson": the workflow has no such input (did you mean "unzr"?)',
  )
})

test('locates elements of the scenario for runtime errors', async () => {
  const scenario = await load(VALID)
  const step = scenario.workflows[0]!.steps[0]!
  expect(scenario.locate([...step.path, 'operationId'])).toEqual({
    file: VALID,
    line: 28,
    column: 22,
  })
})

// Written at test time: a broken YAML file in the tree would break formatting checks of the repo.
test('rejects a YAML syntax error', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'sild-scenario-'))
  const file = join(folder, 'yaml-syntax.arazzo.yaml')
  writeFileSync(file, 'arazzo: 1.0.1\ninfo:\n  title: [Broken fixture\n  version: 1.0.0\n')
  try {
    const error = await load(file).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(SildInputError)
    expect((error as SildInputError).message).toMatch(/^YAML syntax error: /)
    expect((error as SildInputError).location).toEqual({ file, line: 4, column: 3 })
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
})

test('rejects a step without stepId by the Arazzo schema', async () => {
  const error = await failure('missing-step-id')
  expect(error.message).toBe(
    'invalid Arazzo document: missing required property "stepId" at workflows.0.steps.0',
  )
  expect(error.location).toEqual(at('missing-step-id', 16, 9))
})

test('rejects successCriteria written as a string', async () => {
  const error = await failure('criteria-string')
  expect(error.message).toBe(
    'invalid Arazzo document: must be array at workflows.0.steps.0.successCriteria',
  )
  expect(error.location).toEqual(at('criteria-string', 22, 26))
})

test('rejects an unknown x-sild key with a suggestion', async () => {
  const error = await failure('unknown-extension')
  expect(error.message).toBe(
    'invalid Sild extension: unknown Sild extension "x-sild-clinet" (did you mean "x-sild-client"?) at workflows.0.steps.1.x-sild-clinet',
  )
  expect(error.location).toEqual(at('unknown-extension', 28, 9))
})

test('rejects an unknown operationId with the known ones', async () => {
  const error = await failure('unknown-operation')
  expect(error.message).toBe(
    'unknown operationId "getPersn" in source ee-pop (did you mean "getPerson"?); known: getPerson, registerPerson',
  )
  expect(error.location).toEqual(at('unknown-operation', 17, 22))
})

test('rejects an operationId found in two sources', async () => {
  const error = await failure('ambiguous-operation')
  expect(error.message).toBe('operationId "getPerson" is in several sources (ee-pop, ua-ddr)')
  expect(error.hint).toBe('Say which one: $sourceDescriptions.ee-pop.getPerson.')
  expect(error.location).toEqual(at('ambiguous-operation', 19, 22))
})

test('rejects a source whose spec is not a service of the federation', async () => {
  const error = await failure('unknown-source')
  expect(error.message).toBe(
    'source "ee-pop" is not a service of the federation: no service has the spec ../specs/unlisted.yaml; known services: ee-population-register, ua-demographic-register',
  )
  expect(error.location).toEqual(at('unknown-source', 7, 10))
})

test('binds a source to a metaservice by its service key', async () => {
  const scenario = await load(fixture('metaservice.arazzo.yaml'))
  expect(scenario.sources[0]?.service?.key).toBe('ee-test/GOV/70008440/rr/listMethods')
  expect(scenario.workflows[0]?.steps[0]?.target).toMatchObject({ operationId: 'listMethods' })
})

test('rejects a source whose spec several services share, asking for x-sild-service', async () => {
  const error = await failure('shared-spec')
  expect(error.message).toBe(
    'source "rr-list-methods" fits several services of the federation (ee-test/GOV/70008440/rr/listMethods, SEVDEIR-TEST/GOV/37508470/eddr/listMethods), which share the spec ../../../../specs/xroad/list-methods.yaml',
  )
  expect(error.hint).toBe('Name the service the scenario calls with x-sild-service.')
  expect(error.location).toEqual(at('shared-spec', 7, 10))
})

test('rejects a source path that escapes the project', async () => {
  const error = await failure('escaping-path')
  expect(error.message).toBe(
    `source url "../../../../../../../../../../etc/passwd" leads outside the folder sild runs in, Sild's own and the scenario's`,
  )
  expect(error.location).toEqual(at('escaping-path', 7, 10))
})

test('rejects a source on the web because Sild runs offline', async () => {
  const error = await failure('web-url')
  expect(error.message).toBe(
    'source url "https://example.org/openapi.yaml" is a web address; Sild runs offline and reads specs from files',
  )
  expect(error.location).toEqual(at('web-url', 7, 10))
})

test('rejects a malformed expression embedded in a payload string at its character', async () => {
  const error = await failure('bad-expression')
  expect(error.message).toMatch(
    /^invalid runtime expression in "seen as \{\$steps\.find\.output\.name\}": expected "\.outputs\.NAME" after "\$steps\.find"/,
  )
  expect(error.location).toEqual(at('bad-expression', 32, 40))
})

test('rejects a malformed condition at its character', async () => {
  const error = await failure('bad-condition')
  expect(error.message).toMatch(/^invalid criterion "\$statusCode = 200": /)
  expect(error.location).toEqual(at('bad-condition', 23, 36))
})

test('rejects a reference to an unknown step', async () => {
  const error = await failure('unknown-step')
  expect(error.message).toBe(
    'unknown step "fnid" in $steps.fnid.outputs.name: workflow "lookup" has no such step (did you mean "find"?); its steps: find, register',
  )
  expect(error.location).toEqual(at('unknown-step', 31, 26))
})

test('rejects a reference to a step that has not run yet', async () => {
  const error = await failure('later-step')
  expect(error.message).toBe(
    'step "register" has not run yet where $steps.register.outputs.id is read',
  )
  expect(error.location).toEqual(at('later-step', 21, 27))
})

test('rejects a reference to an output the step does not declare', async () => {
  const error = await failure('unknown-output')
  expect(error.message).toBe('step "find" has no output "fullName"; its outputs: name')
  expect(error.location).toEqual(at('unknown-output', 31, 39))
})

test('rejects a missing input', async () => {
  const error = await failure('missing-input')
  expect(error.message).toBe(
    'missing input "unzr": workflow "lookup" declares no such input; its inputs: personalCode',
  )
  expect(error.location).toEqual(at('missing-input', 21, 28))
})

test('rejects a client that is not a subsystem of the federation', async () => {
  const error = await failure('unknown-client')
  expect(error.message).toMatch(
    /^unknown client subsystem "ee-test\/GOV\/70006317\/eesti" in x-sild-client \(did you mean "ee-test\/GOV\/70006317\/eesti-ee"\?\); known subsystems: /,
  )
  expect(error.location).toEqual(at('unknown-client', 10, 20))
})

test('rejects an operation step without a client', async () => {
  const error = await failure('missing-client')
  expect(error.message).toBe(
    'step "find" calls operation "getPerson" but names no calling subsystem',
  )
  expect(error.hint).toBe(
    'Add an X-Road-Client header parameter (Uxp-Client and Uxp-Service for Trembita) whose value is the calling subsystem INSTANCE/CLASS/MEMBER/SUBSYSTEM, to the step or to its workflow; x-sild-client is a shorthand for it.',
  )
  expect(error.location).toEqual(at('missing-client', 15, 9))
})

test('rejects a dependsOn cycle', async () => {
  const error = await failure('depends-on-cycle')
  expect(error.message).toBe('workflows wait for each other in a cycle: lookup → register → lookup')
  expect(error.location).toEqual(at('depends-on-cycle', 21, 17))
})

test('rejects a duplicate stepId', async () => {
  const error = await failure('duplicate-step-id')
  expect(error.message).toBe('duplicate stepId "find" (first at line 16)')
  expect(error.location).toEqual(at('duplicate-step-id', 26, 17))
})

test('rejects a goto to an unknown step', async () => {
  const error = await failure('unknown-goto')
  expect(error.message).toBe(
    'goto target step "regsiter" is not a step of workflow "lookup" (did you mean "register"?); its steps: find, register',
  )
  expect(error.location).toEqual(at('unknown-goto', 29, 21))
})

test('rejects a step calling an unknown workflow', async () => {
  const error = await failure('unknown-workflow')
  expect(error.message).toBe(
    'step calls unknown workflow "lokup" (did you mean "lookup"?); known: lookup, again',
  )
  expect(error.location).toEqual(at('unknown-workflow', 35, 21))
})

test('rejects a parameter the operation does not have, listing its parameters', async () => {
  const error = await failure('unknown-parameter')
  expect(error.message).toBe(
    'operation "getPerson" has no path parameter "personalcode" (did you mean "personalCode"?); its parameters: personalCode (path), fields (query)',
  )
  expect(error.location).toEqual(at('unknown-parameter', 19, 19))
})

test('rejects a workflow parameter that no step can take, but not one a step overrides', async () => {
  const error = await failure('unused-workflow-parameter')
  expect(error.message).toBe(
    `workflow parameter "expand" (in: query) applies to none of the workflow's steps`,
  )
  expect(error.location).toEqual(at('unused-workflow-parameter', 15, 15))
})

test('rejects a step that misses a path parameter of its operation', async () => {
  const error = await failure('missing-path-parameter')
  expect(error.message).toBe(
    'step "find" misses the path parameter "personalCode" of operation "getPerson"',
  )
  expect(error.location).toEqual(at('missing-path-parameter', 16, 9))
})

test('rejects a reference to an unknown component at its name', async () => {
  const error = await failure('unknown-component')
  expect(error.message).toBe('unknown component "code" in components.parameters; known: (none)')
  expect(error.location).toEqual(at('unknown-component', 19, 47))
})

test('rejects a Sild extension on the wrong object, saying where it goes', async () => {
  const error = await failure('misplaced-extension')
  expect(error.message).toBe(
    'invalid Sild extension: "x-sild-expect" does not belong on a workflow; it goes on a step at workflows.0.x-sild-expect',
  )
  expect(error.location).toEqual(at('misplaced-extension', 11, 5))
})

test('rejects an x-sild-expect error that is not a fault code', async () => {
  const error = await failure('bad-fault-code')
  expect(error.message).toBe(
    'invalid Sild extension: must be an X-Road/UXP fault code such as Server.ServerProxy.AccessDenied at workflows.0.steps.1.x-sild-expect.error',
  )
  expect(error.location).toEqual(at('bad-fault-code', 28, 33))
})

test('rejects an x-sild-service that is not a service of the federation', async () => {
  const error = await failure('unknown-service')
  expect(error.message).toBe(
    'unknown service "ee-population-registry" in x-sild-service (did you mean "ee-population-register"?); known services: ee-population-register, ua-demographic-register',
  )
  expect(error.location).toEqual(at('unknown-service', 8, 21))
})

test('lets a step expecting refusal send headers and bodies its operation does not declare', async () => {
  const [refused, forged] = (await load(fixture('negative.arazzo.yaml'))).workflows[0]!.steps
  expect(refused?.expect).toEqual({ status: 400 })
  expect(refused?.requestBody).toEqual({ contentType: 'text/plain', payload: 'not allowed here' })
  expect(refused?.parameters.map((p) => p.name)).toEqual(['personalCode', 'X-Forged'])
  expect(forged?.parameters.map((p) => [p.in, p.name])).toEqual([
    ['path', 'personalCode'],
    ['header', 'X-Road-Client'],
  ])
  expect(forged?.successCriteria[0]).toMatchObject({
    type: 'regex',
    context: '$response.header.X-Road-Error',
  })
})

test('rejects a missing scenario file without a location', async () => {
  await expect(load(fixture('no-such.arazzo.yaml'))).rejects.toThrow(/^scenario file not found: /)
})

test('loads several scenarios and reports the first bad one in the order given', async () => {
  const loaded = await loadScenarios([VALID, VALID], { federation })
  expect(loaded.map((s) => s.title)).toHaveLength(2)
  await expect(
    loadScenarios(
      [
        VALID,
        fixture('broken/unknown-step.arazzo.yaml'),
        fixture('broken/missing-input.arazzo.yaml'),
      ],
      {
        federation,
      },
    ),
  ).rejects.toThrow(/^unknown step "fnid"/)
})

test('finds the scenario files of a folder, sorted, and takes named files as they are', () => {
  const files = findScenarioFiles(fixture('broken'))
  expect(files[0]).toBe(fixture('broken/ambiguous-operation.arazzo.yaml'))
  expect(files.every((f) => f.endsWith('.arazzo.yaml'))).toBe(true)
  expect([...files].sort()).toEqual(files)
  expect(findScenarioFiles([VALID, fixture('federation.yaml'), VALID])).toEqual(
    [VALID, fixture('federation.yaml')].sort(),
  )
  expect(() => findScenarioFiles(fixture('nowhere'))).toThrow(
    /^scenario file or folder not found: /,
  )
})

test('looks for the bundled scenarios in scenarios/', () => {
  expect(BUNDLED_SCENARIOS_DIR).toBe(fileURLToPath(new URL('../../scenarios', import.meta.url)))
})

test('names the caller by a client header parameter, of the workflow or of the step', async () => {
  const [byWorkflow, malformed] = (await load(fixture('header-client.arazzo.yaml'))).workflows
  expect(byWorkflow?.client).toBe('ee-test/GOV/70006317/eesti-ee')
  const [find, findAsDiia] = byWorkflow!.steps
  expect(find?.client).toBe('ee-test/GOV/70006317/eesti-ee')
  // Workflow header parameters apply to every step; undeclared headers are fine.
  expect(find?.parameters.map((p) => `${p.in}:${p.name}`)).toEqual([
    'header:X-Road-Client',
    'header:X-Request-Note',
    'path:personalCode',
    'header:Accept',
  ])
  expect(findAsDiia?.client).toBe('SEVDEIR-TEST/GOV/43220851/diia')
  // A malformed client header names no subsystem: the runner sends it through its instance.
  expect(malformed?.steps[0]?.client).toBeUndefined()
})

test('rejects a client header parameter naming no instance of the federation', async () => {
  const error = await failure('client-header-unknown-instance')
  expect(error.message).toBe(
    'X-Road-Client "nowhere/GOV/1/x" names no instance of the federation, so there is no security server to send it through',
  )
  expect(error.location).toEqual(at('client-header-unknown-instance', 16, 55))
})
