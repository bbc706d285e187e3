/**
 * The consent law, with each real consent gate (the register, and the storefront gate on
 * a server-resolved policy) as the tracker's gate and the tracker's IndexedDB queue
 * (fake-indexeddb): for random sequences of consent changes,
 * events, failing and succeeding flushes,
 *
 * 1. no event is ever delivered unless every purpose it needs was granted when the gate
 *    admitted it, and none of them was denied or withdrawn between capture and delivery;
 * 2. after a withdrawal, nothing of that purpose remains in any queue (the pending
 *    buffer, the write buffer, IndexedDB, the retry queue): every such event is settled,
 *    and IndexedDB holds none of them.
 */
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import type { ConsentChange, PurposeState } from 'guanxi/consent';
import { createTracker, type TrackingMessage, type TrackingRequest } from 'guanxi/tracking';
import { consentGateKinds } from '../support/consent-gates';

const purposes = ['analytics', 'marketing', 'advertising', 'personalization'] as const;
type Purpose = (typeof purposes)[number];

type Command =
  | { kind: 'set'; purpose: Purpose; state: 'granted' | 'denied' | 'objected' }
  | { kind: 'track'; needs: Purpose[] }
  | { kind: 'flush'; failing: boolean };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('set' as const), purpose: fc.constantFrom(...purposes), state: fc.constantFrom('granted' as const, 'granted' as const, 'granted' as const, 'denied' as const, 'objected' as const) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('track' as const), needs: fc.uniqueArray(fc.constantFrom(...purposes), { minLength: 1, maxLength: 2 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('flush' as const), failing: fc.boolean() }) },
);

interface Captured {
  readonly needs: readonly Purpose[];
  /** Model states when `track()` was called. */
  readonly atCapture: Readonly<Record<string, PurposeState>>;
  /** Set once any needed purpose is denied or objected after capture. */
  withdrawnSince: boolean;
}

let run = 0;

/** What the tracker's IndexedDB queue holds, read without creating the database. */
async function storedEvents(name: string): Promise<{ purposes: string[] }[]> {
  const exists = (await indexedDB.databases()).some((database) => database.name === name);
  if (!exists) return [];
  const db = await openDB(name);
  try {
    return db.objectStoreNames.contains('events') ? ((await db.getAll('events')) as { purposes: string[] }[]) : [];
  } finally {
    db.close();
  }
}

describe.each(consentGateKinds)('consent gate property ($name + tracker + IndexedDB queue)', (kind) => {
  it('delivers only consented events and purges withdrawn purposes from every queue', async () => {
    const totals = { delivered: 0, withdrawals: 0, purgedChecked: 0, failedFlushes: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 30 }), async (commands) => {
        const queueName = `consent-property-${run++}`;
        const model: Record<string, PurposeState> = Object.fromEntries(purposes.map((p) => [p, 'pending']));
        const captured = new Map<string, Captured>();
        const delivered: TrackingMessage[] = [];
        const settled = new Set<string>();
        let failing = false;
        let purgeDone: (() => void) | undefined;

        const consent = kind.make({ jurisdiction: 'EU', notice: { version: '1', text: 'Notice', language: 'en' }, gpc: () => false });
        const transport = async (request: TrackingRequest) => {
          if (failing) return { status: 503 };
          delivered.push(...(JSON.parse(request.body) as { batch: TrackingMessage[] }).batch);
          return { status: 200 };
        };
        const tracker = createTracker({
          endpoint: 'http://127.0.0.1:9/v1/batch',
          consent,
          transport,
          queue: 'indexeddb',
          queueName,
          identityStorage: 'memory',
          flushIntervalMs: 3_600_000,
          backoff: { baseMs: 1, capMs: 2 },
          onDeliver: (message) => settled.add(message.messageId),
          onDrop: (message) => settled.add(message.messageId),
          onConsentWithdrawn: () => purgeDone?.(),
        });
        const changes: ConsentChange[] = [];
        consent.subscribe((change) => changes.push(change));

        for (const step of commands) {
          if (step.kind === 'set') {
            const before = changes.length;
            const purged = new Promise<void>((resolve) => (purgeDone = resolve));
            await consent.update({ purposes: { [step.purpose]: step.state }, source: 'preference-centre' });
            model[step.purpose] = step.state;
            const withdrawn = changes.slice(before).flatMap((change) => change.withdrawn);
            if (step.state !== 'granted') {
              for (const [id, event] of captured) if (!settled.has(id) && event.needs.includes(step.purpose)) event.withdrawnSince = true;
            }
            if (withdrawn.length > 0) {
              await purged;
              totals.withdrawals++;
              // Law 2: every live event of a withdrawn purpose is settled…
              for (const [id, event] of captured) {
                if (!event.needs.some((p) => withdrawn.includes(p))) continue;
                expect(settled.has(id), `event ${id} still queued`).toBe(true);
                totals.purgedChecked++;
              }
              // …and IndexedDB holds none of them.
              for (const event of await storedEvents(queueName)) expect(event.purposes.some((p) => withdrawn.includes(p))).toBe(false);
            }
          } else if (step.kind === 'track') {
            const id = tracker.track('Step', {}, { userId: 'u-1', purposes: step.needs });
            captured.set(id, { needs: step.needs, atCapture: { ...model }, withdrawnSince: false });
          } else {
            failing = step.failing;
            if (failing) totals.failedFlushes++;
            await tracker.flush({ timeout: 25 });
          }
        }
        failing = false;
        // Everything admitted is delivered once the collector recovers.
        expect((await tracker.flush({ timeout: 5_000 })).empty).toBe(true);
        await tracker.close({ timeout: 100 });

        // Law 1, on what actually went over the wire.
        totals.delivered += delivered.length;
        for (const message of delivered) {
          const event = captured.get(message.messageId);
          expect(event, 'a delivered event was captured by this run').toBeDefined();
          const needs = event!.needs;
          for (const purpose of needs) {
            expect(event!.atCapture[purpose], `${purpose} at capture`).not.toBe('denied');
            expect(event!.atCapture[purpose], `${purpose} at capture`).not.toBe('objected');
            expect(message.context.consent?.purposes[purpose], `${purpose} stamped at admission`).toBe('granted');
          }
          expect(message.context.consent?.required).toEqual(needs);
          expect(event!.withdrawnSince, 'a purpose was withdrawn before delivery').toBe(false);
        }
      }),
      { numRuns: 100 },
    );
    console.log(`consent property totals (${kind.name})`, totals);
    // The runs exercised every branch: deliveries, withdrawals with queued events, failures.
    expect(totals.delivered).toBeGreaterThan(20);
    expect(totals.withdrawals).toBeGreaterThan(10);
    expect(totals.purgedChecked).toBeGreaterThan(10);
    expect(totals.failedFlushes).toBeGreaterThan(5);
  });
});
