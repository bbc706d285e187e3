import { ValidationError, type ValidationIssue } from '../core/errors/validation-error';

/**
 * A value a filter compares with.
 *
 * @example
 * ```ts
 * import type { CrmFilterValue } from 'guanxi/client';
 *
 * const values: CrmFilterValue[] = ['gold', 42, true];
 * ```
 */
export type CrmFilterValue = string | number | boolean;

/**
 * A condition on one field: `eq`, `neq`, `lt`, `lte`, `gt`, `gte` compare with `value`;
 * `in` matches any of `values`; `exists` is true when the field has a value (or, with
 * `value: false`, when it has none); `contains` matches text containing `value` (HubSpot
 * matches whole tokens, see docs/client.md).
 *
 * @example
 * ```ts
 * import type { CrmFieldCondition } from 'guanxi/client';
 *
 * const bigDeals: CrmFieldCondition = { field: 'amount', op: 'gte', value: 10_000 };
 * const inEurope: CrmFieldCondition = { field: 'currency', op: 'in', values: ['EUR', 'GBP'] };
 * ```
 */
export type CrmFieldCondition =
  | { readonly field: string; readonly op: 'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte'; readonly value: CrmFilterValue }
  | { readonly field: string; readonly op: 'in'; readonly values: readonly CrmFilterValue[] }
  | { readonly field: string; readonly op: 'exists'; readonly value?: boolean }
  | { readonly field: string; readonly op: 'contains'; readonly value: string };

/**
 * A portable search filter: field conditions combined with `and` and `or` to any depth.
 * Field names are guanxi's (`email`, `firstName`, `amount`, …) or a CRM property name;
 * each adapter translates the tree to its API, or rejects it with an
 * `UnsupportedOperationError` naming the offending part before sending anything.
 *
 * @example
 * ```ts
 * import type { CrmFilter } from 'guanxi/client';
 *
 * const filter: CrmFilter = {
 *   and: [
 *     { field: 'lifecycleStage', op: 'eq', value: 'customer' },
 *     { or: [{ field: 'email', op: 'contains', value: 'example.com' }, { field: 'phone', op: 'exists' }] },
 *   ],
 * };
 * ```
 */
export type CrmFilter = CrmFieldCondition | { readonly and: readonly CrmFilter[] } | { readonly or: readonly CrmFilter[] };

/**
 * A sort key of a search.
 *
 * @example
 * ```ts
 * import type { CrmSort } from 'guanxi/client';
 *
 * const newestFirst: CrmSort = { field: 'createdAt', direction: 'desc' };
 * ```
 */
export interface CrmSort {
  /** Field to sort by. */
  readonly field: string;
  /**
   * Direction.
   * @default 'asc'
   */
  readonly direction?: 'asc' | 'desc';
}

/**
 * A search: an optional filter tree, free-text query and sort order.
 *
 * @example
 * ```ts
 * import type { CrmSearchQuery } from 'guanxi/client';
 *
 * const query: CrmSearchQuery = { filter: { field: 'stage', op: 'eq', value: 'closedwon' }, sort: [{ field: 'amount', direction: 'desc' }] };
 * ```
 */
export interface CrmSearchQuery {
  /** Conditions the results match. */
  readonly filter?: CrmFilter | undefined;
  /** Free-text query over the CRM's default searchable fields. */
  readonly text?: string | undefined;
  /** Sort order. */
  readonly sort?: readonly CrmSort[] | undefined;
}

const comparisonOps = /*@__PURE__*/ new Set(['eq', 'neq', 'lt', 'lte', 'gt', 'gte']);
const maxDepth = 32;

/**
 * Checks a filter tree's shape and returns it, or throws a `ValidationError` listing
 * every malformed node with its path (`and[1].or[0].value`).
 *
 * @example
 * ```ts
 * import { checkCrmFilter } from 'guanxi/client';
 *
 * const filter = checkCrmFilter({ field: 'email', op: 'exists' });
 * ```
 */
export function checkCrmFilter(filter: unknown): CrmFilter {
  const issues: ValidationIssue[] = [];
  inspect(filter, [], issues, 0);
  if (issues.length > 0) throw new ValidationError(issues, 'search filter');
  return filter as CrmFilter;
}

function isScalar(value: unknown): value is CrmFilterValue {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean';
}

function inspect(node: unknown, path: (string | number)[], issues: ValidationIssue[], depth: number): void {
  if (depth > maxDepth) {
    issues.push({ path, code: 'too_deep', message: `Filters nest at most ${maxDepth} levels` });
    return;
  }
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    issues.push({ path, code: 'invalid_type', message: 'Expected a condition or an { and } / { or } group' });
    return;
  }
  const record = node as Record<string, unknown>;
  for (const key of ['and', 'or'] as const) {
    if (key in record) {
      const children = record[key];
      if (!Array.isArray(children) || children.length === 0) {
        issues.push({ path: [...path, key], code: 'invalid_type', message: `Expected a non-empty array of filters in '${key}'` });
        return;
      }
      children.forEach((child: unknown, index) => inspect(child, [...path, key, index], issues, depth + 1));
      return;
    }
  }
  if (typeof record.field !== 'string' || record.field === '') {
    issues.push({ path: [...path, 'field'], code: 'invalid_type', message: 'Expected a field name' });
  }
  const op = record.op;
  if (typeof op === 'string' && comparisonOps.has(op)) {
    if (!isScalar(record.value)) issues.push({ path: [...path, 'value'], code: 'invalid_type', message: `Operator '${op}' needs a string, number or boolean value` });
  } else if (op === 'in') {
    if (!Array.isArray(record.values) || record.values.length === 0 || !record.values.every(isScalar)) {
      issues.push({ path: [...path, 'values'], code: 'invalid_type', message: "Operator 'in' needs a non-empty array of values" });
    }
  } else if (op === 'exists') {
    if (record.value !== undefined && typeof record.value !== 'boolean') issues.push({ path: [...path, 'value'], code: 'invalid_type', message: "Operator 'exists' takes an optional boolean value" });
  } else if (op === 'contains') {
    if (typeof record.value !== 'string' || record.value === '') issues.push({ path: [...path, 'value'], code: 'invalid_type', message: "Operator 'contains' needs a non-empty string" });
  } else {
    issues.push({ path: [...path, 'op'], code: 'invalid_value', message: 'Expected one of eq, neq, lt, lte, gt, gte, in, exists, contains' });
  }
}
