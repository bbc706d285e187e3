/**
 * The queues on their own (IndexedDB through fake-indexeddb, and memory), and the
 * tracker's use of them: persistence across instances, caps, and the fallback to memory.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { QueuedEvent } from '../../src/tracking/outcome';
import type { EventQueue } from '../../src/tracking/queue/event-queue';
import { openIndexedDBQueue } from '../../src/tracking/queue/indexeddb-queue';
import { createMemoryQueue } from '../../src/tracking/queue/memory-queue';
import { createTracker, isTrackingStorageError, type DropReason, type TrackingMessage } from '../../src/tracking/index';
import { startTrackingCollector, type TrackingCollector } from '../support/tracking-collector';

function event(n: number, bytes = 100, purposes: string[] = ['analytics']): QueuedEvent {
  const message = { type: 'track', event: `E${n}`, messageId: `m-${n}`, userId: 'u', timestamp: new Date(n).toISOString(), context: { library: { name: 'guanxi', version: '0' } } } as TrackingMessage;
  return { id: `m-${n}`, json: JSON.stringify(message), bytes, capturedAt: n, purposes };
}

const none = new Set<string>();
let name = 0;
const makers: [string, (limits: { maxEvents: number; maxBytes: number }) => Promise<EventQueue>][] = [
  ['indexeddb', (limits) => openIndexedDBQueue(`queue-test-${++name}`, limits)],
  ['memory', async (limits) => createMemoryQueue(limits)],
];

for (const [kind, make] of makers) {
  describe(`${kind} queue`, () => {
    it('reads oldest first, skips ids in flight, and ignores a second write of the same id', async () => {
      const queue = await make({ maxEvents: 100, maxBytes: 1e6 });
      await queue.add([event(3), event(1)], none);
      await queue.add([event(2), event(1)], none);
      expect(await queue.count()).toBe(3);
      expect((await queue.read(10, none)).map((e) => e.id)).toEqual(['m-1', 'm-2', 'm-3']);
      expect((await queue.read(2, new Set(['m-1']))).map((e) => e.id)).toEqual(['m-2', 'm-3']);
      await queue.remove(['m-2', 'missing']);
      expect((await queue.read(10, none)).map((e) => e.id)).toEqual(['m-1', 'm-3']);
      queue.close();
    });

    it('evicts the oldest beyond the count cap and the byte cap, never events in flight', async () => {
      const queue = await make({ maxEvents: 3, maxBytes: 1000 });
      expect(await queue.add([event(1), event(2), event(3)], none)).toEqual([]);
      const evicted = await queue.add([event(4)], new Set(['m-1']));
      expect(evicted.map((e) => e.id)).toEqual(['m-2']);
      const byBytes = await queue.add([event(5, 900)], none);
      expect(byBytes.map((e) => e.id)).toEqual(['m-1', 'm-3']);
      expect((await queue.read(10, none)).map((e) => e.id)).toEqual(['m-4', 'm-5']);
      queue.close();
    });

    it('removes by purpose, sparing events in flight', async () => {
      const queue = await make({ maxEvents: 100, maxBytes: 1e6 });
      await queue.add([event(1, 10, ['analytics']), event(2, 10, ['marketing']), event(3, 10, ['analytics', 'marketing']), event(4, 10, ['marketing'])], none);
      const removed = await queue.removeWhere((e) => e.purposes.includes('marketing'), new Set(['m-4']));
      expect(removed.map((e) => e.id).sort()).toEqual(['m-2', 'm-3']);
      expect((await queue.read(10, none)).map((e) => e.id)).toEqual(['m-1', 'm-4']);
      queue.close();
    });

    it('property: stays within its caps and keeps the newest events, in order', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 6 }), { maxLength: 8 }), async (writes) => {
          const limits = { maxEvents: 10, maxBytes: 2000 };
          const queue = await make(limits);
          let n = 0;
          const all: QueuedEvent[] = [];
          const gone = new Set<string>();
          for (const sizes of writes) {
            const added = sizes.map((bytes) => event(++n, bytes));
            all.push(...added);
            for (const e of await queue.add(added, none)) gone.add(e.id);
          }
          const kept = await queue.read(1000, none);
          expect(kept.length).toBeLessThanOrEqual(limits.maxEvents);
          expect(kept.reduce((sum, e) => sum + e.bytes, 0)).toBeLessThanOrEqual(limits.maxBytes);
          expect(kept.map((e) => e.id)).toEqual(all.filter((e) => !gone.has(e.id)).map((e) => e.id));
          // What was evicted is always older than what was kept.
          const oldestKept = kept[0]?.capturedAt ?? Infinity;
          expect(all.filter((e) => gone.has(e.id)).every((e) => e.capturedAt < oldestKept)).toBe(true);
          queue.close();
        }),
        { numRuns: 40 },
      );
    });
  });
}

describe('the tracker with an IndexedDB queue', () => {
  let collector: TrackingCollector;
  beforeEach(async () => {
    collector = await startTrackingCollector();
  });
  afterEach(async () => {
    await collector.close();
  });

  it('writes events before sending them, and a new instance sends what an earlier one left', async () => {
    const queueName = `persist-${Math.random()}`;
    collector.fault = () => ({ kind: 'status', status: 503 });
    const first = createTracker({ endpoint: collector.url, queue: 'indexeddb', queueName, backoff: { baseMs: 1, capMs: 5 } });
    const ids = Array.from({ length: 30 }, (_, i) => first.track('Durable', { i }, { userId: 'u' }));
    expect(await first.flush({ timeout: 100 })).toEqual({ empty: false });
    expect(first.stats()).toMatchObject({ storage: 'indexeddb', queued: 30 });
    await first.close({ timeout: 0 });
    expect(collector.unique.size).toBe(0);

    collector.fault = () => ({ kind: 'ok' });
    const delivered: string[] = [];
    const second = createTracker({ endpoint: collector.url, queue: 'indexeddb', queueName, onDeliver: (m) => delivered.push(m.messageId) });
    expect(await second.flush({ timeout: 5000 })).toEqual({ empty: true });
    expect([...collector.unique.keys()].sort()).toEqual([...ids].sort());
    expect(delivered.sort()).toEqual([...ids].sort());
    await second.close();
  });

  it('falls back to memory and says so when IndexedDB is missing', async () => {
    const saved = globalThis.indexedDB;
    // @ts-expect-error: simulating a browser without IndexedDB
    delete globalThis.indexedDB;
    try {
      const errors: Error[] = [];
      const tracker = createTracker({ endpoint: collector.url, queue: 'indexeddb', onError: (e) => errors.push(e) });
      tracker.track('Still Delivered', {}, { userId: 'u' });
      await tracker.flush({ timeout: 5000 });
      expect(collector.unique.size).toBe(1);
      expect(tracker.stats().storage).toBe('memory');
      expect(errors.filter(isTrackingStorageError).map((e) => [e.code, e.fellBackToMemory])).toEqual([['queue_unavailable', true]]);
      await tracker.close();
    } finally {
      globalThis.indexedDB = saved;
    }
  });

  it('falls back to memory without losing the events when IndexedDB is over quota', async () => {
    const store = globalThis.IDBObjectStore.prototype;
    const put = store.put;
    const queueName = `quota-${Math.random()}`;
    const errors: Error[] = [];
    const dropped: DropReason[] = [];
    const tracker = createTracker({
      endpoint: collector.url,
      queue: 'indexeddb',
      queueName,
      onError: (e) => errors.push(e),
      onDrop: (_m, o) => dropped.push(o.reason),
    });
    tracker.track('Fits', {}, { userId: 'u' });
    await tracker.flush();
    store.put = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    try {
      tracker.track('Over Quota', {}, { userId: 'u' });
      tracker.track('Over Quota', {}, { userId: 'u' });
      await tracker.flush({ timeout: 5000 });
    } finally {
      store.put = put;
    }
    expect(collector.unique.size).toBe(3);
    expect(dropped).toEqual([]);
    expect(tracker.stats().storage).toBe('memory');
    expect(errors.filter(isTrackingStorageError).map((e) => e.code)).toEqual(['queue_over_quota']);
    await tracker.close();
  });
});
