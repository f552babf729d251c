/**
 * The records of md-test's sandbox registers: a fictional Moldova that adopted the Estonian
 * population register's contract and the Ukrainian legal-entities register's. The profiles fix the
 * identifier formats, so its test records carry Estonian personal codes and EDRPOU codes.
 */

export type PersonRecord = {
  personalCode: string
  givenName: string
  familyName: string
  sex: 'M' | 'F'
  birthDate: string
  birthPlace: string
  citizenship: string
  status: 'alive' | 'deceased'
  deathDate?: string
  residence?: {
    registeredSince: string
    address: {
      adsOid: string
      fullAddress: string
      county: string
      municipality: string
      street: string
      house: string
      apartment?: string
      postalCode: string
    }
  }
}

export const PERSONS: PersonRecord[] = [
  {
    personalCode: '38507124218',
    givenName: 'Ion',
    familyName: 'Rusu',
    sex: 'M',
    birthDate: '1985-07-12',
    birthPlace: 'Chișinău',
    citizenship: 'MD',
    status: 'alive',
    residence: {
      registeredSince: '2016-03-01',
      address: {
        adsOid: 'MD00012001',
        fullAddress: 'mun. Chișinău, str. Ștefan cel Mare 73, ap. 12',
        county: 'mun. Chișinău',
        municipality: 'Chișinău',
        street: 'str. Ștefan cel Mare',
        house: '73',
        apartment: '12',
        postalCode: '20012',
      },
    },
  },
  {
    personalCode: '49103041370',
    givenName: 'Maria',
    familyName: 'Ceban',
    sex: 'F',
    birthDate: '1991-03-04',
    birthPlace: 'Bălți',
    citizenship: 'MD',
    status: 'alive',
    residence: {
      registeredSince: '2019-09-15',
      address: {
        adsOid: 'MD00031002',
        fullAddress: 'mun. Bălți, str. Independenței 5',
        county: 'mun. Bălți',
        municipality: 'Bălți',
        street: 'str. Independenței',
        house: '5',
        postalCode: '31002',
      },
    },
  },
  {
    personalCode: '34811020559',
    givenName: 'Vasile',
    familyName: 'Lupu',
    sex: 'M',
    birthDate: '1948-11-02',
    birthPlace: 'Orhei',
    citizenship: 'MD',
    status: 'deceased',
    deathDate: '2022-02-14',
  },
]

export type LegalEntityRecord = Record<string, unknown> & { edrpou: string }

export const LEGAL_ENTITIES: LegalEntityRecord[] = [
  {
    edrpou: '41012342',
    name: 'SOCIETATEA CU RĂSPUNDERE LIMITATĂ «CODRU VINURI»',
    shortName: 'SRL «Codru Vinuri»',
    shortNameLatin: 'Codru Vinuri SRL',
    legalForm: {
      code: '240',
      name: 'Societate cu răspundere limitată',
      nameLatin: 'Limited liability company',
    },
    status: { code: 'registered', name: 'зареєстровано' },
    registrationDate: '2014-05-20',
    address: {
      postalCode: '20012',
      region: 'mun. Chișinău',
      settlement: 'Chișinău',
      street: 'str. Ștefan cel Mare 73',
      full: '20012, mun. Chișinău, str. Ștefan cel Mare 73',
    },
    heads: [
      {
        name: 'Rusu Ion',
        nameLatin: 'Ion Rusu',
        role: 'director',
        roleName: 'director',
        since: '2014-05-20',
      },
    ],
    founders: [
      {
        type: 'person',
        name: 'Rusu Ion',
        nameLatin: 'Ion Rusu',
        foreignCode: '2003012345678',
        country: 'MD',
        share: 100,
        contribution: 54000,
      },
    ],
    activities: [{ code: '11.02', name: 'Fabricarea vinurilor din struguri', primary: true }],
    authorisedCapital: { amount: 54000, currency: 'UAH' },
  },
  {
    edrpou: '41012358',
    name: 'SOCIETATEA CU RĂSPUNDERE LIMITATĂ «NISTRU LOGISTIC»',
    shortName: 'SRL «Nistru Logistic»',
    shortNameLatin: 'Nistru Logistic SRL',
    legalForm: { code: '240', name: 'Societate cu răspundere limitată' },
    status: { code: 'terminating', name: 'в стані припинення' },
    registrationDate: '2009-11-03',
    termination: {
      reason: 'decizia fondatorilor (by decision of the founders)',
      startDate: '2025-09-01',
    },
    address: {
      postalCode: '31002',
      region: 'mun. Bălți',
      settlement: 'Bălți',
      street: 'str. Independenței 5',
      full: '31002, mun. Bălți, str. Independenței 5',
    },
    heads: [
      {
        name: 'Ceban Maria',
        nameLatin: 'Maria Ceban',
        role: 'liquidator',
        roleName: 'lichidator',
        since: '2025-09-01',
      },
    ],
    founders: [
      { type: 'person', name: 'Ceban Maria', nameLatin: 'Maria Ceban', country: 'MD', share: 100 },
    ],
    activities: [{ code: '49.41', name: 'Transporturi rutiere de mărfuri', primary: true }],
  },
]
