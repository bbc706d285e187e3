/**
 * The delivery engine shared by browser and Node: reads batches from the queue, sends
 * them, and settles each event exactly once. One engine per tracker; in browsers, Web
 * Locks make one tab at a time read-send-remove, so two tabs never send the same event.
 */
import { fullJitterDelay, parseRetryAfter } from '../core/backoff';
import type { TimerHandle, Timers } from '../core/clock';
import { getNavigator } from '../core/environment';
import { TrackingDeliveryError } from './errors/tracking-delivery-error';
import type { ResolvedTrackerOptions } from './options';
import type { DropReason, QueuedEvent } from './outcome';
import type { EventQueue } from './queue/event-queue';

export interface DeliveryHooks {
  /** The current queue (it may switch to memory after a storage failure). */
  queue(): EventQueue;
  settle(events: readonly QueuedEvent[], reason?: DropReason, httpStatus?: number): void;
  error(error: Error): void;
  /** The queue failed (closed database, storage wiped): the tracker moves to memory. */
  broken(error: unknown): void;
  /**
   * Ids this tab wrote and has not seen settled. When a read finds the queue empty,
   * the ones known before the read were settled by another tab: `forget` them.
   */
  written(): readonly string[];
  forget(ids: readonly string[]): void;
}

export interface Delivery {
  /** Ids in requests not yet answered (never evicted, never read again meanwhile). */
  readonly inFlight: ReadonlySet<string>;
  /** Marks in-flight events to be dropped (reason `consent`) unless their request succeeds. */
  doom(ids: Iterable<string>): void;
  /** Flushes after `delayMs` (or sooner if already scheduled sooner). */
  schedule(delayMs: number): void;
  /** Sends until the queue is empty or `deadline` (ms since epoch) passes; true when empty. */
  drain(deadline: number): Promise<boolean>;
  /** Sends the oldest of `events` that fit one request at once with `fetch` keepalive (unload path); calls the transport synchronously. */
  sendNow(events: Iterable<QueuedEvent>): void;
  stats(): { requests: number; retries: number };
  stop(): void;
}

type PassResult = 'empty' | 'sent' | 'failed';

/** `{"batch":[` + `],"sentAt":"2026-01-01T00:00:00.000Z","writeKey":"…"}` */
const envelopeBytes = 64;

