import type { Federation } from '../../specs/federation/index.ts'
import { UXP_ENDPOINT } from '../../specs/protocol/uxp/index.ts'
import type { Scenario, Step, Workflow } from './types.ts'
import { CLIENT_HEADER } from './internal/workflows.ts'

/**
 * The runs a peer Arazzo runner (Redocly respect, …) needs for a scenario: a peer sends a step to
 * its source's server URL, so every source must map to the security server of the instance that
 * calls it, with the service in the path (X-Road `/r1/{serviceId}`) or in the Uxp-Service header
 * (Trembita `/restapi`); a service reached directly maps to its own address. Workflows are grouped
 * so that within a group each source has one URL.
 */
export type PeerRun = {
  /** The calling instance of the group's workflows. */
  instance: string
  workflowIds: string[]
  /** Source name → server URL. */
  servers: Record<string, string>
}

/** Security server base URLs by instance code, as `sild serve` writes them in its ready file. */
export type SecurityServerUrls = Record<string, string>

/** Base URLs of the services reached directly (`access: direct`), by service id. */
export type DirectServiceUrls = Record<string, string>

/**
 * The peer runs of a scenario: one per calling instance, with each workflow in the run of the
 * instance its steps call from (a workflow that waits for another, by dependsOn or a workflow
 * step, goes with it).
 */
export const peerRuns = (
  scenario: Scenario,
  federation: Federation,
  securityServers: SecurityServerUrls,
  directServices: DirectServiceUrls = {},
): PeerRun[] => {
  const runs = new Map<string, PeerRun>()
  for (const workflow of scenario.workflows) {
    const instance = callingInstance(scenario, workflow)
    if (!instance) continue
    const base = securityServers[instance]
    const protocol = federation.instance(instance)?.protocol
    if (!base || !protocol) continue
    const run = runs.get(instance) ?? { instance, workflowIds: [], servers: {} }
    runs.set(instance, run)
    run.workflowIds.push(workflow.workflowId)
    for (const step of workflow.steps) {
      if (step.target.kind !== 'operation') continue
      const serviceKey = step.call?.service ?? step.target.service.key
      const direct = step.target.service.direct ? directServices[step.target.service.id] : undefined
      if (step.target.service.direct && direct === undefined) continue
      run.servers[step.target.source.name] =
        direct !== undefined
          ? direct
          : protocol === 'uxp-rest'
            ? `${base}${UXP_ENDPOINT}`
            : `${base}/r1/${serviceKey.split('/').map(encodeURIComponent).join('/')}`
    }
  }
  return [...runs.values()]
}

/** The instance a workflow's operation steps call from (its first one's, or that of what it waits for). */
const callingInstance = (
  scenario: Scenario,
  workflow: Workflow,
  seen = new Set<string>(),
): string | undefined => {
  if (seen.has(workflow.workflowId)) return undefined
  seen.add(workflow.workflowId)
  for (const step of workflow.steps) {
    const client = step.target.kind === 'operation' ? clientOf(step) : undefined
    if (client) return client.split('/')[0]
  }
  for (const id of [
    ...workflow.dependsOn,
    ...workflow.steps.flatMap((s) => (s.target.kind === 'workflow' ? [s.target.workflowId] : [])),
  ]) {
    const other = scenario.workflows.find((w) => w.workflowId === id)
    const instance = other && callingInstance(scenario, other, seen)
    if (instance) return instance
  }
  return undefined
}

const clientOf = (step: Step): string | undefined => {
  const header = step.parameters.findLast((p) => p.in === 'header' && CLIENT_HEADER.test(p.name))
  return typeof header?.value === 'string' && !header.value.startsWith('$')
    ? header.value
    : step.client
}
