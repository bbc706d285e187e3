import { isGuanxiErrorNamed, type GuanxiErrorOptions } from '../../core/errors/guanxi-error';
import { HttpError, type HttpErrorDetails } from './http-error';

/**
 * What a `RateLimitError` knows about the limit that was hit.
 *
 * @example
 * ```ts
 * import type { RateLimitDetails } from 'guanxi/client';
 *
 * const daily: RateLimitDetails = { status: 429, method: 'GET', url: 'https://api.hubapi.com/crm/v3/objects/contacts', limit: 'DAILY' };
 * ```
 */
export interface RateLimitDetails extends HttpErrorDetails {
  /** Which limit: the API's policy name (HubSpot's `TEN_SECONDLY_ROLLING`, `DAILY`) or `'unknown'`. */
  readonly limit: string;
  /** When the limit resets (epoch milliseconds), when the API said so. */
  readonly resetAt?: number | undefined;
}

/**
 * The API's rate limit was hit and the call was not (or no longer) retried: the limit is
 * one that does not clear soon (HubSpot's `DAILY`), the wait exceeds the call's deadline
 * or `maxRetryAfterMs`, or the retries ran out.
 *
 * @example
 * ```ts
 * import { isRateLimitError } from 'guanxi/client';
 *
 * function explain(error: unknown): string {
 *   if (!isRateLimitError(error)) return 'other';
 *   return error.resetAt === undefined ? `limit ${error.limit}` : `limit ${error.limit} until ${new Date(error.resetAt).toISOString()}`;
 * }
 * ```
 */
export class RateLimitError extends HttpError {
  override name = 'RateLimitError' as const;
  /** Which limit was hit. */
  readonly limit: string;
  /** When the limit resets (epoch milliseconds), if known. */
  readonly resetAt: number | undefined;

  constructor(message: string, details: RateLimitDetails, options: GuanxiErrorOptions = {}) {
    super(message, { ...details, code: details.code ?? 'rate_limited' }, options);
    this.limit = details.limit;
    this.resetAt = details.resetAt;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), limit: this.limit, resetAt: this.resetAt };
  }
}

/**
 * Whether a value is a `RateLimitError` (matched by name, so it works across realms).
 *
 * @example
 * ```ts
 * import { isRateLimitError } from 'guanxi/client';
 *
 * console.log(isRateLimitError(new Error('plain'))); // false
 * ```
 */
export function isRateLimitError(value: unknown): value is RateLimitError {
  return isGuanxiErrorNamed<RateLimitError>(value, 'RateLimitError');
}
