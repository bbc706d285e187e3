import type { BackoffOptions } from '../core/backoff';
import type { Clock, Timers } from '../core/clock';
import { systemClock, systemTimers } from '../core/clock';
import { isBrowserDocument } from '../core/environment';
import { randomId, type RandomSource } from '../core/ids';
import type { StandardSchemaV1 } from '../core/standard-schema';
import type { ConsentGate, PurposeId } from '../consent/gate';
import type { IdentityStorage } from './identity-storage';
import type { DropReason, TrackingOutcome } from './outcome';
import type { TrackingPlugin } from './plugin';
import { fetchTransport, type TrackingTransport } from './transport';
import type { TrackingMessage } from './wire-schema';

/**
 * A typed event catalog: event name → Standard Schema of its properties (zod, valibot,
 * arktype…). Makes `track()` names and properties type-checked and validated.
 *
 * @example
 * ```ts
 * import * as z from 'zod/mini';
 * import type { EventCatalog } from 'guanxi/tracking';
 *
 * const events = {
 *   'Order Completed': z.object({ orderId: z.string(), total: z.number() }),
 *   'Newsletter Subscribed': z.object({ list: z.string() }),
 * } satisfies EventCatalog;
 * ```
 */
export type EventCatalog = Readonly<Record<string, StandardSchemaV1>>;

/**
 * The kinds of call that declare default purposes.
 *
 * @example
 * ```ts
 * import type { TrackingCallKind } from 'guanxi/tracking';
 *
 * const kind: TrackingCallKind = 'touchpoint';
 * ```
 */
export type TrackingCallKind = 'track' | 'page' | 'identify' | 'group' | 'alias' | 'touchpoint';

/**
 * What `onConsentWithdrawn` receives after the tracker purged everything of the
 * withdrawn purposes: forward it to your CRM as an erasure or suppression request.
 *
 * @example
 * ```ts
 * import type { TrackingErasureRequest } from 'guanxi/tracking';
 *
 * function forward(request: TrackingErasureRequest) {
 *   void fetch('/api/erasure', { method: 'POST', body: JSON.stringify(request) });
 * }
 * ```
 */
export interface TrackingErasureRequest {
  /** The purposes withdrawn. */
  readonly purposes: readonly PurposeId[];
  /** The subject's identifiers at the time of withdrawal. */
  readonly anonymousId: string | undefined;
  readonly userId: string | undefined;
  /** Events purged from the consent buffer, the write buffer and the queue. */
  readonly purgedEvents: number;
  /** Whether stored identifiers were removed (the identifier storage purpose was withdrawn). */
  readonly identifiersRemoved: boolean;
  /** When the withdrawal was processed (ms since epoch). */
  readonly at: number;
}

/**
 * Options of `createTracker`.
 *
 * @example
 * ```ts
 * import { createTracker, type TrackerOptions } from 'guanxi/tracking';
 *
 * const options: TrackerOptions = {
 *   endpoint: 'https://collector.example.com/v1/batch',
 *   batchSize: 50,
 *   flushIntervalMs: 2000,
 *   onDrop: (message, outcome) => console.warn(message.messageId, outcome),
 * };
 * const tracker = createTracker(options);
 * ```
 */
