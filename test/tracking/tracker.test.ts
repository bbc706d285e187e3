import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { isValidationError } from '../../src/core/index';
import {
  createTracker,
  TouchpointRecord,
  TrackingBatch,
  touchpointEventName,
  isTouchpointMessage,
  isTrackingPluginError,
  type DropReason,
  type TrackingMessage,
  type TrackingOutcome,
} from '../../src/tracking/index';
import { trackingLibrary } from '../../src/tracking/library';
import { startTrackingCollector, type TrackingCollector } from '../support/tracking-collector';
import packageJson from '../../package.json' with { type: 'json' };

let collector: TrackingCollector;
beforeEach(async () => {
  collector = await startTrackingCollector();
});
afterEach(async () => {
  await collector.close();
});

function recorder() {
  const delivered: TrackingMessage[] = [];
  const dropped: { message: TrackingMessage; reason: DropReason; outcome: TrackingOutcome }[] = [];
  const errors: Error[] = [];
  return {
    delivered,
    dropped,
    errors,
    callbacks: {
      onDeliver: (message: TrackingMessage) => delivered.push(message),
      onDrop: (message: TrackingMessage, outcome: TrackingOutcome & { status: 'dropped'; reason: DropReason }) =>
        dropped.push({ message, reason: outcome.reason, outcome }),
      onError: (error: Error) => errors.push(error),
    },
  };
}

describe('createTracker in Node', () => {
  it('sends every call type in the Segment /v1/batch shape, validated by the wire schema', async () => {
    const log = recorder();
    const tracker = createTracker({ endpoint: collector.url, writeKey: 'wk-1', ...log.callbacks });
    const ids = [
      tracker.identify('u-1', { plan: 'gold' }),
      tracker.track('Order Completed', { total: 42 }, { userId: 'u-1' }),
      tracker.page('Home', { section: 'landing' }, { anonymousId: 'a-1' }),
      tracker.group('org-9', { name: 'Acme' }, { userId: 'u-1' }),
      tracker.alias('u-1', 'a-1'),
      tracker.touchpoint({ channel: 'call-centre', type: 'complaint', subject: 'Damaged parcel', owner: 'agent-17' }, { userId: 'u-1' }),
    ];
    expect(await tracker.flush()).toEqual({ empty: true });
    expect(collector.invalidBatches).toEqual([]);
    expect([...collector.unique.keys()].sort()).toEqual([...ids].sort());
    const byType = Object.fromEntries(collector.received.map((m) => [m.type === 'track' ? m.event : m.type, m]));
    expect(byType.identify).toMatchObject({ userId: 'u-1', traits: { plan: 'gold' } });
    expect(byType['Order Completed']).toMatchObject({ userId: 'u-1', properties: { total: 42 } });
    expect(byType.page).toMatchObject({ anonymousId: 'a-1', name: 'Home', properties: { section: 'landing' } });
    expect(byType.group).toMatchObject({ groupId: 'org-9', traits: { name: 'Acme' } });
    expect(byType.alias).toMatchObject({ userId: 'u-1', previousId: 'a-1' });
    const touchpoint = byType[touchpointEventName]!;
    expect(isTouchpointMessage(touchpoint)).toBe(true);
    // `owner` is the deprecated name of `ownerId`: it travels as `ownerId`.
    expect(TouchpointRecord.parse(touchpoint.properties)).toMatchObject({ channel: 'call-centre', type: 'complaint', direction: 'inbound', ownerId: 'agent-17' });
    expect(touchpoint.properties).not.toHaveProperty('owner');
    for (const message of collector.received) {
      expect(message.context.library).toEqual(trackingLibrary);
      expect(Date.parse(message.timestamp)).not.toBeNaN();
    }
    expect(collector.requests.every((r) => r.contentType === 'application/json')).toBe(true);
    expect(log.delivered).toHaveLength(6);
    expect(tracker.stats()).toMatchObject({ captured: 6, delivered: 6, queued: 0, storage: 'memory' });
    await tracker.close();
  });

  it('stamps the library version of package.json', () => {
    expect(trackingLibrary.version).toBe(packageJson.version);
  });

  it('requires an explicit identity on the server and drops events without one as invalid', async () => {
    const log = recorder();
    const tracker = createTracker({ endpoint: collector.url, ...log.callbacks });
    tracker.track('Anonymous Thing');
    expect(log.dropped.map((d) => d.reason)).toEqual(['invalid']);
    expect(tracker.stats().dropped.invalid).toBe(1);
    expect(() => createTracker({ endpoint: collector.url, mode: 'development' }).track('Anonymous Thing')).toThrow(/userId or anonymousId/);
    await tracker.close();
  });

  it('keeps the capture timestamp and stamps sentAt per request', async () => {
    let now = Date.parse('2026-03-02T09:30:00Z');
    const tracker = createTracker({ endpoint: collector.url, clock: { now: () => now } });
    tracker.track('Imported', {}, { userId: 'u', timestamp: '2025-12-24T18:00:00Z' });
    tracker.track('Live', {}, { userId: 'u' });
    now += 60_000;
    let body: unknown;
    collector.server.server.once('request', (request) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => (body = JSON.parse(Buffer.concat(chunks).toString())));
    });
    await tracker.flush();
    const batch = TrackingBatch.parse(body);
    expect(batch.sentAt).toBe('2026-03-02T09:31:00.000Z');
    expect(batch.batch.map((m) => m.timestamp)).toEqual(['2025-12-24T18:00:00.000Z', '2026-03-02T09:30:00.000Z']);
    await tracker.close();
  });
});

