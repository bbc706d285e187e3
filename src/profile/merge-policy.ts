import { ValidationError, type ValidationIssue } from '../core/errors/validation-error';
import { compareObserved, compareStamped, type StampedValue } from './provenance';

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
  /** Whether list values are unioned item by item. */
  readonly union: boolean;
  /** The order of two stamped values: the greater wins. */
  readonly compare: (a: StampedValue, b: StampedValue) => number;
  /**
   * The same order on a value and the stamp of its observation, which the merge uses
   * to avoid allocating a stamped value per comparison.
   */
  readonly compareObserved: (aValue: unknown, a: ObservationStampLike, bValue: unknown, b: ObservationStampLike) => number;
}

/** Source and time of an observation. */
interface ObservationStampLike {
  readonly source: string;
  readonly observedAt: number;
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
  /**
   * The path of a custom trait, `traits.<key>`, as one shared string per key so that
   * records holding the same trait share the text.
   */
  traitPath(key: string): string;
}

const earliestFirst = (a: StampedValue, b: StampedValue): number => compareStamped(b, a);
/** @internal The order of the `'earliest'` policy (the merge recognizes it to compare without allocating). */
export const earliestObserved = (aValue: unknown, a: ObservationStampLike, bValue: unknown, b: ObservationStampLike): number => compareObserved(bValue, b, aValue, a);
const latestPolicy: ResolvedFieldPolicy = Object.freeze({ union: false, compare: compareStamped, compareObserved });
const unionPolicy: ResolvedFieldPolicy = Object.freeze({ union: true, compare: compareStamped, compareObserved });
const earliestPolicy: ResolvedFieldPolicy = Object.freeze({ union: false, compare: earliestFirst, compareObserved: earliestObserved });

function resolvePolicy(policy: FieldMergePolicy): ResolvedFieldPolicy {
  if (policy === 'latest') return latestPolicy;
  if (policy === 'earliest') return earliestPolicy;
  if (policy === 'union') return unionPolicy;
  if ('compare' in policy) {
    const compare = policy.compare;
    return {
      union: false,
      compare,
      compareObserved: (aValue, a, bValue, b) =>
        compare({ value: aValue, source: a.source, observedAt: a.observedAt }, { value: bValue, source: b.source, observedAt: b.observedAt }),
    };
  }
  const ranks = new Map<string, number>();
  policy.sourcePriority.forEach((source, index) => {
    if (!ranks.has(source)) ranks.set(source, policy.sourcePriority.length - index);
  });
  const earliest = policy.then === 'earliest';
  const observed = (aValue: unknown, a: ObservationStampLike, bValue: unknown, b: ObservationStampLike): number => {
    const difference = (ranks.get(a.source) ?? 0) - (ranks.get(b.source) ?? 0);
    if (difference !== 0) return difference;
    return earliest ? compareObserved(bValue, b, aValue, a) : compareObserved(aValue, a, bValue, b);
  };
  return {
    union: false,
    compare: (a, b) => observed(a.value, a, b.value, b),
    compareObserved: observed,
  };
}

// Trait keys come from user data; past this many distinct keys, paths are no longer shared.
const maxSharedTraitPaths = 10_000;

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
  const traitPaths = new Map<string, string>();
  return Object.freeze({
    policyOf: (path: string) => policies.get(path) ?? latestPolicy,
    traitPath: (key: string) => {
      const known = traitPaths.get(key);
      if (known !== undefined) return known;
      const path = `traits.${key}`;
      if (traitPaths.size < maxSharedTraitPaths) traitPaths.set(key, path);
      return path;
    },
  });
}
