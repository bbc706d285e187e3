import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameValue } from '../../src/profile/provenance';

// The plain definition: same own enumerable keys, equal values under them, recursively.
function reference(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || depth > 32) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every((key) => Object.hasOwn(b, key) && reference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], depth + 1));
}

const value = fc.jsonValue({ maxDepth: 3 });
// Pairs that are often equal or nearly so: a value and a copy with one change at most.
const nearPair = value.chain((a) =>
  fc.tuple(
    fc.constant(a),
    fc.oneof(
      fc.constant(structuredClone(a)),
      value,
      fc.constant(Array.isArray(a) ? [...a, null] : a !== null && typeof a === 'object' ? { ...a, extra: 1 } : a),
      fc.constant(a !== null && typeof a === 'object' && !Array.isArray(a) ? Object.fromEntries(Object.entries(a).reverse()) : a),
    ),
  ),
);

describe('sameValue', () => {
  it('agrees with the definition on JSON values (property)', () => {
    fc.assert(
      fc.property(nearPair, ([a, b]) => {
        expect(sameValue(a, b)).toBe(reference(a, b));
        expect(sameValue(b, a)).toBe(reference(b, a));
      }),
      { numRuns: 3000, seed: 11 },
    );
  });

  it('tells arrays from objects, holes from undefined, and ignores inherited keys', () => {
    expect(sameValue([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(sameValue({ 0: 1, 1: 2 }, [1, 2])).toBe(false);
    // eslint-disable-next-line no-sparse-arrays
    expect(sameValue([, 1], [undefined, 1])).toBe(false);
    expect(sameValue({ a: 1 }, Object.assign(Object.create({ b: 2 }) as object, { a: 1 }))).toBe(true);
    expect(sameValue({ a: 1, b: undefined }, { a: 1 })).toBe(false);
    expect(sameValue({ address: 'ada@example.com', verified: true }, { verified: true, address: 'ada@example.com' })).toBe(true);
  });
});
