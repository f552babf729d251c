import { InvalidArgumentError } from 'commander'

/** Parses a TCP port option (0 = any free port). */
export const parsePort = (value: string): number => {
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('must be a port number from 0 to 65535')
  }
  return port
}
