import { describe, expect, it, vi } from 'vitest';
import {
  createConsentRegister,
  decodeConsentToken,
  isConsentError,
  memoryConsentStorage,
  verifyConsentLog,
  type ConsentChange,
  type ConsentErasureRequest,
  type ConsentRecord,
  type ConsentRegisterOptions,
  type ConsentStorage,
} from 'guanxi/consent';
import { sha256Hex } from 'guanxi';

const notice = { version: 'v1', text: 'We use your data to run the shop and, if you agree, for analytics.', language: 'en', url: 'https://shop.example/privacy' };

function manualClock(start = Date.parse('2026-03-01T10:00:00Z')) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms), set: (at: number) => void (now = at) };
}

function make(options: Partial<ConsentRegisterOptions> = {}) {
  const clock = manualClock();
  const register = createConsentRegister({ jurisdiction: 'EU', notice, clock, globalPrivacyControl: () => false, ...options });
  return { register, clock };
}

describe('createConsentRegister: defaults per jurisdiction', () => {
  it('EU: necessary granted, everything else pending', () => {
    const { register } = make();
    expect(register.snapshot().purposes).toEqual({
      necessary: 'granted',
      analytics: 'pending',
      personalization: 'pending',
      marketing: 'pending',
      advertising: 'pending',
      'sale-sharing': 'pending',
    });
    expect(register.decide(['necessary'])).toBe('granted');
    expect(register.decide(['analytics'])).toBe('pending');
    expect(register.snapshot().jurisdiction).toBe('EU');
    expect(register.prompt().due).toBe(true);
  });

  it('California: everything granted until the visitor opts out', () => {
    const { register } = make({ jurisdiction: 'US-CA' });
    expect(register.decide(['analytics', 'advertising', 'sale-sharing'])).toBe('granted');
    expect(register.prompt().due).toBe(false);
  });

  it('unknown purposes are denied, never granted', () => {
    const { register } = make({ jurisdiction: 'US-CA' });
    expect(register.decide(['analytcs'])).toBe('denied');
    expect(register.state('nope')).toBe('denied');
  });
});

