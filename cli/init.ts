import { existsSync } from 'node:fs'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { InvalidArgumentError, Option } from 'commander'
import {
  loadPartnerFederation,
  PROFILES,
  profileIds,
  type ProfileDefinition,
} from '../specs/partner/index.ts'
import { loadFederation } from '../specs/federation/index.ts'
import { SildInputError } from '../specs/source-file/index.ts'
import { gitRoot } from '../gate/diff/index.ts'
import { initCi } from '../gate/init-ci/index.ts'
// Types only: commands.ts imports this file, so a value import of main.ts would be a cycle.
import type { CommandModule, ExitCode } from './main.ts'

type InitOptions = {
  out: string
  protocol: 'xroad-rest' | 'uxp-rest'
  profiles: string[]
  country?: string
  force?: boolean
  listProfiles?: boolean
  ci?: boolean
}

/** `sild init PARTNER`: scaffolds a partner.yaml for a new country's instance. */
export const initCommand: CommandModule = (program, done) => {
  program
    .command('init')
    .description("scaffold a partner.yaml for a new country's instance")
    .argument('[instance]', 'the instance code, e.g. md-test')
    .option('--out <file>', 'where to write it', 'partner.yaml')
    .addOption(
      new Option('--protocol <protocol>', 'the protocol your security server speaks')
        .choices(['xroad-rest', 'uxp-rest'])
        .default('xroad-rest'),
    )
    .option(
      '--profiles <ids>',
      `the profiles you implement, comma-separated (${profileIds().join(', ')})`,
      parseProfiles,
      profileIds(),
    )
    .option('--country <code>', 'ISO 3166-1 alpha-2 country code', parseCountry)
    .option('--force', 'overwrite an existing file')
    .option('--list-profiles', 'list the profiles a partner can claim, with their test data')
    .option(
      '--ci',
      "instead: scaffold sild.config.yaml (naming this repository's specs) and a GitHub Actions workflow",
    )
    .action(async (instance: string | undefined, opts: InitOptions) => {
      if (opts.ci) {
        const root = gitRoot(process.cwd()) ?? process.cwd()
        for (const file of initCi(root, { force: opts.force }))
          process.stdout.write(`wrote ${file}\n`)
        return done(0)
      }
      done(await init(instance, opts))
    })
}

const parseProfiles = (value: string): string[] => {
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  const unknown = ids.filter((id) => !PROFILES[id])
  if (unknown.length || ids.length === 0) {
    throw new InvalidArgumentError(
      `unknown profile ${unknown.join(', ')}; the profiles: ${profileIds().join(', ')}`,
    )
  }
  return ids
}

const parseCountry = (value: string): string => {
  if (!/^[A-Z]{2}$/.test(value)) throw new InvalidArgumentError('two capital letters, e.g. MD')
  return value
}

