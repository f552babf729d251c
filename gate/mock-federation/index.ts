import { basename, dirname, join, relative, resolve } from 'node:path'
import { loadFederation, type Federation } from '../../specs/federation/index.ts'
import type { LoadedSource } from '../../specs/source-file/index.ts'

/** The instance a spec repository's scenarios run in when it names no federation. */
export const REPOSITORY_INSTANCE = 'repo-test'
const MEMBER = { class: 'GOV', code: 'spec-team' }

/** The subsystem that calls the repository's services when a scenario step names no caller. */
export const REPOSITORY_CLIENT = `${REPOSITORY_INSTANCE}/${MEMBER.class}/${MEMBER.code}/client`

export type RepositoryFederation = {
  federation: Federation
  /** The calling subsystem, granted every service. */
  client: string
}

/**
 * A federation of one X-Road instance in which each of a repository's OpenAPI documents is a
 * service answered by Prism from the document (examples first), behind the instance's security
 * server, and one client subsystem may call them all. It lets the scenario gate run a spec
 * team's Arazzo files without a federation of their own.
 */
export const repositoryFederation = (root: string, specs: string[]): RepositoryFederation => {
  const taken = new Set<string>()
  const services = specs.map((file) => {
    const id = uniqueId(serviceIdOf(file), taken)
    return { id, code: id, spec: relative(root, resolve(file)), provider: 'mock' }
  })
  const value = {
    version: 'sild.federation/v1',
    instances: [
      {
        code: REPOSITORY_INSTANCE,
        protocol: 'xroad-rest',
        securityServer: { member: `${MEMBER.class}/${MEMBER.code}`, code: 'ss1' },
        members: [
          {
            class: MEMBER.class,
            code: MEMBER.code,
            subsystems: [{ code: 'api', services }, { code: 'client' }],
          },
        ],
      },
    ],
    accessRights: services.map((s) => ({
      client: REPOSITORY_CLIENT,
      service: `${REPOSITORY_INSTANCE}/${MEMBER.class}/${MEMBER.code}/api/${s.code}`,
    })),
  }
  // Not a file anyone wrote: a problem in it is Sild's, so it is placed at the repository root.
  const file = join(root, 'sild.config.yaml')
  const source: LoadedSource = { file, value, locate: () => ({ file, line: 1, column: 1 }) }
  return { federation: loadFederation([source]), client: REPOSITORY_CLIENT }
}

// A service id is lower case letters, digits and dashes: the spec file's name, without extension
// and the common `openapi`/`api` words where they are the whole of a part.
const serviceIdOf = (file: string): string => {
  const name = basename(file).replace(/\.(ya?ml|json)$/i, '')
  const bare = /^(open)?api$/i.test(name) ? basename(dirname(resolve(file))) : name
  const id = bare
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  return id || 'service'
}

const uniqueId = (id: string, taken: Set<string>): string => {
  let unique = id
  for (let i = 2; taken.has(unique); i++) unique = `${id}-${i}`
  taken.add(unique)
  return unique
}
