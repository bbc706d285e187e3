import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createIdentityGraph,
  createProfileModel,
  isIdentityConflictError,
  type IngestOutcome,
} from 'guanxi/profile';
import { isValidationError } from 'guanxi';
import { canonicalJson } from '../../src/profile/provenance';

function applied(outcome: IngestOutcome) {
  if (outcome.status !== 'applied') throw new Error(`expected applied, got ${outcome.reason}`);
  return outcome;
}

let counter = 0;
const sequentialIds = () => `p-${++counter}`;

describe('identity graph: anonymous to known', () => {
  it('identify links an anonymous visitor to the user id', async () => {
    const graph = createIdentityGraph({ newProfileId: sequentialIds });
    const visit = applied(await graph.ingest({ source: 'web', observedAt: 1, profile: { identities: { anonymousIds: ['anon-1'] }, language: 'zh' } }));
    expect(visit.created).toBe(true);
    const login = applied(await graph.identify({ anonymousId: 'anon-1', userId: 'u-1', traits: { plan: 'pro' }, source: 'app', observedAt: 2 }));
    expect(login.profileId).toBe(visit.profileId);
    expect(login.created).toBe(false);
    const profile = graph.person(visit.profileId);
    expect(profile?.identities?.userId).toBe('u-1');
    expect(profile?.traits).toEqual({ plan: 'pro' });
    expect(profile?.language).toBe('zh');
    expect(graph.size).toBe(1);
  });

  it('links by normalized email across sources, and by E.164 phone with the model region', async () => {
    const graph = createIdentityGraph({ model: createProfileModel({ defaultRegion: 'CN' }) });
    const crm = applied(await graph.ingest({ source: 'crm', observedAt: 1, profile: { fullName: '李雷', emails: [{ address: 'Li.Lei@Example.CN ' }] } }));
    const shop = applied(await graph.ingest({ source: 'pos', observedAt: 2, profile: { emails: [{ address: 'li.lei@example.cn' }], phones: [{ number: '138 0013 8000' }] } }));
    expect(shop.profileId).toBe(crm.profileId);
    const call = applied(await graph.ingest({ source: 'call-centre', observedAt: 3, profile: { phones: [{ number: '+86 138-0013-8000' }] } }));
    expect(call.profileId).toBe(crm.profileId);
    expect(graph.findProfileId('phone', '13800138000')).toBe(crm.profileId);
    expect(graph.findProfileId('email', 'LI.LEI@example.cn')).toBe(crm.profileId);
  });

  it('merges two known profiles when an observation links them, keeping the older id and customer number', async () => {
    const graph = createIdentityGraph({ newProfileId: sequentialIds });
    const web = applied(await graph.ingest({ source: 'web', observedAt: 10, profile: { identities: { anonymousIds: ['anon-9'] } } }));
    const crm = applied(await graph.ingest({ source: 'crm', observedAt: 5, profile: { fullName: 'Ada', emails: [{ address: 'ada@example.com' }] } }));
    expect(graph.size).toBe(2);
    const link = applied(await graph.ingest({ source: 'web', observedAt: 20, profile: { identities: { anonymousIds: ['anon-9'] }, emails: [{ address: 'ada@example.com' }] } }));
    expect(link.profileId).toBe(crm.profileId); // seen first (t=5)
    expect(link.mergedProfileIds).toEqual([web.profileId]);
    expect(link.customerNumber).toBe(crm.customerNumber);
    expect(link.changes.some((change) => change.field === 'mergedProfileIds' && change.after === web.profileId)).toBe(true);
    expect(graph.size).toBe(1);
    expect(graph.canonicalId(web.profileId)).toBe(crm.profileId);
    expect(graph.person(web.profileId)?.mergedProfileIds).toEqual([web.profileId]);
    expect(graph.findByCustomerNumber(web.customerNumber)).toBe(crm.profileId);
  });

  it('issues a customer number on first contact, in sequence', async () => {
    const graph = createIdentityGraph({ issueCustomerNumber: (n) => `VIP-${n}` });
    const a = applied(await graph.ingest({ source: 'web', observedAt: 1, profile: { identities: { anonymousIds: ['x'] } } }));
    const b = applied(await graph.ingest({ source: 'web', observedAt: 2, profile: { identities: { anonymousIds: ['y'] } } }));
    const again = applied(await graph.ingest({ source: 'web', observedAt: 3, profile: { identities: { anonymousIds: ['x'] } } }));
    expect([a.customerNumber, b.customerNumber, again.customerNumber]).toEqual(['VIP-1', 'VIP-2', 'VIP-1']);
    expect(graph.person(a.profileId)?.customerNumber).toBe('VIP-1');
  });

  it('never links persons and organizations sharing an email', async () => {
    const graph = createIdentityGraph();
    const person = applied(await graph.ingest({ source: 'crm', observedAt: 1, profile: { emails: [{ address: 'sales@acme.cn' }] } }));
    const company = applied(await graph.ingest({ source: 'crm', observedAt: 1, profile: { kind: 'organization', legalName: 'Acme', emails: [{ address: 'sales@acme.cn' }] } }));
    expect(company.profileId).not.toBe(person.profileId);
    expect(graph.findProfileId('email', 'sales@acme.cn', { partyKind: 'organization' })).toBe(company.profileId);
  });

  it('links organizations by registration id and external id', async () => {
    const graph = createIdentityGraph();
    const a = applied(await graph.ingest({ source: 'crm', observedAt: 1, profile: { kind: 'organization', legalName: 'Acme Trading', registrationId: '91310000MA1FL0001X' } }));
    const b = applied(await graph.ingest({ source: 'erp', observedAt: 2, profile: { kind: 'organization', registrationId: '91310000MA1FL0001X', identities: { externalIds: { sap: '4711' } } } }));
    const c = applied(await graph.ingest({ source: 'sap', observedAt: 3, profile: { kind: 'organization', industry: 'retail', identities: { externalIds: { sap: ['4711'] } } } }));
    expect(new Set([a.profileId, b.profileId, c.profileId]).size).toBe(1);
    expect(graph.findProfileId('externalId', '4711', { system: 'sap', partyKind: 'organization' })).toBe(a.profileId);
  });

  it('uses only strong identifiers to link; weak ones are kept and can be looked up', async () => {
    const graph = createIdentityGraph({ strongIdentifiers: ['userId', 'email', 'anonymousId'] });
    const mother = applied(await graph.ingest({ source: 'crm', observedAt: 1, profile: { identities: { userId: 'mum' }, phones: [{ number: '+8613800138000' }] } }));
    const son = applied(await graph.ingest({ source: 'crm', observedAt: 2, profile: { identities: { userId: 'son' }, phones: [{ number: '+8613800138000' }] } }));
    const caller = applied(await graph.ingest({ source: 'call', observedAt: 3, profile: { phones: [{ number: '+8613800138000' }] } }));
    expect(new Set([mother.profileId, son.profileId, caller.profileId]).size).toBe(3);
    expect(son.conflicts).toEqual([]);
    expect(graph.findProfileId('phone', '+8613800138000')).toBe(mother.profileId);
  });
});

