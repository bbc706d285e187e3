import { ValidationError, type ValidationIssue } from '../core/errors/validation-error';
import { getIndexedDB, getWindow, getDocument } from '../core/environment';
import type { StandardSchemaV1 } from '../core/standard-schema';
import { safeValidate } from '../core/validate';
import type { ConsentChange, PurposeId } from '../consent/gate';
import { createContextReader } from './context';
import { createDelivery } from './delivery';
import { TrackingPluginError } from './errors/tracking-plugin-error';
import { TrackingStorageError } from './errors/tracking-storage-error';
import { createVisitorIdentity } from './identity';
import { localStorageIdentity, memoryIdentity, type IdentityStorage } from './identity-storage';
import { trackingLibrary } from './library';
import { resolveTrackerOptions, type EventCatalog, type TrackerOptions, type TrackingCallKind } from './options';
import { dropReasons, type DropReason, type QueuedEvent, type TrackerStats, type TrackingOutcome } from './outcome';
import type { TrackingPlugin } from './plugin';
import type { EventQueue } from './queue/event-queue';
import { openIndexedDBQueue } from './queue/indexeddb-queue';
import { createMemoryQueue } from './queue/memory-queue';
import { toTouchpointProperties, touchpointEventName, type TouchpointInput } from './touchpoint';
import type { TrackingMessage } from './wire-schema';

/**
 * Per-call options of the tracker's methods.
 *
 * @example
 * ```ts
 * import { createTracker, type TrackingCallOptions } from 'guanxi/tracking';
 *
 * const tracker = createTracker({ endpoint: 'https://collector.example.com/v1/batch' });
 * // Server side: say whose event it is and when it happened.
 * const options: TrackingCallOptions = { userId: 'u-42', timestamp: '2026-03-02T09:30:00Z' };
 * tracker.track('Invoice Paid', { amount: 120 }, options);
 * ```
 */
export interface TrackingCallOptions {
  /** The known user's id (overrides the tracker's). */
  readonly userId?: string;
  /** The anonymous id (overrides the tracker's). */
  readonly anonymousId?: string;
  /** When the event happened, if not now (imports, server-side replays). */
  readonly timestamp?: Date | string | number;
  /** A message id of your own, for idempotent imports. @default a random UUID */
  readonly messageId?: string;
  /** Purposes this event is processed for; overrides the tracker's default for the call kind. */
  readonly purposes?: readonly PurposeId[];
  /** Extra context merged into `context` (the tracker's own fields win). */
  readonly context?: Readonly<Record<string, unknown>>;
}

/**
 * What `flush()` and `close()` report: whether the queue was emptied, or how many events
 * remain after the timeout.
 *
 * @example
 * ```ts
 * import { createTracker, type FlushResult } from 'guanxi/tracking';
 *
 * const tracker = createTracker({ endpoint: 'https://collector.example.com/v1/batch' });
 * const result: FlushResult = await tracker.flush({ timeout: 5000 });
 * if (!result.empty) console.warn('still queued after 5 s');
 * ```
 */
export interface FlushResult {
  /** True when nothing is left in the queue. */
  readonly empty: boolean;
}

type Properties = Readonly<Record<string, unknown>>;
type CatalogName<Events extends EventCatalog> = string extends keyof Events ? string : keyof Events & string;
type CatalogProperties<Events extends EventCatalog, Name> = string extends keyof Events
  ? Properties
  : Name extends keyof Events
    ? StandardSchemaV1.InferInput<Events[Name]>
    : never;

/**
 * A tracker: the same API in browsers and Node. Every method returns at once (the
 * message id, where there is one) and never throws in `production` mode; outcomes arrive
 * through `onDeliver` / `onDrop` and `stats()`.
 *
 * @example
 * ```ts
 * import * as z from 'zod/mini';
 * import { createTracker, type Tracker } from 'guanxi/tracking';
 *
 * const events = { 'Order Completed': z.object({ orderId: z.string(), total: z.number() }) };
 * const tracker: Tracker<typeof events> = createTracker({ endpoint: 'https://collector.example.com/v1/batch', events });
 * tracker.track('Order Completed', { orderId: 'o-1', total: 42 });
 * ```
 */
