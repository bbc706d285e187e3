import { ValidationError, type ValidationIssue } from '../../core/errors/validation-error';
import { digamma, lnGamma } from '../special/gamma-function';
import { fitMaximumLikelihood, type ModelFit, type ModelFitOptions } from './fit';
import { checkModelParameters } from './parameter-check';
import type { GammaGammaParameters } from './parameters';

const context = 'Gamma-Gamma parameters';
const names = ['p', 'q', 'gamma'] as const;

/**
 * What the spend model knows about one customer: `x` repeat purchases and `monetary`, the
 * mean value of those repeat purchases. Customers with x = 0 carry no spend information:
 * the fit skips them (and counts them) and predictions give them the population mean.
 *
 * @example
 * ```ts
 * import type { RepeatSpendSummary } from 'guanxi/scoring';
 *
 * const customer: RepeatSpendSummary = { x: 2, monetary: 22.35 };
 * ```
 */
export interface RepeatSpendSummary {
  /** Repeat purchases (a non-negative integer). */
  readonly x: number;
  /** Mean value of the repeat purchases (positive when x > 0; ignored when x = 0). */
  readonly monetary: number;
  /** How many customers this row stands for. @default 1 */
  readonly weight?: number;
}

/**
 * The result of `gammaGamma.fit`: a `ModelFit` plus the number of customers left out
 * because they have no repeat purchase.
 *
 * @example
 * ```ts
 * import { gammaGamma, type GammaGammaFit } from 'guanxi/scoring';
 *
 * const fit: GammaGammaFit = gammaGamma.fit([
 *   { x: 2, monetary: 22.35 }, { x: 1, monetary: 11.77 }, { x: 0, monetary: 0 }, { x: 5, monetary: 47.1 },
 * ]);
 * console.log(fit.customers, fit.excludedCustomers); // 3 1
 * ```
 */
export interface GammaGammaFit extends ModelFit<GammaGammaParameters> {
  /** Customers (total weight) with x = 0, which the spend model does not use. */
  readonly excludedCustomers: number;
}

interface SpendColumns {
  readonly x: Float64Array;
  readonly monetary: Float64Array;
  readonly weight: Float64Array;
  readonly customers: number;
  readonly excluded: number;
}

function checkSpendRow(row: unknown, index: number | undefined, issues: ValidationIssue[]): boolean {
  const at = (field: string): (string | number)[] => (index === undefined ? [field] : [index, field]);
  if (typeof row !== 'object' || row === null) {
    issues.push({ path: index === undefined ? [] : [index], code: 'invalid_type', message: 'Expected an object with x and monetary' });
    return false;
  }
  const { x, monetary, weight } = row as Record<string, unknown>;
  const before = issues.length;
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) {
    issues.push({ path: at('x'), code: 'invalid_value', message: 'Expected x (repeat purchases) to be a non-negative integer' });
  } else if (x > 0 && (typeof monetary !== 'number' || !(monetary > 0) || !Number.isFinite(monetary))) {
    issues.push({ path: at('monetary'), code: 'invalid_value', message: 'Expected monetary (mean repeat-purchase value) to be a positive finite number when x > 0' });
  }
  if (weight !== undefined && (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0)) {
    issues.push({ path: at('weight'), code: 'invalid_value', message: 'Expected weight to be a non-negative finite number' });
  }
  return issues.length === before;
}

function toSpendColumns(rows: Iterable<RepeatSpendSummary>): SpendColumns {
  const issues: ValidationIssue[] = [];
  const groups = new Map<string, { x: number; monetary: number; weight: number }>();
  let excluded = 0;
  let index = 0;
  for (const row of rows) {
    if (checkSpendRow(row, index, issues)) {
      const weight = row.weight ?? 1;
      if (row.x === 0) excluded += weight;
      else {
        const key = `${row.x}|${row.monetary}`;
        const group = groups.get(key);
        if (group) group.weight += weight;
        else groups.set(key, { x: row.x, monetary: row.monetary, weight });
      }
    }
    index++;
  }
  if (issues.length > 0) throw new ValidationError(issues, 'spend summaries');
  const sorted = [...groups.values()].sort((p, q) => p.x - q.x || p.monetary - q.monetary);
  const columns = {
    x: Float64Array.from(sorted, (row) => row.x),
    monetary: Float64Array.from(sorted, (row) => row.monetary),
    weight: Float64Array.from(sorted, (row) => row.weight),
  };
  let customers = 0;
  for (const weight of columns.weight) customers += weight;
  return { ...columns, customers, excluded };
}

/**
 * Total log-likelihood of the mean repeat-purchase values (Fader, Hardie & Lee 2005,
 * JMR 42, eq. 3 — the density of the mean z̄ of x Gamma(p, ν) values with ν ~ Gamma(q, γ))
 * and, when `gradient` is given, its derivatives with respect to ln p, ln q, ln γ.
 */
