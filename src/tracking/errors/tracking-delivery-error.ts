import { GuanxiError, isGuanxiErrorNamed, type GuanxiErrorOptions } from '../../core/errors/guanxi-error';

/**
 * Reported to `onError` when a request to the collector fails in a way that will be
 * retried (network error, timeout, 408, 429, 5xx). The events stay queued.
 *
 * @example
 * ```ts
 * import { createTracker, isTrackingDeliveryError } from 'guanxi/tracking';
 *
 * createTracker({
 *   endpoint: 'https://collector.example.com/v1/batch',
 *   onError: (error) => {
 *     if (isTrackingDeliveryError(error)) console.log(error.httpStatus, error.retryInMs);
 *   },
 * });
 * ```
 */
export class TrackingDeliveryError extends GuanxiError {
  override name = 'TrackingDeliveryError' as const;
  /** The HTTP status, or `undefined` for network errors and timeouts. */
  readonly httpStatus: number | undefined;
  /** Consecutive failed attempts so far. */
  readonly attempt: number;
  /** When the next attempt is due, in ms from now. */
  readonly retryInMs: number;
  /** Events in the failed request. */
  readonly eventCount: number;

  constructor(
    details: { httpStatus: number | undefined; attempt: number; retryInMs: number; eventCount: number },
    options: GuanxiErrorOptions = {},
  ) {
    super(`Delivery failed (${details.httpStatus ?? 'network error'}); retry in ${details.retryInMs} ms`, 'tracking_delivery_failed', options);
    this.httpStatus = details.httpStatus;
    this.attempt = details.attempt;
    this.retryInMs = details.retryInMs;
    this.eventCount = details.eventCount;
  }

  override toJSON(): Record<string, unknown> {
    // Own enumerable fields are exactly the data fields (message, stack and cause are not enumerable).
    return { ...super.toJSON(), ...this };
  }
}

/**
 * Whether a value is a `TrackingDeliveryError` (cross-realm safe).
 *
 * @example
 * ```ts
 * import { isTrackingDeliveryError } from 'guanxi/tracking';
 *
 * console.log(isTrackingDeliveryError(new Error('x'))); // false
 * ```
 */
export function isTrackingDeliveryError(value: unknown): value is TrackingDeliveryError {
  return isGuanxiErrorNamed<TrackingDeliveryError>(value, 'TrackingDeliveryError');
}
