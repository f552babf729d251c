import { PROFILES } from '../partner/profiles.ts'

type Exemptions = Readonly<Record<string, string>>

/** The profile under which a partner's own security server is probed from the outside. */
export const SECURITY_SERVER_PROFILE = 'security-server'

/** The profile under which the metaservices a security server answers itself are scored. */
export const METASERVICES_PROFILE = 'metaservices'

const SECURITY_SERVER_FAULTS =
  "it judges a security server's faults, which the security-server probe requires (--partner-security-server); a service's contract meets them only when a step happens to be refused"

/** Mandatory checks no service profile is required to exercise, with the reason. */
const EVERY_SERVICE_PROFILE: Exemptions = {
  expectedOutcome:
    "it judges the security servers' protocol refusals (x-sild-expect) in the scenarios that probe them; a service's own contract is judged by successCriteria and the level-4 probes",
  errorBodyFormat: SECURITY_SERVER_FAULTS,
  faultStatusClass: SECURITY_SERVER_FAULTS,
}

const NO_FIXED_FACTS =
  'its answers state no fact fixed for life (birth date, sex, registration date) of the same identifier twice'

const DIRECT =
  "Diia's acquirer API is reached directly over HTTPS with a session token, not through a security server (diiaintegration/ua-acquirers-sdk-js), so no security-server header is sent or returned"

/**
 * Mandatory checks that profiles no partner can claim cannot exercise, with the reason. A
 * scorecard does not require them; one that applies them still counts them.
 */
const OTHER_PROFILES: Readonly<Record<string, Exemptions>> = {
  [SECURITY_SERVER_PROFILE]: {
    requestIdPresent:
      'asked of X-Road only (PR-REST §4.3); UXP documents no X-Road-Request-Id, so a Trembita security server is not asked for it',
    requestHashPresent:
      'asked of X-Road only (PR-REST §4.3); UXP documents no request hash, so a Trembita security server is not asked for it',
    crossStepConsistency: "the probe reads each service once; the service's scorecard judges it",
    badIdentifierRejected:
      "the probe sends valid identifiers; the service's scorecard judges the refusal of bad ones",
    unauthorizedRefused:
      "the probe calls from a client holding a right; the service's scorecard judges the refusal of its outsider",
  },
  metaservices: {
    badIdentifierRejected: 'the metaservices take no identifier parameters',
    unauthorizedRefused:
      "the metaservices are the security server's own, answered to any client (PR-MREST), not guarded by access rights",
    crossStepConsistency: 'the metaservices state no facts about people or companies',
  },
  'ee-tax-board': { crossStepConsistency: NO_FIXED_FACTS },
  'ua-tax-service': { crossStepConsistency: NO_FIXED_FACTS },
  'ua-diia': {
    crossStepConsistency: NO_FIXED_FACTS,
    clientHeaderWellFormed: DIRECT,
    responseIdsEchoed: DIRECT,
    requestIdPresent: DIRECT,
    requestHashPresent: DIRECT,
  },
}

/** The mandatory checks a profile is exempt from, by check name, each with its reason. */
export const notApplicableChecks = (profile: string): Exemptions => ({
  ...(profile === SECURITY_SERVER_PROFILE ? {} : EVERY_SERVICE_PROFILE),
  ...(Object.hasOwn(PROFILES, profile) ? PROFILES[profile]?.notApplicable : undefined),
  ...(Object.hasOwn(OTHER_PROFILES, profile) ? OTHER_PROFILES[profile] : undefined),
})
