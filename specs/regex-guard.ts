import { setFlagsFromString } from 'node:v8'

/*
 * Scenario criteria, JSONPath filters and spec patterns are regular expressions that a partner's
 * answer is matched against. V8 backtracks; with this flag, a match that backtracks past V8's
 * bound is finished by its linear-time engine instead, so a pattern such as `^(a+)+$` cannot hang
 * a run on a crafted answer. Patterns with backreferences or lookaround have no linear-time form,
 * and that engine does not take the `u` flag (ajv's patterns, JSONPath's match and search): those
 * still backtrack. The flag is process-wide; importing this module sets it.
 */
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks')
