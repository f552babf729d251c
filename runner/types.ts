/**
 * The result model of a run: what the runner emits, what reporters read and what the canonical
 * JSON report (`sild.report/v1`, schema in reports/schema/) serialises. Plain data only.
 */

export type Severity = 'critical' | 'high' | 'medium' | 'low'

/** 1 Connected, 2 Contract-conformant, 3 Interoperable, 4 Hardened (DESIGN.md). */
export type Level = 1 | 2 | 3 | 4

export const LEVEL_NAMES: Record<Level, string> = {
  1: 'Connected',
  2: 'Contract-conformant',
  3: 'Interoperable',
  4: 'Hardened',
}

/** Weights of the severity-weighted score. */
export const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 8, high: 4, medium: 2, low: 1 }

export type StepState = 'pass' | 'fail' | 'skip' | 'error'

/**
 * What a client speaks: X-Road REST or Trembita/UXP REST to its own security server, or plain
 * HTTPS to a service reached directly, without security servers (Diia's acquirer API).
 */
export type Protocol = 'xroad-rest' | 'uxp-rest' | 'https'

/** One HTTP exchange as the calling information system saw it, plus where it went. */
export type Exchange = {
  /** `scenario/workflow/step#attempt`, unique within a run. */
  id: string
  /** Calling subsystem, `INSTANCE/CLASS/MEMBER/SUBSYSTEM`. */
  client: string
  /** Called service, `INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE`. */
  service: string
  /** The federation's short id of the service, e.g. `ee-population-register`. */
  serviceId: string
  operationId: string
  /** The protocol the client spoke to its security server, or `https` to a direct service. */
  protocol: Protocol
  request: {
    method: string
    url: string
    headers: Record<string, string>
    body?: unknown
  }
  response?: {
    status: number
    headers: Record<string, string>
    /** Parsed JSON when the body is JSON, else the text. */
    body?: unknown
  }
  /** Set when no HTTP response came back (connection refused, timeout). */
  transportError?: string
  durationMs: number
  /** Information system → security servers → information system. */
  hops: Array<{ from: string; to: string; protocol: Protocol | 'transport' }>
  /** Message-log records of the exchange (`INSTANCE#seq`), as the security servers reported them. */
  logRefs: string[]
}

/** A check's verdict on one subject (an exchange, a step or a workflow). */
export type CheckFailure = {
  check: string
  title: string
  message: string
  severity: Severity
  level: Level
  /** Where it happened. */
  scenario: string
  workflowId: string
  stepId?: string
  exchangeId?: string
  operationId?: string
}

/** One application of one check: passed, or failed with its failures. */
export type CheckOutcome = {
  check: string
  level: Level
  severity: Severity
  mandatory: boolean
  passed: boolean
  /** Present when the check failed. */
  message?: string
  /** The party and profile the outcome counts for in the scorecards. */
  party: string
  profile: string
}

export type StepResult = {
  stepId: string
  workflowId: string
  state: StepState
  description?: string
  attempts: number
  exchange?: Exchange
  outcomes: CheckOutcome[]
  failures: CheckFailure[]
  /** Why a step errored or was skipped. */
  message?: string
  outputs: Record<string, unknown>
}

export type WorkflowResult = {
  workflowId: string
  summary?: string
  profile?: string
  client?: string
  state: StepState
  steps: StepResult[]
  /** Workflow-level checks (consistency across steps, success criteria of the whole story). */
  outcomes: CheckOutcome[]
  failures: CheckFailure[]
  outputs: Record<string, unknown>
  message?: string
}

export type ScenarioResult = {
  /** The file's base name without `.arazzo.yaml`: stable across machines. */
  id: string
  file: string
  title: string
  description?: string
  /** SHA-256 of the scenario file. */
  digest: string
  state: StepState
  workflows: WorkflowResult[]
  durationMs: number
}

export type ScorecardCheck = {
  check: string
  level: Level
  severity: Severity
  mandatory: boolean
  passed: number
  failed: number
}

