import { readFile } from 'node:fs/promises'

/** Sild's version, from package.json. */
export const sildVersion = async (): Promise<string> =>
  String(JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')).version)
