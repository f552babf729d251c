/** JSON Schema keywords whose value is one subschema. */
export const SUBSCHEMA_KEYWORDS: readonly string[] = [
  'items',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'additionalItems',
]

/** JSON Schema keywords whose value is a list of subschemas. */
export const SUBSCHEMA_LIST_KEYWORDS: readonly string[] = ['allOf', 'anyOf', 'oneOf', 'prefixItems']

/** JSON Schema keywords whose value maps names to subschemas. */
export const SUBSCHEMA_MAP_KEYWORDS: readonly string[] = [
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
]
