import { z } from 'zod';
import * as zm from 'zod/mini';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  createIdentityGraph,
  createProfileModel,
  dataCategories,
  defaultProfileModel,
  defaultRelationshipTypes,
  defineProfileTierLadder,
  defineRelationshipTypes,
  definePersonSchema,
  Identities,
  Organization,
  Person,
  profileFieldCategories,
  type PersonOf,
  type RelationshipTypeRegistry,
} from 'guanxi/profile';
import { isValidationError, type StandardSchemaV1 } from 'guanxi';

function issuesOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (isValidationError(error)) return error.issues;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('Person and Organization schemas', () => {
  it('parse every field of a person, normalizing contact points', () => {
    const model = createProfileModel({ defaultRegion: 'CN' });
    const person = model.parsePerson({
      givenName: ' Lei ',
      familyName: 'Li',
      fullName: '李雷',
      nickname: 'Lei Lei',
      honorific: '先生',
      birthday: '1990-03-07',
      gender: 'male',
      language: 'zh',
      locale: 'zh-CN',
      education: 'bachelor',
      occupation: 'engineer',
      jobTitle: 'Buyer',
      incomeBand: '200k-500k CNY',
      specialDates: [{ kind: 'wedding-anniversary', date: '2015-05-20' }, { kind: 'custom', label: 'Name day', date: '--07-26' }],
      nationalId: { scheme: 'cn-resident-card', number: '110101199003074514', country: 'CN' },
      identities: { anonymousIds: ['anon-1'], userId: 'u-1', externalIds: { hubspot: '901', 'store-42': ['C-7', 'C-8'] } },
      emails: [{ address: ' Li.Lei@Example.CN ', label: 'work', primary: true, verified: true, preference: 'allowed' }],
      phones: [{ number: '138 0013 8000', kind: 'mobile', preference: 'denied' }],
      addresses: [{ kind: 'shipping', lines: ['88 Century Avenue'], locality: 'Shanghai', postalCode: '200120', country: 'cn' }],
      handles: [{ network: 'WeChat', handle: 'lilei_88', kind: 'messaging' }],
      website: 'https://lilei.example.cn',
      relationships: [{ type: 'employee', to: { kind: 'organization', id: 'org-1' }, since: '2020-01-01' }],
      ownerId: 'staff-7',
      lifecycleStage: 'pool',
      tier: 'gold',
      tags: ['vip'],
      source: 'trade-fair',
      traits: { newsletter: true },
    });
    expect(person.kind).toBe('person');
    expect(person.givenName).toBe('Lei');
    expect(person.emails?.[0]?.address).toBe('li.lei@example.cn');
    expect(person.phones?.[0]?.number).toBe('+8613800138000');
    expect(person.addresses?.[0]?.country).toBe('CN');
    expect(person.handles?.[0]?.network).toBe('wechat');
    expect(person.identities?.externalIds).toEqual({ hubspot: ['901'], 'store-42': ['C-7', 'C-8'] });
  });

  it('parse an organization with firmographics and a subsidiary relationship', () => {
    const acme = Organization.parse({
      kind: 'organization',
      legalName: 'Acme Trading Co., Ltd.',
      tradeName: 'Acme',
      registrationId: '91310000MA1FL0001X',
      industry: 'ISIC 4690',
      size: 'medium',
      employeeCount: 120,
      foundedOn: '2008-08-08',
      parentOrganizationId: 'org-holding',
      relationships: [{ type: 'subsidiary', to: { kind: 'organization', id: 'org-holding' } }],
    });
    expect(acme.size).toBe('medium');
    expect(() => Organization.parse({ legalName: 'no kind' })).toThrow();
  });

  it('list every issue with its path, in one ValidationError', () => {
    const issues = issuesOf(() =>
      defaultProfileModel.parsePerson({
        birthday: '1990-13-45',
        gender: 'robot',
        emails: [{ address: 'ok@example.com' }, { address: 'broken' }],
        phones: [{ number: '13800138000' }],
        addresses: [{ kind: 'moon', lines: [], country: 'China' }],
        lifecycleStage: 'vip',
        relationships: [{ type: 'owns', to: { kind: 'organization', id: 'x' } }],
      }),
    );
    const paths = issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining(['birthday', 'gender', 'emails.1.address', 'phones.0.number', 'addresses.0.kind', 'addresses.0.lines', 'addresses.0.country', 'lifecycleStage', 'relationships.0.type']),
    );
    expect(issues.find((issue) => issue.path.join('.') === 'phones.0.number')?.code).toBe('invalid_phone');
    expect(issues.find((issue) => issue.path.join('.') === 'emails.1.address')?.code).toBe('invalid_email');
  });
});

