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
// ── end of customer data block ─────────────────────────────────────────────────────
