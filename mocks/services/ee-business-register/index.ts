import { eeRegistryCode } from '../../../specs/formats/index.ts'
import { problem } from '../problem.ts'
import { worldSeed } from '../world-seed.ts'
import type { OperationHandler, PeerCall, PeerResponse, Peers, ServiceMock } from '../types.ts'

/** The services the registrar asks about founders and board members, through X-tee. */
export const POPULATION_REGISTER = 'ee-test/GOV/70008440/rr/population'
export const E_RESIDENCY = 'ee-test/GOV/70008747/e-residency/e-residency'

export type Money = { amount: number; currency: 'EUR' }
export type LegalForm = 'OÜ' | 'AS' | 'MTÜ'

export type AddressInput = {
  county: string
  municipality: string
  settlement?: string
  street: string
  house: string
  apartment?: string
  postalCode: string
}

export type Representative = {
  personalCode: string
  codeType: 'personal-code' | 'e-resident-code'
  givenName: string
  familyName: string
  role: 'board-member' | 'founder'
  since: string
  until?: string
  share?: Money
}

export type CompanyRecord = {
  registryCode: string
  name: string
  legalForm: LegalForm
  status: 'founding' | 'registered' | 'liquidation' | 'deleted'
  founded: string
  deleted?: string
  address: AddressInput & { fullAddress: string }
  shareCapital?: Money
  activity?: { emtakCode: string; description?: string }
  representatives: Representative[]
}

export type RejectionReason = {
  code:
    | 'name-without-legal-form'
    | 'name-taken'
    | 'share-capital-mismatch'
    | 'person-not-found'
    | 'person-deceased'
    | 'e-residency-not-active'
    | 'verification-unavailable'
  personalCode?: string
  message: string
}

export type FoundingApplication = {
  applicationId: string
  status: 'submitted' | 'registered' | 'rejected'
  submittedOn: string
  companyName: string
  legalForm: 'OÜ' | 'AS'
  registryCode?: string
  registeredOn?: string
  reasons?: RejectionReason[]
}

export type FoundingApplicationRequest = {
  companyName: string
  legalForm: 'OÜ' | 'AS'
  shareCapital: Money
  address: AddressInput
  activity?: { emtakCode: string }
  founders: { personalCode: string; share: Money }[]
  board: { personalCode: string }[]
}

export type BusinessRegisterState = {
  /** The sandbox's date: new applications and companies carry it. */
  today: string
  nextApplicationNumber: number
  /** The 7-digit serial of the next registry code to assign (the 8th digit is its check digit). */
  nextRegistrySerial: number
  companies: CompanyRecord[]
  foundingApplications: FoundingApplication[]
}

const SEED = worldSeed<BusinessRegisterState>(
  new URL('../../world/ee-business-register.yaml', import.meta.url),
)

const findCompany = (state: BusinessRegisterState, code: string | undefined) =>
  state.companies.find((c) => c.registryCode === code)

const companyNotFound = (code: string | undefined) =>
  problem('notFound', `No company with registry code ${code} in the business register`)

const getCompany: OperationHandler<BusinessRegisterState> = ({ pathParams }, { state }) => {
  const company = findCompany(state, pathParams.registryCode)
  if (!company) return companyNotFound(pathParams.registryCode)
  const { representatives: _, ...body } = company
  return { status: 200, body: structuredClone(body) }
}

const getRepresentatives: OperationHandler<BusinessRegisterState> = ({ pathParams }, { state }) => {
  const company = findCompany(state, pathParams.registryCode)
  if (!company) return companyNotFound(pathParams.registryCode)
  const { registryCode, name: companyName, representatives: items } = company
  return { status: 200, body: { registryCode, companyName, items: structuredClone(items) } }
}

const getFoundingApplication: OperationHandler<BusinessRegisterState> = (
  { pathParams },
  { state },
) => {
  const application = state.foundingApplications.find(
    (a) => a.applicationId === pathParams.applicationId,
  )
  return application
    ? { status: 200, body: structuredClone(application) }
    : problem('notFound', `No founding application ${pathParams.applicationId}`)
}

type PersonCheck =
  | { ok: true; codeType: Representative['codeType']; givenName: string; familyName: string }
  | { ok: false; reason: RejectionReason }

type PersonAnswer = { givenName?: string; familyName?: string; status?: string }

const unavailable = (code: string, register: string, answer: PeerResponse): PersonCheck => {
  const fault = answer.headers.get('x-road-error')
  const why =
    answer.status === 0
      ? 'could not be reached'
      : `answered ${answer.status}${fault ? ` (${fault})` : ''}`
  return {
    ok: false,
    reason: {
      code: 'verification-unavailable',
      personalCode: code,
      message: `${code} could not be verified: the ${register} ${why}`,
    },
  }
}

/** A register that cannot be reached answers like one that failed: status 0. */
const ask = async (peers: Peers, call: PeerCall): Promise<PeerResponse> => {
  try {
    return await peers.call(call)
  } catch {
    return { status: 0, headers: new Headers(), body: undefined }
  }
}

