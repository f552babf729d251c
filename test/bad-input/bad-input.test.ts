import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, expect, test, vi } from 'vitest'
import { main } from '../../cli/main.ts'

// The bad-input corpus: one malformed file per case, in a folder per kind of input. Each case pins
// the first line `sild run` prints for it and exit code 2; the rest of stderr may be one hint
// line, never a stack trace. Paths in messages are shown relative to the project (`<root>` where
// Sild prints them absolute).

const HERE = fileURLToPath(new URL('.', import.meta.url))
const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'sild-bad-input-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

type Kind = 'federation' | 'spec' | 'scenario' | 'partner'

/** The command that reads a case: a spec is read through a scenario that calls it. */
const argsFor = (kind: Kind, file: string): string[] => {
  if (kind === 'federation') return ['run', '--federation', file]
  if (kind === 'scenario') return ['run', file]
  if (kind === 'partner') return ['run', '--partner', file]
  const scenario = join(dir, `${relative(HERE, file).replace(/\W/g, '-')}.arazzo.yaml`)
  writeFileSync(
    scenario,
    [
      'arazzo: 1.0.1',
      "info: { title: Reads one spec, version: '1' }",
      'sourceDescriptions:',
      `  - { name: spec, url: ${relative(dir, join(ROOT, file))}, x-sild-service: ee-population-register }`,
      'workflows:',
      '  - workflowId: read',
      '    x-sild-client: ee-test/GOV/70006317/eesti-ee',
      '    steps: [{ stepId: read, operationId: getPerson }]',
      '',
    ].join('\n'),
  )
  return ['run', scenario]
}

