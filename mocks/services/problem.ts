import type { MockResponse } from './types.ts'

/** The kinds of problem of specs/common/problem.yaml, with their status and title. */
export const PROBLEMS = {
  notFound: { type: 'urn:sild:problem:not-found', status: 404, title: 'Not found' },
  invalidIdentifier: {
    type: 'urn:sild:problem:invalid-identifier',
    status: 400,
    title: 'Invalid identifier',
  },
  validationFailed: {
    type: 'urn:sild:problem:validation-failed',
    status: 400,
    title: 'Validation failed',
  },
  conflict: { type: 'urn:sild:problem:conflict', status: 409, title: 'Conflict' },
  unavailable: { type: 'urn:sild:problem:unavailable', status: 503, title: 'Service unavailable' },
} as const

export type ProblemKind = keyof typeof PROBLEMS
export type InvalidParam = { name: string; reason: string }

/** An RFC 9457 problem response of the given kind. */
export const problem = (
  kind: ProblemKind,
  detail?: string,
  invalidParams?: InvalidParam[],
): MockResponse => {
  const { type, status, title } = PROBLEMS[kind]
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    body: {
      type,
      title,
      status,
      ...(detail ? { detail } : {}),
      ...(invalidParams ? { invalidParams } : {}),
    },
  }
}
