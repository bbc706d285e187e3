import { systemClock, systemTimers, type Clock, type Timers } from '../../core/clock';

/**
 * Settings of one client-side rate limiter: a token bucket holding up to `burst`
 * requests, refilled continuously at `requestsPerSecond`.
 *
 * @example
 * ```ts
 * import type { RateLimitBucketOptions } from 'guanxi/client';
 *
 * // HubSpot's search endpoints: 5 requests per second per token.
 * const search: RateLimitBucketOptions = { requestsPerSecond: 5, burst: 5 };
 * ```
 */
export interface RateLimitBucketOptions {
  /** Sustained rate. */
  readonly requestsPerSecond: number;
  /**
   * Largest burst, in requests.
   * @default requestsPerSecond (one second's worth)
   */
  readonly burst?: number;
}

/**
 * A token bucket (the classic traffic-shaping algorithm, e.g. Tanenbaum, Computer
 * Networks, §5.4): requests take one token each, tokens refill continuously, and a
 * request that finds the bucket empty waits for the next token instead of being sent
 * into a 429. One bucket per client instance and per API limit — never process-global,
 * so two clients (two HubSpot portals, two tenants) never throttle each other.
 * Transports create theirs from `rateLimits`; reach one with `transport.bucket(name)`.
 *
 * @example
 * ```ts
 * import { TokenBucket } from 'guanxi/client';
 *
 * const bucket = new TokenBucket({ requestsPerSecond: 5, burst: 5 });
 * await bucket.take(); // at once while tokens remain, later when they run out
 * ```
 */
export class TokenBucket {
  readonly #ratePerMs: number;
  readonly #capacity: number;
  readonly #clock: Clock;
  readonly #timers: Timers;
  #tokens: number;
  #updatedAt: number;
  #pausedUntil = 0;
  #tail: Promise<void> = Promise.resolve();

  constructor(options: RateLimitBucketOptions, clock: Clock = systemClock, timers: Timers = systemTimers) {
    if (!(options.requestsPerSecond > 0)) throw new RangeError('requestsPerSecond must be positive');
    this.#ratePerMs = options.requestsPerSecond / 1000;
    this.#capacity = Math.max(1, options.burst ?? options.requestsPerSecond);
    this.#clock = clock;
    this.#timers = timers;
    this.#tokens = this.#capacity;
    this.#updatedAt = clock.now();
  }

  /** Tokens available now (fractional). */
  get available(): number {
    this.#refill();
    return this.#tokens;
  }

  /**
   * Waits until a token is available and takes it. Waiters are served in arrival order;
   * an aborted waiter leaves the queue without taking a token.
   */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.#tail.then(() => this.#waitAndTake(signal));
    this.#tail = turn.catch(() => undefined);
    return turn;
  }

  /** Holds every request until `untilMs` (epoch ms): the API said the window is spent. */
  pauseUntil(untilMs: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, untilMs);
  }

  async #waitAndTake(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      this.#refill();
      const now = this.#clock.now();
      const pause = this.#pausedUntil - now;
      if (pause <= 0 && this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      const refillWait = this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) / this.#ratePerMs);
      await sleep(Math.max(pause, refillWait, 1), this.#timers, signal);
    }
  }

  #refill(): void {
    const now = this.#clock.now();
    const elapsed = Math.max(0, now - this.#updatedAt);
    this.#tokens = Math.min(this.#capacity, this.#tokens + elapsed * this.#ratePerMs);
    this.#updatedAt = now;
  }
}

/** Waits `delayMs` on the injected timers; rejects with the signal's reason on abort. */
export function sleep(delayMs: number, timers: Timers, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      timers.clearTimeout(handle);
      reject(signal?.reason as Error);
    };
    const handle = timers.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, delayMs));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
