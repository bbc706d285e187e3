import { GuanxiError, isGuanxiErrorNamed, type GuanxiErrorOptions } from '../../core/errors/guanxi-error';

/**
 * Reported to `onError` when the durable queue or identifier storage fails: IndexedDB
 * unavailable or over quota (the tracker falls back to memory), or storage blocked.
 * `code` is `queue_unavailable`, `queue_over_quota`, `queue_failed` or `identity_storage_failed`.
 *
 * @example
 * ```ts
 * import { createTracker, isTrackingStorageError } from 'guanxi/tracking';
 *
 * createTracker({
 *   endpoint: 'https://collector.example.com/v1/batch',
 *   onError: (error) => {
 *     if (isTrackingStorageError(error)) console.warn('events now held in memory:', error.code);
 *   },
 * });
 * ```
 */
export class TrackingStorageError extends GuanxiError {
  override name = 'TrackingStorageError' as const;
  /** Whether the tracker moved its queue to memory because of this failure. */
  readonly fellBackToMemory: boolean;

  constructor(message: string, code: string, fellBackToMemory: boolean, options: GuanxiErrorOptions = {}) {
    super(message, code, options);
    this.fellBackToMemory = fellBackToMemory;
  }

  override toJSON(): Record<string, unknown> {
    // Own enumerable fields are exactly the data fields (message, stack and cause are not enumerable).
    return { ...super.toJSON(), ...this };
  }
}

/**
 * Whether a value is a `TrackingStorageError` (cross-realm safe).
 *
 * @example
 * ```ts
 * import { isTrackingStorageError } from 'guanxi/tracking';
 *
 * console.log(isTrackingStorageError(new Error('x'))); // false
 * ```
 */
export function isTrackingStorageError(value: unknown): value is TrackingStorageError {
  return isGuanxiErrorNamed<TrackingStorageError>(value, 'TrackingStorageError');
}
