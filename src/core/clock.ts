/**
 * The source of the current time. Injected everywhere time matters so that tests and
 * replays control it; the default reads `Date.now()` when called, never at import.
 *
 * @example
 * ```ts
 * import type { Clock } from 'guanxi';
 *
 * // A fixed clock for tests.
 * const frozen: Clock = { now: () => Date.parse('2026-01-01T00:00:00Z') };
 * ```
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** A timer handle as returned by the injected `Timers`. *
 * @example
 * ```ts
 * import { systemTimers, type TimerHandle } from 'guanxi';
 *
 * const handle: TimerHandle = systemTimers.setTimeout(() => undefined, 1000);
 * systemTimers.clearTimeout(handle);
 * ```
 */
export type TimerHandle = unknown;

/**
 * Timer functions, injectable like the clock. The default uses the global
 * `setTimeout`/`clearTimeout` when called and `unref()`s Node timers so that a pending
 * retry never keeps a process alive.
 *
 * @example
 * ```ts
 * import type { Timers } from 'guanxi';
 *
 * // Timers that never fire, for tests that drive time by hand.
 * const manual: Timers = { setTimeout: () => 0, clearTimeout: () => undefined };
 * ```
 */
export interface Timers {
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The real clock.
 *
 * @example
 * ```ts
 * import { systemClock } from 'guanxi';
 *
 * const startedAt = systemClock.now();
 * ```
 */
export const systemClock: Clock = /* @__PURE__ */ Object.freeze({ now: () => Date.now() });

/**
 * The real timers; Node timers are unref'd.
 *
 * @example
 * ```ts
 * import { systemTimers } from 'guanxi';
 *
 * const handle = systemTimers.setTimeout(() => console.log('later'), 10);
 * systemTimers.clearTimeout(handle);
 * ```
 */
export const systemTimers: Timers = /* @__PURE__ */ Object.freeze({
  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const handle = globalThis.setTimeout(callback, delayMs) as unknown;
    if (typeof handle === 'object' && handle !== null && 'unref' in handle && typeof handle.unref === 'function') {
      handle.unref();
    }
    return handle;
  },
  clearTimeout(handle: TimerHandle): void {
    globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
});