describe('changes', () => {
  it("answers 'denied' for unknown purposes, including names of Object.prototype members", () => {
    const { register } = make();
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'no-such-purpose']) expect(register.state(name)).toBe('denied');
    expect(register.state('necessary')).toBe('granted');
  });

  it('applies synchronously, notifies subscribers with withdrawn purposes and records proof', async () => {
    const records: ConsentRecord[] = [];
    const { register } = make({ onRecord: (record) => records.push(record) });
    const changes: ConsentChange[] = [];
    register.subscribe((change) => changes.push(change));

    const granting = register.update({ purposes: { analytics: 'granted', marketing: 'granted' }, source: 'banner', action: 'save-choices' });
    expect(register.decide(['analytics', 'marketing'])).toBe('granted');
    expect(changes[0]).toMatchObject({ granted: ['analytics', 'marketing'], withdrawn: [] });
    const first = await granting;
    expect(first).toMatchObject({
      sequence: 0,
      subject: {},
      jurisdiction: 'EU',
      source: 'banner',
      action: 'save-choices',
      libraryVersion: '0.1.0',
      purposes: [
        { purpose: 'analytics', state: 'granted', previous: 'pending', form: 'general' },
        { purpose: 'marketing', state: 'granted', previous: 'pending', form: 'general' },
      ],
      notice: { version: 'v1', language: 'en', url: notice.url, sha256: await sha256Hex(notice.text) },
    });
    expect(first?.recordedAt).toBe(Date.parse('2026-03-01T10:00:00Z'));

    const withdrawal = await register.deny(['marketing'], { source: 'preference-centre', action: 'toggle' });
    expect(changes[1]).toMatchObject({ granted: [], withdrawn: ['marketing'] });
    expect(changes[1]?.snapshot.purposes.marketing).toBe('denied');
    expect(withdrawal?.previousHash).toBe(first?.hash);
    expect(records.map((r) => r.sequence)).toEqual([0, 1]);
    expect((await verifyConsentLog(register.log.records(), register.log.head())).valid).toBe(true);
  });

  it('records nothing when nothing changes', async () => {
    const { register } = make();
    await register.grant(['analytics']);
    expect(await register.grant(['analytics'])).toBeUndefined();
    expect(register.log.records()).toHaveLength(1);
  });

  it('refuses to deny always-on purposes, unknown purposes and weak consent for sensitive data, changing nothing', async () => {
    const { register } = make({
      purposes: [
        { id: 'necessary', lawfulBasis: 'contract', alwaysOn: true },
        { id: 'health-offers', lawfulBasis: 'consent', categories: ['sensitive'] },
        { id: 'analytics', lawfulBasis: 'consent' },
      ],
    });
    const attempts = [
      register.update({ purposes: { necessary: 'denied' } }),
      register.update({ purposes: { ads: 'granted' } }),
      register.update({ purposes: { analytics: 'granted', 'health-offers': 'granted' } }),
    ];
    const errors = await Promise.all(attempts.map((attempt) => attempt.then(() => undefined, (error: unknown) => error)));
    expect(errors.map((error) => (isConsentError(error) ? [error.code, error.purposes] : error))).toEqual([
      ['purpose_always_on', ['necessary']],
      ['unknown_purpose', ['ads']],
      ['consent_form_insufficient', ['health-offers']],
    ]);
    expect(register.state('analytics')).toBe('pending');
    expect(register.log.records()).toHaveLength(0);
    await register.update({ purposes: { 'health-offers': 'granted' }, form: 'explicit', source: 'preference-centre' });
    expect(register.state('health-offers')).toBe('granted');
  });

  it('acceptAll leaves purposes that need separate consent (PIPL) to be asked separately', async () => {
    const { register } = make({ jurisdiction: 'CN' });
    await register.acceptAll({ source: 'banner' });
    expect(register.snapshot().purposes).toMatchObject({ analytics: 'granted', marketing: 'granted', advertising: 'pending', 'sale-sharing': 'pending' });
    const sharing = register.purposes().find((status) => status.purpose.id === 'sale-sharing');
    expect(sharing?.requiredForm).toBe('separate');
    await register.grant(['sale-sharing'], { form: 'separate', source: 'preference-centre' });
    expect(register.state('sale-sharing')).toBe('granted');
  });

  it('rejectAll denies consent purposes and objects to legitimate-interest ones', async () => {
    const { register } = make({
      purposes: [
        { id: 'necessary', lawfulBasis: 'contract', alwaysOn: true },
        { id: 'fraud-scoring', lawfulBasis: 'legitimate-interests' },
        { id: 'analytics', lawfulBasis: 'consent' },
      ],
    });
    expect(register.state('fraud-scoring')).toBe('granted');
    const changes: ConsentChange[] = [];
    register.subscribe((change) => changes.push(change));
    const record = await register.rejectAll({ source: 'banner' });
    expect(register.snapshot().purposes).toEqual({ necessary: 'granted', 'fraud-scoring': 'objected', analytics: 'denied' });
    expect(changes[0]?.withdrawn).toEqual(['fraud-scoring', 'analytics']);
    expect(record?.action).toBe('reject-all');
  });

  it('asks the host to erase after withdrawal, after subscribers purged', async () => {
    const order: string[] = [];
    const requests: ConsentErasureRequest[] = [];
    const { register } = make({
      subject: { anonymousId: 'anon-1', userId: 'u-1' },
      onErasureRequest: (request) => {
        order.push('erasure');
        requests.push(request);
      },
    });
    register.subscribe(() => order.push('tracker purge'));
    await register.grant(['marketing']);
    await register.deny(['marketing']);
    expect(order).toEqual(['tracker purge', 'tracker purge', 'erasure']);
    expect(requests).toEqual([{ type: 'erasure', subject: { anonymousId: 'anon-1', userId: 'u-1' }, purposes: ['marketing'], requestedAt: Date.parse('2026-03-01T10:00:00Z') }]);
  });

  it('a throwing subscriber or callback never breaks the register', async () => {
    const errors: unknown[] = [];
    const { register } = make({ onError: (error) => errors.push(error), onRecord: () => { throw new Error('record sink down'); } });
    register.subscribe(() => {
      throw new Error('subscriber bug');
    });
    const seen = vi.fn();
    register.subscribe(seen);
    await register.grant(['analytics']);
    expect(seen).toHaveBeenCalledTimes(1);
    expect(errors.map((error) => (error as Error).message)).toEqual(['subscriber bug', 'record sink down']);
  });
});