export interface Tracker<Events extends EventCatalog = EventCatalog> {
  /** Ties the visitor to a known user (remembered in browsers) and records traits. */
  identify(userId?: string, traits?: Properties, options?: TrackingCallOptions): string;
  /** Records an event: with a catalog, only its names, with properties of its schemas. */
  track<Name extends CatalogName<Events>>(event: Name, properties?: CatalogProperties<Events, Name>, options?: TrackingCallOptions): string;
  /** Records a page view; url, path, referrer, title and search are filled in from the page. */
  page(name?: string, properties?: Properties, options?: TrackingCallOptions): string;
  /** Ties the user to an organization (account, household). */
  group(groupId: string, traits?: Properties, options?: TrackingCallOptions): string;
  /** Links a previous id (by default the current user or anonymous id) to `userId`, and adopts `userId`. */
  alias(userId: string, previousId?: string, options?: TrackingCallOptions): string;
  /** Records a contact with a customer on any channel, online or not. */
  touchpoint(touchpoint: TouchpointInput, options?: TrackingCallOptions): string;
  /** Forgets the user; starts a new anonymous id and session (e.g. on log-out). */
  reset(): void;
  /** The current identifiers. */
  identity(): { readonly anonymousId: string | undefined; readonly userId: string | undefined };
  /** Sends everything queued; resolves when the queue is empty or after `timeout` ms. */
  flush(options?: { readonly timeout?: number }): Promise<FlushResult>;
  /** Flushes (default timeout 10 s), then stops timers and listeners. Later calls are dropped (`closed`). */
  close(options?: { readonly timeout?: number }): Promise<FlushResult>;
  /** Counters of this instance. */
  stats(): TrackerStats;
  /** Installs a plugin; returns a function that removes it. */
  use(plugin: TrackingPlugin): () => void;
}

interface Candidate {
  message: TrackingMessage;
  purposes: readonly PurposeId[];
  capturedAt: number;
  /** Set when the call was malformed (bad id or timestamp, catalog schema, touchpoint checks). */
  problems?: ValidationIssue[];
  /** What the problems are about, for the error message. */
  what?: string;
}

/** Recently settled ids, so an event written again by a late write is never reported twice. */
const settledMemory = 5000;

/**
 * Creates a tracker. In a browser page it keeps a durable IndexedDB queue, sends batches
 * (one tab at a time) and delivers on page hide; in Node it keeps an in-memory queue and
 * unref'd timers. Nothing is read, written or sent before the consent gate allows it.
 *
 * @param options - At least `endpoint`; see `TrackerOptions`.
 * @returns The tracker.
 *
 * @example
 * ```ts
 * import { createTracker } from 'guanxi/tracking';
 *
 * const tracker = createTracker({ endpoint: 'https://collector.example.com/v1/batch' });
 * tracker.page();
 * tracker.track('Product Viewed', { sku: 'tea-001' });
 * tracker.touchpoint({ channel: 'chat', type: 'inquiry', subject: 'Delivery times' });
 * ```
 *
 * @example
 * ```ts
 * import { createTracker } from 'guanxi/tracking';
 *
 * // Node: explicit identities, in-memory queue, flush before exit.
 * const tracker = createTracker({ endpoint: 'http://127.0.0.1:8080/v1/batch' });
 * tracker.track('Invoice Paid', { amount: 120 }, { userId: 'u-42' });
 * await tracker.close({ timeout: 5000 });
 * ```
 */
