import type { QueuedEvent } from '../outcome';
import { selectEvictions, type EventQueue, type QueueLimits } from './event-queue';

/** An in-memory queue: Node's queue, and the browser's fallback. */
export function createMemoryQueue(limits: QueueLimits): EventQueue {
  let events: QueuedEvent[] = [];
  return {
    kind: 'memory',
    async add(added, protect) {
      const ids = new Set(added.map((event) => event.id));
      events = events.filter((event) => !ids.has(event.id));
      const last = events[events.length - 1];
      events.push(...added);
      // Consent-released events carry their original (older) capture time.
      if (last && added.some((event) => event.capturedAt < last.capturedAt)) events.sort((a, b) => a.capturedAt - b.capturedAt);
      const evicted = selectEvictions(events, limits, protect);
      if (evicted.length > 0) {
        const gone = new Set(evicted);
        events = events.filter((event) => !gone.has(event));
      }
      return evicted;
    },
    async read(limit, skip) {
      const out: QueuedEvent[] = [];
      for (const event of events) {
        if (out.length >= limit) break;
        if (!skip.has(event.id)) out.push(event);
      }
      return out;
    },
    async remove(ids) {
      const gone = new Set(ids);
      events = events.filter((event) => !gone.has(event.id));
    },
    async removeWhere(predicate, protect) {
      const removed: QueuedEvent[] = [];
      events = events.filter((event) => {
        if (protect.has(event.id) || !predicate(event)) return true;
        removed.push(event);
        return false;
      });
      return removed;
    },
    async count() {
      return events.length;
    },
    close() {},
  };
}