describe('identity graph: lookups by profile id and customer number', () => {
  // The id and customer-number indexes are built on first lookup, then kept up to date:
  // the answers must be the same whether a lookup happens before, between or after
  // creations, merges and erasures.
  async function scenario(lookupEarly: boolean) {
    const graph = createIdentityGraph({ newProfileId: sequentialIds });
    const a = applied(await graph.ingest({ source: 'web', observedAt: 1, profile: { identities: { anonymousIds: ['la-1'] } } }));
    const b = applied(await graph.ingest({ source: 'crm', observedAt: 2, profile: { emails: [{ address: 'lb@example.com' }] } }));
    if (lookupEarly) {
      expect(graph.canonicalId(a.profileId)).toBe(a.profileId);
      expect(graph.findByCustomerNumber(b.customerNumber)).toBe(b.profileId);
    }
    const link = applied(await graph.ingest({ source: 'web', observedAt: 3, profile: { identities: { anonymousIds: ['la-1'] }, emails: [{ address: 'lb@example.com' }] } }));
    const c = applied(await graph.ingest({ source: 'pos', observedAt: 4, profile: { identities: { userId: 'lc' } } }));
    const d = applied(await graph.ingest({ source: 'pos', observedAt: 5, profile: { identities: { userId: 'ld' } } }));
    if (lookupEarly) expect(graph.canonicalId(c.profileId)).toBe(c.profileId);
    await graph.erase(d.profileId);
    const e = applied(await graph.ingest({ source: 'pos', observedAt: 6, profile: { identities: { userId: 'le' } } }));
    return { graph, a, b, c, d, e, survivor: link.profileId };
  }

  it('registers an identifier an observation carries twice once, and links on it later', async () => {
    const graph = createIdentityGraph({ newProfileId: sequentialIds });
    const first = applied(await graph.ingest({
      source: 'web',
      observedAt: 1,
      profile: { identities: { anonymousIds: ['dup-1', 'dup-1'], userId: 'dup-u' }, emails: [{ address: 'Dup@Example.com' }, { address: 'dup@example.com ' }] },
    }));
    expect(graph.findProfileId('anonymousId', 'dup-1')).toBe(first.profileId);
    expect(graph.findProfileId('email', 'dup@example.com')).toBe(first.profileId);
    const again = applied(await graph.ingest({ source: 'app', observedAt: 2, profile: { identities: { anonymousIds: ['dup-1'] }, emails: [{ address: 'dup@example.com' }] } }));
    expect(again.profileId).toBe(first.profileId);
    expect(again.created).toBe(false);
    const other = applied(await graph.ingest({ source: 'app', observedAt: 3, profile: { identities: { userId: 'dup-v' }, emails: [{ address: 'dup@example.com' }] } }));
    expect(other.conflicts.map((conflict) => conflict.exclusiveKind)).toEqual(['userId']);
    expect(graph.size).toBe(2);
    expect(graph.person(first.profileId)?.identities?.anonymousIds).toEqual(['dup-1']);
  });

  it('answers the same whether the first lookup comes before or after creations, merges and erasures', async () => {
    for (const lookupEarly of [false, true]) {
      const { graph, a, b, c, d, e, survivor } = await scenario(lookupEarly);
      expect(survivor).toBe(a.profileId);
      expect(graph.canonicalId(a.profileId)).toBe(survivor);
      expect(graph.canonicalId(b.profileId)).toBe(survivor);
      expect(graph.findByCustomerNumber(a.customerNumber)).toBe(survivor);
      expect(graph.findByCustomerNumber(b.customerNumber)).toBe(survivor);
      expect(graph.canonicalId(c.profileId)).toBe(c.profileId);
      expect(graph.findByCustomerNumber(c.customerNumber)).toBe(c.profileId);
      expect(graph.canonicalId(d.profileId)).toBeUndefined();
      expect(graph.findByCustomerNumber(d.customerNumber)).toBeUndefined();
      expect(graph.canonicalId(e.profileId)).toBe(e.profileId);
      expect(graph.findByCustomerNumber(e.customerNumber)).toBe(e.profileId);
      expect(graph.person(b.profileId)?.id).toBe(survivor);
      const targeted = applied(await graph.ingest({ source: 'crm', observedAt: 7, profileId: b.profileId, profile: { givenName: 'Ada' } }));
      expect(targeted.profileId).toBe(survivor);
      expect(await graph.ingest({ source: 'crm', observedAt: 8, profileId: d.profileId, profile: { givenName: 'Gone' } })).toEqual({ status: 'refused', reason: 'erased' });
    }
  });
});

