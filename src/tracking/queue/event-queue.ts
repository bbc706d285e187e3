import type { QueuedEvent } from '../outcome';

/**
 * Where events wait between capture and delivery. Two implementations: IndexedDB (the
 * browser default, shared by every tab of an origin) and memory (Node, and the fallback
 * when IndexedDB is unavailable or over quota). Both keep events oldest first and stay
 * within a count and a byte cap by evicting the oldest.
 */
export interface EventQueue {
  readonly kind: 'indexeddb' | 'memory';
  /**
   * Stores events (replacing any with the same id) and returns the events evicted to
   * stay within the caps, oldest first. Ids in `protect` (requests in flight) are never evicted.
   */
  add(events: readonly QueuedEvent[], protect: ReadonlySet<string>): Promise<QueuedEvent[]>;
  /** Up to `limit` events, oldest first, leaving out ids in `skip`. */
  read(limit: number, skip: ReadonlySet<string>): Promise<QueuedEvent[]>;
  /** Removes events by id (missing ids are ignored). */
  remove(ids: readonly string[]): Promise<void>;
  /** Removes and returns every event for which `predicate` holds, except ids in `protect`. */
  removeWhere(predicate: (event: QueuedEvent) => boolean, protect: ReadonlySet<string>): Promise<QueuedEvent[]>;
  /** How many events are stored. */
  count(): Promise<number>;
  /** Releases resources (the database connection). */
  close(): void;
}

/** The caps a queue enforces. */
export interface QueueLimits {
  readonly maxEvents: number;
  readonly maxBytes: number;
}

/**
 * Picks the events to evict, oldest first, so that what remains fits the limits.
 * `events` must be sorted oldest first.
 */
export function selectEvictions(events: readonly QueuedEvent[], limits: QueueLimits, protect: ReadonlySet<string>): QueuedEvent[] {
  let count = events.length;
  let bytes = 0;
  for (const event of events) bytes += event.bytes;
  const evicted: QueuedEvent[] = [];
  for (const event of events) {
    if (count <= limits.maxEvents && bytes <= limits.maxBytes) break;
    if (protect.has(event.id)) continue;
    evicted.push(event);
    count--;
    bytes -= event.bytes;
  }
  return evicted;
}
