/**
 * Text from outside (specs, scenarios, partner answers, certificates) shown on a terminal or in a
 * text or Markdown file, with every control character written as `\uXXXX`. Raw, an escape sequence
 * could clear a line and print "valid" over "NOT VALID", set the window title, or hide a link
 * (OSC 8); a bidirectional override could reorder what a reader sees (Trojan Source,
 * CVE-2021-42574). Newlines and tabs stay when the text is several lines long by nature.
 * @example escapeControl('\u001b[2Kvalid') // '\\u001b[2Kvalid'
 */
export const escapeControl = (text: string, { multiline = false } = {}): string =>
  text.replace(
    multiline ? MULTILINE : SINGLE_LINE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )

// C0 (but \t and \n when multiline), DEL, C1, line and paragraph separators, bidi controls.
const SINGLE_LINE =
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g
const MULTILINE =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g