describe('identity graph: conflicts', () => {
  it('never merges profiles with different user ids and reports a typed conflict', async () => {
    const graph = createIdentityGraph({ newProfileId: sequentialIds });
    const alice = applied(await graph.identify({ anonymousId: 'shared-tablet', userId: 'alice', source: 'app', observedAt: 1 }));
    const bob = applied(await graph.identify({ anonymousId: 'shared-tablet', userId: 'bob', source: 'app', observedAt: 2 }));
    expect(bob.profileId).not.toBe(alice.profileId);
    expect(bob.conflicts).toHaveLength(1);
    const conflict = bob.conflicts[0];
    expect(conflict).toMatchObject({ exclusiveKind: 'userId', sharedKinds: ['anonymousId'], source: 'app', observedAt: 2 });
    expect([...(conflict?.profileIds ?? [])].sort()).toEqual([alice.profileId, bob.profileId].sort());
    expect(graph.conflicts()).toEqual([conflict]);
    expect(graph.person(alice.profileId)?.identities?.userId).toBe('alice');
    expect(graph.person(bob.profileId)?.identities?.userId).toBe('bob');
    // The shared id keeps pointing at its first owner.
    expect(graph.findProfileId('anonymousId', 'shared-tablet')).toBe(alice.profileId);
  });

  it('a conflict on an email does not merge either', async () => {
    const graph = createIdentityGraph();
    await graph.ingest({ source: 'crm', observedAt: 1, profile: { identities: { userId: 'u-1' }, emails: [{ address: 'family@example.com' }] } });
    const other = applied(await graph.ingest({ source: 'crm', observedAt: 2, profile: { identities: { userId: 'u-2' }, emails: [{ address: 'family@example.com' }] } }));
    expect(other.created).toBe(true);
    expect(other.conflicts[0]?.sharedKinds).toEqual(['email']);
    expect(graph.size).toBe(2);
  });

  it('keep-separate silences the pair; merge joins them', async () => {
    const graph = createIdentityGraph();
    await graph.identify({ anonymousId: 'd', userId: 'alice', source: 'app', observedAt: 1 });
    const bob = applied(await graph.identify({ anonymousId: 'd', userId: 'bob', source: 'app', observedAt: 2 }));
    const conflictId = bob.conflicts[0]?.id ?? '';
    expect(graph.resolveConflict(conflictId, 'keep-separate')).toBeUndefined();
    expect(graph.conflicts()).toEqual([]);
    const again = applied(await graph.identify({ anonymousId: 'd', userId: 'bob', source: 'app', observedAt: 3 }));
    expect(again.conflicts).toEqual([]);
    expect(() => graph.resolveConflict(conflictId, 'merge')).toThrow(/No pending identity conflict/);

    const second = createIdentityGraph();
    const a = applied(await second.identify({ anonymousId: 'd', userId: 'alice', source: 'app', observedAt: 1 }));
    const b = applied(await second.identify({ anonymousId: 'd', userId: 'alice.work', source: 'app', observedAt: 2 }));
    const merged = second.resolveConflict(b.conflicts[0]?.id ?? '', 'merge');
    expect(merged?.profileId).toBe(a.profileId);
    expect(second.size).toBe(1);
    expect(second.findProfileId('userId', 'alice.work')).toBe(a.profileId);
    // Both user ids now belong to one profile; either one resolves to it without a conflict.
    const later = applied(await second.identify({ userId: 'alice.work', source: 'app', observedAt: 3 }));
    expect(later.profileId).toBe(a.profileId);
    expect(later.conflicts).toEqual([]);
  });

  it('mergeProfiles throws IdentityConflictError unless forced', async () => {
    const graph = createIdentityGraph();
    const a = applied(await graph.identify({ userId: 'a', source: 'crm', observedAt: 1 }));
    const b = applied(await graph.identify({ userId: 'b', source: 'crm', observedAt: 2 }));
    try {
      graph.mergeProfiles(a.profileId, b.profileId);
      expect.unreachable();
    } catch (error) {
      expect(isIdentityConflictError(error)).toBe(true);
      if (isIdentityConflictError(error)) {
        expect(error.conflict.exclusiveKind).toBe('userId');
        expect(error.toJSON()).toMatchObject({ name: 'IdentityConflictError', code: 'identity_conflict' });
      }
    }
    const forced = graph.mergeProfiles(a.profileId, b.profileId, { force: true, source: 'staff' });
    expect(forced.profileId).toBe(a.profileId);
    expect(forced.mergedProfileIds).toEqual([b.profileId]);
  });
});

