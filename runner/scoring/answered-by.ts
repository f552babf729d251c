import { METASERVICES_PROFILE, SECURITY_SERVER_PROFILE } from '../../specs/conformance/index.ts'
import type { ProviderUse, ScenarioResult, SildAnswered } from '../types.ts'

/**
 * Per `party\0profile`: what of the sandbox itself answered the profile's calls. A service whose
 * provider is `mock` was answered by Sild's own mock of it; a call with no provider recorded went
 * to a metaservice, which the party's security server answers: Sild's simulated one, unless the
 * run probed the party's own (`security-server` scorecard). Without a providers record (a report
 * from before it was kept) nothing can be said, and nothing is.
 */
export const answeredBySild = (
  scenarios: ReadonlyArray<ScenarioResult>,
  providers: ReadonlyArray<ProviderUse> | undefined,
): Map<string, SildAnswered> => {
  const tally = answeredByTally()
  for (const scenario of scenarios) tally.add(scenario)
  return tally.answered(providers)
}

/** `answeredBySild` one scenario at a time, keeping only the services each profile called. */
export const answeredByTally = () => {
  const keysOf = new Map<string, Set<string>>()
  return {
    add(scenario: ScenarioResult) {
      for (const workflow of scenario.workflows)
        for (const step of workflow.steps) {
          if (!step.exchange) continue
          for (const o of step.outcomes) {
            const key = `${o.party}\u0000${o.profile}`
            const keys = keysOf.get(key) ?? new Set<string>()
            keys.add(step.exchange.service)
            keysOf.set(key, keys)
          }
        }
    },
    answered(providers: ReadonlyArray<ProviderUse> | undefined): Map<string, SildAnswered> {
      const found = new Map<string, SildAnswered>()
      if (!providers) return found
      const byKey = new Map(providers.map((p) => [p.key, p]))
      for (const [key, serviceKeys] of keysOf) {
        const [party = '', profile = ''] = key.split('\u0000')
        if (profile === SECURITY_SERVER_PROFILE) continue
        const ownSecurityServer = keysOf.has(`${party}\u0000${SECURITY_SERVER_PROFILE}`)
        const mocks = new Set<string>()
        let securityServer = false
        for (const serviceKey of serviceKeys) {
          const use = byKey.get(serviceKey)
          if (use?.url === 'mock') mocks.add(use.service)
          else if (!use && !ownSecurityServer) securityServer = true
        }
        if (profile === METASERVICES_PROFILE && !ownSecurityServer) securityServer = true
        if (mocks.size || securityServer)
          found.set(key, { mocks: [...mocks].sort(), securityServer })
      }
      return found
    },
  }
}
