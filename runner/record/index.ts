export {
  asExchange,
  consumerChecks,
  consumerContext,
  consumerProfile,
  consumerReport,
  isPartnerClientRecord,
  scoreConsumerRequest,
} from './consumer.ts'
export type { ConsumerCheck, ConsumerContext, ConsumerReportOptions } from './consumer.ts'
export { applyFilters, parseExchangeFilter } from './filter.ts'
export type { ExchangeFilter } from './filter.ts'
export { exchangesFromHar, exchangesFromLog, fromLogRecord } from './logged.ts'
export type { Har, LoggedRecord, RecordedExchange } from './logged.ts'
export { recordScenario } from './to-arazzo.ts'
export type { RecordOptions, Recording } from './to-arazzo.ts'
export { shapeOf, volatileReason } from './volatile.ts'
export { scrubExchange } from './scrub.ts'
