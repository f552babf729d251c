import { notApplicableChecks } from '../../specs/conformance/index.ts'
import { checks } from '../checks/index.ts'
import type { Level } from '../types.ts'

/** A mandatory check a profile's scorecard must see applied, and what applies it. */
export type Requirement = { check: string; level: Level; appliedBy: string }

export type ProfileRequirements = {
  required: Requirement[]
  notApplicable: Array<{ check: string; level: Level; reason: string }>
}

// Checks about the calling client score the client's instance in its consumer role: a provider
// profile never requires them.
const PROVIDER_MANDATORY = checks.filter((c) => c.mandatory && c.subject !== 'client')

const cache = new Map<string, ProfileRequirements>()

/**
 * The mandatory checks of the registry that a profile's scorecard must see applied at least once
 * to reach their level, less those the profile's contract cannot exercise (declared with the
 * profile in specs/conformance and specs/partner/profiles.ts, each with its reason).
 */
export const requirementsOf = (profile: string): ProfileRequirements => {
  const known = cache.get(profile)
  if (known) return known
  const exempt = notApplicableChecks(profile)
  const result: ProfileRequirements = { required: [], notApplicable: [] }
  for (const check of PROVIDER_MANDATORY) {
    const reason = Object.hasOwn(exempt, check.name) ? exempt[check.name] : undefined
    if (reason === undefined)
      result.required.push({ check: check.name, level: check.level, appliedBy: check.appliedBy })
    else result.notApplicable.push({ check: check.name, level: check.level, reason })
  }
  cache.set(profile, result)
  return result
}
