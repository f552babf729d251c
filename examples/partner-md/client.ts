/**
 * md-test's citizen portal (servicii.gov.md) as a consumer: it reads Estonian and Ukrainian
 * registers through md-test's own security server, as X-Road REST requires.
 */

/** The portal's subsystem in md-test. */
export const PORTAL = 'md-test/GOV/1010600034821/portal'

const EE_POPULATION = 'ee-test/GOV/70008440/rr/population'
const UA_LEGAL_ENTITIES = 'SEVDEIR-TEST/GOV/00015622/EDR/LegalEntities_v1'

export type PortalClientOptions = {
  /** md-test's security server, e.g. `http://md-test.ss.sild.test` in tests or sild serve's URL. */
  securityServer: string
  /** The user on whose behalf the portal asks (X-Road-UserId), with the country prefix. */
  userId?: string
  fetch?: typeof fetch
}

/** An X-Road fault or a register's problem answer, kept whole for the caller. */
export class RegisterError extends Error {
  override readonly name = 'RegisterError'
  constructor(
    readonly status: number,
    readonly fault: string | undefined,
    readonly body: unknown,
  ) {
    super(`register answered ${status}${fault ? ` (${fault})` : ''}`)
  }
}

export type EstonianPerson = {
  personalCode: string
  givenName: string
  familyName: string
  status: string
}
export type UkrainianEntity = { edrpou: string; shortNameLatin: string; status: { code: string } }

export const createPortalClient = ({
  securityServer,
  userId = 'MD2003012345678',
  // Looked up at each call, so a fetch patched later (by msw in tests) is the one used.
  fetch: send = (input, init) => fetch(input, init),
}: PortalClientOptions) => {
  const call = async <T>(service: string, path: string, extra: Record<string, string> = {}) => {
    const response = await send(`${securityServer}/r1/${service}${path}`, {
      headers: {
        accept: 'application/json',
        'X-Road-Client': PORTAL,
        'X-Road-UserId': userId,
        ...extra,
      },
    })
    const body: unknown = await response.json()
    if (!response.ok) {
      throw new RegisterError(
        response.status,
        response.headers.get('x-road-error') ?? undefined,
        body,
      )
    }
    return body as T
  }
  return {
    /** A person in the Estonian population register (Rahvastikuregister). */
    estonianPerson: (personalCode: string) =>
      call<EstonianPerson>(EE_POPULATION, `/persons/${encodeURIComponent(personalCode)}`),
    /** A company in the Ukrainian legal-entities register (ЄДР); Trembita wants a purpose for it. */
    ukrainianEntity: (edrpou: string) =>
      call<UkrainianEntity>(UA_LEGAL_ENTITIES, `/legal-entities/${encodeURIComponent(edrpou)}`, {
        'Uxp-Purpose-Ids': 'md-portal-business-partner-check',
      }),
  }
}