describe('re-consent', () => {
  it('a new notice version makes grants lapse and the prompt due', async () => {
    const { register } = make();
    await register.grant(['analytics']);
    const changes: ConsentChange[] = [];
    register.subscribe((change) => changes.push(change));
    register.setNotice({ ...notice, version: 'v2', text: 'New text' });
    expect(register.state('analytics')).toBe('pending');
    expect(register.prompt()).toMatchObject({ due: true, reconsent: { analytics: 'notice-changed' } });
    expect(changes).toHaveLength(1);
    const record = await register.grant(['analytics']);
    expect(record?.notice.version).toBe('v2');
    expect(record?.notice.sha256).toBe(await sha256Hex('New text'));
  });

  it('grants lapse after 13 months (configurable)', async () => {
    const { register, clock } = make({ reconsentAfterMonths: 13 });
    await register.grant(['analytics']);
    clock.set(Date.parse('2027-03-31T00:00:00Z'));
    expect(register.state('analytics')).toBe('granted');
    clock.set(Date.parse('2027-04-01T10:00:00Z'));
    expect(register.state('analytics')).toBe('pending');
    expect(register.prompt().reconsent).toEqual({ analytics: 'expired' });
  });

  it('may ask again after a refusal only once the rule’s waiting period passed', async () => {
    const { register, clock } = make({ jurisdiction: 'US-CA' });
    await register.deny(['sale-sharing'], { source: 'preference-centre' });
    clock.advance(11 * 30 * 86_400_000);
    expect(register.prompt().mayAskAgain).toEqual([]);
    clock.advance(60 * 86_400_000);
    expect(register.prompt().mayAskAgain).toEqual(['sale-sharing']);
  });
});

