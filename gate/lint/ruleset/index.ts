import type { RulesetDefinition } from '@stoplight/spectral-core'
import { oas } from '@stoplight/spectral-rulesets'
import { errorBody, type ErrorBodyOptions } from '../rules/error-body/index.ts'
import { exampleIdentifiers } from '../rules/example-identifiers/index.ts'
import { identifierFormat, knownIdentifierFormat } from '../rules/identifier-format/index.ts'
import { operationExamples } from '../rules/operation-examples/index.ts'
import { schemaStructure } from '../rules/schema-structure/index.ts'

export type SildRulesetOptions = ErrorBodyOptions

/**
 * Spectral's OpenAPI ruleset (its recommended rules) plus Sild's rules, as one Spectral ruleset
 * that a user's own ruleset can extend and override by rule name.
 */
export const sildRuleset = (options: SildRulesetOptions): RulesetDefinition => ({
  extends: [[oas as RulesetDefinition, 'recommended']],
  rules: {
    // Arazzo scenarios address operations by operationId: an operation without one cannot be called.
    'operation-operationId': 'error',
    // Consumers reach X-Road and Trembita services through their security server, never at the
    // provider's `servers` URL, so a spec without servers is the norm here.
    'oas3-api-servers': 'off',
    'sild-operation-examples': {
      description: 'Every operation has examples of its bodies and required parameters.',
      message: '{{error}}',
      severity: 'warn',
      given: '$',
      then: { function: operationExamples },
    },
    'sild-example-identifiers': {
      description: 'Identifiers in examples pass their named format (check digits included).',
      message: '{{error}}',
      severity: 'error',
      given: '$',
      then: { function: exampleIdentifiers },
    },
    'sild-identifier-format': {
      description: 'Fields named for a national identifier declare its named format.',
      message: '{{error}}',
      severity: 'warn',
      given: '$',
      then: { function: identifierFormat },
    },
    'sild-unknown-identifier-format': {
      description: 'Country-prefixed formats are among the named identifier formats.',
      message: '{{error}}',
      severity: 'error',
      given: '$',
      then: { function: knownIdentifierFormat },
    },
    'sild-schema-structure': {
      description: 'Required properties are defined; nullable has a type (OpenAPI 3.0).',
      message: '{{error}}',
      severity: 'error',
      given: '$',
      then: { function: schemaStructure },
    },
    'sild-error-body': {
      description: 'Error responses of Sild services use the documented error body.',
      message: '{{error}}',
      severity: 'error',
      given: '$',
      then: { function: errorBody(options) },
    },
  },
})

/** The rules Sild adds to Spectral's, by name: what `sild lint` documents and SARIF describes. */
export const SILD_RULE_NAMES = [
  'sild-operation-examples',
  'sild-example-identifiers',
  'sild-identifier-format',
  'sild-unknown-identifier-format',
  'sild-schema-structure',
  'sild-error-body',
] as const
