import type { RandomSource } from './ids';

/**
 * Settings of an exponential backoff.
 *
 * @example
 * ```ts
 * import { fullJitterDelay, type BackoffOptions } from 'guanxi';
 *
 * const gentle: BackoffOptions = { baseMs: 1000, capMs: 30_000 };
 * const delay = fullJitterDelay(2, gentle);
 * ```
 */
export interface BackoffOptions {
  /**
   * Delay scale of the first retry, in milliseconds.
   * @default 500
   */
  readonly baseMs?: number;
  /**
   * Largest delay, in milliseconds.
   * @default 60000
   */
  readonly capMs?: number;
}

/** The default backoff: 500 ms base, 60 s cap. *
 * @example
 * ```ts
 * import { defaultBackoffOptions } from 'guanxi';
 *
 * console.log(defaultBackoffOptions.capMs); // 60000
 * ```
 */
export const defaultBackoffOptions: Readonly<Required<BackoffOptions>> = /* @__PURE__ */ Object.freeze({ baseMs: 500, capMs: 60_000 });

/**
 * Delay before retry number `attempt` (1 for the first retry) with "full jitter": a
 * uniform draw from [0, min(cap, base · 2^(attempt−1))). Full jitter spreads retries of
 * many clients after an outage (AWS Architecture Blog, "Exponential Backoff and Jitter").
 *
 * @example
 * ```ts
 * import { fullJitterDelay } from 'guanxi';
 *
 * const delay = fullJitterDelay(3, { baseMs: 500, capMs: 60_000 }, Math.random); // in [0, 2000)
 * ```
 */
export function fullJitterDelay(attempt: number, options: BackoffOptions = {}, random: RandomSource = Math.random): number {
  const baseMs = options.baseMs ?? defaultBackoffOptions.baseMs;
  const capMs = options.capMs ?? defaultBackoffOptions.capMs;
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const ceiling = Math.min(capMs, baseMs * 2 ** exponent);
  return Math.floor(random() * ceiling);
}

/**
 * Parses an HTTP `Retry-After` header value — delta-seconds or an HTTP date — into a
 * delay in milliseconds from `nowMs`. Returns `undefined` for absent or unparseable
 * values; never negative.
 *
 * @example
 * ```ts
 * import { parseRetryAfter } from 'guanxi';
 *
 * parseRetryAfter('2', Date.now()); // 2000
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:58 GMT')); // 2000
 * ```
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
