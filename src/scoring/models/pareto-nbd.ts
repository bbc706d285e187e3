import { lnBeta, lnGamma } from '../special/gamma-function';
import { logHypergeometric2F1 } from '../special/hypergeometric';
import { logAddExp, logSubExp } from '../special/log-space';
import { checkDuration, checkPurchaseCount } from './arguments';
import { checkRepeatPurchaseSummary, toCompressedCustomers, type CompressedCustomers, type RepeatPurchaseSummary } from './customers';
import { fitMaximumLikelihood, type ModelFit, type ModelFitOptions } from './fit';
import { checkModelParameters } from './parameter-check';
import type { ParetoNbdParameters } from './parameters';
import type { PurchaseModel } from './purchase-model';

const context = 'Pareto/NBD parameters';
const names = ['r', 'alpha', 's', 'beta'] as const;

function check(params: ParetoNbdParameters): ParetoNbdParameters {
  return checkModelParameters(params, names, context);
}

/**
 * ln of one of the two terms of A₀ (Fader & Hardie, note 009, eq. 2 and 3) at time t:
 * ₂F₁(r+s+x, s+1; r+s+x+1; (α−β)/(α+t)) / (α+t)^(r+s+x) for α ≥ β, or with α and β
 * swapped and r + x in place of s + 1 for α < β.
 *
 * The Euler transformation ₂F₁(a, b; c; z) = (1 − z)^(c−a−b) ₂F₁(c−a, c−b; c; z) turns
 * both into a power product times ₂F₁(1, ·; r+s+x+1; z), a series of positive terms
 * that converges even at z = 1, where the original sums diverge (c − a − b < 0):
 *   α ≥ β: (β+t)^−s (α+t)^−(r+x) ₂F₁(1, r+x; r+s+x+1; (α−β)/(α+t))
 *   α < β: (α+t)^(1−r−x) (β+t)^−(s+1) ₂F₁(1, s+1; r+s+x+1; (β−α)/(β+t))
 */
function logA0Term(r: number, alpha: number, s: number, beta: number, x: number, t: number): number {
  const c = r + s + x + 1;
  if (alpha >= beta) {
    return -s * Math.log(beta + t) - (r + x) * Math.log(alpha + t) + logHypergeometric2F1(1, r + x, c, (alpha - beta) / (alpha + t));
  }
  return (1 - r - x) * Math.log(alpha + t) - (s + 1) * Math.log(beta + t) + logHypergeometric2F1(1, s + 1, c, (beta - alpha) / (beta + t));
}

/**
 * ln L of one customer without the parameter-only terms, and ln of the "alive" part
 * (α+T)^−(r+x)(β+T)^−s, for P(alive) = that part's share of the sum.
 */
function logLikelihoodParts(params: ParetoNbdParameters, x: number, tx: number, T: number): { readonly total: number; readonly alive: number } {
  const { r, alpha, s, beta } = params;
  const alive = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const atTx = logA0Term(r, alpha, s, beta, x, tx);
  const atT = logA0Term(r, alpha, s, beta, x, T);
  // A₀ = ∫ over the death time in (tₓ, T] of a positive density, so atTx ≥ atT; rounding
  // when tₓ ≈ T can reverse them, and then A₀ is 0 to machine precision.
  const logA0 = atT >= atTx ? Number.NEGATIVE_INFINITY : logSubExp(atTx, atT);
  const total = logAddExp(alive, Math.log(s / (r + s + x)) + logA0);
  return { total, alive };
}

/** Total log-likelihood (Fader & Hardie, note 009, eq. 1). */
function paretoNbdLogLikelihood(params: ParetoNbdParameters, data: CompressedCustomers): number {
  const { r, alpha, s, beta } = params;
  const perX = Float64Array.from(data.distinctX, (x) => lnGamma(r + x));
  const constant = -lnGamma(r) + r * Math.log(alpha) + s * Math.log(beta);
  let total = 0;
  let weightTotal = 0;
  for (let i = 0; i < data.rows; i++) {
    const weight = data.weight[i] as number;
    if (weight === 0) continue;
    const parts = logLikelihoodParts(params, data.x[i] as number, data.tx[i] as number, data.T[i] as number);
    total += weight * ((perX[data.xIndex[i] as number] as number) + parts.total);
    weightTotal += weight;
  }
  return total + weightTotal * constant;
}

/** (1 − q^(s−1))/(s − 1) for 0 < q ≤ 1, continuous through s = 1 where it is −ln q. */
function powerDifferenceQuotient(logQ: number, s: number): number {
  const e = s - 1;
  return e === 0 ? -logQ : -Math.expm1(e * logQ) / e;
}

/** E[X(t)] = rβ/(α(s−1)) · [1 − (β/(β+t))^(s−1)] (Schmittlein et al. 1987, eq. 17). */
function expectedPurchases(params: ParetoNbdParameters, t: number): number {
  const { r, alpha, s, beta } = check(params);
  checkDuration(t, 't', context);
  return ((r * beta) / alpha) * powerDifferenceQuotient(-Math.log1p(t / beta), s);
}

