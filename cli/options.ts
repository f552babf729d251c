import { InvalidArgumentError } from 'commander'

/** Parses a TCP port option (0 = any free port). */
export const parsePort = (value: string): number => {
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('must be a port number from 0 to 65535')
  }
  return port
}

/** Parses `--shard i/n`: shard i of n, 1 ≤ i ≤ n. */
export const parseShard = (value: string) => {
  const m = /^(\d+)\/(\d+)$/.exec(value)
  const index = Number(m?.[1])
  const total = Number(m?.[2])
  if (!m || total < 1 || index < 1 || index > total)
    throw new InvalidArgumentError('write i/n with 1 ≤ i ≤ n, e.g. 2/3')
  return { index, total }
}

/** Parses a count option: a whole number ≥ 1. */
export const parseCount = (value: string) => {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number ≥ 1')
  return n
}