/** Where a level stands for one party and profile. */
export type LevelState = 'passed' | 'blocked' | 'not-tested'

/** One level of a scorecard: passed, blocked by failing checks, or not tested by this run. */
export type LevelVerdict = {
  level: Level
  state: LevelState
  /** Mandatory checks of this level that failed, each with its first message. */
  blocking: Array<{ check: string; level: Level; message: string }>
  /** Mandatory checks of this level the profile must exercise that were never applied, and what applies them. */
  untested: Array<{ check: string; appliedBy: string }>
}

/** How one party does on one profile. */
export type Scorecard = {
  /** An instance code (`ee-test`), or a partner's. */
  party: string
  /** A profile: the service contract exercised, e.g. `ee-population-register`. */
  profile: string
  /** Severity-weighted share of passed check applications, 0–100, one decimal. */
  score: number
  /** Highest level whose mandatory checks, and those of every level below, all pass; 0 = none. */
  level: 0 | Level
  checks: ScorecardCheck[]
  /** The mandatory checks that fail at the level above the one reached, or below it. */
  blocking: Array<{ check: string; level: Level; message: string }>
  /** Levels 1 to 4 in order, each passed, blocked or not tested. */
  levels: LevelVerdict[]
  /** Mandatory checks the profile's contract cannot exercise, with the reason; not required of it. */
  notApplicable: Array<{ check: string; level: Level; reason: string }>
  /** The one cause behind most failures, when there is one (provider unreachable, wrong base path). */
  diagnosis?: string
  /**
   * Set when Sild itself answered calls of this profile, so that the scorecard shows the sandbox at
   * work rather than an implementation: never certified.
   */
  answeredBySild?: SildAnswered
}

/** What of the sandbox answered a profile's calls in place of an implementation. */
export type SildAnswered = {
  /** Services (federation ids) answered by Sild's own mock. */
  mocks: string[]
  /** Calls answered by Sild's simulated security server, not the party's own. */
  securityServer: boolean
}

export type RunSummary = {
  scenarios: Record<StepState, number>
  steps: Record<StepState, number>
  checks: { passed: number; failed: number }
  failures: number
}

/** A service's provider in a run: a URL, or the sandbox's own mock. */
export type ProviderUse = {
  /** The federation's id of the service, e.g. `md-population-register`. */
  service: string
  /** `INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE`. */
  key: string
  party: string
  /** The provider's base URL, or `mock` for the sandbox's own mock. */
  url: string
  target: boolean
}

export type RunReport = {
  schema: 'sild.report/v1'
  sild: { version: string }
  /** SHA-256 over the specs the run used (names and bytes). */
  specsDigest: string
  seed: number
  mode: 'inproc' | 'http'
  shard?: { index: number; total: number }
  /** False when the run was interrupted or a scenario could not run: never present a partial run as whole. */
  complete: boolean
  /** When the run started (ISO 8601, UTC). */
  startedAt: string
  durationMs: number
  /** Where each service the run called was provided, and whether `--target` put it there. */
  providers?: ProviderUse[]
  scenarios: ScenarioResult[]
  scorecards: Scorecard[]
  summary: RunSummary
}

/** What a run's end needs of a failing step after its result has been handed on. */
export type StepOutline = Pick<StepResult, 'stepId' | 'failures' | 'exchange'>

/**
 * What a run keeps of a scenario once its whole result has been handed on (a streamed run): who
 * it is and its failures, never the exchanges of passing steps.
 */
export type ScenarioOutline = Pick<
  ScenarioResult,
  'id' | 'file' | 'title' | 'digest' | 'state' | 'durationMs'
> & {
  workflows: Array<Pick<WorkflowResult, 'workflowId' | 'failures'> & { steps: StepOutline[] }>
}

/** A run's report as a streamed run ends with it: every field, the scenarios only outlined. */
export type RunOutline = Omit<RunReport, 'scenarios'> & { scenarios: ScenarioOutline[] }
