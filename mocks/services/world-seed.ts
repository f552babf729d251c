import { readFileSync } from 'node:fs'
import { parse } from 'yaml'

/**
 * A register's seed from its world file, as a fresh copy per call. The file is read and parsed on
 * the first call only, so a run pays only for the registers it reaches.
 */
export const worldSeed = <S>(file: URL): (() => S) => {
  let seed: S | undefined
  return () => structuredClone((seed ??= parse(readFileSync(file, 'utf8')) as S))
}
