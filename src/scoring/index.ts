/**
 * The scoring area of guanxi.
 * @packageDocumentation
 */

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
