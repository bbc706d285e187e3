/**
 * The tracker's side of the consent contract, with a hand-driven gate: decisions at
 * capture, the pending buffer, purges on withdrawal, and identifier storage as a purpose.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openDB } from 'idb';
import {
  createTracker,
  type DropReason,
  type IdentityStorage,
  type TrackingErasureRequest,
  type TrackingMessage,
  type TrackingTransport,
} from '../../src/tracking/index';
import { createTestConsentGate } from '../support/test-consent-gate';
import { startTrackingCollector, type TrackingCollector } from '../support/tracking-collector';

let collector: TrackingCollector;
beforeEach(async () => {
  collector = await startTrackingCollector();
});
afterEach(async () => {
  await collector.close();
});

function spyStorage(): IdentityStorage & { writes: string[]; values: Map<string, string> } {
  const values = new Map<string, string>();
  const writes: string[] = [];
  return {
    values,
    writes,
    get: (key) => values.get(key),
    set: (key, value) => {
      writes.push(key);
      values.set(key, value);
    },
    remove: (key) => void values.delete(key),
  };
}

describe('consent at capture', () => {
  it('holds pending events in memory and releases them with their original timestamps on grant', async () => {
    let now = Date.parse('2026-03-02T09:00:00Z');
    const gate = createTestConsentGate({}, () => now);
    const tracker = createTracker({ endpoint: collector.url, consent: gate, clock: { now: () => now }, flushIntervalMs: 1 });
    tracker.track('Before Banner', {}, { userId: 'u' });
    tracker.track('Marketing Thing', {}, { userId: 'u', purposes: ['marketing'] });
    expect(tracker.stats().pendingConsent).toBe(2);
    await tracker.flush({ timeout: 100 });
    expect(collector.requests).toHaveLength(0);
    now += 5 * 60_000;
    gate.set({ analytics: 'granted' });
    await tracker.flush({ timeout: 5000 });
    const [message] = [...collector.unique.values()];
    expect(collector.unique.size).toBe(1);
    expect(message!.event).toBe('Before Banner');
    expect(message!.timestamp).toBe('2026-03-02T09:00:00.000Z');
    expect(message!.context.consent).toEqual({
      purposes: { necessary: 'granted', analytics: 'granted' },
      takenAt: now,
      jurisdiction: 'EU',
      required: ['analytics'],
    });
    expect(tracker.stats().pendingConsent).toBe(1);
    await tracker.close();
  });

  it('drops denied events with reason consent and never sends them', async () => {
    const gate = createTestConsentGate({ analytics: 'granted', advertising: 'denied' });
    const reasons: DropReason[] = [];
    const tracker = createTracker({ endpoint: collector.url, consent: gate, onDrop: (_m, o) => reasons.push(o.reason) });
    tracker.track('Ad Click', {}, { userId: 'u', purposes: ['advertising'] });
    tracker.track('Objected', {}, { userId: 'u', purposes: ['analytics', 'profiling'] });
    gate.set({ profiling: 'objected' });
    tracker.track('Objected', {}, { userId: 'u', purposes: ['analytics', 'profiling'] });
    tracker.track('Fine', {}, { userId: 'u' });
    await tracker.flush();
    expect(reasons).toEqual(['consent', 'consent', 'consent']);
    expect([...collector.unique.values()].map((m) => m.event)).toEqual(['Fine']);
    await tracker.close();
  });

  it('bounds the pending buffer by count (queue-full) and by age (consent)', async () => {
    let now = 0;
    const gate = createTestConsentGate();
    const dropped: [string, DropReason][] = [];
    const tracker = createTracker({
      endpoint: collector.url,
      consent: gate,
      clock: { now: () => now },
      pendingConsentMaxEvents: 3,
      pendingConsentMaxAgeMs: 1000,
      onDrop: (m, o) => dropped.push([String(m.properties?.n), o.reason]),
    });
    for (let n = 0; n < 5; n++) tracker.track('Waiting', { n }, { userId: 'u' });
    expect(dropped).toEqual([
      ['0', 'queue-full'],
      ['1', 'queue-full'],
    ]);
    now = 1500;
    tracker.track('Waiting', { n: 5 }, { userId: 'u' });
    expect(dropped.slice(2)).toEqual([
      ['2', 'consent'],
      ['3', 'consent'],
      ['4', 'consent'],
    ]);
    expect(tracker.stats().pendingConsent).toBe(1);
    await tracker.close({ timeout: 0 });
  });

  it('applies per-kind default purposes and per-call overrides', async () => {
    const gate = createTestConsentGate({ analytics: 'denied', support: 'granted' });
    const tracker = createTracker({ endpoint: collector.url, consent: gate, purposes: { touchpoint: ['support'] } });
    tracker.track('Analytics Event', {}, { userId: 'u' });
    tracker.touchpoint({ channel: 'phone', type: 'complaint' }, { userId: 'u' });
    tracker.touchpoint({ channel: 'email', type: 'campaign-response', purposes: ['analytics'] }, { userId: 'u' });
    tracker.track('Necessary Event', {}, { userId: 'u', purposes: ['necessary'] });
    await tracker.flush();
    expect([...collector.unique.values()].map((m) => m.event)).toEqual(['Touchpoint Recorded', 'Necessary Event']);
    expect([...collector.unique.values()][0]!.context.consent?.required).toEqual(['support']);
    await tracker.close();
  });
});

describe('identifier storage is a purpose', () => {
  it('writes nothing to storage until the storage purpose is granted, then persists the identifiers', async () => {
    const gate = createTestConsentGate();
    const storage = spyStorage();
    const tracker = createTracker({
      endpoint: collector.url,
      consent: gate,
      requireExplicitIdentity: false,
      identityStorage: storage,
    });
    tracker.identify('u-7');
    tracker.page();
    tracker.track('Browse');
    expect(storage.writes).toEqual([]);
    const provisional = tracker.identity().anonymousId;
    expect(provisional).toBeDefined();
    gate.set({ analytics: 'granted' });
    expect(storage.values.get('guanxi-tracking.anonymousId')).toBe(provisional);
    expect(storage.values.get('guanxi-tracking.userId')).toBe('u-7');
    await tracker.flush();
    expect(collector.unique.size).toBe(3);
    expect([...collector.unique.values()].every((m) => m.anonymousId === provisional && m.context.sessionId)).toBe(true);
    await tracker.close();
  });

  it('adopts the stored anonymous id of an earlier visit once storage is allowed', async () => {
    const gate = createTestConsentGate();
    const storage = spyStorage();
    storage.values.set('guanxi-tracking.anonymousId', 'returning-visitor');
    const tracker = createTracker({ endpoint: collector.url, consent: gate, requireExplicitIdentity: false, identityStorage: storage });
    tracker.track('Before Consent');
    gate.set({ analytics: 'granted' });
    tracker.track('After Consent');
    await tracker.flush();
    expect([...collector.unique.values()].map((m) => m.anonymousId)).toEqual(['returning-visitor', 'returning-visitor']);
    await tracker.close();
  });
});

describe('withdrawal', () => {
  it('purges the consent buffer, the IndexedDB queue and stored identifiers, then asks for erasure', async () => {
    collector.fault = () => ({ kind: 'status', status: 503 });
    const gate = createTestConsentGate({ analytics: 'granted', marketing: 'granted' });
    const storage = spyStorage();
    const requests: TrackingErasureRequest[] = [];
    const dropped: [string, DropReason][] = [];
    const queueName = `withdrawal-${Math.random()}`;
    const tracker = createTracker({
      endpoint: collector.url,
      consent: gate,
      queue: 'indexeddb',
      queueName,
      requireExplicitIdentity: false,
      identityStorage: storage,
      deliverOnUnload: false,
      backoff: { baseMs: 1, capMs: 5 },
      onDrop: (m, o) => dropped.push([String(m.event), o.reason]),
      onConsentWithdrawn: (request) => requests.push(request),
    });
    tracker.identify('u-9');
    for (let i = 0; i < 5; i++) tracker.track('Viewed');
    tracker.track('Offer Clicked', {}, { purposes: ['marketing'] });
    tracker.track('Needs Personalization', {}, { purposes: ['personalization'] });
    await tracker.flush({ timeout: 100 });
    expect(tracker.stats().storage).toBe('indexeddb');
    const db = await openDB(queueName);
    expect(await db.count('events')).toBe(7);
    expect(storage.values.get(`${queueName}.userId`)).toBe('u-9');

    gate.set({ analytics: 'denied' });
    await expect.poll(() => requests.length).toBe(1);
    expect(await db.count('events')).toBe(1);
    const left = await db.getAll('events');
    expect(left.map((e: { json: string }) => (JSON.parse(e.json) as TrackingMessage).event)).toEqual(['Offer Clicked']);
    expect(Object.keys(left[0]).sort()).toEqual(['bytes', 'capturedAt', 'id', 'json', 'purposes']);
    expect(storage.values.size).toBe(0);
    expect(requests[0]).toMatchObject({ purposes: ['analytics'], userId: 'u-9', purgedEvents: 6, identifiersRemoved: true });
    expect(dropped.sort()).toEqual([...Array.from({ length: 5 }, () => ['Viewed', 'consent']), ['undefined', 'consent']]);
    expect(tracker.stats().pendingConsent).toBe(1); // needs personalization only: untouched
    db.close();
    await tracker.close({ timeout: 0 });
  });

  it('property: nothing is delivered without consent at release, and nothing of a withdrawn purpose survives the purge', async () => {
    const purposes = ['analytics', 'marketing', 'advertising'] as const;
    const step = fc.oneof(
      fc.record({ kind: fc.constant('event' as const), needs: fc.subarray([...purposes], { minLength: 1 }) }),
      fc.record({ kind: fc.constant('consent' as const), purpose: fc.constantFrom(...purposes), state: fc.constantFrom('granted', 'denied', 'pending') }),
      fc.record({ kind: fc.constant('network' as const), up: fc.boolean() }),
      fc.record({ kind: fc.constant('flush' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        let now = 0;
        let up = true;
        const gate = createTestConsentGate({}, () => now);
        const granted = new Map<string, boolean>();
        const needs = new Map<string, readonly string[]>();
        const outcome = new Map<string, string>();
        const sentOk: TrackingMessage[] = [];
        const transport: TrackingTransport = async (request) => {
          if (!up) return { status: 503 };
          sentOk.push(...(JSON.parse(request.body) as { batch: TrackingMessage[] }).batch);
          return { status: 200 };
        };
        let purges = 0;
        const tracker = createTracker({
          endpoint: 'http://127.0.0.1:9/v1/batch',
          transport,
          consent: gate,
          clock: { now: () => now },
          backoff: { baseMs: 0, capMs: 0 },
          onDeliver: (m) => {
            expect(outcome.has(m.messageId)).toBe(false);
            outcome.set(m.messageId, 'delivered');
          },
          onDrop: (m, o) => {
            expect(outcome.has(m.messageId)).toBe(false);
            outcome.set(m.messageId, o.reason);
          },
          onConsentWithdrawn: () => void purges++,
        });
        for (const s of steps) {
          now += 1000;
          if (s.kind === 'event') {
            const id = tracker.track('E', {}, { userId: 'u', purposes: s.needs });
            needs.set(id, s.needs);
          } else if (s.kind === 'consent') {
            const before = purges;
            const wasOn = gate.states.get(s.purpose);
            gate.set({ [s.purpose]: s.state });
            granted.set(s.purpose, s.state === 'granted');
            if (s.state === 'denied' && wasOn !== 'denied') {
              await expect.poll(() => purges).toBe(before + 1);
              // Every earlier event that needs the withdrawn purpose is settled now.
              for (const [id, list] of needs) if (list.includes(s.purpose)) expect(outcome.has(id)).toBe(true);
            }
          } else if (s.kind === 'network') up = s.up;
          else await tracker.flush({ timeout: up ? 10_000 : 0 });
        }
        for (const message of sentOk) {
          const stamp = message.context.consent!;
          for (const purpose of stamp.required) expect(stamp.purposes[purpose]).toBe('granted');
        }
        await tracker.close({ timeout: 0 });
      }),
      { numRuns: 60 },
    );
  });
});
