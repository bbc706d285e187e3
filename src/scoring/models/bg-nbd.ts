import { lnBeta, lnGamma } from '../special/gamma-function';
import { oneMinusScaledHypergeometric } from '../special/hypergeometric';
import { logAddExp } from '../special/log-space';
import { acrossRemovableSingularity, checkDuration, checkPurchaseCount, negativeBinomialUpperTail } from './arguments';
import { checkRepeatPurchaseSummary, toCompressedCustomers, type CompressedCustomers, type RepeatPurchaseSummary } from './customers';
import { betaGeometricLogLikelihood } from './beta-geometric-likelihood';
import { fitMaximumLikelihood, type ModelFit, type ModelFitOptions } from './fit';
import { checkModelParameters } from './parameter-check';
import type { BgNbdParameters } from './parameters';
import type { PurchaseModel } from './purchase-model';

const context = 'BG/NBD parameters';
const names = ['r', 'alpha', 'a', 'b'] as const;

function check(params: BgNbdParameters): BgNbdParameters {
  return checkModelParameters(params, names, context);
}

/**
 * E[X(t)] (Fader, Hardie & Lee 2005, eq. 9), with the Gaussian hypergeometric function
 * taken in log space so that the product with (α/(α + t))ʳ never overflows.
 */
function expectedPurchases(params: BgNbdParameters, t: number): number {
  const { r, alpha, a, b } = check(params);
  checkDuration(t, 't', context);
  if (t === 0) return 0;
  const z = t / (alpha + t);
  const lnPower = -r * Math.log1p(t / alpha);
  // Removable singularities at a = 1 (the factor 1/(a − 1)) and at a + b = 1 (₂F₁ has a
  // pole at c = 0 that the factor a + b − 1 cancels).
  const value = acrossRemovableSingularity(a, 1, (a1) =>
    acrossRemovableSingularity(b, 1 - a1, (b1) => ((a1 + b1 - 1) / (a1 - 1)) * oneMinusScaledHypergeometric(lnPower, r, b1, a1 + b1 - 1, z)),
  );
  return Math.max(0, value);
}

/** ln of D − 1 in eq. 10 of the paper: ln[a/(b + x − 1) · ((α + T)/(α + tₓ))^(r + x)], −∞ when x = 0. */
function logDeathOdds(params: BgNbdParameters, customer: RepeatPurchaseSummary): number {
  const { r, alpha, a, b } = params;
  const { x, tx, T } = customer;
  if (x === 0) return Number.NEGATIVE_INFINITY;
  return Math.log(a / (b + x - 1)) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
}

function conditionalExpectedPurchases(params: BgNbdParameters, t: number, customer: RepeatPurchaseSummary): number {
  check(params);
  checkDuration(t, 't', context);
  checkRepeatPurchaseSummary(customer);
  if (t === 0) return 0;
  const { r, alpha, b } = params;
  const { x, T } = customer;
  const lnDenominator = logAddExp(0, logDeathOdds(params, customer));
  // Eq. 10: the numerator with ((α + T)/(α + T + t))^(r + x) in log form; removable
  // singularities as in E[X(t)].
  const z = t / (alpha + T + t);
  const lnPower = -(r + x) * Math.log1p(t / (alpha + T));
  const numerator = acrossRemovableSingularity(params.a, 1, (a1) =>
    acrossRemovableSingularity(b + x, 1 - a1, (bx) =>
      ((a1 + bx - 1) / (a1 - 1)) * oneMinusScaledHypergeometric(lnPower, r + x, bx, a1 + bx - 1, z),
    ),
  );
  return Math.max(0, numerator * Math.exp(-lnDenominator));
}

function probabilityAlive(params: BgNbdParameters, customer: RepeatPurchaseSummary): number {
  check(params);
  checkRepeatPurchaseSummary(customer);
  return Math.exp(-logAddExp(0, logDeathOdds(params, customer)));
}

function probabilityOfPurchases(params: BgNbdParameters, t: number, n: number): number {
  const { r, alpha, a, b } = check(params);
  checkDuration(t, 't', context);
  checkPurchaseCount(n, 'n', context);
  if (t === 0) return n === 0 ? 1 : 0;
  // Eq. 8 of the paper. The negative binomial has p = α/(α + t).
  const logP = -Math.log1p(t / alpha);
  const logQ = Math.log(t / (alpha + t));
  const lnGammaR = lnGamma(r);
  const lnBetaAB = lnBeta(a, b);
  const alive = Math.exp(lnBeta(a, b + n) - lnBetaAB + lnGamma(r + n) - lnGammaR - lnGamma(n + 1) + r * logP + n * logQ);
  if (n === 0) return alive;
  const dropped = Math.exp(lnBeta(a + 1, b + n - 1) - lnBetaAB) * negativeBinomialUpperTail(r, logP, logQ, n, lnGammaR, lnGamma);
  return alive + dropped;
}

function logLikelihood(params: BgNbdParameters, customers: Iterable<RepeatPurchaseSummary> | CompressedCustomers): number {
  check(params);
  return betaGeometricLogLikelihood(params, toCompressedCustomers(customers), 0);
}

function fit(customers: Iterable<RepeatPurchaseSummary> | CompressedCustomers, options?: ModelFitOptions<BgNbdParameters>): ModelFit<BgNbdParameters> {
  const data = toCompressedCustomers(customers);
  return fitMaximumLikelihood(
    {
      model: 'bg-nbd',
      parameterNames: names,
      customers: data.customers,
      uniqueRows: data.rows,
      logLikelihood: (params) => betaGeometricLogLikelihood(params, data, 0),
      logLikelihoodGradient: (params, gradient) => betaGeometricLogLikelihood(params, data, 0, gradient),
    },
    options,
  );
}

/**
 * The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way",
 * Marketing Science 24(2)): while alive a customer buys at a Poisson rate λ, and after
 * each repeat purchase drops out with probability p; λ ~ Gamma(r, α), p ~ Beta(a, b)
 * across customers. Fit it to (x, tₓ, T) summaries, then predict purchases, P(alive) and,
 * with a spend model, lifetime value.
 *
 * @example
 * ```ts
 * import { bgNbd, compressCustomers } from 'guanxi/scoring';
 *
 * const customers = [
 *   { x: 2, tx: 30.43, T: 38.86 },
 *   { x: 1, tx: 1.71, T: 38.86 },
 *   { x: 0, tx: 0, T: 38.86 },
 *   { x: 5, tx: 36.1, T: 38.86 },
 * ];
 * const fit = bgNbd.fit(compressCustomers(customers));
 * if (fit.converged) {
 *   const next39Weeks = bgNbd.conditionalExpectedPurchases(fit.params, 39, customers[0]!);
 *   const alive = bgNbd.probabilityAlive(fit.params, customers[0]!);
 * }
 * // Published CDNOW parameters (weeks): a new customer's expected purchases in a year.
 * bgNbd.expectedPurchases({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, 52); // ≈ 1.45
 * ```
 */
export const bgNbd: PurchaseModel<BgNbdParameters> = Object.freeze({
  name: 'bg-nbd' as const,
  parameterNames: names,
  fit,
  logLikelihood,
  expectedPurchases,
  conditionalExpectedPurchases,
  probabilityAlive,
  probabilityOfPurchases,
});
