import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createProfileRecord,
  mergeProfileRecords,
  profileRecordToParty,
  recordObservation,
  resolveMergeOptions,
  type ProfileRecord,
  type ResolvedMergeOptions,
} from 'guanxi/profile';
import { isValidationError } from 'guanxi';
import { canonicalJson } from '../../src/profile/provenance';

/** Everything a record holds, provenance included, in a canonical form. */
function snapshot(record: ProfileRecord): string {
  const entries = record.entries().map((entry) => canonicalJson(entry)).sort();
  return canonicalJson({ kind: record.kind, first: record.firstSeenAt, last: record.lastSeenAt, entries });
}

// Few sources, few times and few values, so ties and repeated items are common.
const source = fc.constantFrom('web', 'crm', 'pos', 'app');
const observedAt = fc.integer({ min: 0, max: 5 });
const name = fc.constantFrom('Ada', 'Grace', 'Li Lei', 'Han Meimei');
const email = fc.constantFrom('ada@example.com', 'grace@example.com', 'li@example.cn');
const party = fc.record(
  {
    givenName: name,
    familyName: name,
    lifecycleStage: fc.constantFrom('pool', 'lead', 'customer', 'loyal'),
    source: fc.constantFrom('fair', 'ads', 'referral'),
    tags: fc.array(fc.constantFrom('vip', 'b2b', 'newsletter'), { maxLength: 3 }),
    emails: fc.array(fc.record({ address: email, verified: fc.boolean(), primary: fc.boolean() }, { requiredKeys: ['address'] }), { maxLength: 3 }),
    identities: fc.record(
      {
        userId: fc.constantFrom('u-1', 'u-2'),
        anonymousIds: fc.array(fc.constantFrom('a-1', 'a-2', 'a-3'), { maxLength: 2 }),
        externalIds: fc.dictionary(fc.constantFrom('hubspot', 'salesforce'), fc.array(fc.constantFrom('1', '2'), { minLength: 1, maxLength: 2 })),
      },
      { requiredKeys: [] },
    ),
    traits: fc.dictionary(fc.constantFrom('plan', 'seats', 'interests'), fc.oneof(fc.constantFrom('free', 'pro'), fc.integer({ min: 0, max: 3 }), fc.array(fc.constantFrom('tea', 'jazz'), { maxLength: 2 }))),
  },
  { requiredKeys: [] },
);
const observation = fc.record({ party, stamp: fc.record({ source, observedAt }) });

const policies: Record<string, ResolvedMergeOptions> = {
  default: resolveMergeOptions(),
  custom: resolveMergeOptions({
    policies: {
      givenName: { sourcePriority: ['crm', 'pos'] },
      familyName: 'earliest',
      tags: 'latest',
      'traits.interests': 'union',
      lifecycleStage: { compare: (a, b) => canonicalJson([a.value, a.observedAt, a.source]).localeCompare(canonicalJson([b.value, b.observedAt, b.source])) },
    },
  }),
};

function recordOf(observations: readonly { party: object; stamp: { source: string; observedAt: number } }[], merge: ResolvedMergeOptions): ProfileRecord {
  const record = createProfileRecord('person');
  for (const { party: fields, stamp } of observations) recordObservation(record, fields, stamp, merge);
  return record;
}

