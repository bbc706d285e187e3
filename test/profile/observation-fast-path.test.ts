import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isValidationError, safeValidate, validate } from 'guanxi';
import { createIdentityGraph, createProfileModel, defaultProfileModel, normalizePhone, type ObservationOf, type ProfileModel } from 'guanxi/profile';
import { createFastPath } from '../../src/profile/observation-fast-path';

// The fast path must give exactly what the full schema gives — the same value with the
// same keys in the same order, or the same ValidationError — on any input, valid or not.

const text = (valid: readonly string[]) =>
  fc.oneof(
    fc.constantFrom(...valid),
    fc.constantFrom('', '   ', ' padded ', 'x'.repeat(201), '\u00a0nbsp\u00a0'),
    fc.string({ maxLength: 12 }),
    fc.constantFrom(42, null, true, ['a'], { a: 1 }),
  );
const sometimes = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary }, { weight: 1, arbitrary: fc.constant(undefined) });

const email = fc.record(
  {
    address: fc.oneof(
      fc.constantFrom('ada@example.com', 'Ada@Example.COM', '  grace@example.org ', 'LI@EXAMPLE.CN'),
      fc.constantFrom('nope', '', 'a@b', 'two@@example.com', 7),
    ),
    verified: fc.oneof(fc.boolean(), fc.constant('yes')),
    primary: fc.boolean(),
    label: fc.constantFrom('work', ' home ', '', 'x'.repeat(101)),
    preference: fc.constantFrom('allowed', 'denied', 'unspecified', 'maybe'),
    extra: fc.constant('not in the schema'),
  },
  { requiredKeys: [] },
);

const phone = fc.record(
  {
    number: fc.constantFrom('+8613800138000', '138 0013 8000', '13800138000', '+86 138-0013-8000', '(+86) 138 0013 8000', '+44 7911 123456', '(415) 555-2671', '12', '', 'abc', ' +1 415 555 2671 x12'),
    kind: fc.constantFrom('mobile', 'landline', 'pager'),
    extension: fc.constantFrom('12', ' 7 ', 'x'.repeat(21)),
    verified: fc.boolean(),
  },
  { requiredKeys: [] },
);

const identities = fc.record(
  {
    anonymousIds: fc.oneof(fc.array(text(['anon-1', 'anon-2']), { maxLength: 3 }), fc.constant('anon-1')),
    userId: text(['u-1', 'u-2', ' u-3 ']),
    externalIds: fc.oneof(
      fc.dictionary(fc.constantFrom('hubspot', 'salesforce', 'store-42', 'Bad System', 'constructor', '_x'), fc.oneof(text(['901', '902']), fc.array(text(['901', ' 903 ']), { maxLength: 2 })), { maxKeys: 3 }),
      fc.constant(JSON.parse('{"__proto__": ["1"]}') as unknown),
      fc.constant(['not', 'a', 'record']),
    ),
    extra: fc.constant(1),
  },
  { requiredKeys: [] },
);

const traits = fc.oneof(
  fc.dictionary(fc.constantFrom('plan', 'seats', 'interests', '0', 'nested'), fc.oneof(fc.constantFrom('free', 'pro'), fc.integer(), fc.array(fc.constantFrom('tea', 'jazz')), fc.constant({ deep: { deeper: 1 } }))),
  fc.constant(JSON.parse('{"plan": "pro", "__proto__": {"admin": true}}') as unknown),
  fc.constant(JSON.parse('{"nested": {"constructor": {"prototype": 1}}}') as unknown),
  fc.constant(['array', 'of', 'traits']),
  fc.constant(Object.assign(Object.create(null) as object, { plan: 'free' })),
  fc.constant(new Date(0)),
);

const party = fc.record(
  {
    kind: fc.constantFrom('person', 'organization', 'robot'),
    givenName: text(['Ada', 'Li']),
    fullName: text(['Ada Lovelace', '李雷']),
    gender: fc.constantFrom('female', 'male', 'robot'),
    language: fc.constantFrom('zh', 'zh-CN', 'en-GB', '_bad', 'english'),
    birthday: fc.constantFrom('1815-12-10', '1815-13-10', 'yesterday'),
    legalName: text(['Acme Ltd']),
    registrationId: text(['91310000MA1FL1XX1X']),
    size: fc.constantFrom('small', 'huge'),
    emails: fc.oneof(fc.array(email, { maxLength: 3 }), fc.constant('ada@example.com')),
    phones: fc.array(phone, { maxLength: 2 }),
    identities,
    lifecycleStage: fc.constantFrom('lead', 'customer', 'pool', 'zombie'),
    tier: fc.constantFrom('bronze', 'silver', 'platinum', ' silver '),
    tags: fc.oneof(fc.array(text(['vip', 'b2b']), { maxLength: 3 }), fc.constant('vip')),
    source: text(['fair', 'ads']),
    ownerId: text(['staff-1']),
    website: fc.constantFrom('https://example.com', 'not a url'),
    addresses: fc.constantFrom([{ kind: 'home', lines: ['88 Century Avenue'], country: 'cn' }], [{ kind: 'moon', lines: [] }]),
    relationships: fc.constantFrom([{ type: 'employee', to: { kind: 'organization', id: 'o-1' } }], [{ type: 'nemesis', to: { kind: 'person', id: 'p-2' } }]),
    traits,
    unknownField: fc.constant('dropped by the schema'),
  },
  { requiredKeys: [] },
);