describe('custom traits', () => {
  it('type parsed profiles with a zod classic trait schema', () => {
    const model = createProfileModel({ traits: z.object({ plan: z.enum(['free', 'pro']), seats: z.number().int().default(1) }) });
    const person = model.parsePerson({ traits: { plan: 'pro' } });
    expectTypeOf(person.traits).toEqualTypeOf<{ plan: 'free' | 'pro'; seats: number } | undefined>();
    expect(person.traits).toEqual({ plan: 'pro', seats: 1 });
    expect(issuesOf(() => model.parsePerson({ traits: { plan: 'gold', seats: 'many' } })).map((issue) => issue.path)).toEqual([
      ['traits', 'plan'],
      ['traits', 'seats'],
    ]);
  });

  it('accept any Standard Schema (here a hand-written one) and zod/mini', () => {
    const shoeSize: StandardSchemaV1<unknown, { shoeSize: number }> = {
      '~standard': {
        version: 1,
        vendor: 'hand-written',
        validate: (value) =>
          typeof value === 'object' && value !== null && typeof (value as { shoeSize?: unknown }).shoeSize === 'number'
            ? { value: { shoeSize: (value as { shoeSize: number }).shoeSize } }
            : { issues: [{ message: 'shoeSize must be a number', path: [{ key: 'shoeSize' }] }] },
      },
    };
    const model = createProfileModel({ traits: shoeSize, organizationTraits: zm.object({ vatRegistered: zm.boolean() }) });
    type Customer = PersonOf<typeof model>;
    expectTypeOf<Customer['traits']>().toEqualTypeOf<{ shoeSize: number } | undefined>();
    expect(model.parsePerson({ traits: { shoeSize: 42 } }).traits).toEqual({ shoeSize: 42 });
    expect(issuesOf(() => model.parsePerson({ traits: {} }))[0]).toMatchObject({ path: ['traits', 'shoeSize'], message: 'shoeSize must be a number' });
    expect(model.parseOrganization({ kind: 'organization', traits: { vatRegistered: true } }).traits).toEqual({ vatRegistered: true });
  });

  it('definePersonSchema gives a schema whose type carries the traits', () => {
    const Customer = definePersonSchema({ traits: z.object({ vip: z.boolean() }) });
    const customer = zm.parse(Customer, { traits: { vip: true } });
    expectTypeOf(customer.traits).toEqualTypeOf<{ vip: boolean } | undefined>();
    expect(customer.traits?.vip).toBe(true);
  });

  it('classify traits for consent, export and redaction', () => {
    const model = createProfileModel({ traitCategories: { religion: 'sensitive', lifetimeSpend: 'financial' } });
    expect(model.categoryOf('traits.religion')).toBe('sensitive');
    expect(model.categoryOf('traits.lifetimeSpend')).toBe('financial');
    expect(model.categoryOf('traits.plan')).toBe('behavioural');
    expect(createProfileModel({ defaultTraitCategory: 'sensitive' }).categoryOf('traits.anything')).toBe('sensitive');
  });
});

