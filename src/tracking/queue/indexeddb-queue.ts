import { openDB, type DBSchema } from 'idb';
import type { QueuedEvent } from '../outcome';
import { selectEvictions, type EventQueue, type QueueLimits } from './event-queue';

/** The object store holding queued events in the tracker's database. */
export const queueStoreName = 'events';

interface QueueSchema extends DBSchema {
  events: { key: string; value: QueuedEvent; indexes: { capturedAt: number } };
}

/**
 * The durable browser queue: one IndexedDB database per `queueName`, shared by every
 * tab of the origin. Events are keyed by message id, so writing one twice never
 * duplicates it, and read oldest first through the `capturedAt` index.
 *
 * Opening fails (and the tracker falls back to memory) where IndexedDB is missing or
 * blocked.
 */
export async function openIndexedDBQueue(name: string, limits: QueueLimits): Promise<EventQueue> {
  // idb reaches the global `indexedDB` and IDB* classes (fake-indexeddb/auto in Node tests).
  const db = await openDB<QueueSchema>(name, 1, {
    upgrade(database) {
      database.createObjectStore(queueStoreName, { keyPath: 'id' }).createIndex('capturedAt', 'capturedAt');
    },
    blocking() {
      // A newer version of the tracker wants to upgrade the schema in another tab.
      db.close();
    },
  });
  // Count and bytes are tracked as upper estimates (IndexedDB's count() walks the whole
  // store in Chromium, too slow to call per write) and recounted exactly — which also
  // takes other tabs' writes into account — whenever the estimate says a cap is reached.
  let estimate: { count: number; bytes: number } | undefined;

  return {
    kind: 'indexeddb',
    async add(events, protect) {
      const tx = db.transaction(queueStoreName, 'readwrite', { durability: 'relaxed' });
      if (!estimate) {
        const all = await tx.store.getAll();
        estimate = { count: all.length, bytes: all.reduce((sum, event) => sum + event.bytes, 0) };
      }
      for (const { id, json, bytes, capturedAt, purposes } of events) void tx.store.put({ id, json, bytes, capturedAt, purposes });
      estimate.count += events.length;
      for (const event of events) estimate.bytes += event.bytes;
      let evicted: QueuedEvent[] = [];
      if (estimate.count > limits.maxEvents || estimate.bytes > limits.maxBytes) {
        const all = await tx.store.index('capturedAt').getAll();
        evicted = selectEvictions(all, limits, protect);
        for (const event of evicted) void tx.store.delete(event.id);
        estimate = { count: all.length - evicted.length, bytes: 0 };
        for (const event of all) estimate.bytes += event.bytes;
        for (const event of evicted) estimate.bytes -= event.bytes;
      }
      await tx.done;
      return evicted;
    },
    async read(limit, skip) {
      const events = await db.getAllFromIndex(queueStoreName, 'capturedAt', undefined, limit + skip.size);
      return events.filter((event) => !skip.has(event.id)).slice(0, limit);
    },
    async remove(ids) {
      if (ids.length === 0) return;
      const tx = db.transaction(queueStoreName, 'readwrite');
      for (const id of ids) void tx.store.delete(id);
      // The estimate stays as it was: over-estimating only brings the next exact recount sooner.
      await tx.done;
    },
    async removeWhere(predicate, protect) {
      const tx = db.transaction(queueStoreName, 'readwrite');
      const removed: QueuedEvent[] = [];
      for (const event of await tx.store.getAll()) {
        if (protect.has(event.id) || !predicate(event)) continue;
        removed.push(event);
        void tx.store.delete(event.id);
      }
      await tx.done;
      estimate = undefined;
      return removed;
    },
    count: () => db.count(queueStoreName),
    close: () => db.close(),
  };
}
