import { ValidationError, type ValidationIssue } from '../../core/errors/validation-error';
import type { RepeatPurchaseSummary } from './customers';
import type { PurchaseModel } from './purchase-model';
import { modelTimeUnitRatio, type ModelTimeUnit } from './time-units';

/**
 * How to value a customer's future purchases with `customerLifetimeValue`. The two time
 * units are required on purpose: the model's parameters are rates per `modelTimeUnit`,
 * while discounting happens per `periodUnit` — a widely copied quickstart fits in days and
 * discounts monthly without converting, and overstates lifetime value by a factor of ~30.
 *
 * @example
 * ```ts
 * import type { CustomerLifetimeValueOptions } from 'guanxi/scoring';
 *
 * // Twelve months ahead, 1% discount per month, model fitted in weeks, 30% margin.
 * const options: CustomerLifetimeValueOptions = {
 *   expectedSpend: 35.17,
 *   modelTimeUnit: 'week',
 *   periodUnit: 'month',
 *   horizon: 12,
 *   discountRate: 0.01,
 *   margin: 0.3,
 * };
 * ```
 */
export interface CustomerLifetimeValueOptions {
  /** Expected value of each future transaction, e.g. from `gammaGamma.expectedAverageSpend`. */
  readonly expectedSpend: number;
  /** The unit of time the model was fitted in (the unit of the customer's tₓ and T). */
  readonly modelTimeUnit: ModelTimeUnit;
  /** The unit of one discounting period. */
  readonly periodUnit: ModelTimeUnit;
  /** How many periods to look ahead (a non-negative integer). */
  readonly horizon: number;
  /** Discount rate per period (0.01 = 1% per period); ≥ 0. */
  readonly discountRate: number;
  /**
   * Share of spend kept as profit (1 values revenue).
   * @default 1
   */
  readonly margin?: number;
}

/**
 * The defaults of the optional `CustomerLifetimeValueOptions` fields.
 *
 * @example
 * ```ts
 * import { defaultCustomerLifetimeValueOptions } from 'guanxi/scoring';
 *
 * console.log(defaultCustomerLifetimeValueOptions.margin); // 1
 * ```
 */
export const defaultCustomerLifetimeValueOptions: Readonly<Required<Pick<CustomerLifetimeValueOptions, 'margin'>>> = Object.freeze({
  margin: 1,
});

const knownUnits = new Set<string>(['day', 'week', 'month', 'quarter', 'year']);

/**
 * Checks `CustomerLifetimeValueOptions` and fills in defaults; throws a `ValidationError`
 * naming every bad field.
 *
 * @example
 * ```ts
 * import { resolveCustomerLifetimeValueOptions } from 'guanxi/scoring';
 *
 * const options = resolveCustomerLifetimeValueOptions({
 *   expectedSpend: 20, modelTimeUnit: 'day', periodUnit: 'month', horizon: 12, discountRate: 0.01,
 * });
 * console.log(options.margin); // 1
 * ```
 */
export function resolveCustomerLifetimeValueOptions(options: CustomerLifetimeValueOptions): Required<CustomerLifetimeValueOptions> {
  const resolved = { ...defaultCustomerLifetimeValueOptions, ...options, margin: options.margin ?? defaultCustomerLifetimeValueOptions.margin };
  const issues: ValidationIssue[] = [];
  const bad = (field: string, message: string): void => {
    issues.push({ path: [field], code: 'invalid_value', message });
  };
  if (!(typeof resolved.expectedSpend === 'number' && Number.isFinite(resolved.expectedSpend) && resolved.expectedSpend >= 0)) {
    bad('expectedSpend', 'Expected expectedSpend to be a non-negative finite number');
  }
  if (!knownUnits.has(resolved.modelTimeUnit)) bad('modelTimeUnit', 'Expected modelTimeUnit to be day, week, month, quarter or year');
  if (!knownUnits.has(resolved.periodUnit)) bad('periodUnit', 'Expected periodUnit to be day, week, month, quarter or year');
  if (!(Number.isInteger(resolved.horizon) && resolved.horizon >= 0)) bad('horizon', 'Expected horizon to be a non-negative integer number of periods');
  if (!(typeof resolved.discountRate === 'number' && Number.isFinite(resolved.discountRate) && resolved.discountRate >= 0)) {
    bad('discountRate', 'Expected discountRate to be a non-negative finite number');
  }
  if (!(typeof resolved.margin === 'number' && Number.isFinite(resolved.margin))) bad('margin', 'Expected margin to be a finite number');
  if (issues.length > 0) throw new ValidationError(issues, 'lifetime value options');
  return resolved;
}

/**
 * Discounted expected value of a customer's purchases over the next `horizon` periods:
 * Σᵢ₌₁..H margin · spend · (E[Y(i·L)] − E[Y((i−1)·L)]) / (1 + d)ⁱ, where E[Y(t)] is the
 * model's conditional expected purchases and L the length of one period in model time
 * units (Fader, Hardie & Lee 2005, JMR, §"CLV", discretized by period).
 *
 * @param model - A purchase model (`bgNbd`, `mbgNbd`, `paretoNbd`).
 * @param params - Its fitted parameters, in `modelTimeUnit`.
 * @param customer - The customer's (x, tₓ, T) in `modelTimeUnit`.
 * @returns The lifetime value in the currency of `expectedSpend`.
 *
 * @example
 * ```ts
 * import { bgNbd, customerLifetimeValue, gammaGamma } from 'guanxi/scoring';
 *
 * const purchases = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }; // fitted in weeks
 * const spend = { p: 6.25, q: 3.74, gamma: 15.44 };
 * const customer = { x: 2, tx: 30.43, T: 38.86, monetary: 22.35 };
 * const clv = customerLifetimeValue(bgNbd, purchases, customer, {
 *   expectedSpend: gammaGamma.expectedAverageSpend(spend, customer),
 *   modelTimeUnit: 'week',
 *   periodUnit: 'month',
 *   horizon: 12,
 *   discountRate: 0.01,
 * });
 * ```
 */
export function customerLifetimeValue<P extends object>(
  model: PurchaseModel<P>,
  params: P,
  customer: RepeatPurchaseSummary,
  options: CustomerLifetimeValueOptions,
): number {
  const { expectedSpend, modelTimeUnit, periodUnit, horizon, discountRate, margin } = resolveCustomerLifetimeValueOptions(options);
  const periodLength = modelTimeUnitRatio(periodUnit, modelTimeUnit);
  let value = 0;
  let previous = 0;
  let discount = 1;
  for (let i = 1; i <= horizon; i++) {
    const cumulative = model.conditionalExpectedPurchases(params, i * periodLength, customer);
    discount /= 1 + discountRate;
    value += (cumulative - previous) * discount;
    previous = cumulative;
  }
  return value * expectedSpend * margin;
}