function gammaGammaLogLikelihood(params: GammaGammaParameters, data: SpendColumns, gradient?: Float64Array): number {
  const { p, q, gamma } = params;
  const lnGammaQ = lnGamma(q);
  const lnGammaScale = Math.log(gamma);
  const psiQ = gradient ? digamma(q) : 0;
  let total = 0;
  let gP = 0;
  let gQ = 0;
  let gGamma = 0;
  for (let i = 0; i < data.x.length; i++) {
    const weight = data.weight[i] as number;
    const x = data.x[i] as number;
    const m = data.monetary[i] as number;
    const px = p * x;
    const lnM = Math.log(m);
    const lnX = Math.log(x);
    const lnScaleMx = Math.log(gamma + m * x);
    total +=
      weight *
      (lnGamma(px + q) - lnGamma(px) - lnGammaQ + q * lnGammaScale + (px - 1) * lnM + px * lnX - (px + q) * lnScaleMx);
    if (gradient) {
      const psiPxQ = digamma(px + q);
      gP += weight * x * (psiPxQ - digamma(px) + lnM + lnX - lnScaleMx);
      gQ += weight * (psiPxQ - psiQ + lnGammaScale - lnScaleMx);
      gGamma += weight * (q / gamma - (px + q) / (gamma + m * x));
    }
  }
  if (gradient) {
    gradient[0] = p * gP;
    gradient[1] = q * gQ;
    gradient[2] = gamma * gGamma;
  }
  return total;
}

function check(params: GammaGammaParameters): GammaGammaParameters {
  return checkModelParameters(params, names, context);
}

/**
 * E[M | m̄, x] = p(γ + m̄x)/(px + q − 1) (Fader, Hardie & Lee 2005, JMR, eq. 5): a weighted
 * mean of the population mean pγ/(q − 1) and the customer's own mean m̄. Customers with
 * x = 0 get the population mean. Infinity when the mean does not exist (px + q ≤ 1).
 */
function expectedAverageSpend(params: GammaGammaParameters, customer: RepeatSpendSummary): number {
  const { p, q, gamma } = check(params);
  const issues: ValidationIssue[] = [];
  if (!checkSpendRow(customer, undefined, issues)) throw new ValidationError(issues, 'customer');
  const x = customer.x;
  const m = x > 0 ? customer.monetary : 0;
  const denominator = p * x + q - 1;
  if (!(denominator > 0)) return Number.POSITIVE_INFINITY;
  return (p * (gamma + m * x)) / denominator;
}

function populationAverageSpend(params: GammaGammaParameters): number {
  const { p, q, gamma } = check(params);
  return q > 1 ? (p * gamma) / (q - 1) : Number.POSITIVE_INFINITY;
}

function logLikelihood(params: GammaGammaParameters, customers: Iterable<RepeatSpendSummary>): number {
  check(params);
  return gammaGammaLogLikelihood(params, toSpendColumns(customers));
}

function fit(customers: Iterable<RepeatSpendSummary>, options?: ModelFitOptions<GammaGammaParameters>): GammaGammaFit {
  const data = toSpendColumns(customers);
  const result = fitMaximumLikelihood(
    {
      model: 'gamma-gamma',
      parameterNames: names,
      customers: data.customers,
      uniqueRows: data.x.length,
      logLikelihood: (params) => gammaGammaLogLikelihood(params, data),
      logLikelihoodGradient: (params, gradient) => gammaGammaLogLikelihood(params, data, gradient),
    },
    options,
  );
  return { ...result, excludedCustomers: data.excluded };
}

/**
 * What the Gamma-Gamma spend model offers (see `gammaGamma`).
 *
 * @example
 * ```ts
 * import { gammaGamma, type SpendModel } from 'guanxi/scoring';
 *
 * const model: SpendModel = gammaGamma;
 * ```
 */
export interface SpendModel {
  /** The model's name, as recorded in fits. */
  readonly name: 'gamma-gamma';
  /** The parameters, in the order the fit reports them. */
  readonly parameterNames: readonly (keyof GammaGammaParameters)[];
  /** Fits p, q, γ by maximum likelihood to repeat customers (rows with x = 0 are skipped and counted). */
  fit(customers: Iterable<RepeatSpendSummary>, options?: ModelFitOptions<GammaGammaParameters>): GammaGammaFit;
  /** Total log-likelihood of the repeat customers' mean spend at `params`. */
  logLikelihood(params: GammaGammaParameters, customers: Iterable<RepeatSpendSummary>): number;
  /** E[M | m̄, x]: the expected value of this customer's future transactions. */
  expectedAverageSpend(params: GammaGammaParameters, customer: RepeatSpendSummary): number;
  /** E[M] = pγ/(q − 1): the expected transaction value of a new customer (∞ when q ≤ 1). */
  populationAverageSpend(params: GammaGammaParameters): number;
}

/**
 * The Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: using iso-value
 * curves for customer base analysis", JMR 42; after Colombo & Jiang 1999): each customer's
 * transaction values are Gamma(p, ν) around a personal mean, with ν ~ Gamma(q, γ) across
 * customers. Assumes spend is independent of purchase frequency — check the correlation
 * of x and m̄ on your data before using it for lifetime value.
 *
 * @example
 * ```ts
 * import { gammaGamma } from 'guanxi/scoring';
 *
 * const fit = gammaGamma.fit([
 *   { x: 2, monetary: 22.35 }, { x: 1, monetary: 11.77 }, { x: 3, monetary: 40.5 }, { x: 5, monetary: 47.1 },
 * ]);
 * // Published CDNOW parameters: expected spend per future transaction of a customer.
 * gammaGamma.expectedAverageSpend({ p: 6.25, q: 3.74, gamma: 15.44 }, { x: 2, monetary: 22.35 }); // ≈ 24.7
 * ```
 */
export const gammaGamma: SpendModel = Object.freeze({
  name: 'gamma-gamma' as const,
  parameterNames: names,
  fit,
  logLikelihood,
  expectedAverageSpend,
  populationAverageSpend,
});