describe('identity graph: aliases', () => {
  it('follows a chain of aliases anonymous → anonymous → user', async () => {
    const graph = createIdentityGraph();
    const phone = applied(await graph.ingest({ source: 'app', observedAt: 1, profile: { identities: { anonymousIds: ['phone'] } } }));
    const laptop = applied(await graph.ingest({ source: 'web', observedAt: 2, profile: { identities: { anonymousIds: ['laptop'] } } }));
    await graph.alias({ previousId: 'phone', anonymousId: 'tablet', source: 'app', observedAt: 3 });
    await graph.alias({ previousId: 'tablet', anonymousId: 'laptop', source: 'app', observedAt: 4 });
    await graph.alias({ previousId: 'laptop', userId: 'u-7', source: 'web', observedAt: 5 });
    expect(graph.size).toBe(1);
    for (const id of ['phone', 'tablet', 'laptop']) expect(graph.findProfileId('anonymousId', id)).toBe(phone.profileId);
    expect(graph.findProfileId('userId', 'u-7')).toBe(phone.profileId);
    expect(graph.canonicalId(laptop.profileId)).toBe(phone.profileId);
  });

  it('links a chain given in any order (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 7 }).chain((length) => fc.tuple(fc.constant(length), fc.shuffledSubarray([...Array(length - 1).keys()], { minLength: length - 1 }))), async ([length, order]) => {
        const graph = createIdentityGraph();
        for (const i of order) await graph.alias({ previousId: `anon-${i}`, anonymousId: `anon-${i + 1}`, source: 'web', observedAt: i });
        await graph.alias({ previousId: `anon-${length - 1}`, userId: 'user', source: 'web', observedAt: 99 });
        expect(graph.size).toBe(1);
        const owner = graph.findProfileId('userId', 'user');
        for (let i = 0; i < length; i++) expect(graph.findProfileId('anonymousId', `anon-${i}`)).toBe(owner);
      }),
      { numRuns: 60 },
    );
  });

  it('an alias between two user ids is a conflict, not a silent merge', async () => {
    const graph = createIdentityGraph();
    await graph.identify({ userId: 'old-login', source: 'app', observedAt: 1 });
    await graph.identify({ userId: 'new-login', source: 'app', observedAt: 2 });
    const outcome = applied(await graph.alias({ previousId: 'old-login', userId: 'new-login', source: 'app', observedAt: 3 }));
    expect(outcome.conflicts).toHaveLength(1);
    expect(graph.size).toBe(2);
    graph.resolveConflict(outcome.conflicts[0]?.id ?? '', 'merge');
    expect(graph.size).toBe(1);
  });
});

