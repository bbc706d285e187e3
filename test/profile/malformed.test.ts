import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIdentityGraph, createProfileModel } from 'guanxi/profile';
import { isValidationError } from 'guanxi';

const model = createProfileModel({ defaultRegion: 'CN', tiers: ['member', 'gold'] });

// A valid person to start from; each case breaks it in at least one place.
const valid = {
  givenName: 'Lei',
  birthday: '1990-03-07',
  emails: [{ address: 'li@example.cn' }],
  phones: [{ number: '13800138000' }],
  addresses: [{ kind: 'home', lines: ['1 Road'], country: 'CN' }],
  identities: { userId: 'u-1', externalIds: { hubspot: '1' } },
  tier: 'gold',
  lifecycleStage: 'lead',
  relationships: [{ type: 'employee', to: { kind: 'organization', id: 'o-1' } }],
  traits: { plan: 'pro' },
};

const garbage = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.string({ maxLength: 3 }),
  fc.constant(''),
  fc.constant('x'.repeat(10_000)),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.constant({}),
  fc.constant(Number.NaN),
  fc.constant(Symbol('s')),
  fc.constant(() => 1),
  fc.constant(new Date(Number.NaN)),
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}}')),
);

/** Paths to break and values that are always wrong there. */
const breakers: fc.Arbitrary<[string[], unknown]>[] = [
  fc.tuple(fc.constant(['birthday']), fc.oneof(garbage, fc.constantFrom('1990-02-30x', '07/03/1990', '1990-13-01'))),
  fc.tuple(fc.constant(['emails', '0', 'address']), fc.oneof(garbage, fc.constant(undefined), fc.constantFrom('no-at-sign', 'a@b', 'a b@c.com', '@x.com'))),
  fc.tuple(fc.constant(['phones', '0', 'number']), fc.oneof(garbage, fc.constantFrom('12', 'call me', '+999 123', '0000000000000000000'))),
  fc.tuple(fc.constant(['emails']), fc.oneof(fc.constant('ada@example.com'), fc.constant({}), fc.integer())),
  fc.tuple(fc.constant(['addresses', '0', 'kind']), fc.constantFrom('moon', '', 7, null)),
  fc.tuple(fc.constant(['addresses', '0', 'country']), fc.constantFrom('China', 'C', '', 86)),
  fc.tuple(fc.constant(['addresses', '0', 'lines']), fc.constantFrom([], 'one line', [1], null)),
  fc.tuple(fc.constant(['identities', 'externalIds']), fc.oneof(fc.constant({ HubSpot: '1' }), fc.constant({ hubspot: '' }), fc.constant({ hubspot: [1] }), fc.constant('hubspot'))),
  fc.tuple(fc.constant(['identities', 'userId']), fc.oneof(fc.constant(''), fc.integer(), fc.constant('u'.repeat(300)))),
  fc.tuple(fc.constant(['tier']), fc.constantFrom('platinum', '', 3)),
  fc.tuple(fc.constant(['lifecycleStage']), fc.constantFrom('vip', 'Lead', null, 1)),
  fc.tuple(fc.constant(['relationships', '0', 'type']), fc.constantFrom('subsidiary', 'owner', 'Employee', '')),
  fc.tuple(fc.constant(['relationships', '0', 'to']), fc.constantFrom(null, {}, { kind: 'robot', id: 'x' })),
  fc.tuple(fc.constant(['traits']), fc.constantFrom('gold', 7, [1, 2], JSON.parse('{"__proto__": {"x": 1}}'), JSON.parse('{"a": {"constructor": {"prototype": {}}}}'))),
  fc.tuple(fc.constant(['gender']), fc.oneof(garbage, fc.constant('robot'))),
  fc.tuple(fc.constant(['specialDates']), fc.constantFrom([{ kind: 'birthday', date: '2020-01-01' }], [{ kind: 'custom', date: '2020-1-1' }], 'soon')),
];

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let cursor: unknown = target;
  for (const segment of path.slice(0, -1)) {
    // An earlier break may have replaced the parent: the profile is malformed already.
    if (typeof cursor !== 'object' || cursor === null) return;
    cursor = (cursor as Record<string, unknown>)[segment];
  }
  if (typeof cursor === 'object' && cursor !== null) (cursor as Record<string, unknown>)[path[path.length - 1] as string] = value;
}

const malformed = fc
  .array(fc.oneof(...breakers), { minLength: 1, maxLength: 4 })
  .map((breaks) => {
    const person = structuredClone(valid) as Record<string, unknown>;
    for (const [path, value] of breaks) setPath(person, path, value);
    return person;
  });

describe('malformed profiles', () => {
  it('1,500 generated malformed persons all produce ValidationErrors with paths, never crashes', () => {
    let checked = 0;
    fc.assert(
      fc.property(malformed, (person) => {
        let result: ReturnType<typeof model.safeParsePerson> | undefined;
        expect(() => {
          result = model.safeParsePerson(person);
        }).not.toThrow();
        expect(result?.success).toBe(false);
        if (result !== undefined && !result.success) {
          expect(isValidationError(result.error)).toBe(true);
          expect(result.error.issues.length).toBeGreaterThan(0);
          for (const issue of result.error.issues) {
            expect(Array.isArray(issue.path)).toBe(true);
            expect(typeof issue.message).toBe('string');
            expect(typeof issue.code).toBe('string');
          }
          // Raw zod errors never leak: the error is guanxi's, serializable as data.
          expect(JSON.parse(JSON.stringify(result.error))).toMatchObject({ name: 'ValidationError', code: 'validation_failed' });
        }
        checked++;
      }),
      { numRuns: 1500 },
    );
    expect(checked).toBe(1500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('arbitrary JSON values as a profile never crash the parser', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = model.safeParsePerson(value);
        if (!result.success) expect(isValidationError(result.error)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('the identity graph rejects malformed observations without storing anything', async () => {
    const graph = createIdentityGraph({ model });
    await fc.assert(
      fc.asyncProperty(malformed, fc.constantFrom('web', 'crm'), async (person, source) => {
        await expect(graph.ingest({ source, observedAt: 1, profile: person })).rejects.toSatisfy(isValidationError);
      }),
      { numRuns: 300 },
    );
    expect(graph.size).toBe(0);
  });
});
