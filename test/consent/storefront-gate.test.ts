/**
 * The storefront gate (a server-resolved policy, proof records drafted in the page)
 * against the register: the behaviour a banner and the tracker rely on is the same for
 * both, tested once for each; then what only the storefront gate does; then a property:
 * under random changes, notice versions and time, both decide alike.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createConsentLog,
  createConsentRegister,
  createStorefrontConsentGate,
  defaultConsentPurposes,
  defaultJurisdictionRules,
  evaluateConsentRequest,
  findJurisdictionRule,
  isConsentError,
  memoryConsentStorage,
  purposeMode,
  requiredConsentForm,
  resolveConsentPolicy,
  resolveStorefrontConsentGateOptions,
  verifyConsentLog,
  type ConsentChange,
  type ConsentErasureRequest,
  type ConsentRecordDraft,
  type ConsentStorage,
  type PurposeState,
} from 'guanxi/consent';
import { sha256Hex } from 'guanxi';
import { consentGateKinds, type ConsentGateSetup } from '../support/consent-gates';

const notice = { version: 'v1', text: 'We use your data to run the shop and, if you agree, for analytics.', language: 'en', url: 'https://shop.example/privacy' };
const start = Date.parse('2026-03-01T10:00:00Z');

function manualClock(at = start) {
  let now = at;
  return { now: () => now, advance: (ms: number) => void (now += ms), set: (next: number) => void (now = next) };
}

function asyncStorage(): ConsentStorage & { resolveReads(): void } {
  const values = new Map<string, string>();
  const waiting: (() => void)[] = [];
  return {
    read: (key) => new Promise((resolve) => waiting.push(() => resolve(values.get(key)))),
    write: async (key, value) => void values.set(key, value),
    resolveReads: () => waiting.splice(0).forEach((resolve) => resolve()),
  };
}

for (const kind of consentGateKinds) {
  describe(`${kind.name}: what the tracker and a banner rely on`, () => {
    const make = (setup: Partial<ConsentGateSetup> = {}) => {
      const clock = manualClock();
      const records: ConsentRecordDraft[] = [];
      const gate = kind.make({ jurisdiction: 'EU', notice, clock, onRecord: (record) => records.push(record), ...setup });
      return { gate, clock, records };
    };

    it('decides from the jurisdiction’s defaults: EU opt-in, California opt-out, unknown purposes denied', () => {
      const { gate } = make();
      expect(gate.snapshot()).toEqual({
        purposes: { necessary: 'granted', analytics: 'pending', personalization: 'pending', marketing: 'pending', advertising: 'pending', 'sale-sharing': 'pending' },
        takenAt: start,
        jurisdiction: 'EU',
      });
      const california = make({ jurisdiction: 'US-CA' }).gate;
      expect(california.decide(['analytics', 'advertising', 'sale-sharing'])).toBe('granted');
      expect(california.snapshot().jurisdiction).toBe('US-CA');
      expect(california.decide(['analytcs'])).toBe('denied');
      expect(california.state('nope')).toBe('denied');
    });

    it('applies a change synchronously, tells subscribers, and drafts a complete proof record', async () => {
      const { gate, records } = make({ subject: { anonymousId: 'anon-1' } });
      const changes: ConsentChange[] = [];
      gate.subscribe((change) => changes.push(change));
      const granting = gate.update({ purposes: { analytics: 'granted', marketing: 'granted' }, source: 'banner', action: 'save-choices' });
      expect(gate.decide(['analytics', 'marketing'])).toBe('granted');
      expect(changes[0]).toMatchObject({ granted: ['analytics', 'marketing'], withdrawn: [] });
      const record = await granting;
      expect(record).toMatchObject({
        recordedAt: start,
        subject: { anonymousId: 'anon-1' },
        jurisdiction: 'EU',
        purposes: [
          { purpose: 'analytics', state: 'granted', previous: 'pending', form: 'general' },
          { purpose: 'marketing', state: 'granted', previous: 'pending', form: 'general' },
        ],
        channels: [],
        notice: { version: 'v1', sha256: await sha256Hex(notice.text), language: 'en', url: notice.url },
        source: 'banner',
        action: 'save-choices',
        libraryVersion: '0.1.0',
      });
      expect(record?.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(records.map((r) => r.id)).toEqual([record?.id]);
      expect(await gate.update({ purposes: { analytics: 'granted' } })).toBeUndefined();
    });

    it('refuses always-on refusals, unknown purposes and a weaker form than required, changing nothing', async () => {
      const { gate, records } = make({
        purposes: [
          { id: 'necessary', lawfulBasis: 'contract', alwaysOn: true },
          { id: 'health-offers', lawfulBasis: 'consent', categories: ['sensitive'] },
          { id: 'analytics', lawfulBasis: 'consent' },
        ],
      });
      const attempts = [
        gate.update({ purposes: { necessary: 'denied' } }),
        gate.update({ purposes: { ads: 'granted' } }),
        gate.update({ purposes: { analytics: 'granted', 'health-offers': 'granted' } }),
      ];
      const errors = await Promise.all(attempts.map((attempt) => attempt.then(() => undefined, (error: unknown) => error)));
      expect(errors.map((error) => (isConsentError(error) ? [error.code, error.purposes] : error))).toEqual([
        ['purpose_always_on', ['necessary']],
        ['unknown_purpose', ['ads']],
        ['consent_form_insufficient', ['health-offers']],
      ]);
      expect(gate.state('analytics')).toBe('pending');
      expect(records).toEqual([]);
      await gate.update({ purposes: { 'health-offers': 'granted' }, form: 'explicit', source: 'preference-centre' });
      expect(gate.state('health-offers')).toBe('granted');
    });

    it('acceptAll leaves purposes that need separate consent (PIPL) to be asked separately', async () => {
      const { gate } = make({ jurisdiction: 'CN' });
      await gate.acceptAll({ source: 'banner' });
      expect(gate.snapshot().purposes).toMatchObject({ analytics: 'granted', marketing: 'granted', advertising: 'pending', 'sale-sharing': 'pending' });
      await gate.update({ purposes: { 'sale-sharing': 'granted' }, form: 'separate', source: 'preference-centre' });
      expect(gate.state('sale-sharing')).toBe('granted');
    });

    it('rejectAll denies consent purposes and objects to legitimate-interest ones', async () => {
      const { gate } = make({
        purposes: [
          { id: 'necessary', lawfulBasis: 'contract', alwaysOn: true },
          { id: 'fraud-scoring', lawfulBasis: 'legitimate-interests' },
          { id: 'analytics', lawfulBasis: 'consent' },
        ],
      });
      expect(gate.state('fraud-scoring')).toBe('granted');
      const changes: ConsentChange[] = [];
      gate.subscribe((change) => changes.push(change));
      const record = await gate.rejectAll({ source: 'banner' });
      expect(gate.snapshot().purposes).toEqual({ necessary: 'granted', 'fraud-scoring': 'objected', analytics: 'denied' });
      expect(changes[0]?.withdrawn).toEqual(['fraud-scoring', 'analytics']);
      expect(record?.action).toBe('reject-all');
    });

    it('asks the host to erase after a withdrawal, once subscribers (the tracker) have purged', async () => {
      const order: string[] = [];
      const requests: ConsentErasureRequest[] = [];
      const { gate } = make({
        subject: { anonymousId: 'anon-1', userId: 'u-1' },
        onErasureRequest: (request) => {
          order.push('erasure');
          requests.push(request);
        },
      });
      gate.subscribe(() => order.push('tracker purge'));
      await gate.update({ purposes: { marketing: 'granted' } });
      await gate.update({ purposes: { marketing: 'denied' } });
      expect(order).toEqual(['tracker purge', 'tracker purge', 'erasure']);
      expect(requests).toEqual([{ type: 'erasure', subject: { anonymousId: 'anon-1', userId: 'u-1' }, purposes: ['marketing'], requestedAt: start }]);
    });

    it('a throwing subscriber or record sink never breaks the gate', async () => {
      const errors: unknown[] = [];
      const { gate } = make({ onError: (error) => errors.push(error), onRecord: () => { throw new Error('record sink down'); } });
      gate.subscribe(() => {
        throw new Error('subscriber bug');
      });
      const seen: ConsentChange[] = [];
      gate.subscribe((change) => seen.push(change));
      await gate.update({ purposes: { analytics: 'granted' } });
      expect(seen).toHaveLength(1);
      expect(errors.map((error) => (error as Error).message)).toEqual(['subscriber bug', 'record sink down']);
    });

    it('re-consent: a grant under another notice version, or older than the period, lapses to pending', async () => {
      const storage = memoryConsentStorage();
      const clock = manualClock();
      await kind.make({ jurisdiction: 'EU', notice, clock, storage }).update({ purposes: { analytics: 'granted', marketing: 'denied' } });
      const sameNotice = kind.make({ jurisdiction: 'EU', notice, clock, storage, reconsentAfterMonths: 13 });
      expect(sameNotice.state('analytics')).toBe('granted');
      clock.set(Date.parse('2027-03-31T00:00:00Z'));
      expect(sameNotice.state('analytics')).toBe('granted');
      clock.set(Date.parse('2027-04-01T10:00:00Z'));
      expect(sameNotice.state('analytics')).toBe('pending');
      clock.set(start);
      const newNotice = kind.make({ jurisdiction: 'EU', notice: { ...notice, version: 'v2', text: 'New text' }, clock, storage });
      expect(newNotice.state('analytics')).toBe('pending');
      // A refusal never lapses into a grant.
      expect(newNotice.state('marketing')).toBe('denied');
      const renewed = await newNotice.update({ purposes: { analytics: 'granted' }, source: 'banner' });
      expect(renewed?.notice).toMatchObject({ version: 'v2', sha256: await sha256Hex('New text') });
    });

    it('GPC opts out of sale/sharing and advertising before the first event, recorded with source gpc', async () => {
      const { gate, records } = make({ jurisdiction: 'US-CA', gpc: () => true });
      expect(gate.decide(['advertising'])).toBe('denied');
      expect(gate.decide(['sale-sharing'])).toBe('denied');
      expect(gate.decide(['analytics'])).toBe('granted');
      await gate.ready;
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        source: 'gpc',
        action: 'signal',
        jurisdiction: 'US-CA',
        purposes: [
          { purpose: 'advertising', state: 'denied', previous: 'granted' },
          { purpose: 'sale-sharing', state: 'denied', previous: 'granted' },
        ],
      });
    });

    it('acceptAll does not override GPC; a grant of the purpose itself does, and holds across page loads', async () => {
      const storage = memoryConsentStorage();
      const { gate, records } = make({ jurisdiction: 'EU', gpc: () => true, storage });
      await gate.ready;
      expect(records.map((record) => record.source)).toEqual(['gpc']);
      const accepted = await gate.acceptAll({ source: 'banner' });
      expect(accepted?.purposes.map((change) => change.purpose)).toEqual(['analytics', 'personalization', 'marketing']);
      expect(gate.snapshot().purposes).toMatchObject({ analytics: 'granted', marketing: 'granted', advertising: 'denied', 'sale-sharing': 'denied' });

      // The visitor switches advertising on by itself: an explicit choice against the signal.
      const explicit = await gate.update({ purposes: { advertising: 'granted' }, source: 'preference-centre', action: 'toggle' });
      expect(explicit).toMatchObject({ source: 'preference-centre', purposes: [{ purpose: 'advertising', state: 'granted', previous: 'denied' }] });
      expect(gate.state('advertising')).toBe('granted');
      const reloaded = kind.make({ jurisdiction: 'EU', notice, storage, gpc: () => true, onRecord: (record) => records.push(record) });
      await reloaded.ready;
      expect(reloaded.state('advertising')).toBe('granted');
      expect(reloaded.state('sale-sharing')).toBe('denied');
      expect(records).toHaveLength(3);
      // Without the signal, accept all grants everything that takes a general consent.
      const plain = make({ jurisdiction: 'EU' }).gate;
      await plain.acceptAll({ source: 'banner' });
      expect(plain.decide(['advertising', 'sale-sharing'])).toBe('granted');
    });

    it('restores at once from a synchronous storage; holds all but necessary pending until an asynchronous one answers', async () => {
      const storage = memoryConsentStorage();
      await kind.make({ jurisdiction: 'EU', notice, storage }).update({ purposes: { analytics: 'granted' } });
      expect(kind.make({ jurisdiction: 'EU', notice, storage }).state('analytics')).toBe('granted');

      const slow = asyncStorage();
      await slow.write('guanxi.consent', JSON.stringify({ v: 1, p: { 'sale-sharing': ['d', 1, 'v1', 0, 1, 0] }, c: {} }));
      const gate = kind.make({ jurisdiction: 'US-CA', notice, storage: slow });
      expect(gate.decide(['sale-sharing'])).toBe('pending');
      expect(gate.decide(['analytics'])).toBe('pending');
      expect(gate.decide(['necessary'])).toBe('granted');
      const changes: ConsentChange[] = [];
      gate.subscribe((change) => changes.push(change));
      slow.resolveReads();
      await gate.ready;
      expect(gate.state('sale-sharing')).toBe('denied');
      expect(gate.state('analytics')).toBe('granted');
      expect(changes.at(-1)?.withdrawn).toEqual(['sale-sharing']);
    });

    it('ignores corrupt or hostile stored state, and survives a storage that throws', () => {
      const storage = memoryConsentStorage();
      storage.write('guanxi.consent', '{"v":1,"p":{"analytics":["g","yesterday"],"__proto__":["g",1,"v1",0,0,0]}}');
      expect(kind.make({ jurisdiction: 'EU', notice, storage }).state('analytics')).toBe('pending');
      storage.write('guanxi.consent', 'not json');
      expect(kind.make({ jurisdiction: 'EU', notice, storage }).state('analytics')).toBe('pending');
      const errors: unknown[] = [];
      const broken: ConsentStorage = {
        read: () => {
          throw new Error('storage blocked');
        },
        write: () => {
          throw new Error('quota');
        },
      };
      const gate = kind.make({ jurisdiction: 'EU', notice, storage: broken, onError: (error) => errors.push(error) });
      void gate.update({ purposes: { analytics: 'granted' } });
      expect(gate.state('analytics')).toBe('granted');
      expect(errors.map((error) => (error as Error).message)).toEqual(expect.arrayContaining(['quota']));
    });
  });
}

describe('storefront gate: the server-resolved policy', () => {
  it('resolveConsentPolicy applies the rule to every purpose, as the policy engine does', () => {
    for (const code of ['EU', 'DE', 'GB', 'CN', 'US-CA', 'US-CO', 'US-TX', 'JP', undefined]) {
      const rule = findJurisdictionRule(defaultJurisdictionRules, code)!;
      const policy = resolveConsentPolicy(code);
      expect(policy.jurisdiction).toBe(rule.code);
      expect(policy.reconsentAfterMonths).toBe(rule.reconsentAfterMonths ?? 13);
      expect(policy.optOutSignalPurposes).toEqual(['advertising', 'sale-sharing']);
      for (const purpose of defaultConsentPurposes) {
        expect(policy.purposes[purpose.id]).toEqual({ mode: purposeMode(purpose, rule), form: requiredConsentForm(purpose, rule) });
      }
    }
    expect(resolveConsentPolicy('CN').purposes['sale-sharing']).toEqual({ mode: 'opt-in', form: 'separate' });
    expect(resolveConsentPolicy('US-CA').purposes.advertising).toEqual({ mode: 'opt-out', form: 'general' });
  });

  it('evaluateConsentRequest gives the policy of the jurisdiction it found in the request', () => {
    const evaluation = evaluateConsentRequest({ headers: { 'x-vercel-ip-country': 'US', 'x-vercel-ip-country-region': 'CA' } });
    expect(evaluation.policy).toEqual(resolveConsentPolicy('US-CA'));
    expect(evaluateConsentRequest({ headers: { 'cf-ipcountry': 'FR' } }).policy.jurisdiction).toBe('EU');
  });

  it('refuses a malformed policy or notice with a typed error naming the field', () => {
    const policy = resolveConsentPolicy('EU');
    const attempts: unknown[] = [
      { notice, policy: undefined },
      { notice, policy: { ...policy, jurisdiction: 7 } },
      { notice, policy: { ...policy, purposes: { analytics: { mode: 'maybe', form: 'general' } } } },
      { notice, policy: { ...policy, reconsentAfterMonths: 0 } },
      { notice, policy: { ...policy, optOutSignalPurposes: ['ads'] } },
      { notice: { version: 'v1' }, policy },
    ];
    const messages = attempts.map((options) => {
      try {
        resolveStorefrontConsentGateOptions(options as Parameters<typeof resolveStorefrontConsentGateOptions>[0]);
        return 'accepted';
      } catch (error) {
        return isConsentError(error) && error.code === 'invalid_configuration' ? error.message : String(error);
      }
    });
    expect(messages).toEqual([
      expect.stringContaining('policy needs a jurisdiction'),
      expect.stringContaining('policy needs a jurisdiction'),
      expect.stringContaining('policy.purposes.analytics'),
      expect.stringContaining('reconsentAfterMonths'),
      expect.stringContaining('optOutSignalPurposes'),
      expect.stringContaining('notice'),
    ]);
  });
});

describe('storefront gate: proof records drafted in the page', () => {
  it('the sink chains the drafts into a log that verifies, with nothing of the proof lost', async () => {
    const log = createConsentLog();
    const appended: Promise<unknown>[] = [];
    const ids = { anonymousId: 'anon-1' as string | undefined, userId: undefined as string | undefined };
    const gate = createStorefrontConsentGate({
      policy: resolveConsentPolicy('US-CA'),
      notice,
      globalPrivacyControl: () => true,
      // Read at each change: the tracker's ids as they are then.
      subject: () => ids,
      onRecord: (draft) => appended.push(log.append(draft)),
    });
    await gate.ready;
    ids.userId = 'customer-42';
    const draft = await gate.update({ purposes: { analytics: 'denied' }, source: 'preference-centre', action: 'toggle' });
    await Promise.all(appended);
    const records = log.records();
    expect(records.map((record) => [record.source, record.subject])).toEqual([
      ['gpc', { anonymousId: 'anon-1' }],
      ['preference-centre', { anonymousId: 'anon-1', userId: 'customer-42' }],
    ]);
    const { format: _format, sequence: _sequence, previousHash: _previousHash, hash: _hash, ...proof } = records[1]!;
    expect(proof).toEqual(draft);
    expect((await verifyConsentLog(records, log.head())).valid).toBe(true);
  });

  it('keeps the register’s storage format: a page can move between the two without losing choices', async () => {
    const storage = memoryConsentStorage();
    const gate = createStorefrontConsentGate({ policy: resolveConsentPolicy('EU'), notice, storage, globalPrivacyControl: () => false });
    await gate.update({ purposes: { analytics: 'granted', marketing: 'denied' } });
    const register = createConsentRegister({ jurisdiction: 'EU', notice, storage, globalPrivacyControl: () => false });
    expect(register.snapshot().purposes).toMatchObject({ analytics: 'granted', marketing: 'denied' });
    await register.update({ purposes: { personalization: 'granted' }, channels: { email: 'granted' } });
    const again = createStorefrontConsentGate({ policy: resolveConsentPolicy('EU'), notice, storage, globalPrivacyControl: () => false });
    expect(again.snapshot().purposes).toMatchObject({ analytics: 'granted', marketing: 'denied', personalization: 'granted' });
    // The gate keeps the contact preferences it does not manage.
    await again.update({ purposes: { analytics: 'denied' } });
    const last = createConsentRegister({ jurisdiction: 'EU', notice, storage, globalPrivacyControl: () => false });
    expect(last.contactPreference('email')).toBe('granted');
    expect(last.state('analytics')).toBe('denied');
  });
});

describe('storefront gate and register decide alike (property)', () => {
  const purposeIds = defaultConsentPurposes.map((purpose) => purpose.id).filter((id) => id !== 'necessary');
  type Step =
    | { kind: 'set'; purpose: string; state: Exclude<PurposeState, 'pending'>; form: 'general' | 'explicit' | 'separate' }
    | { kind: 'accept-all' | 'reject-all' }
    | { kind: 'later'; days: number }
    | { kind: 'reload'; version: 'v1' | 'v2'; gpc: boolean };
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('set' as const), purpose: fc.constantFrom(...purposeIds), state: fc.constantFrom('granted' as const, 'denied' as const, 'objected' as const), form: fc.constantFrom('general' as const, 'explicit' as const, 'separate' as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('accept-all' as const, 'reject-all' as const) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('later' as const), days: fc.integer({ min: 1, max: 500 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('reload' as const), version: fc.constantFrom('v1' as const, 'v2' as const), gpc: fc.boolean() }) },
  );

  it('for random choices, time, notice versions, GPC and page loads, in every shipped jurisdiction', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('EU', 'GB', 'CN', 'US-CA', 'US-CO', 'US-TX', 'JP'), fc.array(step, { minLength: 1, maxLength: 25 }), async (jurisdiction, steps) => {
        const clock = manualClock();
        const stores = consentGateKinds.map(() => memoryConsentStorage());
        let version: 'v1' | 'v2' = 'v1';
        let gpc = false;
        const open = () => consentGateKinds.map((kind, i) => kind.make({ jurisdiction, notice: { ...notice, version }, clock, storage: stores[i]!, gpc: () => gpc }));
        let gates = open();
        const outcome = async (run: (gate: (typeof gates)[number]) => Promise<unknown>) =>
          Promise.all(gates.map((gate) => run(gate).then((record) => (record as { purposes?: unknown } | undefined)?.purposes ?? 'none', (error: unknown) => (isConsentError(error) ? error.code : String(error)))));
        for (const next of steps) {
          if (next.kind === 'set') {
            const [a, b] = await outcome((gate) => gate.update({ purposes: { [next.purpose]: next.state }, form: next.form, source: 'preference-centre' }));
            expect(b).toEqual(a);
          } else if (next.kind === 'accept-all' || next.kind === 'reject-all') {
            const [a, b] = await outcome((gate) => (next.kind === 'accept-all' ? gate.acceptAll({ source: 'banner' }) : gate.rejectAll({ source: 'banner' })));
            expect(b).toEqual(a);
          } else if (next.kind === 'later') {
            clock.advance(next.days * 86_400_000);
          } else if (next.kind === 'reload') {
            version = next.version;
            gpc = next.gpc;
            gates = open();
            await Promise.all(gates.map((gate) => gate.ready));
          }
          expect(gates[1]!.snapshot()).toEqual(gates[0]!.snapshot());
        }
      }),
      { numRuns: 200 },
    );
  });
});

