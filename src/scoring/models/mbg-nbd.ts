import { lnBeta, lnGamma } from '../special/gamma-function';
import { oneMinusScaledHypergeometric } from '../special/hypergeometric';
import { logAddExp } from '../special/log-space';
import { acrossRemovableSingularity, checkDuration, checkPurchaseCount, negativeBinomialUpperTail } from './arguments';
import { checkRepeatPurchaseSummary, toCompressedCustomers, type CompressedCustomers, type RepeatPurchaseSummary } from './customers';
import { betaGeometricLogLikelihood } from './beta-geometric-likelihood';
import { fitMaximumLikelihood, type ModelFit, type ModelFitOptions } from './fit';
import { checkModelParameters } from './parameter-check';
import type { MbgNbdParameters } from './parameters';
import type { PurchaseModel } from './purchase-model';

const context = 'MBG/NBD parameters';
const names = ['r', 'alpha', 'a', 'b'] as const;

function check(params: MbgNbdParameters): MbgNbdParameters {
  return checkModelParameters(params, names, context);
}

/**
 * E[X(t)] (Batislam, Denizel & Filiztekin 2007, eq. 8): as BG/NBD's eq. 9 but with the
 * beta mixing taken over (1 − p)/p instead of 1/p, since a customer may drop out at time 0.
 */
function expectedPurchases(params: MbgNbdParameters, t: number): number {
  const { r, alpha, b } = check(params);
  checkDuration(t, 't', context);
  if (t === 0) return 0;
  const z = t / (alpha + t);
  const lnPower = -r * Math.log1p(t / alpha);
  return Math.max(0, acrossRemovableSingularity(params.a, 1, (a) => (b / (a - 1)) * oneMinusScaledHypergeometric(lnPower, r, b + 1, a + b, z)));
}

/** ln[a/(b + x) · ((α + T)/(α + tₓ))^(r + x)]: the odds of having dropped out (eq. 7). */
function logDeathOdds(params: MbgNbdParameters, customer: RepeatPurchaseSummary): number {
  const { r, alpha, a, b } = params;
  const { x, tx, T } = customer;
  return Math.log(a / (b + x)) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
}

function conditionalExpectedPurchases(params: MbgNbdParameters, t: number, customer: RepeatPurchaseSummary): number {
  check(params);
  checkDuration(t, 't', context);
  checkRepeatPurchaseSummary(customer);
  if (t === 0) return 0;
  const { r, alpha, b } = params;
  const { x, T } = customer;
  const lnDenominator = logAddExp(0, logDeathOdds(params, customer));
  // Eq. 9 of the paper, the power of (α + T)/(α + T + t) in log form.
  const z = t / (alpha + T + t);
  const lnPower = -(r + x) * Math.log1p(t / (alpha + T));
  const numerator = acrossRemovableSingularity(params.a, 1, (a) =>
    ((a + b + x) / (a - 1)) * oneMinusScaledHypergeometric(lnPower, r + x, b + x + 1, a + b + x, z),
  );
  return Math.max(0, numerator * Math.exp(-lnDenominator));
}

function probabilityAlive(params: MbgNbdParameters, customer: RepeatPurchaseSummary): number {
  check(params);
  checkRepeatPurchaseSummary(customer);
  return Math.exp(-logAddExp(0, logDeathOdds(params, customer)));
}

function probabilityOfPurchases(params: MbgNbdParameters, t: number, n: number): number {
  const { r, alpha, a, b } = check(params);
  checkDuration(t, 't', context);
  checkPurchaseCount(n, 'n', context);
  if (t === 0) return n === 0 ? 1 : 0;
  // Alive after n + 1 drop-out chances with exactly n purchases, or dropped out right
  // after the n-th purchase (at time 0 when n = 0) with at least n purchase events by t.
  const logP = -Math.log1p(t / alpha);
  const logQ = Math.log(t / (alpha + t));
  const lnGammaR = lnGamma(r);
  const lnBetaAB = lnBeta(a, b);
  const alive = Math.exp(lnBeta(a, b + n + 1) - lnBetaAB + lnGamma(r + n) - lnGammaR - lnGamma(n + 1) + r * logP + n * logQ);
  const dropped = Math.exp(lnBeta(a + 1, b + n) - lnBetaAB) * negativeBinomialUpperTail(r, logP, logQ, n, lnGammaR, lnGamma);
  return alive + dropped;
}

function logLikelihood(params: MbgNbdParameters, customers: Iterable<RepeatPurchaseSummary> | CompressedCustomers): number {
  check(params);
  return betaGeometricLogLikelihood(params, toCompressedCustomers(customers), 1);
}

function fit(customers: Iterable<RepeatPurchaseSummary> | CompressedCustomers, options?: ModelFitOptions<MbgNbdParameters>): ModelFit<MbgNbdParameters> {
  const data = toCompressedCustomers(customers);
  return fitMaximumLikelihood(
    {
      model: 'mbg-nbd',
      parameterNames: names,
      customers: data.customers,
      uniqueRows: data.rows,
      logLikelihood: (params) => betaGeometricLogLikelihood(params, data, 1),
      logLikelihoodGradient: (params, gradient) => betaGeometricLogLikelihood(params, data, 1, gradient),
    },
    options,
  );
}

/**
 * The MBG/NBD model (Batislam, Denizel & Filiztekin 2007, "Empirical validation and
 * comparison of models for customer base analysis", IJRM 24(3)): BG/NBD where a customer
 * may also drop out right after the first purchase, so customers with no repeat purchase
 * are not all assumed alive. Same methods as `bgNbd`.
 *
 * @example
 * ```ts
 * import { mbgNbd } from 'guanxi/scoring';
 *
 * const params = { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 }; // CDNOW, weeks
 * const alive = mbgNbd.probabilityAlive(params, { x: 0, tx: 0, T: 38.86 }); // < 1, unlike BG/NBD
 * const nextYear = mbgNbd.conditionalExpectedPurchases(params, 52, { x: 2, tx: 30.43, T: 38.86 });
 * ```
 */
export const mbgNbd: PurchaseModel<MbgNbdParameters> = Object.freeze({
  name: 'mbg-nbd' as const,
  parameterNames: names,
  fit,
  logLikelihood,
  expectedPurchases,
  conditionalExpectedPurchases,
  probabilityAlive,
  probabilityOfPurchases,
});