describe.each(Object.entries(policies))('merge laws (%s policies)', (_name, merge) => {
  const recordArbitrary = fc.array(observation, { maxLength: 4 }).map((observations) => recordOf(observations, merge));

  it('is commutative', () => {
    fc.assert(
      fc.property(recordArbitrary, recordArbitrary, (a, b) => {
        expect(snapshot(mergeProfileRecords(a, b, merge))).toBe(snapshot(mergeProfileRecords(b, a, merge)));
      }),
      { numRuns: 300 },
    );
  });

  it('is associative', () => {
    fc.assert(
      fc.property(recordArbitrary, recordArbitrary, recordArbitrary, (a, b, c) => {
        const left = mergeProfileRecords(mergeProfileRecords(a, b, merge), c, merge);
        const right = mergeProfileRecords(a, mergeProfileRecords(b, c, merge), merge);
        expect(snapshot(left)).toBe(snapshot(right));
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(recordArbitrary, (a) => {
        expect(snapshot(mergeProfileRecords(a, a, merge))).toBe(snapshot(a));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same profile for the same observations in any order', () => {
    fc.assert(
      fc.property(
        fc.array(observation, { minLength: 1, maxLength: 8 }).chain((observations) => fc.tuple(fc.constant(observations), fc.shuffledSubarray(observations, { minLength: observations.length }))),
        ([observations, shuffled]) => {
          expect(snapshot(recordOf(shuffled, merge))).toBe(snapshot(recordOf(observations, merge)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('does not leave inputs changed', () => {
    fc.assert(
      fc.property(recordArbitrary, recordArbitrary, (a, b) => {
        const before = [snapshot(a), snapshot(b)];
        mergeProfileRecords(a, b, merge);
        expect([snapshot(a), snapshot(b)]).toEqual(before);
      }),
      { numRuns: 100 },
    );
  });
});

describe('merge policies', () => {
  it('keeps the latest scalar and the provenance of the winning value', () => {
    const record = createProfileRecord('person');
    recordObservation(record, { familyName: 'Byron' }, { source: 'web', observedAt: 10 });
    recordObservation(record, { familyName: 'Lovelace' }, { source: 'crm', observedAt: 20 });
    recordObservation(record, { familyName: 'King' }, { source: 'pos', observedAt: 15 });
    expect(record.field('familyName')).toEqual({ value: 'Lovelace', source: 'crm', observedAt: 20 });
  });

  it('breaks ties of time by source, then by value, whatever the order', () => {
    const a = { familyName: 'A' };
    const b = { familyName: 'B' };
    const one = createProfileRecord('person');
    recordObservation(one, a, { source: 'web', observedAt: 1 });
    recordObservation(one, b, { source: 'crm', observedAt: 1 });
    const two = createProfileRecord('person');
    recordObservation(two, b, { source: 'crm', observedAt: 1 });
    recordObservation(two, a, { source: 'web', observedAt: 1 });
    expect(one.field('familyName')?.value).toBe('A'); // 'web' > 'crm'
    expect(two.field('familyName')?.value).toBe('A');
  });

  it('keeps the first touch for source and unions contact points, tags and ids', () => {
    const record = createProfileRecord('person');
    recordObservation(record, { source: 'fair', tags: ['vip'], emails: [{ address: 'a@x.com' }] }, { source: 'crm', observedAt: 5 });
    recordObservation(record, { source: 'ads', tags: ['vip', 'b2b'], emails: [{ address: 'b@x.com' }, { address: 'a@x.com', verified: true }] }, { source: 'web', observedAt: 9 });
    const party = profileRecordToParty(record);
    expect(party.source).toBe('fair');
    expect(party.tags).toEqual(['b2b', 'vip']);
    expect(party.emails).toEqual([{ address: 'a@x.com', verified: true }, { address: 'b@x.com' }]);
  });

  it('prefers listed sources with sourcePriority, then the latest', () => {
    const merge = resolveMergeOptions({ policies: { fullName: { sourcePriority: ['crm'] } } });
    const record = createProfileRecord('person');
    recordObservation(record, { fullName: 'Ada King' }, { source: 'crm', observedAt: 1 }, merge);
    recordObservation(record, { fullName: 'ada k.' }, { source: 'web', observedAt: 2 }, merge);
    expect(record.field('fullName')?.value).toBe('Ada King');
    recordObservation(record, { fullName: 'Ada Lovelace' }, { source: 'crm', observedAt: 3 }, merge);
    expect(record.field('fullName')?.value).toBe('Ada Lovelace');
  });

  it('replaces a whole list under a non-union policy, so removals stick', () => {
    const merge = resolveMergeOptions({ policies: { tags: 'latest' } });
    const record = createProfileRecord('person');
    recordObservation(record, { tags: ['vip', 'b2b'] }, { source: 'crm', observedAt: 1 }, merge);
    recordObservation(record, { tags: ['b2b'] }, { source: 'crm', observedAt: 2 }, merge);
    expect(profileRecordToParty(record).tags).toEqual(['b2b']);
  });

  it('rejects unknown policies with a ValidationError naming the field', () => {
    try {
      resolveMergeOptions({ policies: { tier: 'newest' as 'latest' } });
      expect.unreachable();
    } catch (error) {
      expect(isValidationError(error)).toBe(true);
      if (isValidationError(error)) expect(error.issues[0]?.path).toEqual(['policies', 'tier']);
    }
  });

  it('refuses to merge a person with an organization', () => {
    expect(() => mergeProfileRecords(createProfileRecord('person'), createProfileRecord('organization'))).toThrow(/Cannot merge/);
  });
});

describe('history', () => {
  it('yields one change record per changed field or list item, with before, after, source and time', () => {
    const record = createProfileRecord('person');
    const first = recordObservation(record, { familyName: 'Byron', emails: [{ address: 'a@x.com' }] }, { source: 'web', observedAt: 1 }, undefined, 'p-1');
    expect(first).toEqual([
      { profileId: 'p-1', field: 'familyName', before: undefined, after: 'Byron', source: 'web', observedAt: 1 },
      { profileId: 'p-1', field: 'emails', key: 'a@x.com', before: undefined, after: { address: 'a@x.com' }, source: 'web', observedAt: 1 },
    ]);
    const second = recordObservation(record, { familyName: 'Lovelace', emails: [{ address: 'a@x.com' }] }, { source: 'crm', observedAt: 2 }, undefined, 'p-1');
    expect(second).toEqual([{ profileId: 'p-1', field: 'familyName', before: 'Byron', after: 'Lovelace', source: 'crm', observedAt: 2 }]);
    const stale = recordObservation(record, { familyName: 'King' }, { source: 'pos', observedAt: 0 }, undefined, 'p-1');
    expect(stale).toEqual([]);
  });

  it('replaying the change records rebuilds the profile (property)', () => {
    fc.assert(
      fc.property(fc.array(observation, { maxLength: 8 }), (observations) => {
        const record = createProfileRecord('person');
        const replayed = new Map<string, unknown>();
        for (const { party: fields, stamp } of observations) {
          for (const change of recordObservation(record, fields, stamp)) {
            replayed.set(change.key === undefined ? change.field : `${change.field}#${change.key}`, change.after);
          }
        }
        const expected = new Map<string, unknown>();
        for (const entry of record.entries()) expected.set(entry.key === undefined ? entry.path : `${entry.path}#${entry.key}`, entry.value);
        const byKey = (a: [string, unknown], b: [string, unknown]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
        expect(canonicalJson([...replayed].sort(byKey))).toBe(canonicalJson([...expected].sort(byKey)));
      }),
    );
  });
});
