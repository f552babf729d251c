import { fileURLToPath } from 'node:url'
import type { Endpoint } from '../federation/index.ts'
import type { FormatName } from '../formats/index.ts'

/** One value a partner's test data gives a profile's scenarios. */
export type TestDataField = {
  description: string
  /** An identifier format the value must pass, or `date` (YYYY-MM-DD). */
  format?: FormatName | 'date'
  /** A placeholder `sild init` writes: valid for the format, held by no register. */
  example: string
}

/**
 * A conformance profile: a bundled spec a partner may claim to implement, the scenarios that
 * exercise it (with the partner's test data as their inputs) and the callers they use.
 */
export type ProfileDefinition = {
  id: string
  title: string
  /** The bundled OpenAPI document, relative to specs/. */
  spec: string
  /** The reference service in the federation whose place the partner's service takes. */
  reference: string
  /** The profile's scenario files (absolute paths). */
  scenarios: string[]
  testData: Record<string, TestDataField>
  /** The subsystems the scenarios call from: the partner grants them these rights. */
  callers: Array<{ client: string; endpoints?: Endpoint[] }>
  /** The subsystem that calls without a right in the hardening probes: the partner must not grant it. */
  outsider: string
  /**
   * A harmless read to probe a partner's own security server with: the operation, its path
   * parameters (each named after the test-data field that fills it) and any headers it needs.
   */
  probe: { operationId: string; pathParameters: string[]; headers?: Record<string, string> }
  /**
   * Mandatory checks the contract cannot exercise, with the reason: a scorecard of the profile does
   * not require them to reach a level. Every other mandatory check must be applied by the profile's
   * scenarios, or its level is "not tested".
   */
  notApplicable?: Readonly<Record<string, string>>
}

const scenario = (name: string) =>
  fileURLToPath(new URL(`./profiles/${name}.arazzo.yaml`, import.meta.url))

