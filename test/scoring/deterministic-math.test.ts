import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exp2, powerOfTen } from '../../src/scoring/deterministic-math';

describe('exp2 (basic operations only)', () => {
  it('is exact at integers and matches Math.pow to 2⁻⁵⁰ relative error', () => {
    for (let n = -1074; n <= 1023; n++) expect(exp2(n)).toBe(2 ** n);
    fc.assert(
      fc.property(fc.double({ min: -1000, max: 1000, noNaN: true }), (x) => {
        const expected = 2 ** x;
        expect(Math.abs(exp2(x) - expected)).toBeLessThanOrEqual(expected * 2 ** -50);
      }),
    );
  });

  it('handles the edges', () => {
    expect(exp2(Number.NaN)).toBeNaN();
    expect(exp2(1024)).toBe(Number.POSITIVE_INFINITY);
    expect(exp2(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(exp2(-0.5)).toBeCloseTo(Math.SQRT1_2, 15);
  });

  it('powerOfTen is exact', () => {
    expect([0, 1, 2, 6, 10].map(powerOfTen)).toEqual([1, 10, 100, 1e6, 1e10]);
  });
});
