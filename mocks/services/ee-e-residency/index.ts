import { UXP_HEADER_DISPLAY } from '../../../specs/protocol/uxp/index.ts'
import { eePersonalCode } from '../../../specs/formats/index.ts'
import { problem } from '../problem.ts'
import { worldSeed } from '../world-seed.ts'
import type { MockResponse, OperationHandler, PeerResponse, Peers, ServiceMock } from '../types.ts'

/** Ukraine's demographic register (ЄДДР), asked across the federation in the background check. */
export const UA_DEMOGRAPHIC_REGISTER = 'SEVDEIR-TEST/GOV/37508470/EDDR/DemographicRegister_v1'

/** The purpose declared to Trembita, which wants one for every read of personal data. */
export const BACKGROUND_CHECK_PURPOSE = 'e-residency-background-check'

export type Applicant = {
  givenName: string
  familyName: string
  sex: 'M' | 'F'
  birthDate: string
  citizenship: string
  identityDocument?: {
    type: 'passport' | 'id-card'
    number: string
    issuingCountry: string
    issueDate?: string
    expiryDate: string
  }
  unzr?: string
  rnokpp?: string
  email?: string
}

export type BackgroundCheck = {
  outcome: 'passed' | 'failed' | 'incomplete' | 'unavailable' | 'manual'
  checkedOn: string
  register?: string
  personFound?: boolean
  namesMatch?: boolean
  birthDateMatches?: boolean
  personActive?: boolean
  validDocument?: boolean
  issues: string[]
}

export type ApplicationStatus =
  'submitted' | 'background-check' | 'approved' | 'rejected' | 'card-issued'

export type ApplicationRecord = {
  applicationId: string
  status: ApplicationStatus
  submittedOn: string
  applicant: Applicant
  motivation?: string
  pickupLocation: string
  diiaRequestId?: string
  backgroundCheck?: BackgroundCheck
  decision?: {
    decision: 'approve' | 'reject'
    reason?: string
    decidedOn: string
    decidedBy?: string
  }
  personalCode?: string
  cardIssuedOn?: string
  cardNumber?: string
}

export type EResidentStatus = 'active' | 'expired' | 'revoked' | 'suspended'

export type EResidentRecord = {
  personalCode: string
  givenName: string
  familyName: string
  citizenship: string
  /** As recorded; a card past its validUntil reads as `expired` whatever this says. */
  status: EResidentStatus
  eResidentSince: string
  card: { documentNumber: string; issuedOn: string; validUntil: string; pickupLocation?: string }
}

export type DiiaDocumentType = 'internal-passport' | 'foreign-passport' | 'taxpayer-card'

export type DiiaDelivery = {
  requestId: string
  applicationId?: string
  receivedOn: string
  documentTypes: DiiaDocumentType[]
  documents: { type: DiiaDocumentType; data: Record<string, string | undefined> }[]
}

export type EResidencyState = {
  /** The sandbox's date: new records carry it, and cards expire against it. */
  today: string
  nextApplicationNumber: number
  nextPersonalCodeSerial: number
  nextCardNumber: number
  applications: ApplicationRecord[]
  eResidents: EResidentRecord[]
  diiaDeliveries: DiiaDelivery[]
}

const SEED = worldSeed<EResidencyState>(new URL('../../world/ee-e-residency.yaml', import.meta.url))