describe('Global Privacy Control and Do Not Track', () => {
  it('GPC opts out of sale/sharing and advertising at once, recorded with source gpc', async () => {
    const records: ConsentRecord[] = [];
    const register = createConsentRegister({ jurisdiction: 'US-CA', notice, globalPrivacyControl: () => true, onRecord: (r) => records.push(r) });
    expect(register.decide(['advertising'])).toBe('denied');
    expect(register.decide(['sale-sharing'])).toBe('denied');
    expect(register.decide(['analytics'])).toBe('granted');
    await register.ready;
    expect(records).toHaveLength(1);
    expect(register.purposes().filter((status) => status.optedOutBySignal).map((status) => status.purpose.id)).toEqual(['advertising', 'sale-sharing']);
    expect(records[0]).toMatchObject({ source: 'gpc', action: 'signal', purposes: [{ purpose: 'advertising', state: 'denied', previous: 'granted' }, { purpose: 'sale-sharing', state: 'denied', previous: 'granted' }] });
  });

  it('a grant made while GPC is on holds across page loads (11 CCR §7025(c)(3))', async () => {
    const storage = memoryConsentStorage();
    const first = createConsentRegister({ jurisdiction: 'US-CA', notice, storage, globalPrivacyControl: () => true });
    await first.ready;
    await first.grant(['advertising'], { source: 'preference-centre' });
    expect(first.state('advertising')).toBe('granted');
    const second = createConsentRegister({ jurisdiction: 'US-CA', notice, storage, globalPrivacyControl: () => true });
    await second.ready;
    expect(second.state('advertising')).toBe('granted');
    expect(second.state('sale-sharing')).toBe('denied');
    expect(second.log.records()).toHaveLength(0);
  });

  it('GPC can be turned off by option; DNT is honoured only when asked', async () => {
    const ignoring = createConsentRegister({ jurisdiction: 'US-CA', notice, globalPrivacyControl: () => true, honourGlobalPrivacyControl: false });
    expect(ignoring.state('advertising')).toBe('granted');
    const dnt = createConsentRegister({ jurisdiction: 'US-CA', notice, globalPrivacyControl: () => false, doNotTrack: () => true, honourDoNotTrack: true });
    await dnt.ready;
    expect(dnt.state('advertising')).toBe('denied');
    expect(dnt.log.records()[0]?.source).toBe('dnt');
  });

  it('reads navigator.globalPrivacyControl only when the register is created', async () => {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
    Object.defineProperty(globalThis, 'navigator', { configurable: true, value: { globalPrivacyControl: true } });
    try {
      const register = createConsentRegister({ jurisdiction: 'US-CA', notice });
      expect(register.state('advertising')).toBe('denied');
    } finally {
      if (descriptor) Object.defineProperty(globalThis, 'navigator', descriptor);
      else Reflect.deleteProperty(globalThis, 'navigator');
    }
  });
});

describe('storage and subjects', () => {
  function asyncStorage(): ConsentStorage & { resolveReads(): void } {
    const values = new Map<string, string>();
    const waiting: (() => void)[] = [];
    return {
      read: (key) => new Promise((resolve) => waiting.push(() => resolve(values.get(key)))),
      write: async (key, value) => {
        values.set(key, value);
      },
      resolveReads: () => waiting.splice(0).forEach((resolve) => resolve()),
    };
  }

  it('restores choices synchronously from a synchronous storage', async () => {
    const storage = memoryConsentStorage();
    const first = createConsentRegister({ jurisdiction: 'EU', notice, storage, globalPrivacyControl: () => false });
    await first.grant(['analytics']);
    const second = createConsentRegister({ jurisdiction: 'EU', notice, storage, globalPrivacyControl: () => false });
    expect(second.state('analytics')).toBe('granted');
  });

  it('holds everything but necessary as pending until an asynchronous storage answers', async () => {
    const storage = asyncStorage();
    await storage.write('guanxi.consent', JSON.stringify({ v: 1, p: { 'sale-sharing': ['d', 1, 'v1', 0, 1, 0] }, c: {} }));
    const register = createConsentRegister({ jurisdiction: 'US-CA', notice, storage, globalPrivacyControl: () => false });
    expect(register.decide(['sale-sharing'])).toBe('pending');
    expect(register.decide(['analytics'])).toBe('pending');
    expect(register.decide(['necessary'])).toBe('granted');
    const changes: ConsentChange[] = [];
    register.subscribe((change) => changes.push(change));
    storage.resolveReads();
    await register.ready;
    expect(register.state('sale-sharing')).toBe('denied');
    expect(register.state('analytics')).toBe('granted');
    expect(changes.at(-1)?.withdrawn).toEqual(['sale-sharing']);
  });

  it('ignores corrupt stored state instead of failing', () => {
    const storage = memoryConsentStorage();
    storage.write('guanxi.consent', '{"v":1,"p":{"analytics":["g","yesterday"],"__proto__":["g",1,"v1",0,0,0]}}');
    const register = createConsentRegister({ jurisdiction: 'EU', notice, storage, globalPrivacyControl: () => false });
    expect(register.state('analytics')).toBe('pending');
    storage.write('guanxi.consent', 'not json');
    expect(createConsentRegister({ jurisdiction: 'EU', notice, storage }).state('analytics')).toBe('pending');
  });

  it('identify combines anonymous and known choices: the most restrictive wins, with proof', async () => {
    const storage = memoryConsentStorage();
    // The known customer's choices, synced from another device: marketing refused.
    storage.write('guanxi.consent:user:u-42', JSON.stringify({ v: 1, p: { marketing: ['d', 1, 'v1', 0, 1, 0], personalization: ['g', Date.parse('2026-02-01'), 'v1', 0, 1, 0] }, c: {} }));
    const register = createConsentRegister({ jurisdiction: 'EU', notice, storage, subject: { anonymousId: 'anon-9' }, globalPrivacyControl: () => false });
    await register.update({ purposes: { marketing: 'granted', analytics: 'granted' }, source: 'banner' });
    const changes: ConsentChange[] = [];
    register.subscribe((change) => changes.push(change));
    await register.identify('u-42');
    expect(register.subject).toEqual({ anonymousId: 'anon-9', userId: 'u-42' });
    expect(register.snapshot().purposes).toMatchObject({ marketing: 'denied', analytics: 'granted', personalization: 'granted' });
    expect(changes.at(-1)?.withdrawn).toEqual(['marketing']);
    const last = register.log.records().at(-1);
    expect(last).toMatchObject({ action: 'identify-merge', subject: { anonymousId: 'anon-9', userId: 'u-42' } });
    expect(last?.purposes.map((p) => `${p.purpose}:${p.previous}->${p.state}`).sort()).toEqual(['marketing:granted->denied', 'personalization:pending->granted']);
  });

  it('the token carries the choices to the server', async () => {
    const { register } = make();
    await register.update({ purposes: { analytics: 'granted', advertising: 'denied' }, channels: { email: 'granted' } });
    const decoded = decodeConsentToken(register.token());
    expect(decoded.jurisdiction).toBe('EU');
    expect(decoded.purposes.analytics?.state).toBe('granted');
    expect(decoded.purposes.advertising?.state).toBe('denied');
    expect(decoded.channels.email?.state).toBe('granted');
  });
});