const CASES: Record<string, string> = {
  'federation/alias-bomb.yaml':
    'sild: test/bad-input/federation/alias-bomb.yaml:3:10: YAML alias error: Excessive alias count indicates a resource exhaustion attack',
  'federation/alias-without-anchor.yaml':
    'sild: test/bad-input/federation/alias-without-anchor.yaml:2:12: YAML alias error: Unresolved alias (the anchor must be set before the alias): world',
  'federation/bad-member-code.yaml':
    "sild: test/bad-input/federation/bad-member-code.yaml:8:9: identifier \"1 2\" has characters zz-test does not register (allowed: A-Z a-z 0-9 and '()+,-.=?)",
  'federation/bad-security-server-member.yaml':
    "sild: test/bad-input/federation/bad-security-server-member.yaml:5:23: invalid federation file: does not match the pattern ^[A-Za-z0-9'()+,\\-.=?]+/[A-Za-z0-9'()+,\\-.=?]+$ at instances.0.securityServer.member",
  'federation/binary.yaml':
    'sild: test/bad-input/federation/binary.yaml:2:1: invalid federation file: unknown property "\\u0000\\u0001\\u0002instances" at \\u0000\\u0001\\u0002instances',
  'federation/duplicate-instance.yaml':
    'sild: test/bad-input/federation/duplicate-instance.yaml:11:5: duplicate instance "ZZ-TEST" (first declared at test/bad-input/federation/duplicate-instance.yaml:3:5)',
  'federation/duplicate-key.yaml':
    'sild: test/bad-input/federation/duplicate-key.yaml:3:1: YAML syntax error: Map keys must be unique',
  'federation/duplicate-subsystem.yaml':
    'sild: test/bad-input/federation/duplicate-subsystem.yaml:11:13: duplicate subsystem "zz-test/GOV/1/portal" (first declared at test/bad-input/federation/duplicate-subsystem.yaml:10:13)',
  'federation/empty.yaml':
    'sild: test/bad-input/federation/empty.yaml:1:1: invalid federation file: must be object',
  'federation/missing-version.yaml':
    'sild: test/bad-input/federation/missing-version.yaml:1:1: invalid federation file: missing required property "version"',
  'federation/misspelt-property.yaml':
    'sild: test/bad-input/federation/misspelt-property.yaml:2:1: invalid federation file: unknown property "instance" at instance',
  'federation/right-unknown-client.yaml':
    'sild: test/bad-input/federation/right-unknown-client.yaml:12:7: access right for unknown client "zz-test/GOV/1/nobody"',
  'federation/right-unknown-service.yaml':
    'sild: test/bad-input/federation/right-unknown-service.yaml:12:37: access right to unknown service "zz-test/GOV/1/portal/people"',
  'federation/spec-absolute.yaml':
    'sild: test/bad-input/federation/spec-absolute.yaml:12:45: spec "/etc/passwd" is outside the folder of test/bad-input/federation/spec-absolute.yaml',
  'federation/spec-missing.yaml':
    'sild: test/bad-input/federation/spec-missing.yaml:12:45: spec file not found: nowhere/people.yaml (looked for <root>/test/bad-input/federation/nowhere/people.yaml)',
  'federation/spec-outside-folder.yaml':
    'sild: test/bad-input/federation/spec-outside-folder.yaml:12:45: spec "../../../../../etc/passwd" is outside the folder of test/bad-input/federation/spec-outside-folder.yaml',
  'federation/timeout-not-a-number.yaml':
    'sild: test/bad-input/federation/timeout-not-a-number.yaml:12:80: invalid federation file: must be integer at instances.0.members.0.subsystems.0.services.0.timeoutMs',
  'federation/top-level-list.yaml':
    'sild: test/bad-input/federation/top-level-list.yaml:1:1: invalid federation file: must be object',
  'federation/unclosed-quote.yaml':
    "sild: test/bad-input/federation/unclosed-quote.yaml:3:1: YAML syntax error: Missing closing 'quote",
  'federation/unknown-protocol.yaml':
    'sild: test/bad-input/federation/unknown-protocol.yaml:4:5: invalid federation file: must be one of "xroad-rest", "uxp-rest" at instances.0.protocol',
  'federation/wrong-version.yaml':
    'sild: test/bad-input/federation/wrong-version.yaml:1:1: invalid federation file: must be "sild.federation/v1" at version',
  'federation/yaml-syntax.yaml':
    'sild: test/bad-input/federation/yaml-syntax.yaml:4:1: YAML syntax error: Sequence item without - indicator',
  'spec/duplicate-operation-id.yaml':
    'sild: test/bad-input/spec/duplicate-operation-id.yaml:13:7: duplicate operationId "getPerson" (also at GET /persons/{personalCode})',
  'spec/json-syntax.json':
    'sild: test/bad-input/spec/json-syntax.json:2:1: YAML syntax error: Flow map must end with a }',
  'spec/openapi-not-a-string.yaml':
    'sild: test/bad-input/spec/openapi-not-a-string.yaml:1:1: not an OpenAPI 3.x document (no "openapi: 3.x" field)',
  'spec/ref-absolute.yaml':
    "sild: test/bad-input/spec/ref-absolute.yaml:14:25: $ref to /etc/hostname leads outside the spec's folder, the project and the current directory",
  'spec/ref-missing-file.yaml':
    'sild: test/bad-input/spec/ref-missing-file.yaml:14:25: cannot resolve a $ref: Error reading file "<root>/test/bad-input/spec/nowhere.yaml"',
  'spec/ref-outside-folder.yaml':
    "sild: test/bad-input/spec/ref-outside-folder.yaml:14:25: $ref to /etc/passwd leads outside the spec's folder, the project and the current directory",
  'spec/swagger-2.yaml':
    'sild: test/bad-input/spec/swagger-2.yaml:1:1: not an OpenAPI 3.x document (no "openapi: 3.x" field)',
  'spec/yaml-syntax.yaml':
    'sild: test/bad-input/spec/yaml-syntax.yaml:7:1: YAML syntax error: All mapping items must start at the same column',
  'scenario/arazzo-version.arazzo.yaml':
    'sild: test/bad-input/scenario/arazzo-version.arazzo.yaml:1:9: invalid Arazzo document: must be an Arazzo 1.0.x version such as 1.0.1 (Sild reads Arazzo 1.0 documents) at arazzo',
  'scenario/bad-expression.arazzo.yaml':
    'sild: test/bad-input/scenario/bad-expression.arazzo.yaml:17:52: invalid runtime expression in "$input.personalCode": unknown expression root "$input" at offset 0; did you mean $inputs?',
  'scenario/depends-on-unknown.arazzo.yaml':
    'sild: test/bad-input/scenario/depends-on-unknown.arazzo.yaml:9:17: dependsOn names unknown workflow "setUp"; known: readPerson',
  'scenario/duplicate-step-id.arazzo.yaml':
    'sild: test/bad-input/scenario/duplicate-step-id.arazzo.yaml:20:17: duplicate stepId "readPerson" (first at line 14)',
  'scenario/empty.arazzo.yaml':
    'sild: test/bad-input/scenario/empty.arazzo.yaml:1:1: invalid Arazzo document: must be object',
  'scenario/goto-unknown-step.arazzo.yaml':
    'sild: test/bad-input/scenario/goto-unknown-step.arazzo.yaml:21:48: goto target step "readPersn" is not a step of workflow "readPerson" (did you mean "readPerson"?); its steps: readPerson',
  'scenario/invalid-regex.arazzo.yaml':
    'sild: test/bad-input/scenario/invalid-regex.arazzo.yaml:20:51: invalid criterion "(unclosed": invalid regex: Invalid regular expression: /(unclosed/: Unterminated group',
  'scenario/malformed-client.arazzo.yaml':
    'sild: test/bad-input/scenario/malformed-client.arazzo.yaml:8:20: invalid Sild extension: must be a subsystem id INSTANCE/CLASS/MEMBER/SUBSYSTEM, e.g. ee-test/GOV/70006317/eesti-ee at workflows.0.x-sild-client',
  'scenario/missing-path-parameter.arazzo.yaml':
    'sild: test/bad-input/scenario/missing-path-parameter.arazzo.yaml:17:21: operation "getPerson" has no query parameter "code"; its parameters: personalCode (path)',
  'scenario/not-arazzo.arazzo.yaml':
    'sild: test/bad-input/scenario/not-arazzo.arazzo.yaml:1:1: invalid Arazzo document: unknown property "openapi" at openapi',
  'scenario/single-equals.arazzo.yaml':
    'sild: test/bad-input/scenario/single-equals.arazzo.yaml:19:36: invalid criterion "$statusCode = 200": unexpected "=" at offset 12; compare with ==',
  'scenario/source-absolute.arazzo.yaml':
    'sild: test/bad-input/scenario/source-absolute.arazzo.yaml:5:10: source url "/etc/passwd" is an absolute path',
  'scenario/source-missing.arazzo.yaml':
    'sild: test/bad-input/scenario/source-missing.arazzo.yaml:5:10: source file not found: ./nowhere.yaml (looked for <root>/test/bad-input/scenario/nowhere.yaml)',
  'scenario/source-not-a-service.arazzo.yaml':
    'sild: test/bad-input/scenario/source-not-a-service.arazzo.yaml:5:10: source "population-register" is not a service of the federation: no service has the spec ../spec/swagger-2.yaml; known services: ee-population-register, ee-business-register, ee-e-residency, ee-tax-board, ua-demographic-register, ua-legal-entities-register, ua-diia, ua-tax-service',
  'scenario/source-outside-project.arazzo.yaml':
    'sild: test/bad-input/scenario/source-outside-project.arazzo.yaml:5:10: source url "../../../../../../etc/passwd" leads outside the folder sild runs in, Sild\'s own and the scenario\'s',
  'scenario/source-web-address.arazzo.yaml':
    'sild: test/bad-input/scenario/source-web-address.arazzo.yaml:5:10: source url "https://example.org/people.yaml" is a web address; Sild runs offline and reads specs from files',
  'scenario/undeclared-input.arazzo.yaml':
    'sild: test/bad-input/scenario/undeclared-input.arazzo.yaml:17:60: missing input "personCode": workflow "readPerson" declares no such input (did you mean "personalCode"?); its inputs: personalCode',
  'scenario/unknown-client.arazzo.yaml':
    'sild: test/bad-input/scenario/unknown-client.arazzo.yaml:8:20: unknown client subsystem "ee-test/GOV/70006317/nobody" in x-sild-client (did you mean "ee-test/GOV/70006317/eesti-ee"?); known subsystems: ee-test/GOV/70006317/eesti-ee, ee-test/GOV/70008440/rr, ee-test/GOV/70000310/arireg, ee-test/GOV/70008747/e-residency, ee-test/GOV/70000349/emta, ee-test/COM/14001233/kyc, SEVDEIR-TEST/GOV/37508470/EDDR, SEVDEIR-TEST/GOV/00015622/EDR, SEVDEIR-TEST/GOV/43220851/DIIA, SEVDEIR-TEST/GOV/43005393/DPS, SEVDEIR-TEST/GOV/44312340/KYC, FI-TEST/GOV/1234567-1/client',
  'scenario/unknown-extension.arazzo.yaml':
    'sild: test/bad-input/scenario/unknown-extension.arazzo.yaml:9:5: invalid Sild extension: unknown Sild extension "x-sild-clinet" (did you mean "x-sild-client"?) at workflows.0.x-sild-clinet',
  'scenario/unknown-operation.arazzo.yaml':
    'sild: test/bad-input/scenario/unknown-operation.arazzo.yaml:15:22: unknown operationId "getPersn" in source population-register (did you mean "getPerson"?); known: searchPersons, getPerson, getResidence',
  'scenario/unknown-service-id.arazzo.yaml':
    'sild: test/bad-input/scenario/unknown-service-id.arazzo.yaml:6:21: unknown service "ee-populaton-register" in x-sild-service (did you mean "ee-population-register"?); known services: ee-population-register, ee-business-register, ee-e-residency, ee-tax-board, ua-demographic-register, ua-legal-entities-register, ua-diia, ua-tax-service',
  'scenario/unknown-step-output.arazzo.yaml':
    'sild: test/bad-input/scenario/unknown-step-output.arazzo.yaml:21:24: unknown step "nowhere" in $steps.nowhere.outputs.name: workflow "readPerson" has no such step; its steps: readPerson',
  'scenario/yaml-syntax.arazzo.yaml':
    'sild: test/bad-input/scenario/yaml-syntax.arazzo.yaml:13:11: YAML syntax error: All sequence items must start at the same column',
  'partner/federation-version.yaml':
    'sild: test/bad-input/partner/federation-version.yaml:5:1: invalid partner file: must be "sild.partner/v1" at version',
  'partner/foreign-access-right.yaml':
    'sild: test/bad-input/partner/foreign-access-right.yaml:60:5: access right ee-test/GOV/70006317/eesti-ee \u2192 SEVDEIR-TEST/GOV/37508470/EDDR/DemographicRegister_v1 involves neither side of md-test',
  'partner/instance-taken.yaml':
    'sild: test/bad-input/partner/instance-taken.yaml:65:5: access right SEVDEIR-TEST/GOV/44312340/KYC \u2192 md-test/GOV/1003600150045/rsud/legal-entities involves neither side of ee-test',
  'partner/provider-not-a-url.yaml':
    'sild: test/bad-input/partner/provider-not-a-url.yaml:29:17: invalid partner file: does not match the pattern ^https?:// at instances.0.members.0.subsystems.0.services.0.provider',
  'partner/test-data-check-digit.yaml':
    'sild: test/bad-input/partner/test-data-check-digit.yaml:48:5: testData.ee-population-register.personalCode "38507124219" is not a valid ee-personal-code: check digit 9 does not match (expected 8)',
  'partner/test-data-unknown-field.yaml':
    'sild: test/bad-input/partner/test-data-unknown-field.yaml:49:5: unknown test-data field "givenNam" for profile ee-population-register; its fields: personalCode, givenName, familyName, birthDate, missingPersonalCode',
  'partner/two-instances.yaml':
    'sild: test/bad-input/partner/two-instances.yaml:7:1: invalid partner file: must NOT have more than 1 items at instances',
  'partner/unknown-federation.yaml':
    'sild: test/bad-input/partner/unknown-federation.yaml:17:35: allowedFederations names "XX-TEST", which is no instance of the sandbox',
  'partner/unknown-profile.yaml':
    'sild: test/bad-input/partner/unknown-profile.yaml:28:17: unknown profile "ee-population-registry"; the profiles: ee-business-register, ee-population-register, ua-demographic-register, ua-legal-entities-register',
  'partner/yaml-syntax.yaml':
    'sild: test/bad-input/partner/yaml-syntax.yaml:12:1: YAML syntax error: Sequence item without - indicator',
}

