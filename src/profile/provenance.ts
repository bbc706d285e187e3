/**
 * A value with where and when it was observed. Every field of a merged profile keeps the
 * provenance of the observation that won, so each value can be traced to its source.
 *
 * @example
 * ```ts
 * import type { StampedValue } from 'guanxi/profile';
 *
 * const name: StampedValue<string> = { value: 'Ada', source: 'crm', observedAt: Date.parse('2026-01-05T09:00:00Z') };
 * ```
 */
export interface StampedValue<T = unknown> {
  /** The observed value. */
  readonly value: T;
  /** Where it came from: `'web'`, `'crm'`, `'pos'`, an import's name. */
  readonly source: string;
  /** When it was observed, in milliseconds since the Unix epoch. */
  readonly observedAt: number;
}

/**
 * A canonical JSON text of a value: object keys sorted, so equal values give equal text
 * whatever order their keys were written in. Used to break ties deterministically and to
 * key list items without an identity of their own.
 *
 * @internal
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
}

/**
 * Whether two field values are equal (deep, for plain data).
 *
 * @internal
 */
export function sameValue(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || depth > 32) return false;
  // Walks the keys in place instead of listing them: the merge compares the stored and the
  // observed value of nearly every field of every observation.
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      if (i in a !== i in b || !sameValue(a[i], b[i], depth + 1)) return false;
    }
    return true;
  }
  if (Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let unmatched = 0;
  for (const key in left) {
    if (!Object.hasOwn(left, key)) continue;
    if (!Object.hasOwn(right, key) || !sameValue(left[key], right[key], depth + 1)) return false;
    unmatched++;
  }
  for (const key in right) if (Object.hasOwn(right, key)) unmatched--;
  return unmatched === 0;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The order "latest observation wins" uses: by observation time, then — to make the
 * merge commutative when two sources observe at the same millisecond — by source name,
 * then by the value's canonical JSON. It is a total order on stamped values, so the
 * greater of two is well defined and "keep the greatest" is associative, commutative and
 * idempotent.
 *
 * @returns Negative, zero or positive as `a` is older than, the same as, or newer than `b`.
 *
 * @example
 * ```ts
 * import { compareStamped } from 'guanxi/profile';
 *
 * const web = { value: 'Ada', source: 'web', observedAt: 2 };
 * const crm = { value: 'Ada L.', source: 'crm', observedAt: 1 };
 * console.log(compareStamped(web, crm) > 0); // true: the newer observation wins
 * ```
 */
export function compareStamped(a: StampedValue, b: StampedValue): number {
  return compareObserved(a.value, a, b.value, b);
}

/**
 * `compareStamped` on a value and its observation's stamp, without building stamped
 * values.
 *
 * @internal
 */
export function compareObserved(
  aValue: unknown,
  a: { readonly source: string; readonly observedAt: number },
  bValue: unknown,
  b: { readonly source: string; readonly observedAt: number },
): number {
  return compareProvenance(aValue, a.source, a.observedAt, bValue, b.source, b.observedAt);
}

/**
 * `compareStamped` on values and their provenance as primitives, which is how profile
 * records store it.
 *
 * @internal
 */
export function compareProvenance(aValue: unknown, aSource: string, aObservedAt: number, bValue: unknown, bSource: string, bObservedAt: number): number {
  if (aObservedAt !== bObservedAt) return aObservedAt < bObservedAt ? -1 : 1;
  if (aSource !== bSource) return compareText(aSource, bSource);
  if (aValue === bValue) return 0;
  return compareText(canonicalJson(aValue), canonicalJson(bValue));
}