// ISO 8601 text around the edges of the schema's pattern: leap days, out-of-range fields,
// fractions, offsets, missing seconds, lower-case `z`, stray spaces.
const pad = (value: number, width: number) => String(value).padStart(width, '0');
const isoText = fc.oneof(
  fc.date({ min: new Date(0), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString()),
  fc
    .record({
      year: fc.integer({ min: 1896, max: 2404 }),
      month: fc.integer({ min: 0, max: 13 }),
      day: fc.integer({ min: 0, max: 32 }),
      hour: fc.integer({ min: 0, max: 25 }),
      minute: fc.integer({ min: 0, max: 61 }),
      second: fc.option(fc.integer({ min: 0, max: 61 }), { nil: undefined }),
      fraction: fc.constantFrom('', '.5', '.123', '.123456789', '.'),
      zone: fc.constantFrom('Z', 'z', '+08:00', '-05:30', '+24:00', '+0800', '', ' Z'),
    })
    .map(({ year, month, day, hour, minute, second, fraction, zone }) =>
      `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}${second === undefined ? '' : `:${pad(second, 2)}${fraction}`}${zone}`),
  fc.constantFrom('2024-02-29T00:00:00Z', '2023-02-29T00:00:00Z', '2000-02-29T12:00:00+01:00', '1900-02-29T00:00:00Z', '2026-03-01 08:00:00Z', ' 2026-03-01T08:00:00Z'),
);

const observation = fc.oneof(
  { weight: 10, arbitrary: fc.record(
    {
      source: text(['web', 'crm', ' pos ']),
      observedAt: fc.oneof(
        fc.integer({ min: 0, max: 2_000_000_000_000 }),
        fc.constantFrom(-1, Number.NaN, Number.POSITIVE_INFINITY, 8.64e15, 8.64e15 + 1, 1.5),
        fc.constantFrom('2026-03-01T08:00:00Z', '2026-03-01T08:00:00+08:00', '2026-03-01', 'not a date'),
        isoText,
      ),
      profileId: sometimes(text(['p-1', ' p-2 '])),
      profile: fc.oneof({ weight: 8, arbitrary: party }, { weight: 1, arbitrary: fc.constantFrom(null, 'person', [], undefined) }),
      extra: fc.constant(true),
    },
    { requiredKeys: ['source', 'observedAt', 'profile'] },
  ) },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, 'observation', 42, [], new Date(0)) },
);

// Mostly valid input (fields of the fast path only), so the property also checks what the
// fast path builds, not only that it steps aside.
const validParty = fc.record(
  {
    kind: fc.constantFrom('person'),
    givenName: fc.constantFrom('Ada', ' Li '),
    fullName: fc.constantFrom('Ada Lovelace', '李雷'),
    gender: fc.constantFrom('female', 'male'),
    language: fc.constantFrom('zh', 'zh-CN'),
    birthday: fc.constantFrom('1815-12-10'),
    emails: fc.array(fc.record({ address: fc.constantFrom('ada@example.com', ' Ada@Example.COM '), verified: fc.boolean(), label: fc.constantFrom('work', ' home ') }, { requiredKeys: ['address'] }), { maxLength: 2 }),
    phones: fc.array(fc.record({ number: fc.constantFrom('+8613800138000', '+44 7911 123456', '138 0013 8000'), kind: fc.constantFrom('mobile') }, { requiredKeys: ['number'] }), { maxLength: 2 }),
    identities: fc.record({ anonymousIds: fc.array(fc.constantFrom('anon-1', ' anon-2 '), { maxLength: 2 }), userId: fc.constantFrom('u-1'), externalIds: fc.dictionary(fc.constantFrom('hubspot', 'store-42'), fc.oneof(fc.constantFrom('901'), fc.array(fc.constantFrom('901', ' 902 '), { maxLength: 2 })), { maxKeys: 2 }) }, { requiredKeys: [] }),
    lifecycleStage: fc.constantFrom('lead', 'customer'),
    tier: fc.constantFrom('silver', 'gold'),
    tags: fc.array(fc.constantFrom('vip', ' b2b '), { maxLength: 2 }),
    source: fc.constantFrom('fair'),
    traits: fc.dictionary(fc.constantFrom('plan', 'seats'), fc.oneof(fc.constantFrom('free', 'pro'), fc.integer({ min: 0, max: 9 }))),
  },
  { requiredKeys: [] },
);
const validObservation = fc.record(
  {
    source: fc.constantFrom('web', ' crm '),
    observedAt: fc.oneof(fc.integer({ min: 0, max: 2_000_000_000_000 }), fc.constantFrom('2026-03-01T08:00:00+08:00'), isoText),
    profileId: fc.constantFrom('p-1', ' p-2 '),
    profile: validParty,
  },
  { requiredKeys: ['source', 'observedAt', 'profile'] },
);
const anyObservation = fc.oneof(observation, validObservation);

