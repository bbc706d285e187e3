import { GuanxiError, isGuanxiErrorNamed, type GuanxiErrorOptions } from '../../core/errors/guanxi-error';

/**
 * Whose limit stopped the listing: the caller's `max` (`toArray({ max })`) or the API's
 * own window (HubSpot search returns at most 10,000 results per query).
 *
 * @example
 * ```ts
 * import type { ResultLimitSource } from 'guanxi/client';
 *
 * const source: ResultLimitSource = 'api';
 * ```
 */
export type ResultLimitSource = 'caller' | 'api';

/**
 * A listing has more results than can be returned, and guanxi says so instead of
 * silently stopping: `toArray({ max })` found more than `max` items, or a search reached
 * the API's result window while more results remained. Narrow the query (for example
 * by a date range) and iterate each part.
 *
 * @example
 * ```ts
 * import { isResultLimitError } from 'guanxi/client';
 *
 * function describe(error: unknown): string {
 *   return isResultLimitError(error) ? `stopped at ${error.limit} (${error.source})` : 'other';
 * }
 * ```
 */
export class ResultLimitError extends GuanxiError {
  override name = 'ResultLimitError' as const;
  /** The limit that was reached. */
  readonly limit: number;
  /** Whose limit it is. */
  readonly source: ResultLimitSource;

  constructor(message: string, limit: number, source: ResultLimitSource, options: GuanxiErrorOptions = {}) {
    super(message, source === 'api' ? 'api_result_window_exceeded' : 'max_items_exceeded', options);
    this.limit = limit;
    this.source = source;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), limit: this.limit, source: this.source };
  }
}

/**
 * Whether a value is a `ResultLimitError` (matched by name, so it works across realms).
 *
 * @example
 * ```ts
 * import { isResultLimitError } from 'guanxi/client';
 *
 * console.log(isResultLimitError(new Error('plain'))); // false
 * ```
 */
export function isResultLimitError(value: unknown): value is ResultLimitError {
  return isGuanxiErrorNamed<ResultLimitError>(value, 'ResultLimitError');
}