describe('identity graph: order does not matter', () => {
  const identifier = fc.oneof(
    fc.record({ anonymousIds: fc.array(fc.constantFrom('a1', 'a2', 'a3', 'a4'), { minLength: 1, maxLength: 2 }) }),
    fc.record({ externalIds: fc.record({ hubspot: fc.constantFrom('h1', 'h2') }) }),
  );
  const observation = fc.record({
    source: fc.constantFrom('web', 'crm'),
    observedAt: fc.integer({ min: 0, max: 4 }),
    profile: fc.record({
      identities: identifier,
      emails: fc.array(fc.record({ address: fc.constantFrom('x@example.com', 'y@example.com') }), { maxLength: 1 }),
      givenName: fc.constantFrom('Ada', 'Grace'),
      tags: fc.array(fc.constantFrom('vip', 'b2b'), { maxLength: 2 }),
    }, { requiredKeys: ['identities'] }),
  });

  async function partitionAndFields(observations: readonly unknown[]) {
    const graph = createIdentityGraph();
    for (const item of observations) await graph.ingest(item);
    const profiles = [...graph.profileIds()].map((id) => {
      const { id: _id, customerNumber: _n, mergedProfileIds: _m, ...fields } = graph.profile(id) ?? {};
      return canonicalJson(fields);
    });
    return profiles.sort();
  }

  it('gives the same profiles for the same observations in any order (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(observation, { minLength: 1, maxLength: 8 }).chain((items) => fc.tuple(fc.constant(items), fc.shuffledSubarray(items, { minLength: items.length }))),
        async ([items, shuffled]) => {
          expect(await partitionAndFields(shuffled)).toEqual(await partitionAndFields(items));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('identity graph: targeting and errors', () => {
  it('applies an observation to an explicit profile id, and refuses unknown ids and the wrong party kind', async () => {
    const graph = createIdentityGraph();
    const created = applied(await graph.ingest({ source: 'crm', observedAt: 1, profile: { fullName: 'No identifiers yet' } }));
    const edit = applied(await graph.ingest({ source: 'crm', observedAt: 2, profileId: created.profileId, profile: { lifecycleStage: 'customer' } }));
    expect(edit.profileId).toBe(created.profileId);
    expect(graph.person(created.profileId)?.lifecycleStage).toBe('customer');
    expect(await graph.ingest({ source: 'crm', observedAt: 3, profileId: 'nope', profile: {} })).toEqual({ status: 'refused', reason: 'unknown_profile' });
    expect(await graph.ingest({ source: 'crm', observedAt: 3, profileId: created.profileId, profile: { kind: 'organization' } })).toEqual({ status: 'refused', reason: 'kind_mismatch' });
  });

  it('rejects malformed observations with a ValidationError listing every issue', async () => {
    const graph = createIdentityGraph();
    await expect(graph.ingest({ source: '', observedAt: 'yesterday', profile: { emails: [{ address: 'x' }] } })).rejects.toSatisfy((error: unknown) => {
      if (!isValidationError(error)) return false;
      const paths = error.issues.map((issue) => issue.path.join('.'));
      return paths.includes('source') && paths.includes('observedAt') && paths.includes('profile.emails.0.address');
    });
    expect(graph.size).toBe(0);
  });

  it('rejects unknown identifier kinds in options', () => {
    expect(() => createIdentityGraph({ strongIdentifiers: ['email', 'passport' as 'email'] })).toThrow(/Unknown identifier kind/);
  });

  it('keeps history per profile when asked, across merges', async () => {
    const graph = createIdentityGraph({ keepHistory: true });
    const a = applied(await graph.ingest({ source: 'web', observedAt: 1, profile: { identities: { anonymousIds: ['a'] }, givenName: 'Ada' } }));
    await graph.ingest({ source: 'crm', observedAt: 2, profile: { emails: [{ address: 'a@x.com' }], givenName: 'Ada L.' } });
    await graph.ingest({ source: 'web', observedAt: 3, profile: { identities: { anonymousIds: ['a'] }, emails: [{ address: 'a@x.com' }] } });
    const history = graph.history(a.profileId);
    expect(history.filter((change) => change.field === 'givenName').map((change) => change.after)).toEqual(['Ada', 'Ada L.', 'Ada L.']);
    expect(history.some((change) => change.field === 'mergedProfileIds')).toBe(true);
    expect(createIdentityGraph().history('nobody')).toEqual([]);
  });
});
