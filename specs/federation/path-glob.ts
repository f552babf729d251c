/**
 * X-Road's REST access-right path globs (serverconf PathGlob): `**` matches anything, `*` matches
 * anything but `/`, a backslash escapes the next character, everything else is literal.
 */
export const compilePathGlob = (glob: string): RegExp => {
  let source = ''
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string
    if (ch === '\\' && i + 1 < glob.length) {
      source += escapeRegExp(glob[++i] as string)
    } else if (ch === '*') {
      if (glob[i + 1] === '*') {
        while (glob[i + 1] === '*') i++
        source += '.*'
      } else {
        source += '[^/]*'
      }
    } else {
      source += escapeRegExp(ch)
    }
  }
  return new RegExp(`^${source}$`, 's')
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