function probabilityAlive(params: ParetoNbdParameters, customer: RepeatPurchaseSummary): number {
  check(params);
  checkRepeatPurchaseSummary(customer);
  const parts = logLikelihoodParts(params, customer.x, customer.tx, customer.T);
  return Math.min(1, Math.exp(parts.alive - parts.total));
}

/**
 * E[Y(t) | x, tₓ, T] = P(alive) · (r+x)(β+T)/((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)]
 * (Schmittlein et al. 1987, eq. 22; Fader & Hardie note 009).
 */
function conditionalExpectedPurchases(params: ParetoNbdParameters, t: number, customer: RepeatPurchaseSummary): number {
  const { r, alpha, s, beta } = check(params);
  checkDuration(t, 't', context);
  checkRepeatPurchaseSummary(customer);
  const { x, T } = customer;
  const alive = probabilityAlive(params, customer);
  return alive * (((r + x) * (beta + T)) / (alpha + T)) * powerDifferenceQuotient(-Math.log1p(t / (beta + T)), s);
}

/**
 * P(X(t) = n) (Fader, Hardie & Lee, "Deriving an expression for P(X(t) = x) under the
 * Pareto/NBD model", 2006, eq. 9): alive throughout with n purchases, plus death at some
 * time τ < t after n purchases in (0, τ].
 */
function probabilityOfPurchases(params: ParetoNbdParameters, t: number, n: number): number {
  const { r, alpha, s, beta } = check(params);
  checkDuration(t, 't', context);
  checkPurchaseCount(n, 'n', context);
  if (t === 0) return n === 0 ? 1 : 0;
  const lnFirst =
    lnGamma(r + n) - lnGamma(r) - lnGamma(n + 1) + r * Math.log(alpha / (alpha + t)) + n * Math.log(t / (alpha + t)) + s * Math.log(beta / (beta + t));
  const c = r + s + n + 1;
  const [big, small, second] = alpha >= beta ? [alpha, beta, s + 1] : [beta, alpha, r + n];
  const lnB1 = logHypergeometric2F1(r + s, second, c, (big - small) / big) - (r + s) * Math.log(big);
  const lnGammaRS = lnGamma(r + s);
  let lnSum = Number.NEGATIVE_INFINITY;
  for (let j = 0; j <= n; j++) {
    const lnB2 =
      logHypergeometric2F1(r + s + j, second, c, (big - small) / (big + t)) - (r + s + j) * Math.log(big + t);
    lnSum = logAddExp(lnSum, lnGamma(r + s + j) - lnGammaRS - lnGamma(j + 1) + j * Math.log(t) + lnB2);
  }
  const lnBrace = lnSum >= lnB1 ? Number.NEGATIVE_INFINITY : logSubExp(lnB1, lnSum);
  const lnSecond = r * Math.log(alpha) + s * Math.log(beta) + lnBeta(r + n, s + 1) - lnBeta(r, s) + lnBrace;
  return Math.exp(lnFirst) + Math.exp(lnSecond);
}

function logLikelihood(params: ParetoNbdParameters, customers: Iterable<RepeatPurchaseSummary> | CompressedCustomers): number {
  check(params);
  return paretoNbdLogLikelihood(params, toCompressedCustomers(customers));
}

function fit(customers: Iterable<RepeatPurchaseSummary> | CompressedCustomers, options?: ModelFitOptions<ParetoNbdParameters>): ModelFit<ParetoNbdParameters> {
  const data = toCompressedCustomers(customers);
  return fitMaximumLikelihood(
    {
      model: 'pareto-nbd',
      parameterNames: names,
      customers: data.customers,
      uniqueRows: data.rows,
      logLikelihood: (params) => paretoNbdLogLikelihood(params, data),
    },
    options,
  );
}

/**
 * The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987, "Counting your customers:
 * who are they and what will they do next?", Management Science 33(1); likelihood as in
 * Fader & Hardie's note 009): while alive a customer buys at a Poisson rate λ and dies
 * at an exponential time with rate μ; λ ~ Gamma(r, α), μ ~ Gamma(s, β). Same methods as
 * `bgNbd`; the likelihood needs ₂F₁, so fits are slower than BG/NBD's.
 *
 * @example
 * ```ts
 * import { paretoNbd } from 'guanxi/scoring';
 *
 * const params = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 }; // CDNOW, weeks
 * paretoNbd.conditionalExpectedPurchases(params, 52, { x: 26, tx: 30.86, T: 31 }); // ≈ 25.46
 * paretoNbd.probabilityAlive(params, { x: 2, tx: 30.43, T: 38.86 });
 * ```
 */
export const paretoNbd: PurchaseModel<ParetoNbdParameters> = Object.freeze({
  name: 'pareto-nbd' as const,
  parameterNames: names,
  fit,
  logLikelihood,
  expectedPurchases,
  conditionalExpectedPurchases,
  probabilityAlive,
  probabilityOfPurchases,
});
