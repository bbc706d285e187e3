/**
 * The client-side rate limiter: a token bucket per client instance, driven by a manual
 * clock and timers so no test waits on real time.
 */
import { describe, expect, it } from 'vitest';
import type { Clock, Timers } from 'guanxi';
import { TokenBucket } from '../../src/client/transport/token-bucket';

function manualTime() {
  let now = 0;
  const pending: { at: number; callback: () => void; id: number }[] = [];
  let serial = 0;
  const clock: Clock = { now: () => now };
  const timers: Timers = {
    setTimeout: (callback, delayMs) => {
      const id = ++serial;
      pending.push({ at: now + delayMs, callback, id });
      return id;
    },
    clearTimeout: (handle) => {
      const index = pending.findIndex((entry) => entry.id === handle);
      if (index >= 0) pending.splice(index, 1);
    },
  };
  const advance = async (ms: number) => {
    const target = now + ms;
    for (let guard = 0; guard < 10_000; guard++) {
      await new Promise((resolve) => setImmediate(resolve));
      pending.sort((a, b) => a.at - b.at);
      const next = pending[0];
      if (!next || next.at > target) break;
      pending.shift();
      now = next.at;
      next.callback();
    }
    now = target;
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { clock, timers, advance };
}

describe('TokenBucket', () => {
  it('lets a burst through, then paces at the sustained rate', async () => {
    const time = manualTime();
    const bucket = new TokenBucket({ requestsPerSecond: 10, burst: 3 }, time.clock, time.timers);
    let granted = 0;
    for (let i = 0; i < 6; i++) void bucket.take().then(() => granted++);
    await time.advance(0);
    expect(granted).toBe(3);
    await time.advance(100);
    expect(granted).toBe(4);
    await time.advance(200);
    expect(granted).toBe(6);
  });

  it('holds every request while paused by the API', async () => {
    const time = manualTime();
    const bucket = new TokenBucket({ requestsPerSecond: 100, burst: 100 }, time.clock, time.timers);
    bucket.pauseUntil(1000);
    let granted = false;
    void bucket.take().then(() => (granted = true));
    await time.advance(999);
    expect(granted).toBe(false);
    await time.advance(2);
    expect(granted).toBe(true);
  });

  it('releases an aborted waiter without taking its token', async () => {
    const time = manualTime();
    const bucket = new TokenBucket({ requestsPerSecond: 1, burst: 1 }, time.clock, time.timers);
    await bucket.take();
    const controller = new AbortController();
    const waiting = bucket.take(controller.signal).catch((error: unknown) => error);
    controller.abort();
    expect((await waiting as Error).name).toBe('AbortError');
    let granted = false;
    void bucket.take().then(() => (granted = true));
    await time.advance(1000);
    expect(granted).toBe(true);
  });

  it('is per instance: one bucket running dry does not slow another', async () => {
    const time = manualTime();
    const a = new TokenBucket({ requestsPerSecond: 1, burst: 1 }, time.clock, time.timers);
    const b = new TokenBucket({ requestsPerSecond: 1, burst: 1 }, time.clock, time.timers);
    await a.take();
    let granted = false;
    void b.take().then(() => (granted = true));
    await time.advance(0);
    expect(granted).toBe(true);
    expect(a.available).toBeLessThan(1);
  });

  it('refuses a non-positive rate', () => {
    expect(() => new TokenBucket({ requestsPerSecond: 0 })).toThrow(RangeError);
  });
});