describe('prototype pollution', () => {
  const attacks = [
    '{"traits": {"__proto__": {"polluted": "yes"}}}',
    '{"traits": {"constructor": {"prototype": {"polluted": "yes"}}}}',
    '{"traits": {"nested": [{"deep": {"__proto__": {"polluted": "yes"}}}]}}',
    '{"traits": {"prototype": {"polluted": "yes"}}}',
  ];

  it.each(attacks)('rejects %s with forbidden_key and leaves Object.prototype alone', (json) => {
    const issues = issuesOf(() => defaultProfileModel.parsePerson(JSON.parse(json)));
    expect(issues.every((issue) => issue.code === 'forbidden_key' && issue.path[0] === 'traits')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('protects trait schemas that pass unknown keys through', () => {
    const loose = createProfileModel({ traits: z.looseObject({}) });
    expect(() => loose.parsePerson(JSON.parse('{"traits": {"__proto__": {"polluted": "yes"}}}'))).toThrow(/not allowed/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects polluting keys arriving through the identity graph too', async () => {
    const graph = createIdentityGraph();
    await expect(graph.ingest(JSON.parse('{"source":"web","observedAt":1,"profile":{"identities":{"anonymousIds":["a"]},"traits":{"__proto__":{"isAdmin":true}}}}'))).rejects.toThrow(
      /not allowed/,
    );
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(graph.size).toBe(0);
  });

  it('never lets an external-id system or relationship type be __proto__', () => {
    expect(issuesOf(() => defaultProfileModel.parsePerson(JSON.parse('{"identities": {"externalIds": {"__proto__": "1"}}}'))).length).toBeGreaterThan(0);
    expect(({} as Record<string, unknown>)[1]).toBeUndefined();
  });
});

describe('data categories', () => {
  it('classify every field of both schemas, including identities', () => {
    const fields = new Set([...Object.keys(Person.shape), ...Object.keys(Organization.shape)]);
    fields.delete('traits'); // classified per key by the model
    for (const field of fields) {
      if (field === 'identities') {
        for (const name of Object.keys(Identities.shape)) expect(defaultProfileModel.categoryOf(`identities.${name}`), `identities.${name}`).toBeDefined();
        continue;
      }
      expect(profileFieldCategories[field], field).toBeDefined();
      expect(dataCategories).toContain(profileFieldCategories[field]);
    }
  });

  it('answer for nested paths and unknown fields', () => {
    expect(defaultProfileModel.categoryOf('emails.0.address')).toBe('contact');
    expect(defaultProfileModel.categoryOf('identities.userId')).toBe('identifier');
    expect(defaultProfileModel.categoryOf('nationalId')).toBe('sensitive');
    expect(defaultProfileModel.categoryOf('incomeBand')).toBe('financial');
    expect(defaultProfileModel.categoryOf('noSuchField')).toBeUndefined();
  });
});

describe('tiers and relationship types', () => {
  it('check tiers against the ladder, from names or scoring-style steps', () => {
    const model = createProfileModel({ tiers: [{ tier: 'silver', min: 0 }, { tier: 'gold', min: 1000 }] as { tier: string; min: number }[] });
    expect(model.parsePerson({ tier: 'gold' }).tier).toBe('gold');
    expect(issuesOf(() => model.parsePerson({ tier: 'platinum' }))[0]).toMatchObject({ path: ['tier'], code: 'invalid_tier' });
    const ladder = defineProfileTierLadder(['member', 'silver', 'gold']);
    expect(ladder.compare('gold', 'member')).toBeGreaterThan(0);
    expect(ladder.rank('diamond')).toBe(-1);
    expect(() => defineProfileTierLadder([])).toThrow(/at least one tier/);
    expect(() => defineProfileTierLadder(['a', 'a'])).toThrow(/twice/);
  });

  it('defines each relationship type once and checks both ends', () => {
    expect(defaultRelationshipTypes.employee).toMatchObject({ from: ['person'], to: ['organization'], inverse: 'employer' });
    const registry: RelationshipTypeRegistry = defaultRelationshipTypes;
    for (const role of ['employee', 'buyer', 'payer', 'ship-to', 'dealer']) expect(registry[role]?.from).toContain('person');
    expect(defaultRelationshipTypes.subsidiary).toMatchObject({ from: ['organization'], to: ['organization'] });
    const issues = issuesOf(() => defaultProfileModel.parsePerson({ relationships: [{ type: 'subsidiary', to: { kind: 'organization', id: 'o' } }] }));
    expect(issues[0]).toMatchObject({ path: ['relationships', 0], code: 'invalid_relationship' });
    const model = createProfileModel({
      relationshipTypes: defineRelationshipTypes({ ...defaultRelationshipTypes, franchisee: { from: ['organization'], to: ['organization'], inverse: 'franchisor' } }),
    });
    expect(model.parseOrganization({ kind: 'organization', relationships: [{ type: 'franchisee', to: { kind: 'organization', id: 'hq' } }] }).relationships).toHaveLength(1);
  });

  it('rejects bad relationship type definitions', () => {
    expect(() => defineRelationshipTypes({ Bad_Name: { from: ['person'], to: ['person'] } })).toThrow(/kebab-case/);
    expect(() => defineRelationshipTypes({ a: { from: [], to: ['person'] } })).toThrow(/at least one party kind/);
    expect(() => defineRelationshipTypes({ a: { from: ['person'], to: ['person'], inverse: 'b' }, b: { from: ['person'], to: ['person'], inverse: 'c' } })).toThrow(/Inverse/);
  });
});
