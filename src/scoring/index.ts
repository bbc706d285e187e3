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

// ── Probabilistic purchase and spend models: BG/NBD, MBG/NBD, Pareto/NBD, Gamma-Gamma, CLV ──
// (src/scoring/models; keep this block together so that merges stay simple)
export { bgNbd } from './models/bg-nbd';
export { mbgNbd } from './models/mbg-nbd';
export { paretoNbd } from './models/pareto-nbd';
export { gammaGamma, type GammaGammaFit, type RepeatSpendSummary, type SpendModel } from './models/gamma-gamma';
export type { PurchaseModel } from './models/purchase-model';
export { BgNbdParameters, GammaGammaParameters, MbgNbdParameters, ParetoNbdParameters } from './models/parameters';
export { compressCustomers, type CompressedCustomers, type RepeatPurchaseSummary } from './models/customers';
export {
  defaultModelFitOptions,
  resolveModelFitOptions,
  type ModelFit,
  type ModelFitOptions,
  type ModelFitStopReason,
} from './models/fit';
export { ModelFitError, isModelFitError } from './models/errors/model-fit-error';
export {
  customerLifetimeValue,
  defaultCustomerLifetimeValueOptions,
  resolveCustomerLifetimeValueOptions,
  type CustomerLifetimeValueOptions,
} from './models/lifetime-value';
export {
  createSeededRandom,
  defaultCustomerSimulationOptions,
  resolveCustomerSimulationOptions,
  simulateCustomers,
  type CustomerSimulationOptions,
  type SimulatedCustomer,
} from './models/simulation';
export { modelTimeUnitRatio, type ModelTimeUnit } from './models/time-units';
// ── end of probabilistic models ──
