import type { CompressedCustomers, RepeatPurchaseSummary } from './customers';
import type { ModelFit, ModelFitOptions } from './fit';

/**
 * What every purchase-count model (`bgNbd`, `mbgNbd`, `paretoNbd`) offers. Times (`t`,
 * and the customer's `tx` and `T`) are in the unit the parameters were fitted in.
 * Every method validates its arguments and throws a `ValidationError` naming the bad
 * parameter or field; none returns silently wrong numbers for bad input.
 *
 * @example
 * ```ts
 * import { bgNbd, paretoNbd, type PurchaseModel } from 'guanxi/scoring';
 *
 * function aliveShare<P extends object>(model: PurchaseModel<P>, params: P): number {
 *   return model.probabilityAlive(params, { x: 1, tx: 10, T: 30 });
 * }
 * aliveShare(bgNbd, { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 });
 * aliveShare(paretoNbd, { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 });
 * ```
 */
export interface PurchaseModel<P extends object> {
  /** The model's name, as recorded in fits. */
  readonly name: 'bg-nbd' | 'mbg-nbd' | 'pareto-nbd';
  /** The parameters, in the order the fit reports them. */
  readonly parameterNames: readonly (keyof P & string)[];
  /**
   * Fits the model by maximum likelihood to customers (plain rows or the output of
   * `compressCustomers`). Never silently wrong: `converged` says whether the search
   * converged, and `requireConvergence: true` turns a failure into a `ModelFitError`.
   */
  fit(customers: Iterable<RepeatPurchaseSummary> | CompressedCustomers, options?: ModelFitOptions<P>): ModelFit<P>;
  /** Total log-likelihood of customers at `params`. */
  logLikelihood(params: P, customers: Iterable<RepeatPurchaseSummary> | CompressedCustomers): number;
  /** E[X(t)]: expected purchases of a new customer in a period of length t after the first purchase. */
  expectedPurchases(params: P, t: number): number;
  /** E[Y(t) | x, tₓ, T]: expected purchases of this customer in the next t units of time. */
  conditionalExpectedPurchases(params: P, t: number, customer: RepeatPurchaseSummary): number;
  /** P(alive | x, tₓ, T): probability that the customer has not dropped out by T. */
  probabilityAlive(params: P, customer: RepeatPurchaseSummary): number;
  /** P(X(t) = n): probability that a new customer makes exactly n repeat purchases in (0, t]. */
  probabilityOfPurchases(params: P, t: number, n: number): number;
}
