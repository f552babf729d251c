import { Resolver } from '@stoplight/spectral-ref-resolver'
import { readFile } from 'node:fs/promises'

const refuseRemote = {
  resolve: async (ref: { href(): string }): Promise<never> => {
    throw new Error(
      `remote reference ${ref.href()} is not followed: Sild resolves $refs to local files only, as it does when it loads specs`,
    )
  },
}

/**
 * A $ref resolver that reads local files only. Spectral's default also fetches http(s) URLs;
 * linting in CI must not depend on the network, and Sild's spec loader refuses remote refs too.
 */
export const localFileResolver = (): Resolver =>
  new Resolver({
    resolvers: {
      file: { resolve: (ref: { href(): string }) => readFile(ref.href(), 'utf8') },
      http: refuseRemote,
      https: refuseRemote,
    },
  })