export interface TrackerOptions<Events extends EventCatalog = EventCatalog> {
  /** The collector's batch URL (`POST`, Segment `/v1/batch` shape). Must answer CORS requests from your pages. */
  readonly endpoint: string;
  /** Sent as `writeKey` in each batch body (never as a header: headers trigger a CORS preflight). */
  readonly writeKey?: string;
  /** The typed event catalog; when given, only its names are accepted by `track()`. */
  readonly events?: Events;
  /**
   * `development` throws a `ValidationError` from `track()` and friends for invalid
   * events; `production` drops them with reason `invalid` and reports them to `onDrop`.
   * @default 'production'
   */
  readonly mode?: 'development' | 'production';
  /** The consent gate; without one, every purpose counts as granted. */
  readonly consent?: ConsentGate;
  /**
   * Purposes each kind of call is processed for, unless a call passes its own.
   * @default { track: ['analytics'], page: ['analytics'], identify: ['analytics'], group: ['analytics'], alias: ['analytics'], touchpoint: ['analytics'] }
   */
  readonly purposes?: Partial<Record<TrackingCallKind, readonly PurposeId[]>>;
  /**
   * The purpose under which identifiers (anonymous id, user id, session) may be read from
   * and written to `identityStorage`. Until it is granted, identifiers live in memory only.
   * @default 'analytics'
   */
  readonly identityStoragePurpose?: PurposeId;
  /** Events waiting for consent, at most. The oldest is dropped (`queue-full`) beyond it. @default 100 */
  readonly pendingConsentMaxEvents?: number;
  /** How long an event may wait for consent before it is dropped (`consent`), in ms. @default 1800000 (30 min) */
  readonly pendingConsentMaxAgeMs?: number;
  /**
   * Where queued events live. `auto`: IndexedDB in browsers, memory elsewhere (and
   * memory when IndexedDB fails, reported to `onError`).
   * @default 'auto'
   */
  readonly queue?: 'auto' | 'indexeddb' | 'memory';
  /** IndexedDB database name, Web Lock name and identifier key prefix. @default 'guanxi-tracking' */
  readonly queueName?: string;
  /** Queue cap in events; the oldest are evicted with reason `queue-full`. @default 1000 */
  readonly maxQueueEvents?: number;
  /** Queue cap in bytes of JSON. @default 5242880 (5 MB) */
  readonly maxQueueBytes?: number;
  /** Events per request, at most. @default 20 */
  readonly batchSize?: number;
  /** Bytes per request body, at most (fits the browsers' 64 KB keepalive budget). @default 61440 (60 KB) */
  readonly maxRequestBytes?: number;
  /** Largest single event, in bytes of JSON; larger ones are dropped with reason `too-large`. @default 32768 */
  readonly maxEventBytes?: number;
  /** How long events may wait for more to fill a batch, in ms. @default 5000 */
  readonly flushIntervalMs?: number;
  /** Retry backoff (full jitter). @default { baseMs: 500, capMs: 60000 } */
  readonly backoff?: BackoffOptions;
  /** Per-request timeout in ms (a timeout is retried). @default 10000 */
  readonly requestTimeoutMs?: number;
  /** Events older than this (since capture) are dropped with reason `expired`. @default 604800000 (7 days) */
  readonly maxEventAgeMs?: number;
  /**
   * Where identifiers are kept: `auto` (localStorage in browsers, memory elsewhere),
   * `localStorage`, `memory`, or your own `IdentityStorage` (for example
   * `cookieIdentityStorage()` for first-party cookies).
   * @default 'auto'
   */
  readonly identityStorage?: 'auto' | 'localStorage' | 'memory' | IdentityStorage;
  /** A new session starts after this much inactivity, in ms. @default 1800000 (30 min) */
  readonly sessionIdleMs?: number;
  /** A new session starts when a session is this old, in ms. @default 86400000 (24 h) */
  readonly sessionMaxMs?: number;
  /**
   * Require every call to carry `userId` or `anonymousId` (server-side trackers serve
   * many people, so they never invent an anonymous id).
   * @default true outside a browser page, false in one
   */
  readonly requireExplicitIdentity?: boolean;
  /** Send unconfirmed events with `fetch` keepalive on `pagehide` / hidden. @default true */
  readonly deliverOnUnload?: boolean;
  /** Plugins to install at creation (more with `tracker.use()`). @default [] */
  readonly plugins?: readonly TrackingPlugin[];
  /** Sends requests. @default fetchTransport */
  readonly transport?: TrackingTransport;
  /** Request `content-type`. @default 'text/plain;charset=UTF-8' in browsers (no CORS preflight), 'application/json' elsewhere */
  readonly contentType?: string;
  /** Clock. @default systemClock */
  readonly clock?: Clock;
  /** Timers for batching and retries (unref'd in Node). @default systemTimers */
  readonly timers?: Timers;
  /** Randomness for backoff jitter. @default Math.random */
  readonly random?: RandomSource;
  /** Makes message, anonymous and session ids. @default randomId */
  readonly generateId?: () => string;
  /** Called once per delivered event. */
  readonly onDeliver?: (message: TrackingMessage) => void;
  /** Called once per dropped event, with the reason. */
  readonly onDrop?: (message: TrackingMessage, outcome: TrackingOutcome & { status: 'dropped'; reason: DropReason }) => void;
  /** Called with failures that do not settle an event: retries, storage fallbacks, plugin errors. */
  readonly onError?: (error: Error) => void;
  /** Called after a consent withdrawal was purged from every queue and storage. */
  readonly onConsentWithdrawn?: (request: TrackingErasureRequest) => void;
}