const models: readonly [string, ProfileModel][] = [
  ['the default model', defaultProfileModel],
  ['a CN model with a tier ladder', createProfileModel({ defaultRegion: 'CN', tiers: ['bronze', 'silver', 'gold'] })],
  ['a model with a custom trait schema', createProfileModel({ traits: z.object({ plan: z.enum(['free', 'pro']), seats: z.optional(z.number()) }) }) as unknown as ProfileModel],
];

/** Same value, with keys in the same order at every level. */
function expectSameValue(actual: unknown, expected: unknown): void {
  expect(actual).toStrictEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

describe('observation fast path', () => {
  for (const [name, model] of models) {
    it(`parses every observation exactly as the full schema does, for ${name} (property)`, () => {
      const fast = createFastPath({ ...model, ...model.options });
      let taken = 0;
      fc.assert(
        fc.property(anyObservation, (input) => {
          const viaModel = model.safeParseObservation(input);
          const viaSchema = safeValidate(model.Observation, input, 'observation');
          expect(viaModel.success).toBe(viaSchema.success);
          if (viaModel.success && viaSchema.success) expectSameValue(viaModel.value, viaSchema.value);
          if (!viaModel.success && !viaSchema.success) {
            expect(viaModel.error.issues).toStrictEqual(viaSchema.error.issues);
            expect(viaModel.error.message).toBe(viaSchema.error.message);
          }
          const read = fast.observation(input);
          if (read !== undefined) {
            taken++;
            expect(viaSchema.success).toBe(true); // the fast path never accepts what the schema rejects
            if (viaSchema.success) expectSameValue(read, viaSchema.value);
          }
        }),
        { numRuns: 3000, seed: 20_261_122 },
      );
      expect(taken).toBeGreaterThan(300); // the property exercised the fast path, not only the fallback
    });

    it(`parses parties exactly as the full schemas do, for ${name} (property)`, () => {
      fc.assert(
        fc.property(fc.oneof(party, validParty), (input) => {
          const viaModel = model.safeParseParty(input);
          const organization = (input as { kind?: unknown }).kind === 'organization';
          const viaSchema = organization ? safeValidate(model.Organization, input, 'organization') : safeValidate(model.Person, input, 'person');
          expect(viaModel.success).toBe(viaSchema.success);
          if (viaModel.success && viaSchema.success) expectSameValue(viaModel.value, viaSchema.value);
          if (!viaModel.success && !viaSchema.success) expect(viaModel.error.issues).toStrictEqual(viaSchema.error.issues);
        }),
        { numRuns: 1500, seed: 7 },
      );
    });
  }

  it('takes the fast path for typical collector observations, normalizing emails, phones and times', () => {
    const model = createProfileModel({ defaultRegion: 'CN' });
    const fast = createFastPath({ ...model, ...model.options });
    const input = {
      source: ' pos ',
      observedAt: '2026-03-01T08:00:00+08:00',
      profile: {
        fullName: ' 李雷 ',
        emails: [{ address: ' Li.Lei@Example.COM ', verified: true }],
        phones: [{ number: '(+86) 138 0013 8000', kind: 'mobile' }],
        identities: { anonymousIds: ['anon-1'], externalIds: { hubspot: '901' } },
        traits: { plan: 'pro' },
      },
    };
    const read = fast.observation(input);
    expect(read).toStrictEqual({
      source: 'pos',
      observedAt: Date.parse('2026-03-01T00:00:00Z'),
      profile: {
        kind: 'person',
        fullName: '李雷',
        identities: { anonymousIds: ['anon-1'], externalIds: { hubspot: ['901'] } },
        emails: [{ address: 'li.lei@example.com', verified: true }],
        phones: [{ number: '+8613800138000', kind: 'mobile' }],
        traits: { plan: 'pro' },
      },
    });
    expectSameValue(read, validate(model.Observation, input));
  });

  it('leaves invalid input to the schema, which names every issue with its path', () => {
    const model = createProfileModel({ defaultRegion: 'CN' });
    const fast = createFastPath({ ...model, ...model.options });
    const input = { source: 'pos', observedAt: 1, profile: { emails: [{ address: 'nope' }], phones: [{ number: '12' }], traits: JSON.parse('{"__proto__": {"x": 1}}') as unknown } };
    expect(fast.observation(input)).toBeUndefined();
    let caught: unknown;
    try {
      model.parseObservation(input);
    } catch (error) {
      caught = error;
    }
    expect(isValidationError(caught)).toBe(true);
    if (!isValidationError(caught)) return;
    expect(caught.issues.map((issue) => [issue.code, issue.path.join('.')])).toStrictEqual([
      ['invalid_email', 'profile.emails.0.address'],
      ['invalid_phone', 'profile.phones.0.number'],
      ['forbidden_key', 'profile.traits.__proto__'],
    ]);
  });

  it('caches phone normalization without changing results', () => {
    const first = normalizePhone('138 0013 8000', { defaultRegion: 'CN' });
    const again = normalizePhone('138 0013 8000', { defaultRegion: 'cn' });
    expect(again).toBe(first);
    expect(again).toStrictEqual({ ok: true, value: '+8613800138000' });
    expect(Object.isFrozen(again)).toBe(true);
    expect(normalizePhone('138 0013 8000')).toMatchObject({ ok: false, code: 'invalid_phone' }); // other region, other entry
    expect(normalizePhone('12', { defaultRegion: 'ZZ' })).toMatchObject({ ok: false, code: 'invalid_region' });
    for (let i = 0; i < 70_000; i++) normalizePhone(`+86138${String(i).padStart(8, '0')}`, { defaultRegion: 'CN' }); // bounded: two generations roll over
    expect(normalizePhone('138 0013 8000', { defaultRegion: 'CN' })).toStrictEqual({ ok: true, value: '+8613800138000' });
  });

  it('gives the identity graph exactly the profiles and change records of the full schema path (property)', async () => {
    const model = createProfileModel({ defaultRegion: 'CN' });
    const person = fc.record(
      {
        fullName: fc.constantFrom('Ada', ' Ada Lovelace ', 'Li Lei'),
        emails: fc.array(fc.record({ address: fc.constantFrom('ada@example.com', 'ADA@example.com ', 'li@example.cn'), verified: fc.boolean() }, { requiredKeys: ['address'] }), { maxLength: 2 }),
        phones: fc.array(fc.record({ number: fc.constantFrom('138 0013 8000', '+86 138-0013-8000', '13900139000') }), { maxLength: 1 }),
        identities: fc.record({ anonymousIds: fc.array(fc.constantFrom('a-1', 'a-2', 'a-3'), { maxLength: 2 }), userId: fc.constantFrom('u-1', 'u-2'), externalIds: fc.dictionary(fc.constantFrom('hubspot'), fc.constantFrom('1', '2')) }, { requiredKeys: [] }),
        lifecycleStage: fc.constantFrom('lead', 'customer'),
        tags: fc.array(fc.constantFrom('vip', ' b2b '), { maxLength: 2 }),
        traits: fc.dictionary(fc.constantFrom('plan', 'seats'), fc.oneof(fc.constantFrom('free', 'pro'), fc.integer({ min: 0, max: 3 }))),
      },
      { requiredKeys: [] },
    );
    const seen = fc.record({ source: fc.constantFrom('web', 'crm', 'pos'), observedAt: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom('2026-03-01T08:00:00Z')), profile: person });
    await fc.assert(
      fc.asyncProperty(fc.array(seen, { minLength: 1, maxLength: 12 }), async (inputs) => {
        let a = 0;
        let b = 0;
        const fastGraph = createIdentityGraph({ model, keepHistory: true, newProfileId: () => `p-${++a}`, clock: { now: () => 0 } });
        const fullGraph = createIdentityGraph({ model, keepHistory: true, newProfileId: () => `p-${++b}`, clock: { now: () => 0 } });
        for (const input of inputs) {
          const viaFast = await fastGraph.ingest(input);
          const viaFull = await fullGraph.ingestParsed(validate(model.Observation, input, 'observation') as ObservationOf<typeof model>);
          expect(viaFast).toStrictEqual(viaFull);
        }
        const ids = [...fastGraph.profileIds()];
        expect(ids).toStrictEqual([...fullGraph.profileIds()]);
        for (const id of ids) {
          expectSameValue(fastGraph.profile(id), fullGraph.profile(id));
          expect(fastGraph.record(id)?.entries()).toStrictEqual(fullGraph.record(id)?.entries());
          expect(fastGraph.history(id)).toStrictEqual(fullGraph.history(id));
        }
      }),
      { numRuns: 300, seed: 2 },
    );
  });
});