const IDENTIFIER = /^[A-Za-z0-9'()+,\-.=?_]+$/

const init = async (instance: string | undefined, opts: InitOptions): Promise<ExitCode> => {
  if (opts.listProfiles) {
    process.stdout.write(listProfiles())
    return 0
  }
  if (!instance || !IDENTIFIER.test(instance)) {
    throw new SildInputError(
      instance ? `"${instance}" is not an instance code` : 'name your instance: sild init CODE',
      undefined,
      "An instance code holds A-Z a-z 0-9 and '()+,-.=?_, e.g. md-test.",
    )
  }
  if (existsSync(opts.out) && !opts.force) {
    throw new SildInputError(
      `${opts.out} already exists`,
      undefined,
      'Choose another --out, or pass --force to overwrite it.',
    )
  }
  const taken = loadFederation().instance(instance)
  if (taken) {
    throw new SildInputError(
      `instance "${instance}" is already in the sandbox's federation`,
      undefined,
      'Name your own instance, e.g. md-test for a Moldovan test environment.',
    )
  }
  await mkdir(dirname(resolve(opts.out)), { recursive: true })
  const before = existsSync(opts.out) ? await readFile(opts.out) : undefined
  await writeFile(opts.out, scaffold(instance, opts))
  // The scaffold must load as it is: a person edits a valid file, not a broken one. One that does
  // not load is taken back, so the next try needs no --force.
  try {
    loadPartnerFederation(opts.out)
  } catch (error) {
    if (before) await writeFile(opts.out, before)
    else await rm(opts.out, { force: true })
    if (!(error instanceof SildInputError)) throw error
    // The file it points into is gone: say what was wrong without a location in it.
    throw new SildInputError(
      `a partner file for "${instance}" would not load: ${error.message}`,
      undefined,
      'Nothing was written. Choose another instance code (it names your services too), e.g. md-test.',
    )
  }
  process.stdout.write(
    [
      `Wrote ${opts.out} for ${instance} (${opts.protocol}; profiles: ${opts.profiles.join(', ')}).`,
      'Next: put your members, base URLs and test data in it (every field: specs/partner/README.md), then',
      `  sild run --partner ${opts.out}`,
      '',
    ].join('\n'),
  )
  return 0
}

const MEMBER = { class: 'GOV', code: '0000000000001' }

const shortName = (profile: ProfileDefinition) => profile.id.replace(/^[a-z]{2}-/, '')

const q = (value: string) => JSON.stringify(value)

/** The partner.yaml text, with a comment on every field a person must fill in. */
export const scaffold = (
  instance: string,
  opts: Pick<InitOptions, 'protocol' | 'profiles' | 'country'>,
): string => {
  const profiles = opts.profiles.map((id) => PROFILES[id] as ProfileDefinition)
  const memberKey = `${instance}/${MEMBER.class}/${MEMBER.code}`
  const prefix = instance.toLowerCase().replace(/[^a-z0-9-]/g, '-')
  const lines = [
    `# Sild partner file for ${instance}, scaffolded by sild init. Every field: specs/partner/README.md`,
    '# Check it with: sild run --partner THIS-FILE',
    'version: sild.partner/v1',
    '',
    'instances:',
    `  - code: ${q(instance)}`,
    `    name: ${q(`${instance} (test environment)`)}`,
    ...(opts.country ? [`    country: ${opts.country}`] : []),
    '    # xroad-rest: X-Road message protocol for REST (/r1/{serviceId}, X-Road-* headers);',
    '    # uxp-rest: Trembita/UXP REST (/restapi, Uxp-* headers).',
    `    protocol: ${opts.protocol}`,
    '    securityServer:',
    '      # The member that owns your security server (CLASS/CODE) and the server code.',
    `      member: ${MEMBER.class}/${MEMBER.code}`,
    '      code: ss1',
    '      # url: https://ss1.example.org:8443  # your own security server, if you run one',
    '    # The instances whose clients your security server accepts (they accept yours in turn).',
    '    allowedFederations: [ee-test, SEVDEIR-TEST]',
    '    members:',
    `      - class: ${MEMBER.class}`,
    `        code: ${q(MEMBER.code)}`,
    '        name: The agency that keeps your registers',
    '        subsystems:',
    ...profiles.flatMap((p) => [
      `          - code: ${shortName(p)}`,
      `            name: ${q(p.title)}`,
      '            services:',
      `              - id: ${prefix}-${shortName(p)}`,
      `                code: ${shortName(p)}`,
      `                profile: ${p.id}`,
      '                # The base URL of your implementation; the spec paths follow it.',
      `                provider: http://127.0.0.1:8090/${shortName(p)}`,
    ]),
    '          # A subsystem of yours that calls Estonian and Ukrainian services (your consumer role).',
    '          - code: portal',
    '            name: Your citizen portal',
    '',
    '# Per profile, the records your implementation holds: the scenarios run with them.',
    'testData:',
    ...profiles.flatMap((p) => [
      `  ${p.id}:`,
      ...Object.entries(p.testData).flatMap(([name, field]) => [
        `    # ${field.description}`,
        `    ${name}: ${q(field.example)}`,
      ]),
    ]),
    '',
    'accessRights:',
    "  # Granted: the callers of each profile's scenarios may call your services.",
    ...profiles.flatMap((p) =>
      p.callers.flatMap((c) => [
        `  - client: ${c.client}`,
        `    service: ${memberKey}/${shortName(p)}/${shortName(p)}`,
        ...(c.endpoints
          ? [
              `    endpoints: [${c.endpoints.map((e) => `{ method: ${e.method}, path: ${q(e.path)} }`).join(', ')}]`,
            ]
          : []),
      ]),
    ),
    '  # Your portal may call your own services (Sild probes your own security server with it).',
    ...profiles.flatMap((p) => [
      `  - client: ${memberKey}/portal`,
      `    service: ${memberKey}/${shortName(p)}/${shortName(p)}`,
    ]),
    '  # Needed: the Estonian and Ukrainian services your portal calls.',
    '  - client: ' + `${memberKey}/portal`,
    '    service: ee-test/GOV/70008440/rr/population',
    "    endpoints: [{ method: GET, path: '/persons/**' }]",
    '  - client: ' + `${memberKey}/portal`,
    '    service: SEVDEIR-TEST/GOV/00015622/EDR/LegalEntities_v1',
    "    endpoints: [{ method: GET, path: '/legal-entities/**' }]",
    '',
  ]
  return lines.join('\n')
}

const listProfiles = (): string =>
  [
    'Profiles a partner can claim (profile: ID on the service that implements it):',
    '',
    ...profileIds().flatMap((id) => {
      const p = PROFILES[id] as ProfileDefinition
      return [
        `${id}  ${p.title}`,
        `  spec: specs/${p.spec}`,
        `  callers to grant: ${p.callers.map((c) => c.client).join(', ')} (never grant ${p.outsider})`,
        '  test data:',
        ...Object.entries(p.testData).map(
          ([name, f]) => `    ${name}${f.format ? ` (${f.format})` : ''}: ${f.description}`,
        ),
        '',
      ]
    }),
  ].join('\n')
