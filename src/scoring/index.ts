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
  type TransactionSummaryState,
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
export {
  abcClasses,
  assignTreatments,
  defaultAbcOptions,
  defaultTreatmentOptions,
  defaultValueClassOptions,
  defineTierLadder,
  resolveAbcOptions,
  resolveTreatmentOptions,
  resolveValueClassOptions,
  tierOf,
  treatmentActions,
  valueClasses,
  type AbcClassification,
  type AbcOptions,
  type CustomerValue,
  type TierLadder,
  type TierStep,
  type Treatment,
  type TreatmentInput,
  type TreatmentOptions,
  type ValueClass,
  type ValueClassInput,
  type ValueClassOptions,
} from './value-classes';
export {
  defaultEngagementOptions,
  engagementAt,
  engagementScore,
  resolveEngagementOptions,
  updateEngagement,
  type EngagementEvent,
  type EngagementOptions,
  type EngagementState,
} from './engagement';
export {
  SurveyResponse,
  satisfactionScores,
  surveyResponsesOf,
  type CesResult,
  type CsatResult,
  type NpsResult,
  type SatisfactionScores,
  type SurveyTouchpoint,
} from './satisfaction';
export {
  defaultLifecycleOptions,
  lifecycleStatus,
  medianInterPurchaseDays,
  resolveLifecycleOptions,
  type LifecycleInput,
  type LifecycleOptions,
  type LifecycleStage,
  type LifecycleStatus,
} from './lifecycle';
export {
  defaultHealthThresholds,
  healthScore,
  resolveHealthScoreOptions,
  type HealthComponent,
  type HealthScore,
  type HealthScoreOptions,
  type ResolvedHealthScoreOptions,
} from './health-score';
// ── end of customer data block ─────────────────────────────────────────────────────
