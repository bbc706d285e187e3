/**
 * The scoring area of guanxi.
 * @packageDocumentation
 */

// ── Customer data: summaries, SQL, RFM, value classes, engagement, satisfaction,
//    lifecycle and health (owned by the scoring-analytics work) ──────────────────────
export { type TimeInput, type TimeUnit } from './calendar';
export { TransactionOrderError, isTransactionOrderError, type TransactionOrderProblem } from './errors/transaction-order-error';
export {
  Transaction,
  TransactionSummary,
  buildTransactionSummary,
  summarizeTransactions,
  summarizeTransactionStream,
  defaultTransactionSummaryOptions,
  resolveTransactionSummaryOptions,
  type ChannelCost,
  type CustomerSummary,
  type CustomerSummaryColumns,
  type ResolvedTransactionSummaryOptions,
  type TransactionColumns,
  type TransactionSummaryOptions,
} from './transaction-summary';
export {
  checkRfmSegmentMap,
  defineRfmSegmentMap,
  rfmSegmentOf,
  standardRfmSegmentMap,
  type RfmCell,
  type RfmSegmentMap,
  type RfmSegmentMapReport,
  type RfmSegmentName,
  type RfmSegmentRule,
} from './rfm-segments';
export {
  defaultRfmOptions,
  resolveRfmOptions,
  rfmInputOf,
  rfmScoreColumns,
  rfmScores,
  type ResolvedRfmOptions,
  type RfmInput,
  type RfmOptions,
  type RfmScore,
  type RfmScoreColumns,
} from './rfm';
export { transactionSummarySql, type SqlDialect, type TransactionSummarySqlOptions, type TransactionTable } from './summary-sql';
// ── end of customer data block ─────────────────────────────────────────────────────