test('has a pinned message for every file of the corpus, and at least 40 cases', () => {
  const files = (['federation', 'spec', 'scenario', 'partner'] as const).flatMap((kind) =>
    readdirSync(join(HERE, kind)).map((name) => `${kind}/${name}`),
  )
  expect(files.sort()).toEqual(Object.keys(CASES).sort())
  expect(files.length).toBeGreaterThanOrEqual(40)
})

test.each(Object.entries(CASES))('%s exits 2 with one located message', async (name, message) => {
  const kind = name.split('/')[0] as Kind
  const file = relative(process.cwd(), join(HERE, name))
  const out: string[] = []
  const err: string[] = []
  const capture = (into: string[]) =>
    ((chunk: string | Uint8Array) => (into.push(String(chunk)), true)) as never
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture(out))
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture(err))
  let code: number
  try {
    code = await main(argsFor(kind, file))
  } finally {
    stdout.mockRestore()
    stderr.mockRestore()
  }
  const text = err.join('')
  const [first = '', ...rest] = text.trimEnd().split('\n')
  expect(first.replaceAll(ROOT, '<root>/')).toBe(message)
  expect(code).toBe(2)
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/)
  expect(rest.length).toBeLessThanOrEqual(1)
  for (const line of rest) expect(line).toMatch(/^ {2}\S/)
  // Nothing ran, so nothing was reported as if it had.
  expect(out.join('')).toBe('')
})
