import type { Level, LevelVerdict, Scorecard } from '../runner/types.ts'
import { en, translate, type MessageKey, type Messages } from './i18n/index.ts'

type T = (key: MessageKey, values?: Record<string, string | number>) => string

const english: T = (key, values) => translate(en as Messages, key, values)

/** The levels above the one reached, each blocked or not tested (a passed one is not above it). */
export const levelsAbove = (card: Scorecard): LevelVerdict[] =>
  card.levels.filter((v) => v.level > card.level && v.state !== 'passed')

/** The verdict on the level above the one reached; undefined at level 4. */
const nextLevel = (card: Scorecard): LevelVerdict | undefined =>
  card.levels.find((v) => v.level === card.level + 1)

/**
 * The scorecard in one line, as every output words it: `Level 3 · level 4 not tested in this
 * run`, `Level 2 · level 3 blocked by successCriteria`, `Level 4 · every level passed`.
 */
export const levelSummary = (card: Scorecard, t: T = english): string => {
  const reached =
    card.level === 0
      ? t('level.none')
      : t('level.reached', { level: card.level, name: t(`level.name.${card.level}`) })
  return `${reached} · ${nextLevelText(card, t)}`
}

/** What stands between the scorecard and the level above: the second half of `levelSummary`. */
const nextLevelText = (card: Scorecard, t: T = english): string => {
  if (card.diagnosis && card.level === 0 && card.score === 0) return t('scorecard.silent')
  const next = nextLevel(card)
  if (!next) return t('scorecard.top')
  if (next.state === 'blocked')
    return t('scorecard.blockedBy', {
      level: next.level,
      checks: next.blocking.map((b) => b.check).join(', '),
    })
  return t('scorecard.notTested', { level: next.level })
}

/** `unauthorizedRefused never applied (applied by …)`, one per untested check of a level. */
export const untestedText = (verdict: LevelVerdict, t: T = english): string[] =>
  verdict.untested.map((u) =>
    t('scorecard.neverApplied', { check: u.check, appliedBy: u.appliedBy }),
  )

/** What a scorecard remembers of an earlier run to compare with. */
export type LevelMemory = {
  level: 0 | Level
  levels: ReadonlyArray<Pick<LevelVerdict, 'level' | 'state'>>
}

/**
 * How the level changed since an earlier run, counting only what both runs tested: a level that
 * the later run did not test is no drop, and one the earlier run did not test is no rise.
 */
export const levelChange = (before: LevelMemory, after: LevelMemory): 'up' | 'down' | undefined => {
  if (after.level === before.level) return undefined
  const [low, high, judged] =
    after.level > before.level
      ? [before.level, after.level, before]
      : [after.level, before.level, after]
  const failedBetween = judged.levels.some(
    (v) => v.level > low && v.level <= high && v.state === 'blocked',
  )
  if (!failedBetween) return undefined
  return after.level > before.level ? 'up' : 'down'
}

/** What of Sild answered the scorecard's calls in place of an implementation, when it did. */
export const sandboxNote = (card: Scorecard, t: T = english): string | undefined => {
  const sandbox = card.answeredBySild
  if (!sandbox) return undefined
  return sandbox.mocks.length
    ? t('scorecard.sandboxMock', { services: sandbox.mocks.join(', ') })
    : t('scorecard.sandboxSecurityServer')
}

/** Sild itself answered every scorecard: one sentence says so for all instead of one per card. */
export const allSandbox = (cards: ReadonlyArray<Scorecard>): boolean =>
  cards.length > 0 && cards.every((c) => c.answeredBySild)
