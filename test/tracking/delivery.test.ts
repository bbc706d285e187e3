/**
 * Delivery against a real collector on 127.0.0.1: status handling, Retry-After, 413
 * splitting, batching limits, expiry, and the 10,000-event fault run.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTracker,
  isTrackingDeliveryError,
  type DropReason,
  type TrackingDeliveryError,
  type TrackingMessage,
} from '../../src/tracking/index';
import { startTrackingCollector, type CollectorFault, type TrackingCollector } from '../support/tracking-collector';

let collector: TrackingCollector;
beforeEach(async () => {
  collector = await startTrackingCollector();
});
afterEach(async () => {
  await collector.close();
});

const fast = { backoff: { baseMs: 2, capMs: 20 }, flushIntervalMs: 10 };

function outcomes() {
  const delivered = new Map<string, number>();
  const dropped: { id: string; reason: DropReason; httpStatus?: number }[] = [];
  const errors: Error[] = [];
  return {
    delivered,
    dropped,
    errors,
    onDeliver: (m: TrackingMessage) => delivered.set(m.messageId, (delivered.get(m.messageId) ?? 0) + 1),
    onDrop: (m: TrackingMessage, o: { reason: DropReason; httpStatus?: number }) =>
      dropped.push({ id: m.messageId, reason: o.reason, ...(o.httpStatus === undefined ? {} : { httpStatus: o.httpStatus }) }),
    onError: (e: Error) => errors.push(e),
  };
}

describe('delivery', () => {
  it('retries 408, 429, 5xx and dropped connections, then delivers', async () => {
    const faults: CollectorFault[] = [
      { kind: 'status', status: 500 },
      { kind: 'status', status: 408 },
      { kind: 'drop' },
      { kind: 'status', status: 429 },
      { kind: 'status', status: 503 },
    ];
    collector.fault = (i) => faults[i] ?? { kind: 'ok' };
    const log = outcomes();
    const tracker = createTracker({ endpoint: collector.url, ...fast, ...log });
    const id = tracker.track('Retried', {}, { userId: 'u' });
    expect(await tracker.flush({ timeout: 10_000 })).toEqual({ empty: true });
    expect(collector.requests.map((r) => r.status)).toEqual([500, 408, 'dropped', 429, 503, 200]);
    expect([...log.delivered]).toEqual([[id, 1]]);
    const retries = log.errors.filter(isTrackingDeliveryError) as TrackingDeliveryError[];
    expect(retries.map((e) => e.httpStatus)).toEqual([500, 408, undefined, 429, 503]);
    expect(retries.map((e) => e.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(tracker.stats()).toMatchObject({ delivered: 1, requests: 6, retries: 5 });
    await tracker.close();
  });

  it('waits as long as Retry-After says, in seconds and as an HTTP date', async () => {
    // A clock that only moves when the tracker waits (background timers are parked far away).
    let now = 1_000_000;
    const waits: number[] = [];
    const timers = {
      setTimeout: (fn: () => void, ms: number) => {
        if (ms >= 1e8) return undefined;
        waits.push(ms);
        now += ms;
        return setTimeout(fn, 0);
      },
      clearTimeout: (h: unknown) => clearTimeout(h as never),
    };
    const faults: CollectorFault[] = [
      { kind: 'status', status: 429, retryAfter: '3' },
      { kind: 'status', status: 503, retryAfter: new Date(1_000_000 + 3000 + 7000).toUTCString() },
    ];
    collector.fault = (i) => faults[i] ?? { kind: 'ok' };
    const log = outcomes();
    const tracker = createTracker({ endpoint: collector.url, clock: { now: () => now }, timers, flushIntervalMs: 1e9, ...log });
    tracker.track('Patient', {}, { userId: 'u' });
    await tracker.flush({ timeout: 60_000 });
    const retries = log.errors.filter(isTrackingDeliveryError) as TrackingDeliveryError[];
    expect(retries.map((e) => e.retryInMs)).toEqual([3000, 7000]);
    expect(waits).toEqual([3000, 7000]);
    expect(log.delivered.size).toBe(1);
    await tracker.close();
  });

  it('splits a batch answered with 413 and drops a single event refused alone as too-large', async () => {
    collector.fault = (_i, _r) => ({ kind: 'too-large-above', maxEvents: 3 });
    const log = outcomes();
    const tracker = createTracker({ endpoint: collector.url, ...fast, batchSize: 10, ...log });
    for (let i = 0; i < 10; i++) tracker.track('Split', { i }, { userId: 'u' });
    await tracker.flush({ timeout: 10_000 });
    expect(collector.unique.size).toBe(10);
    expect(collector.requests.filter((r) => r.status === 200).every((r) => r.events <= 3)).toBe(true);
    expect(collector.requests[0]).toMatchObject({ status: 413, events: 10 });

    collector.fault = () => ({ kind: 'status', status: 413 });
    const lone = tracker.track('Always Too Large', {}, { userId: 'u' });
    await tracker.flush({ timeout: 10_000 });
    expect(log.dropped).toEqual([{ id: lone, reason: 'too-large', httpStatus: 413 }]);
    await tracker.close();
  });

  it('drops a batch answered with another 4xx as rejected, with the status', async () => {
    collector.fault = () => ({ kind: 'status', status: 400 });
    const log = outcomes();
    const tracker = createTracker({ endpoint: collector.url, ...fast, ...log });
    const a = tracker.track('Bad', {}, { userId: 'u' });
    const b = tracker.track('Bad', {}, { userId: 'u' });
    await tracker.flush({ timeout: 5000 });
    expect(log.dropped).toEqual([
      { id: a, reason: 'rejected', httpStatus: 400 },
      { id: b, reason: 'rejected', httpStatus: 400 },
    ]);
    expect(collector.requests).toHaveLength(1);
    await tracker.close();
  });

  it('drops events larger than maxEventBytes as too-large before queueing them', async () => {
    const log = outcomes();
    const tracker = createTracker({ endpoint: collector.url, ...fast, ...log });
    const id = tracker.track('Huge', { blob: 'x'.repeat(40_000) }, { userId: 'u' });
    const multibyte = tracker.track('Huge', { blob: '关'.repeat(11_000) }, { userId: 'u' }); // 33 KB in UTF-8
    expect(log.dropped.map((d) => [d.id, d.reason])).toEqual([
      [id, 'too-large'],
      [multibyte, 'too-large'],
    ]);
    await tracker.close();
  });

  it('keeps every request within batchSize and maxRequestBytes', async () => {
    const tracker = createTracker({ endpoint: collector.url, ...fast, batchSize: 20, maxRequestBytes: 8 * 1024 });
    for (let i = 0; i < 100; i++) tracker.track('Sized', { pad: 'y'.repeat(i * 10) }, { userId: 'u' });
    await tracker.flush({ timeout: 10_000 });
    expect(collector.unique.size).toBe(100);
    for (const request of collector.requests) {
      expect(request.events).toBeLessThanOrEqual(20);
      expect(request.bytes).toBeLessThanOrEqual(8 * 1024);
    }
    await tracker.close();
  });

  it('drops events older than maxEventAgeMs as expired instead of sending them', async () => {
    let offset = 0;
    let failing = true;
    collector.fault = () => (failing ? { kind: 'status', status: 503 } : { kind: 'ok' });
    const log = outcomes();
    const tracker = createTracker({
      endpoint: collector.url,
      clock: { now: () => Date.now() + offset },
      maxEventAgeMs: 60_000,
      backoff: { baseMs: 1, capMs: 1 },
      ...log,
    });
    const old = tracker.track('Old', {}, { userId: 'u' });
    expect(await tracker.flush({ timeout: 50 })).toEqual({ empty: false });
    offset += 61_000;
    failing = false;
    const fresh = tracker.track('Fresh', {}, { userId: 'u' });
    await tracker.flush({ timeout: 5000 });
    expect(log.dropped).toEqual([{ id: old, reason: 'expired' }]);
    expect([...collector.unique.keys()]).toEqual([fresh]);
    await tracker.close();
  });

  it('evicts the oldest events with reason queue-full beyond maxQueueEvents', async () => {
    collector.fault = () => ({ kind: 'status', status: 503 });
    const log = outcomes();
    const tracker = createTracker({ endpoint: collector.url, maxQueueEvents: 5, flushIntervalMs: 60_000, ...log });
    const ids = Array.from({ length: 8 }, (_, i) => tracker.track('Crowded', { i }, { userId: 'u' }));
    await tracker.flush({ timeout: 20 });
    expect(log.dropped.map((d) => d.id)).toEqual(ids.slice(0, 3));
    expect(log.dropped.every((d) => d.reason === 'queue-full')).toBe(true);
    await tracker.close({ timeout: 0 });
  });
});

describe('10,000 events through a collector failing 30% of requests', () => {
  it('all arrive, none twice after dedupe, each settled exactly once', async () => {
    // Deterministic fault pattern (a linear congruential generator): 30% of requests fail,
    // spread over 5xx, 429 with Retry-After, 413, dropped connections and slow answers
    // that outlast the client's timeout (those arrive, and arrive again on retry).
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const kinds: CollectorFault[] = [
      { kind: 'status', status: 500 },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 429, retryAfter: '0' },
      { kind: 'too-large-above', maxEvents: 10 },
      { kind: 'drop' },
      { kind: 'slow', delayMs: 300 },
    ];
    collector.fault = () => (random() < 0.3 ? kinds[Math.floor(random() * kinds.length)]! : { kind: 'ok' });
    const log = outcomes();
    const tracker = createTracker({
      endpoint: collector.url,
      backoff: { baseMs: 1, capMs: 10 },
      flushIntervalMs: 5,
      requestTimeoutMs: 150,
      batchSize: 50,
      maxQueueEvents: 20_000,
      maxQueueBytes: 50 * 1024 * 1024,
      ...log,
    });
    const ids = new Set<string>();
    for (let i = 0; i < 10_000; i++) ids.add(tracker.track('Load', { i }, { userId: `u-${i % 97}` }));
    const result = await tracker.flush({ timeout: 90_000 });
    expect(result.empty).toBe(true);
    expect(collector.unique.size).toBe(10_000);
    expect(new Set(collector.unique.keys())).toEqual(ids);
    expect(log.dropped).toEqual([]);
    expect(log.delivered.size).toBe(10_000);
    expect([...log.delivered.values()].every((n) => n === 1)).toBe(true);
    const faulty = collector.requests.filter((r) => r.status !== 200).length;
    expect(faulty / collector.requests.length).toBeGreaterThan(0.2);
    console.log(
      `fault run: ${collector.requests.length} requests, ${faulty} faulted, ${collector.received.length} messages received, ` +
        `${collector.received.length - collector.unique.size} duplicates removed by message id`,
    );
    await tracker.close();
  }, 120_000);
});
