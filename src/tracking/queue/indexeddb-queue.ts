import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
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
  // Bytes are tracked as an estimate (other tabs write too) and recounted exactly
  // whenever the estimate says the byte cap is reached.
  let estimatedBytes: number | undefined;

  async function exactBytes(database: IDBPDatabase<QueueSchema>): Promise<number> {
    let total = 0;
    for (const event of await database.getAll(queueStoreName)) total += event.bytes;
    return total;
  }

  return {
    kind: 'indexeddb',
    async add(events, protect) {
      estimatedBytes ??= await exactBytes(db);
      const tx = db.transaction(queueStoreName, 'readwrite');
      for (const event of events) void tx.store.put(event);
      for (const event of events) estimatedBytes += event.bytes;
      const count = await tx.store.count();
      let evicted: QueuedEvent[] = [];
      if (count > limits.maxEvents || estimatedBytes > limits.maxBytes) {
        const all = await tx.store.index('capturedAt').getAll();
        evicted = selectEvictions(all, limits, protect);
        for (const event of evicted) void tx.store.delete(event.id);
        estimatedBytes = 0;
        for (const event of all) estimatedBytes += event.bytes;
        for (const event of evicted) estimatedBytes -= event.bytes;
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
      await tx.done;
      estimatedBytes = undefined;
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
      estimatedBytes = undefined;
      return removed;
    },
    count: () => db.count(queueStoreName),
    close: () => db.close(),
  };
}
