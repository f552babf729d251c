import { checks } from '../checks/index.ts'
import { expectedOutcome } from '../checks/expected-outcome/index.ts'
import { describeOutcome } from '../checks/internal/exchange.ts'
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
  // Without an answer there is nothing to judge but that none came: when `reachable` fails, the
  // other provider checks are not applicable, rather than passed or failed on the security
  // server's stand-in fault.
  const reached =
    'exchange' in ctx && reachable.applies(ctx) ? verdictOf(reachable, ctx) : undefined
  const silent = reached !== undefined && reached.length > 0
  for (const check of checks as readonly Check[]) {
    if (check.scope !== scope || where.disabled.includes(check.name)) continue
    if (silent && check.name !== reachable.name && check.subject !== 'client') continue
    // The scope test above narrows the context; TypeScript cannot follow it across the union.
    const applies = (check.applies as (c: typeof ctx) => boolean)(ctx)
    if (!applies) continue
    const messages = check === reachable && reached ? reached : verdictOf(check, ctx)
    const { outcome, failure } = application(check, ctx, where, messages)
    outcomes.push(outcome)
    if (failure) failures.push(failure)
  }
  return { outcomes, failures }
}

const verdictOf = (check: Check, ctx: ExchangeContext | WorkflowContext): string[] => {
  const verdict: Verdict = (check.run as (c: typeof ctx) => Verdict)(ctx)
  return verdict === undefined ? [] : Array.isArray(verdict) ? verdict : [verdict]
}

/**
 * One application of a check as the scorecards and reports count it: an outcome, and for a failed
 * one a single failure naming all its findings (the summary counts failed applications).
 */
const application = (
  check: Check,
  ctx: ExchangeContext | WorkflowContext,
  where: Omit<Where, 'disabled'>,
  messages: string[],
): { outcome: CheckOutcome; failure?: CheckFailure } => {
  const message = messages.join('; ')
  const outcome: CheckOutcome = {
    check: check.name,
    level: check.level,
    severity: check.severity,
    mandatory: check.mandatory,
    passed: messages.length === 0,
    ...(messages.length ? { message } : {}),
    party: partyOf(check, ctx),
    // A check about the calling client scores the client's instance in its consumer role.
    profile: check.subject === 'client' ? CONSUMER_PROFILE : where.profile,
  }
  if (messages.length === 0) return { outcome }
  return {
    outcome,
    failure: {
      check: check.name,
      title: check.title,
      message,
      severity: check.severity,
      level: check.level,
      scenario: where.scenario,
      workflowId: where.workflowId,
      ...(where.stepId ? { stepId: where.stepId } : {}),
      ...('exchange' in ctx
        ? { exchangeId: ctx.exchange.id, operationId: ctx.exchange.operationId }
        : {}),
    },
  }
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
  const messages = verdictOf(expectedOutcome, ctx)
  const { outcome, failure } = application(
    expectedOutcome,
    ctx,
    where,
    messages.length
      ? messages
      : [
          `the step has no successCriteria, so it expects a status below 400; got ${describeOutcome(ctx)}`,
        ],
  )
  return { outcome, failure: failure as CheckFailure }
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
