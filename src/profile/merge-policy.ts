import { ValidationError, type ValidationIssue } from '../core/errors/validation-error';
import { compareStamped, type StampedValue } from './provenance';

/**
 * How the values of one field from different observations combine.
 *
 * - `'latest'` — the most recent observation wins (ties broken by source, then value).
 * - `'earliest'` — the first observation wins (e.g. first-touch `source`).
 * - `'union'` — for lists: items from every observation, deduplicated by identity
 *   (an email by its address, a phone by its number…); for the same item the latest
 *   observation wins.
 * - `{ sourcePriority, then }` — a value from a source earlier in the list beats one
 *   from a later or unlisted source; among equal priority, `then` decides (default
 *   `'latest'`). For example, the CRM's name beats the web form's.
 * - `{ compare }` — your own order; the greater value wins. It must be a total order
 *   (antisymmetric, transitive, deterministic) for the merge to stay associative,
 *   commutative and idempotent.
 *
 * A list field given a policy other than `'union'` is treated as one value: the whole
 * list of the winning observation replaces the others (use it for lists where removal
 * matters).
 *
 * @example
 * ```ts
 * import type { FieldMergePolicy } from 'guanxi/profile';
 *
 * const crmFirst: FieldMergePolicy = { sourcePriority: ['crm', 'pos'], then: 'latest' };
 * ```
 */
export type FieldMergePolicy =
  | 'latest'
  | 'earliest'
  | 'union'
  | { readonly sourcePriority: readonly string[]; readonly then?: 'latest' | 'earliest' }
  | { readonly compare: (a: StampedValue, b: StampedValue) => number };

/**
 * Options of the field-level merge.
 *
 * @example
 * ```ts
 * import type { MergeOptions } from 'guanxi/profile';
 *
 * const options: MergeOptions = {
 *   policies: { fullName: { sourcePriority: ['crm'] }, 'traits.interests': 'union', tags: 'latest' },
 * };
 * ```
 */
export interface MergeOptions {
  /**
   * Policy per field path (`'givenName'`, `'identities.userId'`, `'traits.plan'`…),
   * on top of `defaultMergePolicies`. Unlisted scalar fields use `'latest'`.
   * @default defaultMergePolicies
   */
  readonly policies?: Readonly<Record<string, FieldMergePolicy>>;
}

/**
 * The built-in policies: contact points, relationships, tags, special dates, anonymous
 * and external ids are unioned; the acquisition `source` keeps the first touch; every
 * other field keeps the latest observation.
 *
 * @example
 * ```ts
 * import { defaultMergePolicies } from 'guanxi/profile';
 *
 * console.log(defaultMergePolicies.emails); // 'union'
 * console.log(defaultMergePolicies.source); // 'earliest'
 * ```
 */
export const defaultMergePolicies: Readonly<Record<string, FieldMergePolicy>> = Object.freeze({
  emails: 'union',
  phones: 'union',
  addresses: 'union',
  handles: 'union',
  relationships: 'union',
  tags: 'union',
  specialDates: 'union',
  'identities.anonymousIds': 'union',
  'identities.externalIds': 'union',
  source: 'earliest',
});

/**
 * The default merge options.
 *
 * @example
 * ```ts
 * import { defaultMergeOptions } from 'guanxi/profile';
 *
 * console.log(Object.keys(defaultMergeOptions.policies).length > 0); // true
 * ```
 */
export const defaultMergeOptions: Readonly<Required<MergeOptions>> = Object.freeze({ policies: defaultMergePolicies });

/**
 * A policy turned into what the merge runs: an order (the greater wins) and whether lists
 * are unioned.
 *
 * @example
 * ```ts
 * import { resolveMergeOptions, type ResolvedFieldPolicy } from 'guanxi/profile';
 *
 * const policy: ResolvedFieldPolicy = resolveMergeOptions().policyOf('source');
 * console.log(policy.union); // false: the first touch wins
 * ```
 */
export interface ResolvedFieldPolicy {
  readonly union: boolean;
  readonly compare: (a: StampedValue, b: StampedValue) => number;
}

/**
 * Merge options with the policies resolved to comparators.
 *
 * @example
 * ```ts
 * import { resolveMergeOptions, type ResolvedMergeOptions } from 'guanxi/profile';
 *
 * const resolved: ResolvedMergeOptions = resolveMergeOptions({ policies: { tier: 'earliest' } });
 * console.log(resolved.policyOf('emails').union); // true
 * ```
 */
export interface ResolvedMergeOptions {
  /** The policy of a field path (unlisted paths: latest wins). */
  policyOf(path: string): ResolvedFieldPolicy;
}

const earliestFirst = (a: StampedValue, b: StampedValue): number => compareStamped(b, a);
const latestPolicy: ResolvedFieldPolicy = Object.freeze({ union: false, compare: compareStamped });

function resolvePolicy(policy: FieldMergePolicy): ResolvedFieldPolicy {
  if (policy === 'latest') return latestPolicy;
  if (policy === 'earliest') return { union: false, compare: earliestFirst };
  if (policy === 'union') return { union: true, compare: compareStamped };
  if ('compare' in policy) return { union: false, compare: policy.compare };
  const ranks = new Map<string, number>();
  policy.sourcePriority.forEach((source, index) => {
    if (!ranks.has(source)) ranks.set(source, policy.sourcePriority.length - index);
  });
  const then = policy.then === 'earliest' ? earliestFirst : compareStamped;
  return {
    union: false,
    compare: (a, b) => {
      const difference = (ranks.get(a.source) ?? 0) - (ranks.get(b.source) ?? 0);
      return difference !== 0 ? difference : then(a, b);
    },
  };
}

/**
 * Resolves merge options: your policies over `defaultMergePolicies`, each turned into a
 * comparator. Unknown policy shapes are rejected.
 *
 * @throws ValidationError naming each field with an invalid policy.
 *
 * @example
 * ```ts
 * import { resolveMergeOptions } from 'guanxi/profile';
 *
 * const merge = resolveMergeOptions({ policies: { familyName: { sourcePriority: ['crm'] } } });
 * ```
 */
export function resolveMergeOptions(options: MergeOptions = {}): ResolvedMergeOptions {
  const policies = new Map<string, ResolvedFieldPolicy>();
  const issues: ValidationIssue[] = [];
  const all = { ...defaultMergeOptions.policies, ...(options.policies ?? {}) };
  for (const [path, policy] of Object.entries(all)) {
    const valid =
      policy === 'latest' ||
      policy === 'earliest' ||
      policy === 'union' ||
      (typeof policy === 'object' && policy !== null &&
        (('compare' in policy && typeof policy.compare === 'function') ||
          ('sourcePriority' in policy && Array.isArray(policy.sourcePriority) && policy.sourcePriority.every((s) => typeof s === 'string'))));
    if (!valid) {
      issues.push({ path: ['policies', path], code: 'invalid_merge_policy', message: 'Expected latest, earliest, union, { sourcePriority } or { compare }' });
      continue;
    }
    policies.set(path, resolvePolicy(policy));
  }
  if (issues.length > 0) throw new ValidationError(issues, 'merge options');
  return Object.freeze({ policyOf: (path: string) => policies.get(path) ?? latestPolicy });
}
