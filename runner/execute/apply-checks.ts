import { checks } from '../checks/index.ts'
import { expectedOutcome } from '../checks/expected-outcome/index.ts'
import { describeOutcome } from '../checks/internal/exchange.ts'
import { isUnreachableFault } from '../checks/internal/faults.ts'
import { reachable } from '../checks/reachable/index.ts'
import type { Check, ExchangeContext, Verdict, WorkflowContext } from '../checks/types.ts'
import { CONSUMER_PROFILE } from '../scoring/index.ts'
import type { CheckFailure, CheckOutcome } from '../types.ts'

type Where = {
  scenario: string
  workflowId: string
  stepId?: string
  profile: string
  disabled: string[]
}

/** Runs every applicable check of the context's scope and returns outcomes and failures. */
export const applyChecks = (
  ctx: ExchangeContext | WorkflowContext,
  where: Where,
): { outcomes: CheckOutcome[]; failures: CheckFailure[] } => {
  const scope = 'exchange' in ctx ? 'exchange' : 'workflow'
  const outcomes: CheckOutcome[] = []
  const failures: CheckFailure[] = []
  const silent = 'exchange' in ctx && !answered(ctx)
  for (const check of checks as readonly Check[]) {
    if (check.scope !== scope || where.disabled.includes(check.name)) continue
    // Without an answer there is nothing to judge but that none came: the other provider checks
    // are not applicable, rather than passed or failed on the security server's stand-in fault.
    if (silent && check.name !== reachable.name && check.subject !== 'client') continue
    // The scope test above narrows the context; TypeScript cannot follow it across the union.
    const applies = (check.applies as (c: typeof ctx) => boolean)(ctx)
    if (!applies) continue
    const verdict: Verdict = (check.run as (c: typeof ctx) => Verdict)(ctx)
    const messages = verdict === undefined ? [] : Array.isArray(verdict) ? verdict : [verdict]
    const party = partyOf(check, ctx)
    outcomes.push({
      check: check.name,
      level: check.level,
      severity: check.severity,
      mandatory: check.mandatory,
      passed: messages.length === 0,
      ...(messages.length ? { message: messages.join('; ') } : {}),
      party,
      // A check about the calling client scores the client's instance in its consumer role.
      profile: check.subject === 'client' ? CONSUMER_PROFILE : where.profile,
    })
    // One failure per failed application, as the summary counts them: a check with several
    // findings on one exchange fails once, naming them all.
    if (messages.length > 0) {
      failures.push({
        check: check.name,
        title: check.title,
        message: messages.join('; '),
        severity: check.severity,
        level: check.level,
        scenario: where.scenario,
        workflowId: where.workflowId,
        ...(where.stepId ? { stepId: where.stepId } : {}),
        ...('exchange' in ctx
          ? { exchangeId: ctx.exchange.id, operationId: ctx.exchange.operationId }
          : {}),
      })
    }
  }
  return { outcomes, failures }
}

/** Whether the provider answered, or a fault that the step expected stands in for its answer. */
const answered = (ctx: ExchangeContext): boolean => {
  if (!ctx.exchange.response) return false
  const { fault, expect } = ctx
  return !fault || !isUnreachableFault(fault.code) || expect?.error === fault.code
}

/**
 * A step that did not succeed although no check failed (an expectation whose check the scenario
 * switched off, a status of 400 or more on a step without success criteria) still fails a check:
 * `expectedOutcome`, which owns what a step expects. So no failed step is missing from a score.
 */
export const ownFailure = (
  ctx: ExchangeContext,
  where: Omit<Where, 'disabled'>,
): { outcome: CheckOutcome; failure: CheckFailure } => {
  const message =
    expectedOutcome.run(ctx) ??
    `the step has no successCriteria, so it expects a status below 400; got ${describeOutcome(ctx)}`
  const text = Array.isArray(message) ? message.join('; ') : message
  return {
    outcome: {
      check: expectedOutcome.name,
      level: expectedOutcome.level,
      severity: expectedOutcome.severity,
      mandatory: expectedOutcome.mandatory,
      passed: false,
      message: text,
      party: partyOf(expectedOutcome, ctx),
      profile: where.profile,
    },
    failure: {
      check: expectedOutcome.name,
      title: expectedOutcome.title,
      message: text,
      severity: expectedOutcome.severity,
      level: expectedOutcome.level,
      scenario: where.scenario,
      workflowId: where.workflowId,
      ...(where.stepId ? { stepId: where.stepId } : {}),
      exchangeId: ctx.exchange.id,
      operationId: ctx.exchange.operationId,
    },
  }
}

const instanceOf = (key: string): string => {
  const slash = key.indexOf('/')
  return slash < 0 ? key : key.slice(0, slash)
}

const partyOf = (check: Check, ctx: ExchangeContext | WorkflowContext): string => {
  if ('exchange' in ctx) {
    return instanceOf(check.subject === 'client' ? ctx.exchange.client : ctx.exchange.service)
  }
  const first = ctx.exchanges[0]?.exchange
  return first ? instanceOf(first.service) : 'unknown'
}