/** Every profile a partner can claim, by id (the id of the reference service). */
export const PROFILES: Readonly<Record<string, ProfileDefinition>> = {
  'ee-population-register': {
    id: 'ee-population-register',
    title: 'Population register, the Estonian way (Rahvastikuregister)',
    spec: 'ee/population-register.yaml',
    reference: 'ee-population-register',
    scenarios: [scenario('ee-population-register')],
    testData: {
      personalCode: {
        description:
          'A living person your register holds, with a residence address; no one else has their family name and birth date.',
        format: 'ee-personal-code',
        example: '38507124218',
      },
      givenName: { description: "That person's given name.", example: 'Ion' },
      familyName: { description: "That person's family name.", example: 'Rusu' },
      birthDate: {
        description: "That person's birth date.",
        format: 'date',
        example: '1985-07-12',
      },
      missingPersonalCode: {
        description: 'A valid personal code your register does not hold.',
        format: 'ee-personal-code',
        example: '47010209999',
      },
    },
    callers: [
      { client: 'ee-test/GOV/70006317/eesti-ee' },
      { client: 'ee-test/GOV/70000310/arireg', endpoints: [{ method: 'GET', path: '/persons/*' }] },
    ],
    outsider: 'ee-test/COM/14001233/kyc',
    probe: { operationId: 'getPerson', pathParameters: ['personalCode'] },
  },
  'ee-business-register': {
    id: 'ee-business-register',
    title: 'Business register, the Estonian way (Äriregister)',
    spec: 'ee/business-register.yaml',
    reference: 'ee-business-register',
    scenarios: [scenario('ee-business-register')],
    testData: {
      registryCode: {
        description:
          'A registered company your register holds, with a founder among its representatives.',
        format: 'ee-registry-code',
        example: '10044122',
      },
      name: { description: "That company's registered name.", example: 'Prut Logistics SRL' },
      founderGivenName: {
        description: 'The given name of the representative your register lists first, a founder.',
        example: 'Ana',
      },
      founderFamilyName: { description: "That founder's family name.", example: 'Lungu' },
      missingRegistryCode: {
        description: 'A valid registry code your register does not hold.',
        format: 'ee-registry-code',
        example: '10099175',
      },
    },
    callers: [
      { client: 'ee-test/COM/14001233/kyc', endpoints: [{ method: 'GET', path: '/companies/**' }] },
      {
        client: 'SEVDEIR-TEST/GOV/44312340/KYC',
        endpoints: [{ method: 'GET', path: '/companies/**' }],
      },
    ],
    outsider: 'ee-test/GOV/70008747/e-residency',
    probe: { operationId: 'getCompany', pathParameters: ['registryCode'] },
  },
  'ua-demographic-register': {
    id: 'ua-demographic-register',
    title: 'Demographic register, the Ukrainian way (ЄДДР)',
    spec: 'ua/demographic-register.yaml',
    reference: 'ua-demographic-register',
    scenarios: [scenario('ua-demographic-register')],
    testData: {
      unzr: {
        description:
          'A living person your register holds, with a valid identity document; no one else has their RNOKPP.',
        format: 'ua-unzr',
        example: '19880521-44172',
      },
      rnokpp: {
        description: "That person's RNOKPP.",
        format: 'ua-rnokpp',
        example: '3228308828',
      },
      lastNameLatin: {
        description: "That person's family name in the Latin letters of their documents.",
        example: 'Ciobanu',
      },
      firstNameLatin: {
        description: "That person's given name in the Latin letters of their documents.",
        example: 'Elena',
      },
      birthDate: {
        description: "That person's birth date.",
        format: 'date',
        example: '1988-05-21',
      },
      documentNumber: {
        description:
          "The number of that person's valid identity document: 9 digits for an ID card, two letters and 6 digits for a foreign passport.",
        example: 'FB441720',
      },
      missingUnzr: {
        description: 'A valid UNZR your register does not hold.',
        format: 'ua-unzr',
        example: '19750202-90014',
      },
    },
    callers: [
      {
        client: 'SEVDEIR-TEST/GOV/43220851/DIIA',
        endpoints: [
          { method: 'GET', path: '/persons/**' },
          { method: 'GET', path: '/persons' },
        ],
      },
      { client: 'ee-test/GOV/70008747/e-residency' },
    ],
    outsider: 'SEVDEIR-TEST/GOV/44312340/KYC',
    probe: {
      operationId: 'getPersonByUnzr',
      pathParameters: ['unzr'],
      headers: { 'Uxp-Purpose-Ids': 'sild-security-server-probe' },
    },
  },
  'ua-legal-entities-register': {
    id: 'ua-legal-entities-register',
    title: 'Legal-entities register, the Ukrainian way (ЄДР)',
    spec: 'ua/legal-entities-register.yaml',
    reference: 'ua-legal-entities-register',
    scenarios: [scenario('ua-legal-entities-register')],
    testData: {
      edrpou: {
        description: 'A registered legal entity your register holds.',
        format: 'ua-edrpou',
        example: '41012342',
      },
      shortNameLatin: {
        description: "That entity's short name in Latin letters.",
        example: 'Codru Vinuri SRL',
      },
      missingEdrpou: {
        description: 'A valid EDRPOU code your register does not hold.',
        format: 'ua-edrpou',
        example: '41099994',
      },
    },
    callers: [
      { client: 'SEVDEIR-TEST/GOV/44312340/KYC' },
      {
        client: 'ee-test/COM/14001233/kyc',
        endpoints: [{ method: 'GET', path: '/legal-entities/**' }],
      },
    ],
    outsider: 'ee-test/GOV/70006317/eesti-ee',
    probe: {
      operationId: 'getLegalEntity',
      pathParameters: ['edrpou'],
      headers: { 'Uxp-Purpose-Ids': 'sild-security-server-probe' },
    },
  },
}

/** The profile ids, sorted. */
export const profileIds = (): string[] => Object.keys(PROFILES).sort()