const fold = (name: string | undefined) =>
  (name ?? '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim()

const findApplication = (state: EResidencyState, id: string | undefined) =>
  state.applications.find((a) => a.applicationId === id)

const applicationNotFound = (id: string | undefined) =>
  problem('notFound', `No e-Residency application ${id}`)

const deliveriesOf = (state: EResidencyState, applicationId: string) =>
  state.diiaDeliveries.filter((d) => d.applicationId === applicationId)

/** The application as the API shows it, with the documents Diia delivered for it. */
const view = (state: EResidencyState, application: ApplicationRecord) => ({
  ...structuredClone(application),
  documents: deliveriesOf(state, application.applicationId).flatMap((delivery) =>
    delivery.documents.map(({ type, data }) => ({
      source: 'diia',
      requestId: delivery.requestId,
      type,
      receivedOn: delivery.receivedOn,
      ...(data.docNumber ? { docNumber: data.docNumber } : {}),
      ...(data.issueDate ? { issueDate: data.issueDate } : {}),
      ...(data.expirationDate ? { expirationDate: data.expirationDate } : {}),
    })),
  ),
})

type DemographicPerson = {
  rnokpp?: string
  lastNameLatin?: string
  firstNameLatin?: string
  birthDate?: string
  status?: string
  documents?: { type?: string; number?: string; valid?: boolean }[]
}

const sharedData = (state: EResidencyState, application: ApplicationRecord) =>
  deliveriesOf(state, application.applicationId).flatMap((d) => d.documents.map((doc) => doc.data))

/** Whether ЄДДР records a valid travel document: the one applied with, else any foreign passport. */
const hasValidDocument = (person: DemographicPerson, documentNumbers: string[]) => {
  const documents = person.documents ?? []
  const named = documents.find((d) => d.number && documentNumbers.includes(d.number))
  if (named) return named.valid === true
  const passports = documents.filter((d) => d.type === 'foreign-passport')
  return (passports.length > 0 ? passports : documents).some((d) => d.valid === true)
}

const compareWithRegister = (
  applicant: Applicant,
  person: DemographicPerson,
  documentNumbers: string[],
): Omit<BackgroundCheck, 'checkedOn' | 'register'> => {
  const issues: string[] = []
  const namesMatch =
    fold(person.firstNameLatin) === fold(applicant.givenName) &&
    fold(person.lastNameLatin) === fold(applicant.familyName)
  if (!namesMatch)
    issues.push(`Names differ: ЄДДР has ${person.firstNameLatin} ${person.lastNameLatin}`)
  const birthDateMatches = person.birthDate === applicant.birthDate
  if (!birthDateMatches) issues.push(`Birth date differs: ЄДДР has ${person.birthDate}`)
  const personActive = person.status === 'active'
  if (!personActive) issues.push(`ЄДДР records the person as ${person.status}`)
  const validDocument = hasValidDocument(person, documentNumbers)
  if (!validDocument) issues.push('ЄДДР records no valid travel document')
  if (applicant.rnokpp && person.rnokpp && applicant.rnokpp !== person.rnokpp) {
    issues.push('RNOKPP differs from ЄДДР')
  }
  return {
    outcome: issues.length === 0 ? 'passed' : 'failed',
    personFound: true,
    namesMatch,
    birthDateMatches,
    personActive,
    validDocument,
    issues,
  }
}

/**
 * The background check: a Ukrainian applicant is looked up in ЄДДР by UNZR (from the application
 * or a document shared from Diia); for other countries no register is reachable, so it is manual.
 */
export const runBackgroundCheck = async (
  state: EResidencyState,
  application: ApplicationRecord,
  peers: Peers,
): Promise<BackgroundCheck> => {
  const { applicant } = application
  const checkedOn = state.today
  const expiry = applicant.identityDocument?.expiryDate
  const expired = expiry && expiry < state.today ? [`The travel document expired on ${expiry}`] : []
  const withLocal = (check: BackgroundCheck): BackgroundCheck =>
    expired.length === 0
      ? check
      : {
          ...check,
          outcome:
            check.outcome === 'passed' || check.outcome === 'manual' ? 'failed' : check.outcome,
          issues: [...check.issues, ...expired],
        }
  if (applicant.citizenship !== 'UA') {
    return withLocal({
      outcome: 'manual',
      checkedOn,
      issues: [
        `No register of ${applicant.citizenship} is reachable through the federation: the officer checks the documents`,
      ],
    })
  }
  const shared = sharedData(state, application)
  const unzr = applicant.unzr ?? shared.find((data) => data.unzr)?.unzr
  if (!unzr) {
    return withLocal({
      outcome: 'incomplete',
      checkedOn,
      issues: ['No UNZR: give it in the application or share a document that carries it from Diia'],
    })
  }
  const register = UA_DEMOGRAPHIC_REGISTER
  const answer: PeerResponse = await peers
    .call({
      service: register,
      method: 'GET',
      path: `/persons/${unzr}`,
      headers: { [UXP_HEADER_DISPLAY.purposeIds]: BACKGROUND_CHECK_PURPOSE },
    })
    .catch(() => ({ status: 0, headers: new Headers(), body: undefined }))
  if (answer.status === 404) {
    return withLocal({
      outcome: 'failed',
      checkedOn,
      register,
      personFound: false,
      issues: [`ЄДДР has no person with UNZR ${unzr}`],
    })
  }
  if (answer.status !== 200) {
    const fault = answer.headers.get('x-road-error')
    const why =
      answer.status === 0
        ? 'could not be reached'
        : `answered ${answer.status}${fault ? ` (${fault})` : ''}`
    return withLocal({ outcome: 'unavailable', checkedOn, register, issues: [`ЄДДР ${why}`] })
  }
  const documentNumbers = [
    applicant.identityDocument?.number,
    ...shared.map((d) => d.docNumber),
  ].filter((n): n is string => Boolean(n))
  const comparison = compareWithRegister(
    applicant,
    answer.body as DemographicPerson,
    documentNumbers,
  )
  return withLocal({ ...comparison, checkedOn, register })
}

const nextApplicationId = (state: EResidencyState) =>
  `EE-APP-${state.today.slice(0, 4)}-${String(state.nextApplicationNumber++).padStart(4, '0')}`

const submitApplication: OperationHandler<EResidencyState> = async ({ body }, { state, peers }) => {
  const request = structuredClone(body) as Pick<
    ApplicationRecord,
    'applicant' | 'motivation' | 'pickupLocation' | 'diiaRequestId'
  >
  const application: ApplicationRecord = {
    applicationId: nextApplicationId(state),
    status: 'submitted',
    submittedOn: state.today,
    ...request,
  }
  state.applications.push(application)
  for (const delivery of state.diiaDeliveries) {
    if (!delivery.applicationId && delivery.requestId === application.diiaRequestId) {
      delivery.applicationId = application.applicationId
    }
  }
  const submitted = view(state, application)
  application.backgroundCheck = await runBackgroundCheck(state, application, peers)
  application.status = 'background-check'
  return {
    status: 201,
    headers: { location: `/applications/${application.applicationId}` },
    body: submitted,
  }
}

const getApplication: OperationHandler<EResidencyState> = ({ pathParams }, { state }) => {
  const application = findApplication(state, pathParams.applicationId)
  return application
    ? { status: 200, body: view(state, application) }
    : applicationNotFound(pathParams.applicationId)
}

const samePerson = (a: Applicant, b: Applicant) =>
  a.unzr && b.unzr
    ? a.unzr === b.unzr
    : fold(a.givenName) === fold(b.givenName) &&
      fold(a.familyName) === fold(b.familyName) &&
      a.birthDate === b.birthDate &&
      a.citizenship === b.citizenship

/** An e-resident keeps their personal code when they apply again; others get the next serial. */
const assignPersonalCode = (state: EResidencyState, application: ApplicationRecord) =>
  state.applications.find(
    (a) => a !== application && a.personalCode && samePerson(a.applicant, application.applicant),
  )?.personalCode ??
  eePersonalCode.generate({
    sex: application.applicant.sex,
    birthDate: application.applicant.birthDate,
    serial: state.nextPersonalCodeSerial++,
  })

const DECIDED: ApplicationStatus[] = ['approved', 'rejected', 'card-issued']
const RECHECK: BackgroundCheck['outcome'][] = ['incomplete', 'unavailable']

const decideApplication: OperationHandler<EResidencyState> = async (
  { pathParams, body, headers },
  { state, peers },
) => {
  const application = findApplication(state, pathParams.applicationId)
  if (!application) return applicationNotFound(pathParams.applicationId)
  if (DECIDED.includes(application.status)) {
    return problem(
      'conflict',
      `Application ${application.applicationId} is already decided: ${application.status} on ${application.decision?.decidedOn}`,
    )
  }
  const { decision, reason } = body as { decision: 'approve' | 'reject'; reason?: string }
  const decidedBy = headers.get('x-road-userid') ?? undefined
  const record = {
    decision,
    ...(reason ? { reason } : {}),
    decidedOn: state.today,
    ...(decidedBy ? { decidedBy } : {}),
  }
  if (decision === 'reject') {
    application.status = 'rejected'
    application.decision = record
    return { status: 200, body: view(state, application) }
  }
  if (!application.backgroundCheck || RECHECK.includes(application.backgroundCheck.outcome)) {
    application.backgroundCheck = await runBackgroundCheck(state, application, peers)
    application.status = 'background-check'
  }
  const { outcome, issues } = application.backgroundCheck
  if (outcome !== 'passed' && outcome !== 'manual') {
    return problem(
      'conflict',
      `Application ${application.applicationId} cannot be approved: the background check is ${outcome}` +
        (issues.length > 0 ? ` (${issues.join('; ')})` : ''),
    )
  }
  application.status = 'approved'
  application.decision = record
  application.personalCode = assignPersonalCode(state, application)
  return { status: 200, body: view(state, application) }
}

/** Cards are valid for five years, to the day before. */
const fiveYearsFrom = (date: string) => {
  const end = new Date(`${date}T00:00:00Z`)
  end.setUTCFullYear(end.getUTCFullYear() + 5)
  end.setUTCDate(end.getUTCDate() - 1)
  return end.toISOString().slice(0, 10)
}

const issueCard: OperationHandler<EResidencyState> = ({ pathParams }, { state }) => {
  const application = findApplication(state, pathParams.applicationId)
  if (!application) return applicationNotFound(pathParams.applicationId)
  const { personalCode, applicant } = application
  if (application.status !== 'approved' || !personalCode) {
    return problem(
      'conflict',
      `Application ${application.applicationId} is ${application.status}: a card is issued only for an approved application`,
    )
  }
  const card = {
    documentNumber: `NC${String(state.nextCardNumber++).padStart(7, '0')}`,
    issuedOn: state.today,
    validUntil: fiveYearsFrom(state.today),
    pickupLocation: application.pickupLocation,
  }
  const existing = state.eResidents.find((r) => r.personalCode === personalCode)
  const resident: EResidentRecord = {
    personalCode,
    givenName: applicant.givenName,
    familyName: applicant.familyName,
    citizenship: applicant.citizenship,
    status: 'active',
    eResidentSince: existing?.eResidentSince ?? state.today,
    card,
  }
  if (existing) Object.assign(existing, resident)
  else state.eResidents.push(resident)
  application.status = 'card-issued'
  application.cardIssuedOn = state.today
  application.cardNumber = card.documentNumber
  return { status: 200, body: view(state, application) }
}

const effectiveStatus = (resident: EResidentRecord, today: string): EResidentStatus =>
  resident.status === 'active' && resident.card.validUntil < today ? 'expired' : resident.status

const withResident = (
  state: EResidencyState,
  code: string | undefined,
  answer: (resident: EResidentRecord, status: EResidentStatus) => unknown,
): MockResponse => {
  const resident = state.eResidents.find((r) => r.personalCode === code)
  if (!resident) return problem('notFound', `No e-resident with personal code ${code}`)
  return { status: 200, body: answer(resident, effectiveStatus(resident, state.today)) }
}

const getEResident: OperationHandler<EResidencyState> = ({ pathParams }, { state }) =>
  withResident(state, pathParams.personalCode, (r, status) => ({
    personalCode: r.personalCode,
    givenName: r.givenName,
    familyName: r.familyName,
    citizenship: r.citizenship,
    status,
    eResidentSince: r.eResidentSince,
    cardNumber: r.card.documentNumber,
    validUntil: r.card.validUntil,
  }))

const getEResidentCard: OperationHandler<EResidencyState> = ({ pathParams }, { state }) =>
  withResident(state, pathParams.personalCode, (r, status) => ({
    personalCode: r.personalCode,
    documentType: 'digi-id',
    status,
    ...structuredClone(r.card),
  }))

/**
 * Diia's delivery: linked to the application it names, else to the one its request id is the
 * number of, else to the one submitted under its request id, else kept until that application is
 * submitted.
 */
const receiveDiiaDocuments: OperationHandler<EResidencyState> = ({ body }, { state }) => {
  const delivery = structuredClone(body) as Omit<DiiaDelivery, 'receivedOn'>
  let applicationId: string | undefined
  if (delivery.applicationId) {
    if (!findApplication(state, delivery.applicationId)) {
      return applicationNotFound(delivery.applicationId)
    }
    applicationId = delivery.applicationId
  } else {
    // The portal names its Diia request after the application, or gives the request id with it.
    applicationId = state.applications.find(
      (a) => a.applicationId === delivery.requestId || a.diiaRequestId === delivery.requestId,
    )?.applicationId
  }
  state.diiaDeliveries = state.diiaDeliveries.filter((d) => d.requestId !== delivery.requestId)
  state.diiaDeliveries.push({
    requestId: delivery.requestId,
    ...(applicationId ? { applicationId } : {}),
    receivedOn: state.today,
    documentTypes: delivery.documentTypes,
    documents: delivery.documents,
  })
  return {
    status: 202,
    body: {
      requestId: delivery.requestId,
      received: true,
      ...(applicationId ? { applicationId } : {}),
    },
  }
}

/** e-Residency (PPA): applications, decisions, digital ID cards, and documents shared from Diia. */
export const eeEResidency: ServiceMock<EResidencyState> = {
  id: 'ee-e-residency',
  seed: SEED,
  handlers: {
    submitApplication,
    getApplication,
    decideApplication,
    issueCard,
    getEResident,
    getEResidentCard,
    receiveDiiaDocuments,
  },
}
