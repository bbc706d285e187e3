import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createProfileRecord,
  filterProfileRecord,
  mergeProfileRecords,
  profileRecordFromJson,
  profileRecordToJson,
  profileRecordToParty,
  recordObservation,
} from 'guanxi/profile';
import { isValidationError } from 'guanxi';

const observation = fc.record({
  party: fc.record(
    {
      givenName: fc.constantFrom('Ada', 'Grace'),
      tags: fc.array(fc.constantFrom('vip', 'b2b'), { maxLength: 2 }),
      emails: fc.array(fc.record({ address: fc.constantFrom('a@x.com', 'b@x.com'), verified: fc.boolean() }), { maxLength: 2 }),
      traits: fc.dictionary(fc.constantFrom('plan', 'seats'), fc.oneof(fc.constantFrom('free', 'pro'), fc.integer({ min: 0, max: 9 }))),
    },
    { requiredKeys: [] },
  ),
  stamp: fc.record({ source: fc.constantFrom('web', 'crm'), observedAt: fc.integer({ min: 0, max: 9 }) }),
});

describe('stored profile records', () => {
  it('round-trip through JSON text with provenance intact (property)', () => {
    fc.assert(
      fc.property(fc.array(observation, { maxLength: 6 }), fc.array(observation, { maxLength: 3 }), (first, later) => {
        const record = createProfileRecord('person');
        for (const { party, stamp } of first) recordObservation(record, party, stamp);
        const restored = profileRecordFromJson(JSON.parse(JSON.stringify(profileRecordToJson(record))));
        expect(profileRecordToJson(restored)).toEqual(profileRecordToJson(record));
        // The restored record keeps merging like the original.
        const next = createProfileRecord('person');
        for (const { party, stamp } of later) recordObservation(next, party, stamp);
        expect(profileRecordToParty(mergeProfileRecords(restored, next))).toEqual(profileRecordToParty(mergeProfileRecords(record, next)));
      }),
      { numRuns: 200 },
    );
  });

  it('rejects malformed or polluting stored records with a ValidationError', () => {
    for (const bad of [
      null,
      { format: 1, kind: 'person', fields: {}, lists: {} },
      { format: 'guanxi.profile-record/1', kind: 'robot', firstSeenAt: null, lastSeenAt: null, entries: [] },
      { format: 'guanxi.profile-record/1', kind: 'person', firstSeenAt: null, lastSeenAt: null, entries: [{ path: 'traits.__proto__', value: 1, source: 'x', observedAt: 0 }] },
    ]) {
      expect(() => profileRecordFromJson(bad)).toThrow();
      try {
        profileRecordFromJson(bad);
      } catch (error) {
        expect(isValidationError(error)).toBe(true);
      }
    }
  });

  it('filterProfileRecord keeps the chosen values and the first and last seen times', () => {
    const record = createProfileRecord('person');
    recordObservation(record, { givenName: 'Ada', tags: ['vip', 'b2b'] }, { source: 'crm', observedAt: 5 });
    recordObservation(record, { familyName: 'Lovelace' }, { source: 'web', observedAt: 9 });
    const kept = filterProfileRecord(record, (entry) => entry.path !== 'tags');
    expect(profileRecordToParty(kept)).toEqual({ kind: 'person', givenName: 'Ada', familyName: 'Lovelace', firstSeenAt: new Date(5).toISOString(), lastSeenAt: new Date(9).toISOString() });
    expect(kept.field('givenName')).toEqual({ value: 'Ada', source: 'crm', observedAt: 5 });
    expect(kept.items('tags')).toBeUndefined();
    expect(record.items('tags')?.size).toBe(2);
  });
});
