import type { CrmObjectType } from '../../adapter';
import { UnsupportedOperationError } from '../../errors/unsupported-operation-error';
import type { CrmFieldCondition, CrmFilter, CrmFilterValue } from '../../filter';
import { hubSpotProperty, toHubSpotValue } from './properties';

/** One HubSpot search filter. */
export interface HubSpotFilter {
  readonly propertyName: string;
  readonly operator: string;
  readonly value?: string;
  readonly values?: string[];
}

/** HubSpot's search limits (REFERENCE §5). */
export const hubSpotSearchLimits = /*@__PURE__*/ Object.freeze({ groups: 5, filtersPerGroup: 10, filters: 25, pageSize: 200, resultWindow: 10_000 });

const operators: Readonly<Record<string, string>> = { eq: 'EQ', neq: 'NEQ', lt: 'LT', lte: 'LTE', gt: 'GT', gte: 'GTE' };

type Path = readonly (string | number)[];
interface LocatedCondition {
  readonly condition: CrmFieldCondition;
  readonly path: Path;
}

/**
 * Translates a portable filter tree to HubSpot `filterGroups` (groups OR'ed, filters in
 * a group AND'ed) by expanding it to disjunctive normal form, and checks HubSpot's
 * limits: 5 groups, 10 filters per group, 25 filters in total.
 *
 * @throws UnsupportedOperationError naming the limit and the part of the tree.
 */
export function toHubSpotFilterGroups(
  type: CrmObjectType,
  filter: CrmFilter | undefined,
  property: (field: string) => { name: string; value: (value: CrmFilterValue) => string } = (field) => ({ name: hubSpotProperty(type, field), value: (value) => toHubSpotValue(field, value) }),
): { filters: HubSpotFilter[] }[] {
  if (filter === undefined) return [];
  const groups = disjunctiveNormalForm(filter, []);
  if (groups.length > hubSpotSearchLimits.groups) {
    throw new UnsupportedOperationError(
      `HubSpot search allows at most ${hubSpotSearchLimits.groups} filter groups; this filter expands to ${groups.length} (OR of ANDs). Split the search or use 'in' for alternatives on one field`,
      'hubspot',
      'search',
      [],
    );
  }
  let total = 0;
  return groups.map((group, groupIndex) => {
    if (group.length > hubSpotSearchLimits.filtersPerGroup) {
      throw new UnsupportedOperationError(
        `HubSpot search allows at most ${hubSpotSearchLimits.filtersPerGroup} filters per group; group ${groupIndex} has ${group.length}`,
        'hubspot',
        'search',
        group[0]?.path ?? [],
      );
    }
    total += group.length;
    if (total > hubSpotSearchLimits.filters) {
      throw new UnsupportedOperationError(`HubSpot search allows at most ${hubSpotSearchLimits.filters} filters in total; this filter needs more`, 'hubspot', 'search', []);
    }
    return { filters: group.map(({ condition }) => toHubSpotFilter(condition, property(condition.field))) };
  });
}

// Expansion is bounded: any intermediate result with more groups than HubSpot accepts is
// rejected at once rather than multiplied further.
function disjunctiveNormalForm(filter: CrmFilter, path: Path): LocatedCondition[][] {
  if ('or' in filter) {
    const groups: LocatedCondition[][] = [];
    filter.or.forEach((child, index) => groups.push(...disjunctiveNormalForm(child, [...path, 'or', index])));
    tooMany(groups.length, path);
    return groups;
  }
  if ('and' in filter) {
    let groups: LocatedCondition[][] = [[]];
    filter.and.forEach((child, index) => {
      const childGroups = disjunctiveNormalForm(child, [...path, 'and', index]);
      const product: LocatedCondition[][] = [];
      for (const left of groups) for (const right of childGroups) product.push([...left, ...right]);
      tooMany(product.length, [...path, 'and', index]);
      groups = product;
    });
    return groups;
  }
  return [[{ condition: filter, path }]];
}

function tooMany(groups: number, path: Path): void {
  if (groups > hubSpotSearchLimits.groups) {
    throw new UnsupportedOperationError(
      `HubSpot search allows at most ${hubSpotSearchLimits.groups} filter groups; this filter expands to more (OR of ANDs). Split the search or use 'in' for alternatives on one field`,
      'hubspot',
      'search',
      path,
    );
  }
}

function toHubSpotFilter(condition: CrmFieldCondition, property: { name: string; value: (value: CrmFilterValue) => string }): HubSpotFilter {
  const propertyName = property.name;
  const text = property.value;
  switch (condition.op) {
    case 'in':
      return { propertyName, operator: 'IN', values: condition.values.map(text) };
    case 'exists':
      return { propertyName, operator: condition.value === false ? 'NOT_HAS_PROPERTY' : 'HAS_PROPERTY' };
    case 'contains':
      // HubSpot matches whole tokens; wildcards on both sides approximate "contains".
      return { propertyName, operator: 'CONTAINS_TOKEN', value: `*${condition.value}*` };
    default:
      return { propertyName, operator: operators[condition.op] ?? 'EQ', value: text(condition.value) };
  }
}
