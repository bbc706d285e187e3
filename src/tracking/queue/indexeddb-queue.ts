import type { QueuedEvent } from '../outcome';
import { selectEvictions, type EventQueue, type QueueLimits } from './event-queue';

/** The object store holding queued events in the tracker's database. */
export const queueStoreName = 'events';

/** Settles with a request's result or error. */
function requested<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Settles when a transaction commits, or rejects with its error (e.g. `QuotaExceededError`) when it aborts. */
function committed(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onabort = transaction.onerror = () => reject(transaction.error);
  });
}

/**
 * The durable browser queue: one IndexedDB database per `queueName`, shared by every
 * tab of the origin. Events are keyed by message id, so writing one twice never
 * duplicates it, and read oldest first through the `capturedAt` index.
 *
 * Written against the IndexedDB API itself (a promise per request, one per
 * transaction): the five operations the queue needs did not justify a wrapper library
 * in every storefront bundle (see docs/decisions.md, "The storefront consent bundle").
 * Continuations run as microtasks of the success event, so a transaction stays active
 * across the `await`s inside it.
 *
 * Opening fails (and the tracker falls back to memory) where IndexedDB is missing or
 * blocked.
 */
export async function openIndexedDBQueue(name: string, limits: QueueLimits): Promise<EventQueue> {
  // The global `indexedDB` (fake-indexeddb/auto in Node tests); the tracker checks it exists first.
  const opening = indexedDB.open(name, 1);
  opening.onupgradeneeded = () => {
    opening.result.createObjectStore(queueStoreName, { keyPath: 'id' }).createIndex('capturedAt', 'capturedAt');
  };
  const db = await requested(opening);
  // A newer version of the tracker wants to upgrade the schema in another tab.
  db.onversionchange = () => db.close();
  const store = (mode: IDBTransactionMode = 'readonly', options?: IDBTransactionOptions) => db.transaction(queueStoreName, mode, options).objectStore(queueStoreName);
  /** A write transaction's store, and its commit (already observed: an abort rejects it before it is awaited). */
  const write = (options?: IDBTransactionOptions) => {
    const events = store('readwrite', options);
    const done = committed(events.transaction);
    done.catch(() => undefined);
    return { events, done };
  };
  // Count and bytes are tracked as upper estimates (IndexedDB's count() walks the whole
  // store in Chromium, too slow to call per write) and recounted exactly — which also
  // takes other tabs' writes into account — whenever the estimate says a cap is reached.
  let estimate: { count: number; bytes: number } | undefined;

  return {
    kind: 'indexeddb',
    async add(queued, protect) {
      const { events, done } = write({ durability: 'relaxed' });
      if (!estimate) {
        const all = (await requested(events.getAll())) as QueuedEvent[];
        estimate = { count: all.length, bytes: all.reduce((sum, event) => sum + event.bytes, 0) };
      }
      for (const { id, json, bytes, capturedAt, purposes } of queued) events.put({ id, json, bytes, capturedAt, purposes });
      estimate.count += queued.length;
      for (const event of queued) estimate.bytes += event.bytes;
      let evicted: QueuedEvent[] = [];
      if (estimate.count > limits.maxEvents || estimate.bytes > limits.maxBytes) {
        const all = (await requested(events.index('capturedAt').getAll())) as QueuedEvent[];
        evicted = selectEvictions(all, limits, protect);
        for (const event of evicted) events.delete(event.id);
        estimate = { count: all.length - evicted.length, bytes: 0 };
        for (const event of all) estimate.bytes += event.bytes;
        for (const event of evicted) estimate.bytes -= event.bytes;
      }
      await done;
      return evicted;
    },
    async read(limit, skip) {
      const events = (await requested(store().index('capturedAt').getAll(undefined, limit + skip.size))) as QueuedEvent[];
      return events.filter((event) => !skip.has(event.id)).slice(0, limit);
    },
    async remove(ids) {
      if (ids.length === 0) return;
      const { events, done } = write();
      for (const id of ids) events.delete(id);
      // The estimate stays as it was: over-estimating only brings the next exact recount sooner.
      await done;
    },
    async removeWhere(predicate, protect) {
      const { events, done } = write();
      const removed: QueuedEvent[] = [];
      for (const event of (await requested(events.getAll())) as QueuedEvent[]) {
        if (protect.has(event.id) || !predicate(event)) continue;
        removed.push(event);
        events.delete(event.id);
      }
      await done;
      estimate = undefined;
      return removed;
    },
    count: () => requested(store().count()),
    close: () => db.close(),
  };
}