describe('the typed event catalog', () => {
  const events = {
    'Order Completed': z.object({ orderId: z.string(), total: z.number() }),
    'Coupon Applied': z.object({ code: z.string().check(z.minLength(3)) }),
  };

  it('type-checks names and properties at compile time', () => {
    const tracker = createTracker({ endpoint: collector.url, events, mode: 'production' });
    tracker.track('Order Completed', { orderId: 'o-1', total: 1 }, { userId: 'u' });
    // @ts-expect-error: not in the catalog
    tracker.track('Order Complete', { orderId: 'o-1', total: 1 }, { userId: 'u' });
    // @ts-expect-error: total must be a number
    tracker.track('Order Completed', { orderId: 'o-1', total: '1' }, { userId: 'u' });
    expect(tracker.stats().dropped.invalid).toBe(2);
  });

  it('throws a ValidationError with every issue in development mode', () => {
    const tracker = createTracker({ endpoint: collector.url, events, mode: 'development' });
    let caught: unknown;
    try {
      tracker.track('Coupon Applied', { code: 'x' } as never, { userId: 'u' });
    } catch (error) {
      caught = error;
    }
    expect(isValidationError(caught)).toBe(true);
    expect((caught as { issues: { path: unknown[] }[] }).issues[0]?.path).toEqual(['code']);
    expect(() => tracker.track('Nope' as never, {} as never, { userId: 'u' })).toThrow(/not in the event catalog/);
  });

  it('drops invalid events with reason invalid in production and reports the error', async () => {
    const log = recorder();
    const tracker = createTracker({ endpoint: collector.url, events, ...log.callbacks });
    tracker.track('Coupon Applied', { code: 'x' }, { userId: 'u' });
    tracker.track('Coupon Applied', { code: 'SPRING' }, { userId: 'u' });
    await tracker.flush();
    expect(log.dropped).toHaveLength(1);
    expect(log.dropped[0]!.reason).toBe('invalid');
    expect(isValidationError((log.dropped[0]!.outcome as { error?: unknown }).error)).toBe(true);
    expect([...collector.unique.values()].map((m) => m.properties)).toEqual([{ code: 'SPRING' }]);
    await tracker.close();
  });
});