export function createTracker<const Events extends EventCatalog = EventCatalog>(options: TrackerOptions<Events>): Tracker<Events> {
  const config = resolveTrackerOptions(options);
  const { clock, consent: gate, requireExplicitIdentity: serverSide, identityStoragePurpose: storagePurpose } = config;
  const development = config.mode === 'development';
  const plugins: TrackingPlugin[] = [...config.plugins];
  const dropped = Object.fromEntries(dropReasons.map((reason) => [reason, 0])) as Record<DropReason, number>;
  const context = createContextReader();
  const pendingConsent: Candidate[] = [];
  /** Events of this instance not yet settled: being written, queued or in flight. */
  const local = new Map<string, QueuedEvent>();
  let pendingWrites: QueuedEvent[] = [];
  let writeScheduled = false;
  let writes: Promise<unknown> = Promise.resolve();
  const settled = new Set<string>();
  let captured = 0;
  let delivered = 0;
  let closed = false;

  const report = (error: unknown) => {
    try {
      config.onError?.(error instanceof Error ? error : new Error(String(error)));
    } catch {
      // A failing callback must not reach the page either.
    }
  };

  /** Runs a host callback or plugin; what it throws goes to `onError`, never to the page. */
  const safely = (task: () => void, plugin?: TrackingPlugin) => {
    try {
      task();
    } catch (cause) {
      report(plugin ? new TrackingPluginError(plugin.name, plugin.stage, { cause }) : cause);
    }
  };

  const granted = (purposes: readonly PurposeId[]) => !gate || gate.decide(purposes) === 'granted';
  const identityStorage: IdentityStorage =
    typeof config.identityStorage === 'object'
      ? config.identityStorage
      : config.identityStorage === 'localStorage' || (config.identityStorage === 'auto' && !serverSide)
        ? localStorageIdentity()
        : memoryIdentity();
  const visitor = createVisitorIdentity(
    identityStorage,
    config.queueName,
    () => granted([storagePurpose]),
    config.generateId,
    { idleMs: config.sessionIdleMs, maxMs: config.sessionMaxMs },
    (cause) => report(new TrackingStorageError('Identifier storage failed', 'identity_storage_failed', false, { cause })),
  );

  // ---- queue ---------------------------------------------------------------------------
  const limits = { maxEvents: config.maxQueueEvents, maxBytes: config.maxQueueBytes };
  let queue: EventQueue = createMemoryQueue(limits);
  const wantIndexedDB = config.queue === 'indexeddb' || (config.queue === 'auto' && !serverSide);
  let queueReady: Promise<void> | undefined;

  function fallBack(code: string, cause: unknown): void {
    if (queue.kind !== 'memory') {
      queue.close();
      queue = createMemoryQueue(limits);
      // This page's unsettled events are still in memory: nothing of them is lost.
      void queue.add([...local.values()], delivery.inFlight);
    }
    report(new TrackingStorageError('IndexedDB queue unavailable: using memory', code, true, { cause }));
  }

  function openQueue(): Promise<void> {
    queueReady ??= (async () => {
      if (!wantIndexedDB) return;
      if (!getIndexedDB()) return fallBack('queue_unavailable', undefined);
      try {
        // Nothing is in the memory queue yet: every write waits for this open.
        queue = await openIndexedDBQueue(config.queueName, limits);
      } catch (cause) {
        fallBack('queue_unavailable', cause);
      }
    })();
    return queueReady;
  }

  /**
   * Opens the durable queue if its database already exists (events of earlier pages may
   * wait there); creating it waits for the first event that consent lets through.
   */
  async function openExisting(): Promise<void> {
    const factory = getIndexedDB();
    if (!wantIndexedDB || !factory) return;
    const exists = factory.databases ? (await factory.databases()).some((db) => db.name === config.queueName) : true;
    if (exists) await openQueue();
  }

  // ---- outcomes ------------------------------------------------------------------------
  function runAfter(message: TrackingMessage, outcome: TrackingOutcome): void {
    for (const plugin of plugins) {
      if (plugin.stage !== 'after') continue;
      safely(() => plugin.run(message, outcome), plugin);
    }
  }

  function drop(message: TrackingMessage, reason: DropReason, extra: { httpStatus?: number; error?: Error } = {}): void {
    dropped[reason]++;
    const outcome = { status: 'dropped' as const, reason, ...extra };
    safely(() => config.onDrop?.(message, outcome));
    runAfter(message, outcome);
  }

  function settle(events: readonly QueuedEvent[], reason?: DropReason, httpStatus?: number): void {
    for (const event of events) {
      if (settled.has(event.id)) continue;
      const message = event.message ?? (JSON.parse(event.json) as TrackingMessage);
      settled.add(event.id);
      if (settled.size > settledMemory) settled.delete(settled.values().next().value as string);
      local.delete(event.id);
      written.delete(event.id);
      if (reason) {
        drop(message, reason, { httpStatus });
        continue;
      }
      delivered++;
      safely(() => config.onDeliver?.(message));
      runAfter(message, { status: 'delivered' });
    }
  }

  /** Ids written to the queue by this instance and not settled yet. */
  const written = new Set<string>();
  const delivery = createDelivery(config, {
    queue: () => queue,
    settle,
    error: report,
    broken: (cause) => fallBack('queue_failed', cause),
    written: () => [...written],
    forget(ids) {
      for (const id of ids) {
        if (delivery.inFlight.has(id)) continue;
        written.delete(id);
        local.delete(id);
      }
    },
  });

  // ---- writing -------------------------------------------------------------------------
  function enqueue(event: QueuedEvent): void {
    local.set(event.id, event);
    pendingWrites.push(event);
    if (writeScheduled) return;
    writeScheduled = true;
    // Every event captured in the same task goes into one IndexedDB transaction.
    queueMicrotask(commit);
  }

  function commit(): Promise<unknown> {
    writeScheduled = false;
    if (pendingWrites.length > 0) {
      const batch = pendingWrites;
      pendingWrites = [];
      writes = writes.then(() => write(batch));
    }
    return writes;
  }

  async function write(batch: readonly QueuedEvent[]): Promise<void> {
    const events = batch.filter((event) => local.has(event.id));
    if (events.length === 0) return;
    await openQueue();
    let evicted: QueuedEvent[];
    try {
      evicted = await queue.add(events, delivery.inFlight);
    } catch (cause) {
      const name = (cause as { name?: unknown } | null)?.name;
      fallBack(name === 'QuotaExceededError' ? 'queue_over_quota' : 'queue_failed', cause);
      evicted = await queue.add(events, delivery.inFlight);
    }
    // Sent and confirmed while being written (the hidden/unload path sends what is not yet
    // stored): the confirmation's removal ran before this write landed, so remove them again.
    const late = events.filter((event) => !local.has(event.id));
    if (late.length > 0) await queue.remove(late.map((event) => event.id));
    for (const event of events) if (local.has(event.id)) written.add(event.id);
    settle(evicted, 'queue-full');
    delivery.schedule(local.size >= config.batchSize ? 0 : config.flushIntervalMs);
  }

  // ---- the pipeline --------------------------------------------------------------------
  function invalid(message: TrackingMessage, issues: ValidationIssue[], what: string): void {
    const error = new ValidationError(issues, what);
    if (development) throw error;
    drop(message, 'invalid', { error });
  }

  function build(
    kind: TrackingCallKind,
    type: TrackingMessage['type'],
    fields: Partial<TrackingMessage>,
    given?: TrackingCallOptions,
    at?: number,
  ): Candidate {
    const call = given ?? {};
    const now = clock.now();
    // The message's timestamp says when it happened; the queue orders and expires events
    // by when the tracker captured them (an import of last year's touchpoints is not stale).
    const happenedAt = at ?? (call.timestamp === undefined ? now : new Date(call.timestamp).getTime());
    const explicit = call.userId !== undefined || call.anonymousId !== undefined;
    const message = {
      ...fields,
      type,
      messageId: call.messageId ?? config.generateId(),
      timestamp: new Date(Number.isFinite(happenedAt) ? happenedAt : now).toISOString(),
      context: { ...call.context, library: trackingLibrary, ...context.environment() },
    } as TrackingMessage;
    if (!serverSide) {
      const page = context.page();
      if (page) message.context.page = page;
      const campaign = context.campaign();
      if (campaign) message.context.campaign = campaign;
      const session = visitor.sessionAt(now);
      message.context.sessionId = session.id;
      if (session.start) message.context.sessionStart = true;
    }
    const userId = call.userId ?? (explicit || serverSide ? undefined : visitor.userId());
    const anonymousId = call.anonymousId ?? (explicit || serverSide ? undefined : visitor.anonymousId());
    if (userId !== undefined) message.userId = userId;
    if (anonymousId !== undefined) message.anonymousId = anonymousId;
    captured++;
    const candidate: Candidate = { message, purposes: call.purposes ?? config.purposes[kind], capturedAt: now };
    if (!Number.isFinite(happenedAt)) {
      candidate.problems = [{ path: ['timestamp'], code: 'invalid_date', message: 'Expected a Date, an ISO 8601 string or ms since the epoch' }];
    } else if (userId === undefined && anonymousId === undefined) {
      candidate.problems = [{ path: ['userId'], code: 'missing_identity', message: 'Pass userId or anonymousId (required outside a browser page)' }];
    }
    // One malformed message would make the collector refuse its whole batch.
    const required = type === 'track' ? 'event' : type === 'group' ? 'groupId' : type === 'alias' ? 'previousId' : '';
    for (const field of ['userId', 'anonymousId', 'messageId', 'event', 'groupId', 'previousId', 'name'] as const) {
      const value = message[field];
      if (value === undefined ? field === required : typeof value !== 'string' || (value === '' && field !== 'name')) {
        candidate.problems = [{ path: [field], code: 'invalid_type', message: 'Expected a non-empty string' }];
      }
    }
    return candidate;
  }

  /** Runs validation-free stages: consent, plugins, size, queue. Never throws. */
  function admit(candidate: Candidate): void {
    const { message } = candidate;
    if (closed) return drop(message, 'closed');
    if (candidate.problems) return invalid(message, candidate.problems, candidate.what ?? 'event');
    if (gate) {
      const decision = gate.decide(candidate.purposes);
      if (decision === 'denied') return drop(message, 'consent');
      if (decision === 'pending') {
        pendingConsent.push(candidate);
        if (pendingConsent.length > config.pendingConsentMaxEvents) drop(pendingConsent.shift()!.message, 'queue-full');
        return;
      }
      // Copied field by field: a gate's snapshot may carry more than the wire should.
      const { purposes, takenAt, jurisdiction } = gate.snapshot();
      message.context.consent = { purposes, takenAt, jurisdiction, required: [...candidate.purposes] };
    }
    process(candidate);
  }

  function process(candidate: Candidate): void {
    let message = candidate.message;
    for (const plugin of plugins) {
      try {
        if (plugin.stage === 'before' && plugin.run(message) === false) return drop(message, 'filtered');
        if (plugin.stage === 'enrichment') message = plugin.run(message) ?? message;
      } catch (cause) {
        report(new TrackingPluginError(plugin.name, plugin.stage, { cause }));
      }
    }
    for (const plugin of plugins) {
      if (plugin.stage !== 'destination') continue;
      // After the current task: a slow destination never slows `track()` down.
      void Promise.resolve()
        .then(() => plugin.deliver(message))
        .catch((cause: unknown) => report(new TrackingPluginError(plugin.name, 'destination', { cause })));
    }
    let json: string;
    try {
      json = JSON.stringify(message);
    } catch (cause) {
      return invalid(message, [{ path: [], code: 'not_serializable', message: String(cause) }], 'event');
    }
    const bytes = new TextEncoder().encode(json).byteLength;
    if (bytes > config.maxEventBytes || bytes + 128 > config.maxRequestBytes) return drop(message, 'too-large');
    enqueue({ id: message.messageId, json, message, bytes, capturedAt: candidate.capturedAt, purposes: candidate.purposes });
  }

  /** Releases or drops events waiting for consent, after a change or as they age. */
  function reviewPending(): void {
    if (!gate || pendingConsent.length === 0) return;
    const now = clock.now();
    const waiting = pendingConsent.splice(0);
    for (const candidate of waiting) {
      if (now - candidate.capturedAt > config.pendingConsentMaxAgeMs) {
        drop(candidate.message, 'consent');
        continue;
      }
      const decision = gate.decide(candidate.purposes);
      if (decision === 'pending') pendingConsent.push(candidate);
      else if (decision === 'denied') drop(candidate.message, 'consent');
      else {
        // Stored identifiers may have become readable with this grant: events captured
        // with the page's provisional anonymous id take the visitor's stored one.
        if (candidate.message.anonymousId === provisionalAnonymousId) {
          const stored = visitor.peekAnonymousId();
          if (stored !== undefined) candidate.message.anonymousId = stored;
        }
        admit(candidate);
      }
    }
  }
  let provisionalAnonymousId: string | undefined;

  async function purge(purposes: readonly PurposeId[]): Promise<void> {
    const hit = (event: { purposes: readonly PurposeId[] }) => event.purposes.some((purpose) => purposes.includes(purpose));
    let purged = 0;
    for (const candidate of pendingConsent.splice(0)) {
      if (hit(candidate)) {
        purged++;
        drop(candidate.message, 'consent');
      } else pendingConsent.push(candidate);
    }
    pendingWrites = pendingWrites.filter((event) => !hit(event));
    delivery.doom([...local.values()].filter(hit).map((event) => event.id));
    // Queued writes land first, so nothing of these purposes is written after the purge.
    const removed = await (writes = writes.then(() => queue.removeWhere(hit, delivery.inFlight)).catch((error: unknown) => {
      report(error);
      return [];
    }));
    // Other tabs' events from the queue, and this tab's wherever they were (settle() reports each once).
    const gone = [...(removed as QueuedEvent[]), ...[...local.values()].filter((event) => hit(event) && !delivery.inFlight.has(event.id))];
    purged += new Set(gone.map((event) => event.id)).size;
    settle(gone, 'consent');
    const identifiersRemoved = purposes.includes(storagePurpose);
    if (identifiersRemoved) visitor.forget();
    safely(() =>
      config.onConsentWithdrawn?.({
        purposes,
        anonymousId: visitor.peekAnonymousId(),
        userId: visitor.userId(),
        purgedEvents: purged,
        identifiersRemoved,
        at: clock.now(),
      }),
    );
  }

  function onConsentChange(change: ConsentChange): void {
    try {
      if (change.granted.includes(storagePurpose)) visitor.save();
      if (change.withdrawn.length > 0) void purge(change.withdrawn);
      reviewPending();
    } catch (cause) {
      report(cause);
    }
  }
  const unsubscribe = gate?.subscribe(onConsentChange);

  // ---- the browser's lifecycle ---------------------------------------------------------
  const window = serverSide ? undefined : getWindow();
  const onHide = () => {
    try {
      visitor.save();
      if (!config.deliverOnUnload || closed) return;
      // What is not yet in IndexedDB first: it is what a closing page could lose.
      delivery.sendNow(new Set([...pendingWrites, ...local.values()]));
    } catch (cause) {
      report(cause);
    }
  };
  const listening = new AbortController();
  if (window) {
    const { signal } = listening;
    window.addEventListener('pagehide', onHide, { signal });
    window.addEventListener('online', () => delivery.schedule(0), { signal });
    getDocument()?.addEventListener('visibilitychange', () => getDocument()?.visibilityState === 'hidden' && onHide(), { signal });
    // Events left by earlier pages (unconfirmed or never sent) go out soon after load.
    void openExisting()
      .then(() => queue.count())
      .then((count) => count && delivery.schedule(0), report);
  }

  // ---- the API -------------------------------------------------------------------------
  function guard(run: () => Candidate | undefined): string {
    try {
      const candidate = run();
      if (!candidate) return '';
      if (!provisionalAnonymousId && !granted([storagePurpose])) provisionalAnonymousId = candidate.message.anonymousId;
      reviewPending();
      admit(candidate);
      return candidate.message.messageId;
    } catch (error) {
      if (development) throw error;
      report(error);
      return '';
    }
  }

  /** Whether the tracker's own (browser) identity applies to a call, rather than ids passed with it. */
  const remembered = (call?: TrackingCallOptions) => !serverSide && call?.userId === undefined && call?.anonymousId === undefined;

  const tracker: Tracker<Events> = {
    identify(userId, traits, call) {
      return guard(() => {
        // A malformed user id is never remembered: it would spoil every later event.
        const remember = remembered(call) && (userId === undefined || (typeof userId === 'string' && userId !== ''));
        if (remember && userId !== undefined) visitor.setUserId(userId);
        return build('identify', 'identify', { traits: { ...traits } }, remember ? call : { ...call, userId: call?.userId ?? userId });
      });
    },
    track(event, properties, call) {
      return guard(() => {
        const candidate = build('track', 'track', { event, properties: { ...(properties as Properties) } }, call);
        const schema = config.events?.[event];
        if (config.events && !candidate.problems) {
          candidate.what = `event "${event}"`;
          if (!schema) candidate.problems = [{ path: ['event'], code: 'unknown_event', message: `"${event}" is not in the event catalog` }];
          else {
            const result = safeValidate(schema, properties ?? {});
            if (result.success) candidate.message.properties = result.value as Record<string, unknown>;
            else candidate.problems = [...result.error.issues];
          }
        }
        return candidate;
      });
    },
    page(name, properties, call) {
      return guard(() => {
        const page = serverSide ? undefined : context.page();
        return build('page', 'page', { ...(name === undefined ? {} : { name }), properties: { ...page, ...properties } }, call);
      });
    },
    group(groupId, traits, call) {
      return guard(() => {
        return build('group', 'group', { groupId, traits: { ...traits } }, call);
      });
    },
    alias(userId, previousId, call) {
      return guard(() => {
        const previous = previousId ?? call?.userId ?? (serverSide ? call?.anonymousId : (visitor.userId() ?? visitor.anonymousId()));
        // A malformed user id is never remembered: it would spoil every later event.
        const remember = remembered(call) && typeof userId === 'string' && userId !== '';
        if (remember) visitor.setUserId(userId);
        return build('alias', 'alias', { previousId: previous }, remember ? call : { ...call, userId });
      });
    },
    touchpoint(input, call) {
      return guard(() => {
        const result = toTouchpointProperties(input, clock.now());
        const purposes = call?.purposes ?? input?.purposes;
        const merged = { ...call, ...(purposes ? { purposes } : {}) };
        if ('issues' in result) {
          const candidate = build('touchpoint', 'track', { event: touchpointEventName }, merged);
          candidate.problems = result.issues.map((issue) => ({ ...issue, code: 'invalid_touchpoint' }));
          candidate.what = 'touchpoint';
          return candidate;
        }
        return build('touchpoint', 'track', { event: touchpointEventName, properties: { ...result.properties } }, merged, result.occurredAtMs);
      });
    },
    reset() {
      try {
        visitor.reset();
        provisionalAnonymousId = undefined;
      } catch (error) {
        report(error);
      }
    },
    identity() {
      return { anonymousId: visitor.peekAnonymousId(), userId: visitor.userId() };
    },
    async flush(flushOptions) {
      try {
        reviewPending();
        await openExisting();
        await commit();
        return { empty: await delivery.drain(clock.now() + (flushOptions?.timeout ?? Infinity)) };
      } catch (error) {
        report(error);
        return { empty: false };
      }
    },
    async close(closeOptions) {
      const result = await tracker.flush({ timeout: closeOptions?.timeout ?? 10_000 });
      closed = true;
      delivery.stop();
      unsubscribe?.();
      listening.abort();
      for (const candidate of pendingConsent.splice(0)) drop(candidate.message, 'closed');
      if (queue.kind === 'memory') {
        // An in-memory queue dies with the tracker: say so for every event left in it.
        try {
          const left = await queue.removeWhere(() => true, new Set());
          settle(left, 'closed');
        } catch (error) {
          report(error);
        }
      }
      queue.close();
      return result;
    },
    stats() {
      return {
        captured,
        delivered,
        dropped: { ...dropped },
        pendingConsent: pendingConsent.length,
        queued: local.size,
        inFlight: delivery.inFlight.size,
        ...delivery.stats(),
        storage: queue.kind,
      };
    },
    use(plugin) {
      plugins.push(plugin);
      return () => {
        const index = plugins.indexOf(plugin);
        if (index >= 0) plugins.splice(index, 1);
      };
    },
  };
  return tracker;
}