export function createDelivery(options: ResolvedTrackerOptions, hooks: DeliveryHooks): Delivery {
  const { clock, timers, transport } = options;
  const inFlight = new Set<string>();
  const doomed = new Set<string>();
  const lockName = `${options.queueName}:flush`;
  let attempt = 0;
  let pausedUntil = 0;
  let requests = 0;
  let retries = 0;
  let timer: TimerHandle | undefined;
  let timerDue = Infinity;
  let stopped = false;
  // Passes run one at a time within a tab (background flushes and explicit drains share it).
  let chain: Promise<unknown> = Promise.resolve();
  // Explicit flushes wait on ref'd timers unless timers were injected: a process awaiting
  // `flush()` must not exit in the middle of a backoff.
  const waitTimers: Pick<Timers, 'setTimeout'> = options.timersInjected ? timers : globalThis;

  const offline = () => getNavigator()?.onLine === false;

  function exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = chain.then(task);
    chain = result.catch(() => undefined);
    return result;
  }

  function withLock<T>(task: () => Promise<T>): Promise<T> {
    const locks = hooks.queue().kind === 'memory' ? undefined : getNavigator()?.locks;
    return locks ? (locks.request(lockName, task) as Promise<T>) : task();
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    const due = clock.now() + delayMs;
    if (timer !== undefined && timerDue <= due) return;
    if (timer !== undefined) timers.clearTimeout(timer);
    timerDue = due;
    timer = timers.setTimeout(() => {
      timer = undefined;
      timerDue = Infinity;
      void background();
    }, Math.max(0, delayMs));
  }

  async function background(): Promise<void> {
    // Bounded: after this many batches, yield and continue from a fresh timer.
    for (let i = 0; i < 25 && !stopped; i++) {
      if (offline()) return; // the `online` listener reschedules
      const wait = pausedUntil - clock.now();
      if (wait > 0) return schedule(wait);
      const result = await exclusive(pass).catch((error: unknown) => {
        hooks.broken(error);
        return 'sent' as const;
      });
      if (result === 'empty') return;
      if (result === 'failed') return schedule(Math.max(0, pausedUntil - clock.now()));
    }
    schedule(0);
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => waitTimers.setTimeout(resolve, Math.max(0, ms)));
  }

  async function drain(deadline: number): Promise<boolean> {
    for (;;) {
      const now = clock.now();
      if (now >= deadline) return false;
      if (offline()) {
        await sleep(Math.min(250, deadline - now));
        continue;
      }
      if (pausedUntil > now) {
        await sleep(Math.min(pausedUntil - now, deadline - now));
        continue;
      }
      const result = await exclusive(pass).catch((error: unknown) => {
        hooks.broken(error);
        return 'sent' as const;
      });
      if (result === 'empty') {
        if (inFlight.size === 0) return true;
        await sleep(Math.min(25, deadline - now));
      }
    }
  }

  function pass(): Promise<PassResult> {
    return withLock(async () => {
      const queue = hooks.queue();
      const known = hooks.written();
      const events = await queue.read(options.batchSize, inFlight);
      if (events.length === 0) {
        hooks.forget(known);
        return 'empty';
      }
      const now = clock.now();
      const expired = events.filter((event) => now - event.capturedAt > options.maxEventAgeMs);
      if (expired.length > 0) {
        await queue.remove(expired.map((event) => event.id));
        hooks.settle(expired, 'expired');
        return 'sent';
      }
      return (await send(fill(events), false)) ? 'sent' : 'failed';
    });
  }

  /** The oldest events that fit one request body (at least one: none is larger than a request, see maxEventBytes). */
  function fill(events: Iterable<QueuedEvent>): QueuedEvent[] {
    const batch: QueuedEvent[] = [];
    let bytes = envelopeBytes + (options.writeKey?.length ?? 0);
    for (const event of events) {
      if (inFlight.has(event.id)) continue;
      if ((bytes += event.bytes + 1) > options.maxRequestBytes && batch.length > 0) break;
      batch.push(event);
    }
    return batch;
  }

  /** Sends one batch; true when every event in it is settled, false on a retryable failure. */
  async function send(batch: readonly QueuedEvent[], keepalive: boolean): Promise<boolean> {
    const ids = batch.map((event) => event.id);
    for (const id of ids) inFlight.add(id);
    const key = options.writeKey === undefined ? '' : `,"writeKey":${JSON.stringify(options.writeKey)}`;
    const body = `{"batch":[${batch.map((event) => event.json).join(',')}],"sentAt":"${new Date(clock.now()).toISOString()}"${key}}`;
    requests++;
    let status: number | undefined;
    let retryAfter: string | null | undefined;
    let cause: unknown;
    try {
      // Called synchronously, before any await: on the unload path the page may be gone next.
      const response = await transport({
        url: options.endpoint,
        body,
        contentType: options.contentType,
        keepalive,
        timeoutMs: options.requestTimeoutMs,
      });
      status = response.status;
      retryAfter = response.retryAfter;
    } catch (error) {
      cause = error;
    }
    try {
      if (status !== undefined && status >= 200 && status < 300) {
        attempt = 0;
        await finish(batch);
        return true;
      }
      if (status === 413) {
        if (batch.length === 1) {
          await finish(batch, 'too-large', 413);
          return true;
        }
        release(ids);
        const half = Math.ceil(batch.length / 2);
        return (await send(batch.slice(0, half), keepalive)) && (await send(batch.slice(half), keepalive));
      }
      if (status !== undefined && status !== 408 && status !== 429 && status < 500) {
        await finish(batch, 'rejected', status);
        return true;
      }
      // Network error, timeout, 408, 429, 5xx: keep the events and back off.
      const withdrawn = batch.filter((event) => doomed.has(event.id));
      if (withdrawn.length > 0) await finish(withdrawn, 'consent');
      attempt++;
      retries++;
      const now = clock.now();
      const delay = parseRetryAfter(retryAfter, now) ?? fullJitterDelay(attempt, options.backoff, options.random);
      pausedUntil = Math.max(pausedUntil, now + delay);
      hooks.error(new TrackingDeliveryError({ httpStatus: status, attempt, retryInMs: delay, eventCount: batch.length }, { cause }));
      return false;
    } finally {
      release(ids);
    }
  }

  async function finish(batch: readonly QueuedEvent[], reason?: DropReason, httpStatus?: number): Promise<void> {
    try {
      await hooks.queue().remove(batch.map((event) => event.id));
    } catch (error) {
      // Delivered events left in the queue are sent again later; the collector dedupes.
      hooks.error(error as Error);
    }
    hooks.settle(batch, reason, httpStatus);
  }

  function release(ids: readonly string[]): void {
    for (const id of ids) {
      inFlight.delete(id);
      doomed.delete(id);
    }
  }

  return {
    inFlight,
    doom(ids) {
      for (const id of ids) if (inFlight.has(id)) doomed.add(id);
    },
    schedule,
    drain,
    sendNow(events) {
      const batch = fill(events);
      if (batch.length === 0 || offline()) return;
      void send(batch, true).then((settled) => {
        if (!settled) schedule(Math.max(0, pausedUntil - clock.now()));
      });
    },
    stats: () => ({ requests, retries }),
    stop() {
      stopped = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
    },
  };
}
