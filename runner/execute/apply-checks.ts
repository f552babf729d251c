import { checks } from '../checks/index.ts'
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
  for (const check of checks as readonly Check[]) {
    if (check.scope !== scope || where.disabled.includes(check.name)) continue
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
    for (const message of messages) {
      failures.push({
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
      })
    }
  }
  return { outcomes, failures }
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