describe('contact preferences', () => {
  it('marketing touchpoints need the marketing purpose and the channel', async () => {
    const { register } = make({ jurisdiction: 'US' });
    expect(register.contactPreference('email')).toBe('granted');
    expect(register.contactPreference('sms')).toBe('pending');
    expect(register.mayContact('email')).toBe(true);
    expect(register.mayContact('sms')).toBe(false);
    const record = await register.update({ channels: { sms: 'granted', email: 'denied' }, source: 'preference-centre' });
    expect(record?.channels).toEqual([
      { channel: 'sms', state: 'granted', previous: 'pending' },
      { channel: 'email', state: 'denied', previous: 'granted' },
    ]);
    expect(register.mayContact('sms')).toBe(true);
    expect(register.mayContact('email')).toBe(false);
    await register.deny(['marketing']);
    expect(register.mayContact('sms')).toBe(false);
  });

  it('rejects unknown channels', async () => {
    const { register } = make();
    await expect(register.update({ channels: { fax: 'granted' } as never })).rejects.toMatchObject({ name: 'ConsentError' });
  });
});

describe('configuration', () => {
  it('rejects contradictions with a typed error', () => {
    expect(() => createConsentRegister({ notice, purposes: [{ id: 'a', lawfulBasis: 'consent' }, { id: 'a', lawfulBasis: 'consent' }] })).toThrow(/defined twice/);
    expect(() => createConsentRegister({ notice, fallbackJurisdiction: 'MARS' })).toThrow(/fallback/);
    expect(() => createConsentRegister({ notice, reconsentAfterMonths: 0 })).toThrow(/reconsentAfterMonths/);
    expect(() => createConsentRegister({ notice, optOutSignalPurposes: ['ads'] })).toThrow(/unknown purpose/);
  });
});