/**
 * The defaults of every optional tracker option whose default does not depend on the runtime.
 *
 * @example
 * ```ts
 * import { defaultTrackerOptions } from 'guanxi/tracking';
 *
 * console.log(defaultTrackerOptions.batchSize); // 20
 * ```
 */
export const defaultTrackerOptions = /* @__PURE__ */ Object.freeze({
  mode: 'production',
  purposes: {
    track: ['analytics'],
    page: ['analytics'],
    identify: ['analytics'],
    group: ['analytics'],
    alias: ['analytics'],
    touchpoint: ['analytics'],
  },
  identityStoragePurpose: 'analytics',
  pendingConsentMaxEvents: 100,
  pendingConsentMaxAgeMs: 30 * 60_000,
  queue: 'auto',
  queueName: 'guanxi-tracking',
  maxQueueEvents: 1000,
  maxQueueBytes: 5 * 1024 * 1024,
  batchSize: 20,
  maxRequestBytes: 60 * 1024,
  maxEventBytes: 32 * 1024,
  flushIntervalMs: 5000,
  backoff: { baseMs: 500, capMs: 60_000 },
  requestTimeoutMs: 10_000,
  maxEventAgeMs: 7 * 24 * 3_600_000,
  identityStorage: 'auto',
  sessionIdleMs: 30 * 60_000,
  sessionMaxMs: 24 * 3_600_000,
  deliverOnUnload: true,
} as const);

/**
 * Tracker options with every default applied.
 *
 * @example
 * ```ts
 * import { resolveTrackerOptions, type ResolvedTrackerOptions } from 'guanxi/tracking';
 *
 * const resolved: ResolvedTrackerOptions = resolveTrackerOptions({ endpoint: 'https://collector.example.com/v1/batch' });
 * console.log(resolved.flushIntervalMs); // 5000
 * ```
 */
export type ResolvedTrackerOptions<Events extends EventCatalog = EventCatalog> = Required<
  Omit<TrackerOptions<Events>, 'events' | 'consent' | 'writeKey' | 'onDeliver' | 'onDrop' | 'onError' | 'onConsentWithdrawn' | 'purposes' | 'backoff'>
> &
  Pick<TrackerOptions<Events>, 'events' | 'consent' | 'writeKey' | 'onDeliver' | 'onDrop' | 'onError' | 'onConsentWithdrawn'> & {
    readonly purposes: Readonly<Record<TrackingCallKind, readonly PurposeId[]>>;
    readonly backoff: Readonly<Required<BackoffOptions>>;
    /** Whether `timers` were injected (explicit flushes then wait on them too). */
    readonly timersInjected: boolean;
  };

/**
 * Applies the defaults to tracker options. Runtime-dependent defaults (`queue`,
 * `identityStorage`, `requireExplicitIdentity`, `contentType`) are decided here, when
 * called, never at import.
 *
 * @example
 * ```ts
 * import { resolveTrackerOptions } from 'guanxi/tracking';
 *
 * const resolved = resolveTrackerOptions({ endpoint: 'http://127.0.0.1:8080/v1/batch', batchSize: 5 });
 * console.log(resolved.batchSize, resolved.maxRequestBytes); // 5 61440
 * ```
 */
export function resolveTrackerOptions<Events extends EventCatalog = EventCatalog>(
  options: TrackerOptions<Events>,
): ResolvedTrackerOptions<Events> {
  const browser = isBrowserDocument();
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as TrackerOptions<Events>;
  return {
    ...defaultTrackerOptions,
    requireExplicitIdentity: !browser,
    plugins: [],
    transport: fetchTransport,
    contentType: browser ? 'text/plain;charset=UTF-8' : 'application/json',
    clock: systemClock,
    timers: systemTimers,
    random: Math.random,
    generateId: randomId,
    ...defined,
    purposes: { ...defaultTrackerOptions.purposes, ...defined.purposes },
    backoff: { ...defaultTrackerOptions.backoff, ...defined.backoff },
    timersInjected: defined.timers !== undefined,
  };
}
