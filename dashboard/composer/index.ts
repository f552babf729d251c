export { serviceForm, worldSamples } from './form.ts'
export type { ClientChoice, FieldForm, OperationForm, ServiceForm, WorldSample } from './form.ts'
export { tryOperation, TryInputError } from './send.ts'
export type { SecurityServerStep, TryContext, TryInput, TryResult } from './send.ts'
