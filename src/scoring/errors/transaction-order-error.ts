import { GuanxiError, isGuanxiErrorNamed, type GuanxiErrorOptions } from '../../core/errors/guanxi-error';

/**
 * Why a transaction could not be counted exactly: it arrived out of time order inside a
 * single pass (`out_of_order`), or two shards being merged overlap in time for the same
 * customer (`overlapping_shards`).
 *
 * @example
 * ```ts
 * import type { TransactionOrderProblem } from 'guanxi/scoring';
 *
 * const problem: TransactionOrderProblem = 'out_of_order';
 * ```
 */
export type TransactionOrderProblem = 'out_of_order' | 'overlapping_shards';

/**
 * Thrown when a streamed transaction summary cannot stay exact.
 *
 * Counting distinct purchase days in one pass with constant memory per customer needs
 * each customer's transactions in time order (any interleaving of customers is fine), and
 * merging shards needs the shards of one customer not to overlap in time (split by
 * customer, or by consecutive time ranges). Arrays given to `summarizeTransactions()` are
 * sorted automatically when needed; streams and merges throw this error instead.
 *
 * @example
 * ```ts
 * import { isTransactionOrderError, summarizeTransactionStream } from 'guanxi/scoring';
 *
 * async function* transactions() {
 *   yield { customerId: 'c1', time: '2026-01-01', amount: 10 };
 *   yield { customerId: 'c1', time: '2026-03-01', amount: 10 };
 *   yield { customerId: 'c1', time: '2026-02-01', amount: 10 }; // out of order
 * }
 * try {
 *   await summarizeTransactionStream(transactions(), { calibrationEnd: '2026-06-30' });
 * } catch (error) {
 *   if (isTransactionOrderError(error)) console.log(error.customerId, error.index); // 'c1' 2
 * }
 * ```
 */
export class TransactionOrderError extends GuanxiError {
  override name = 'TransactionOrderError' as const;
  /** What went wrong. */
  readonly problem: TransactionOrderProblem;
  /** The customer whose purchase days could not be counted exactly. */
  readonly customerId: string | number;
  /** Position of the offending transaction in its input (0-based); `-1` for a merge. */
  readonly index: number;

  constructor(problem: TransactionOrderProblem, customerId: string | number, index: number, options: GuanxiErrorOptions = {}) {
    super(
      problem === 'out_of_order'
        ? `Transaction ${index} of customer ${String(customerId)} falls between earlier purchase days of that customer: streamed transactions must be in time order per customer (sort them, or pass an array)`
        : `Cannot merge summaries: the shards overlap in time for customer ${String(customerId)} (split shards by customer or by consecutive time ranges)`,
      problem,
      options,
    );
    this.problem = problem;
    this.customerId = customerId;
    this.index = index;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), problem: this.problem, customerId: this.customerId, index: this.index };
  }
}

/**
 * Whether a value is a `TransactionOrderError` (matched by name, so it works across realms).
 *
 * @example
 * ```ts
 * import { isTransactionOrderError } from 'guanxi/scoring';
 *
 * console.log(isTransactionOrderError(new Error('x'))); // false
 * ```
 */
export function isTransactionOrderError(value: unknown): value is TransactionOrderError {
  return isGuanxiErrorNamed<TransactionOrderError>(value, 'TransactionOrderError');
}
