import { UXP_CHOICES, XROAD_HEADER } from '../../specs/protocol/index.ts'
import type { ProviderUse, ScenarioResult } from '../types.ts'

/** The one cause behind a profile's failures; `silent` when the provider never answered at all. */
export type Diagnosis = { message: string; silent: boolean }

type Tally = {
  service: string
  reached: number
  unanswered: number
  /** Why the first unanswered call got no answer. */
  firstSilence?: string
  answers: number
  /** Whether every answer so far was a 404. */
  all404: boolean
}

const FAULT_HEADERS = [XROAD_HEADER.error, UXP_CHOICES.errorHeader]

/**
 * Per `party\0profile`: whether the provider never answered (every call that reached for it got
 * no answer), or answered 404 to every call (a wrong base path). Read from the `reachable`
 * outcomes, which apply to exactly the calls that reached for the provider.
 */
export const diagnose = (
  scenarios: ReadonlyArray<ScenarioResult>,
  providers: ReadonlyArray<ProviderUse>,
): Map<string, Diagnosis> => {
  const tally = diagnosisTally()
  for (const scenario of scenarios) tally.add(scenario)
  return tally.diagnoses(providers)
}

/** `diagnose` one scenario at a time, keeping counts only; scenarios are added in run order. */
export const diagnosisTally = () => {
  const tallies = new Map<string, Tally>()
  return {
    add(scenario: ScenarioResult) {
      for (const workflow of scenario.workflows)
        for (const step of workflow.steps) {
          const reachable = step.outcomes.find((o) => o.check === 'reachable')
          const exchange = step.exchange
          if (!reachable || !exchange) continue
          const key = `${reachable.party}\u0000${reachable.profile}`
          const tally = tallies.get(key) ?? {
            service: exchange.service,
            reached: 0,
            unanswered: 0,
            answers: 0,
            all404: true,
          }
          tally.reached++
          const response = exchange.response
          if (!reachable.passed) {
            tally.unanswered++
            tally.firstSilence ??= exchange.transportError ?? reachable.message ?? ''
          } else if (response && !FAULT_HEADERS.some((h) => h in response.headers)) {
            tally.answers++
            if (response.status !== 404) tally.all404 = false
          }
          tallies.set(key, tally)
        }
    },
    diagnoses(providers: ReadonlyArray<ProviderUse>): Map<string, Diagnosis> {
      const found = new Map<string, Diagnosis>()
      for (const [key, tally] of tallies) {
        const url = providers.find((p) => p.key === tally.service)?.url
        const provider =
          url && url !== 'mock' ? `provider ${url}` : `the provider of ${tally.service}`
        const calls = tally.reached === 1 ? 'the only call' : `all ${tally.reached} calls`
        if (tally.unanswered === tally.reached) {
          const [what, fix] = silence(tally.firstSilence ?? '')
          found.set(key, { message: `${provider} ${what} on ${calls}: ${fix}`, silent: true })
        } else if (tally.answers > 1 && tally.all404) {
          found.set(key, {
            message: `${provider} answered 404 to ${tally.answers === tally.reached ? calls : `all ${tally.answers} calls it answered`}: is the base path right?`,
            silent: false,
          })
        }
      }
      return found
    },
  }
}

const silence = (message: string): [what: string, fix: string] => {
  if (/ECONNREFUSED/.test(message))
    return ['refused the connection', 'is it running, on that host and port?']
  if (/ENOTFOUND|EAI_AGAIN/.test(message))
    return ['could not be found (its host name does not resolve)', 'is the host name right?']
  if (/timed? ?out|timeout/i.test(message))
    return ['did not answer in time', 'is it stuck, or slower than the timeout (--timeout)?']
  if (/ECONNRESET|socket hang up|closed/i.test(message))
    return ['closed the connection without answering', 'does it crash on these requests?']
  return [`gave no usable answer (${message})`, 'is the URL right?']
}
