/**
 * The translation of portable filter trees to HubSpot filterGroups (disjunctive normal
 * form): a property test that a record matches the tree exactly when it matches one of
 * the groups, and that trees beyond HubSpot's limits are refused, never truncated.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUnsupportedOperationError, type CrmFieldCondition, type CrmFilter } from 'guanxi/client';
import { toHubSpotFilterGroups } from '../../src/client/adapters/hubspot/filter';
import { compare, matchFilter, type HubSpotObject } from './hubspot-contract-server';

const fields = ['lastname', 'amount_x', 'tier'] as const;
const values = ['a', 'b', 'c', '1', '2'] as const;

const condition: fc.Arbitrary<CrmFieldCondition> = fc.oneof(
  fc.record({ field: fc.constantFrom(...fields), op: fc.constantFrom('eq' as const, 'neq' as const, 'lt' as const, 'gte' as const), value: fc.constantFrom(...values) }),
  fc.record({ field: fc.constantFrom(...fields), op: fc.constant('in' as const), values: fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 3 }) }),
  fc.record({ field: fc.constantFrom(...fields), op: fc.constant('exists' as const), value: fc.boolean() }),
);

const tree: fc.Arbitrary<CrmFilter> = fc.letrec<{ node: CrmFilter }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    condition,
    fc.record({ and: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ or: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
  ),
})).node;

const record: fc.Arbitrary<HubSpotObject> = fc
  .record({ lastname: fc.option(fc.constantFrom(...values), { nil: null }), amount_x: fc.option(fc.constantFrom(...values), { nil: null }), tier: fc.option(fc.constantFrom(...values), { nil: null }) })
  .map((properties) => ({ id: '1', properties, createdAt: '', updatedAt: '', archived: false }));

/** The portable semantics, evaluated directly on the tree (HubSpot's comparisons). */
function evaluate(filter: CrmFilter, object: HubSpotObject): boolean {
  if ('and' in filter) return filter.and.every((child) => evaluate(child, object));
  if ('or' in filter) return filter.or.some((child) => evaluate(child, object));
  const value = object.properties[filter.field] ?? null;
  const has = value !== null && value !== '';
  switch (filter.op) {
    case 'exists':
      return has === (filter.value !== false);
    case 'in':
      return has && filter.values.map(String).includes(value);
    case 'eq':
      return has && value === String(filter.value);
    case 'neq':
      return !has || value !== String(filter.value);
    case 'lt':
      return has && compare(value, String(filter.value)) < 0;
    case 'gte':
      return has && compare(value, String(filter.value)) >= 0;
    default:
      return false;
  }
}

describe('portable filter → HubSpot filterGroups', () => {
  it('means the same: a record matches the tree iff it matches some group (property)', () => {
    fc.assert(
      fc.property(tree, fc.array(record, { minLength: 1, maxLength: 8 }), (filter, objects) => {
        let groups: ReturnType<typeof toHubSpotFilterGroups>;
        try {
          groups = toHubSpotFilterGroups('contacts', filter);
        } catch (error) {
          expect(isUnsupportedOperationError(error)).toBe(true);
          return;
        }
        expect(groups.length).toBeLessThanOrEqual(5);
        expect(groups.reduce((sum, group) => sum + group.filters.length, 0)).toBeLessThanOrEqual(25);
        for (const object of objects) {
          const viaGroups = groups.some((group) => group.filters.every((hubSpotFilter) => matchFilter(object, { ...hubSpotFilter })));
          expect(viaGroups).toBe(evaluate(filter, object));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('refuses rather than truncates: 6 alternatives, 11 conditions in a group, 26 in total', () => {
    const eq = (value: string): CrmFilter => ({ field: 'tier', op: 'eq', value });
    expect(() => toHubSpotFilterGroups('contacts', { or: ['1', '2', '3', '4', '5', '6'].map(eq) })).toThrow(/5 filter groups/);
    expect(() => toHubSpotFilterGroups('contacts', { and: Array.from({ length: 11 }, (_, i) => eq(String(i))) })).toThrow(/10 filters per group/);
    const nine = (prefix: string): CrmFilter => ({ and: Array.from({ length: 9 }, (_, i) => eq(`${prefix}${i}`)) });
    expect(() => toHubSpotFilterGroups('contacts', { or: [nine('a'), nine('b'), nine('c')] })).toThrow(/25 filters in total/);
    expect(toHubSpotFilterGroups('contacts', { or: [nine('a'), nine('b')] })).toHaveLength(2);
  });

  it('maps portable field names and operators', () => {
    expect(
      toHubSpotFilterGroups('deals', {
        and: [
          { field: 'amount', op: 'gte', value: 1000 },
          { field: 'stage', op: 'in', values: ['closedwon', 'contractsent'] },
          { field: 'name', op: 'contains', value: 'pilot' },
          { field: 'closeDate', op: 'exists', value: false },
        ],
      }),
    ).toEqual([
      {
        filters: [
          { propertyName: 'amount', operator: 'GTE', value: '1000' },
          { propertyName: 'dealstage', operator: 'IN', values: ['closedwon', 'contractsent'] },
          { propertyName: 'dealname', operator: 'CONTAINS_TOKEN', value: '*pilot*' },
          { propertyName: 'closedate', operator: 'NOT_HAS_PROPERTY' },
        ],
      },
    ]);
  });
});