/** A founder or board member must be a living resident or an active e-resident. */
export const checkPerson = async (peers: Peers, code: string): Promise<PersonCheck> => {
  const resident = await ask(peers, {
    service: POPULATION_REGISTER,
    method: 'GET',
    path: `/persons/${code}`,
  })
  if (resident.status === 200) {
    const person = resident.body as PersonAnswer
    if (person.status === 'deceased') {
      return {
        ok: false,
        reason: { code: 'person-deceased', personalCode: code, message: `${code} is deceased` },
      }
    }
    return {
      ok: true,
      codeType: 'personal-code',
      givenName: String(person.givenName),
      familyName: String(person.familyName),
    }
  }
  if (resident.status !== 404) return unavailable(code, 'population register', resident)
  const eResident = await ask(peers, {
    service: E_RESIDENCY,
    method: 'GET',
    path: `/e-residents/${code}`,
  })
  if (eResident.status === 404) {
    return {
      ok: false,
      reason: {
        code: 'person-not-found',
        personalCode: code,
        message: `${code} is neither in the population register nor an e-resident`,
      },
    }
  }
  if (eResident.status !== 200) return unavailable(code, 'e-Residency register', eResident)
  const person = eResident.body as PersonAnswer
  if (person.status !== 'active') {
    return {
      ok: false,
      reason: {
        code: 'e-residency-not-active',
        personalCode: code,
        message: `${code} is an e-resident whose digital ID is ${String(person.status)}`,
      },
    }
  }
  return {
    ok: true,
    codeType: 'e-resident-code',
    givenName: String(person.givenName),
    familyName: String(person.familyName),
  }
}

const cents = (money: Money) => Math.round(money.amount * 100)

const fold = (name: string) => name.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim()

const nameAndCapitalReasons = (
  state: BusinessRegisterState,
  request: FoundingApplicationRequest,
): RejectionReason[] => {
  const reasons: RejectionReason[] = []
  if (!request.companyName.trim().endsWith(` ${request.legalForm}`)) {
    reasons.push({
      code: 'name-without-legal-form',
      message: `The name "${request.companyName}" must end with the legal form ${request.legalForm}`,
    })
  }
  const taken = state.companies.find(
    (c) => c.status !== 'deleted' && fold(c.name) === fold(request.companyName),
  )
  if (taken) {
    reasons.push({
      code: 'name-taken',
      message: `The name "${taken.name}" is taken by the company ${taken.registryCode}`,
    })
  }
  const shares = request.founders.reduce((sum, f) => sum + cents(f.share), 0)
  if (shares !== cents(request.shareCapital)) {
    reasons.push({
      code: 'share-capital-mismatch',
      message: `The founders' shares add up to ${shares / 100} EUR but the share capital is ${request.shareCapital.amount} EUR`,
    })
  }
  return reasons
}

/** ADS writes the full address from the county down, e.g. `Harju maakond, Tallinn, …, Narva mnt 5`. */
const fullAddress = (a: AddressInput) =>
  [
    a.county,
    a.municipality,
    a.settlement,
    `${a.street} ${a.house}${a.apartment ? `-${a.apartment}` : ''}`,
  ]
    .filter(Boolean)
    .join(', ')

const registerCompany = (
  state: BusinessRegisterState,
  request: FoundingApplicationRequest,
  people: Map<string, Extract<PersonCheck, { ok: true }>>,
): CompanyRecord => {
  const since = state.today
  const representative = (personalCode: string, role: Representative['role']) => {
    const { codeType, givenName, familyName } = people.get(personalCode)!
    return { personalCode, codeType, givenName, familyName, role, since }
  }
  const company: CompanyRecord = {
    registryCode: eeRegistryCode.generate({ kind: 'company', serial: state.nextRegistrySerial++ }),
    name: request.companyName.trim(),
    legalForm: request.legalForm,
    status: 'registered',
    founded: state.today,
    address: { fullAddress: fullAddress(request.address), ...request.address },
    shareCapital: request.shareCapital,
    ...(request.activity ? { activity: request.activity } : {}),
    representatives: [
      ...request.founders.map((f) => ({
        ...representative(f.personalCode, 'founder'),
        share: f.share,
      })),
      ...request.board.map((b) => representative(b.personalCode, 'board-member')),
    ],
  }
  state.companies.push(company)
  return company
}

/**
 * Decides a founding application at once: the registrar checks name and capital, then asks the
 * population register, or else e-Residency, about every founder and board member.
 */
const submitFoundingApplication: OperationHandler<BusinessRegisterState> = async (
  { body },
  { state, peers },
) => {
  const request = structuredClone(body) as FoundingApplicationRequest
  const applicationId = `EE-FA-${state.today.slice(0, 4)}-${String(state.nextApplicationNumber++).padStart(4, '0')}`
  const reasons = nameAndCapitalReasons(state, request)
  const people = new Map<string, Extract<PersonCheck, { ok: true }>>()
  const codes = [...new Set([...request.founders, ...request.board].map((p) => p.personalCode))]
  for (const code of codes) {
    const check = await checkPerson(peers, code)
    if (check.ok) people.set(code, check)
    else reasons.push(check.reason)
  }
  const base = {
    applicationId,
    submittedOn: state.today,
    companyName: request.companyName,
    legalForm: request.legalForm,
  }
  const application: FoundingApplication =
    reasons.length > 0
      ? { ...base, status: 'rejected', reasons }
      : {
          ...base,
          status: 'registered',
          registryCode: registerCompany(state, request, people).registryCode,
          registeredOn: state.today,
        }
  state.foundingApplications.push(application)
  return {
    status: 201,
    headers: { location: `/founding-applications/${applicationId}` },
    body: structuredClone(application),
  }
}

/** Äriregister: companies, representatives and founding applications of the business register. */
export const eeBusinessRegister: ServiceMock<BusinessRegisterState> = {
  id: 'ee-business-register',
  seed: SEED,
  handlers: { getCompany, getRepresentatives, submitFoundingApplication, getFoundingApplication },
}