describe('touchpoints', () => {
  it('keeps complaints, inquiries and suggestions apart and uses occurredAt as the timestamp', async () => {
    const tracker = createTracker({ endpoint: collector.url });
    for (const type of ['complaint', 'inquiry', 'suggestion'] as const) {
      tracker.touchpoint({ channel: 'email', type, direction: 'inbound', occurredAt: '2026-01-05T10:00:00Z', status: 'open' }, { userId: 'u' });
    }
    tracker.touchpoint({ channel: 'field-visit', type: 'meeting', direction: 'outbound', occurredAt: new Date('2026-01-06T08:00:00Z'), durationSeconds: 3600, goal: 'renewal', contactPerson: 'Li Wei' }, { userId: 'u' });
    await tracker.flush();
    const records = [...collector.unique.values()].map((m) => ({ timestamp: m.timestamp, ...TouchpointRecord.parse(m.properties) }));
    expect(records.map((r) => r.type)).toEqual(['complaint', 'inquiry', 'suggestion', 'meeting']);
    expect(records[0]!.timestamp).toBe('2026-01-05T10:00:00.000Z');
    expect(records[3]).toMatchObject({ channel: 'field-visit', direction: 'outbound', durationSeconds: 3600, contactPerson: 'Li Wei' });
    await tracker.close();
  });

  it('rejects unknown channels and types with the path of each problem', () => {
    const tracker = createTracker({ endpoint: collector.url, mode: 'development' });
    let caught: unknown;
    try {
      tracker.touchpoint({ channel: 'pigeon', type: 'gossip', occurredAt: 'yesterday' } as never, { userId: 'u' });
    } catch (error) {
      caught = error;
    }
    expect(isValidationError(caught)).toBe(true);
    expect((caught as { issues: { path: string[] }[] }).issues.map((i) => i.path[0])).toEqual(['channel', 'type', 'occurredAt']);
  });
});

describe('plugins', () => {
  it('run before → enrichment → destination → after, and errors stay isolated', async () => {
    const log = recorder();
    const seen: string[] = [];
    const outcomes: string[] = [];
    const tracker = createTracker({ endpoint: collector.url, ...log.callbacks });
    tracker.use({ name: 'no-tests', stage: 'before', run: (m) => m.event !== 'Test Event' });
    tracker.use({ name: 'broken-before', stage: 'before', run: () => { throw new Error('boom'); } });
    tracker.use({ name: 'tag', stage: 'enrichment', run: (m) => void (m.context.release = 'r1') });
    tracker.use({ name: 'broken-destination', stage: 'destination', deliver: () => Promise.reject(new Error('down')) });
    tracker.use({ name: 'mirror', stage: 'destination', deliver: (m) => void seen.push(String(m.event)) });
    const remove = tracker.use({ name: 'outcomes', stage: 'after', run: (m, o) => void outcomes.push(`${m.event}:${o.status}`) });
    tracker.track('Test Event', {}, { userId: 'u' });
    tracker.track('Real Event', {}, { userId: 'u' });
    await tracker.flush();
    expect(seen).toEqual(['Real Event']);
    expect(outcomes).toEqual(['Test Event:dropped', 'Real Event:delivered']);
    expect(log.dropped.map((d) => d.reason)).toEqual(['filtered']);
    expect([...collector.unique.values()][0]!.context.release).toBe('r1');
    const pluginErrors = log.errors.filter(isTrackingPluginError).map((e) => `${e.plugin}/${e.stage}`);
    expect(pluginErrors.sort()).toEqual(['broken-before/before', 'broken-destination/destination']);
    remove();
    tracker.track('After Removal', {}, { userId: 'u' });
    await tracker.flush();
    expect(outcomes).toHaveLength(2);
    await tracker.close();
  });

  it('never lets a throwing callback escape', async () => {
    const tracker = createTracker({
      endpoint: collector.url,
      onDrop: () => {
        throw new Error('callback bug');
      },
      onError: () => {
        throw new Error('callback bug');
      },
    });
    expect(() => tracker.track('x')).not.toThrow();
    await tracker.close();
  });
});

describe('close', () => {
  it('drops what an in-memory queue still holds with reason closed, then drops later calls', async () => {
    collector.fault = () => ({ kind: 'status', status: 503 });
    const log = recorder();
    const tracker = createTracker({ endpoint: collector.url, backoff: { baseMs: 1, capMs: 5 }, ...log.callbacks });
    tracker.track('Will Not Arrive', {}, { userId: 'u' });
    const result = await tracker.close({ timeout: 200 });
    expect(result.empty).toBe(false);
    tracker.track('After Close', {}, { userId: 'u' });
    expect(log.dropped.map((d) => d.reason)).toEqual(['closed', 'closed']);
    expect(tracker.stats().dropped.closed).toBe(2);
  });
});
