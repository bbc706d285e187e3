/**
 * Keys that would reach `Object.prototype` (or a constructor) if copied with plain
 * assignment. guanxi never copies them from untrusted input.
 */
export const forbiddenKeys: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Whether a key may be copied from untrusted input. */
export function isSafeKey(key: string): boolean {
  return !forbiddenKeys.has(key);
}

/**
 * A deep copy of plain JSON-like data that drops prototype-polluting keys at every
 * level and builds plain objects, so `__proto__` in user traits can never reach a
 * prototype. Non-plain values (dates, class instances) are kept by reference.
 *
 * @example
 * ```ts
 * import { safeClone } from 'guanxi';
 *
 * const traits = safeClone(JSON.parse('{"__proto__": {"admin": true}, "plan": "gold"}'));
 * // { plan: 'gold' }; ({} as Record<string, unknown>).admin is still undefined
 * ```
 */
export function safeClone<T>(value: T): T {
  return cloneValue(value, 0) as T;
}

const maxDepth = 64;

function cloneValue(value: unknown, depth: number): unknown {
  if (depth > maxDepth) return undefined;
  if (Array.isArray(value)) return value.map((item) => cloneValue(item, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (!isSafeKey(key)) continue;
    copy[key] = cloneValue((value as Record<string, unknown>)[key], depth + 1);
  }
  return copy;
}
