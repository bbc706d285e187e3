/**
 * Fixed-window request limits per caller and bucket. The windows live in memory: a
 * restart forgives everyone, which is right for a reference server.
 */

export interface RateLimitPolicy {
  /** Requests allowed per window. */
  readonly limit: number;
  /** Window length in milliseconds. */
  readonly windowMs: number;
}

export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the window resets (at least 1). */
  readonly resetSeconds: number;
  readonly policyHeader: string;
}

export class RateLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly policies: Readonly<Record<string, RateLimitPolicy>>,
    private readonly now: () => number,
  ) {}

  take(caller: string, bucket: string): RateLimitDecision {
    const policy = this.policies[bucket];
    if (!policy) throw new Error(`no rate-limit policy named ${bucket}`);
    const key = `${bucket}\u0000${caller}`;
    const now = this.now();
    let window = this.#windows.get(key);
    if (!window || now - window.start >= policy.windowMs) {
      window = { start: now, count: 0 };
      this.#windows.set(key, window);
      if (this.#windows.size > 10_000) this.#forgetExpired(now);
    }
    const allowed = window.count < policy.limit;
    if (allowed) window.count += 1;
    return {
      allowed,
      limit: policy.limit,
      remaining: Math.max(0, policy.limit - window.count),
      resetSeconds: Math.max(1, Math.ceil((window.start + policy.windowMs - now) / 1000)),
      policyHeader: `${policy.limit};w=${Math.ceil(policy.windowMs / 1000)};name="${bucket}"`,
    };
  }

  #forgetExpired(now: number): void {
    for (const [key, window] of this.#windows) {
      const bucket = key.slice(0, key.indexOf('\u0000'));
      const policy = this.policies[bucket];
      if (!policy || now - window.start >= policy.windowMs) this.#windows.delete(key);
    }
  }
}
