/** Exit codes of DESIGN.md: the one place they are named. */
export const EXIT = { ok: 0, failed: 1, badInput: 2, internal: 3 } as const
export type ExitCode = (typeof EXIT)[keyof typeof EXIT]
