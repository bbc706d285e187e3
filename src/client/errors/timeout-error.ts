import { GuanxiError, isGuanxiErrorNamed, type GuanxiErrorOptions } from '../../core/errors/guanxi-error';

/**
 * Which deadline passed: one attempt's (`timeoutMs`) or the whole call's, retries and
 * waits included (`totalTimeoutMs`).
 *
 * @example
 * ```ts
 * import type { TimeoutKind } from 'guanxi/client';
 *
 * const kind: TimeoutKind = 'total';
 * ```
 */
export type TimeoutKind = 'attempt' | 'total';

/**
 * A call ran out of time. An attempt timeout is retried like a network error (only for
 * idempotent calls); a total timeout ends the call.
 *
 * @example
 * ```ts
 * import { TimeoutError, isTimeoutError } from 'guanxi/client';
 *
 * const error = new TimeoutError('GET', 'https://api.example.com/contacts', 'total', 30_000);
 * console.log(isTimeoutError(error), error.kind); // true 'total'
 * ```
 */
export class TimeoutError extends GuanxiError {
  override name = 'TimeoutError' as const;
  /** Request method, upper case. */
  readonly method: string;
  /** Request URL, secrets redacted. */
  readonly url: string;
  /** Which deadline passed. */
  readonly kind: TimeoutKind;
  /** The deadline, in milliseconds. */
  readonly timeoutMs: number;

  constructor(method: string, url: string, kind: TimeoutKind, timeoutMs: number, options: GuanxiErrorOptions = {}) {
    super(`${method} ${url} timed out (${kind === 'total' ? 'total deadline' : 'attempt'} of ${timeoutMs} ms)`, `timeout_${kind}`, options);
    this.method = method;
    this.url = url;
    this.kind = kind;
    this.timeoutMs = timeoutMs;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), method: this.method, url: this.url, kind: this.kind, timeoutMs: this.timeoutMs };
  }
}

/**
 * Whether a value is a `TimeoutError` (matched by name, so it works across realms).
 *
 * @example
 * ```ts
 * import { isTimeoutError } from 'guanxi/client';
 *
 * console.log(isTimeoutError(new Error('plain'))); // false
 * ```
 */
export function isTimeoutError(value: unknown): value is TimeoutError {
  return isGuanxiErrorNamed<TimeoutError>(value, 'TimeoutError');
}
