import type { TrackingMessage } from './wire-schema';

/**
 * Why an event was dropped. Every event ends either delivered or dropped with exactly
 * one of these reasons:
 *
 * - `invalid` — failed the event catalog or the touchpoint/identity checks;
 * - `consent` — a required purpose was denied, was withdrawn while the event waited, or
 *   stayed pending past the buffer's age limit;
 * - `queue-full` — evicted as the oldest event when the queue (or the consent buffer) was full;
 * - `too-large` — larger than one request may carry, or refused with 413 on its own;
 * - `rejected` — the collector answered with a 4xx other than 408/413/429 (see `status`);
 * - `expired` — older than `maxEventAgeMs` before it could be delivered;
 * - `filtered` — a `before` plugin dropped it;
 * - `closed` — still in an in-memory queue when `close()` gave up (events in IndexedDB
 *   stay queued for the next page load instead).
 *
 * @example
 * ```ts
 * import type { DropReason } from 'guanxi/tracking';
 *
 * const retryable = (reason: DropReason) => reason === 'closed';
 * ```
 */
export type DropReason = 'invalid' | 'consent' | 'queue-full' | 'too-large' | 'rejected' | 'expired' | 'filtered' | 'closed';

/**
 * Every drop reason, in a stable order.
 *
 * @example
 * ```ts
 * import { dropReasons } from 'guanxi/tracking';
 *
 * for (const reason of dropReasons) console.log(reason);
 * ```
 */
export const dropReasons: readonly DropReason[] = /* @__PURE__ */ Object.freeze([
  'invalid',
  'consent',
  'queue-full',
  'too-large',
  'rejected',
  'expired',
  'filtered',
  'closed',
]);

/**
 * The final outcome of one event.
 *
 * @example
 * ```ts
 * import type { TrackingOutcome } from 'guanxi/tracking';
 *
 * function describe(outcome: TrackingOutcome): string {
 *   return outcome.status === 'delivered' ? 'delivered' : `dropped (${outcome.reason})`;
 * }
 * ```
 */
export type TrackingOutcome =
  | { readonly status: 'delivered' }
  | {
      readonly status: 'dropped';
      readonly reason: DropReason;
      /** The HTTP status, for `rejected` and `too-large` answers from the collector. */
      readonly httpStatus?: number;
      /** For `invalid`: what was wrong. */
      readonly error?: Error;
    };

/**
 * Counters of one tracker instance. Events restored from IndexedDB after a reload count
 * as delivered or dropped by the instance that settles them.
 *
 * @example
 * ```ts
 * import { createTracker } from 'guanxi/tracking';
 *
 * const tracker = createTracker({ endpoint: 'https://collector.example.com/v1/batch' });
 * const { delivered, dropped } = tracker.stats();
 * console.log(delivered, dropped.consent);
 * ```
 */
export interface TrackerStats {
  /** Events captured by this instance (every call of track, page, identify, group, alias, touchpoint). */
  readonly captured: number;
  /** Events confirmed by the collector (2xx). */
  readonly delivered: number;
  /** Dropped events by reason. */
  readonly dropped: Readonly<Record<DropReason, number>>;
  /** Events waiting for consent in memory. */
  readonly pendingConsent: number;
  /** Events this instance knows to be queued (written or being written, not yet settled). */
  readonly queued: number;
  /** Events in requests that have not been answered yet. */
  readonly inFlight: number;
  /** Requests sent, and how many of them failed and will be retried. */
  readonly requests: number;
  readonly retries: number;
  /** Where the queue lives now: `indexeddb`, or `memory` (Node, or after a fallback). */
  readonly storage: 'indexeddb' | 'memory';
}

/**
 * @internal An event on its way. The queue stores the message as the JSON that will be
 * sent (cloning a string into IndexedDB is far cheaper than cloning an object tree, and
 * requests are assembled from it without serializing again); the object itself is kept
 * only in memory, by the tab that captured it.
 */
export interface QueuedEvent {
  readonly id: string;
  /** The message as sent. */
  readonly json: string;
  /** The message object, where still in memory (not stored in IndexedDB). */
  readonly message?: TrackingMessage;
  /** UTF-8 length of `json`. */
  readonly bytes: number;
  /** Capture time, ms since the epoch (orders the queue, drives expiry). */
  readonly capturedAt: number;
  /** Purposes the event was processed for (purged when any is withdrawn). */
  readonly purposes: readonly string[];
}
