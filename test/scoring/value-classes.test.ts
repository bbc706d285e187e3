import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { abcClasses, assignTreatments, defineTierLadder, tierOf, treatmentActions, valueClasses } from '../../src/scoring/index';

describe('abcClasses (Pareto/ABC)', () => {
  it('puts customers up to 80 % of cumulative value in A, to 95 % in B, the rest in C', () => {
    const customers = [700, 200, 60, 40].map((value, i) => ({ customerId: i, value }));
    expect(abcClasses(customers).map((c) => c.abcClass)).toEqual(['A', 'A', 'B', 'C']);
    expect(abcClasses(customers).map((c) => c.shareAbove)).toEqual([0, 0.7, 0.9, 0.96]);
    expect(abcClasses(customers, { a: 0.5, b: 0.75 }).map((c) => c.abcClass)).toEqual(['A', 'B', 'C', 'C']);
  });

  it('gives equal values equal classes and values ≤ 0 class C', () => {
    const classes = abcClasses([50, 50, 50, 0, -10].map((value, i) => ({ customerId: i, value })));
    expect(classes.map((c) => c.abcClass)).toEqual(['A', 'A', 'A', 'C', 'C']);
  });

  it('A holds at least the A share of value and is the smallest such top group (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 60 }), (values) => {
        const classes = abcClasses(values.map((value, i) => ({ customerId: i, value })));
        const total = values.reduce((a, b) => a + b, 0);
        const inA = classes.filter((c) => c.abcClass === 'A');
        const valueA = inA.reduce((sum, c) => sum + c.value, 0);
        expect(valueA / total).toBeGreaterThanOrEqual(0.8 - 1e-12);
        // Every A customer is worth at least as much as every B or C customer.
        const minA = Math.min(...inA.map((c) => c.value));
        for (const c of classes) if (c.abcClass !== 'A') expect(c.value).toBeLessThanOrEqual(minA);
      }),
    );
  });

  it('rejects non-finite values and bad shares', () => {
    expect(() => abcClasses([{ customerId: 1, value: Number.NaN }])).toThrow(/\[0\]\.value/);
    expect(() => abcClasses([], { a: 0.9, b: 0.8 })).toThrow(/0 < a ≤ b ≤ 1/);
  });
});

describe('valueClasses (MVC, MGC, BZ)', () => {
  it('classifies below zero first, then the most valuable and the most growable', () => {
    expect(
      valueClasses([
        { customerId: 'a', value: 900, potential: 100 },
        { customerId: 'b', value: 120, potential: 2000 },
        { customerId: 'c', value: -40, potential: 5000 },
        { customerId: 'd', value: 60, potential: 10 },
        { customerId: 'e', value: 50 },
      ]),
    ).toEqual(['most-valuable', 'most-growable', 'below-zero', 'other', 'other']);
  });

  it('treats a customer whose profit after cost to serve is below zero as BZ even with high revenue potential', () => {
    expect(valueClasses([{ customerId: 1, value: -0.01, potential: 1e9 }])).toEqual(['below-zero']);
  });
});

describe('assignTreatments (the four treatments)', () => {
  it('assigns each of the four treatments, with negative value and churn first', () => {
    const treatments = assignTreatments([
      { customerId: 'a', value: 900 },
      { customerId: 'b', value: 80, growth: 1.5 },
      { customerId: 'c', value: -20, atRisk: true },
      { customerId: 'd', value: 400, pAlive: 0.2 },
      { customerId: 'e', value: 50 },
      { customerId: 'f', value: 1000, atRisk: true },
    ]);
    expect(treatments).toEqual(['most-valuable', 'fastest-growing', 'negative-value', 'about-to-churn', 'standard', 'about-to-churn']);
    for (const treatment of treatments) expect(treatmentActions[treatment]).toMatch(/\w/);
  });
});

describe('tier ladders', () => {
  const sevenStar = defineTierLadder([
    { tier: '1-star', min: 0 },
    { tier: '2-star', min: 10_000 },
    { tier: '3-star', min: 50_000 },
    { tier: '4-star', min: 100_000 },
    { tier: '5-star', min: 500_000 },
    { tier: '6-star', min: 2_000_000 },
    { tier: '7-star', min: 10_000_000 },
  ]);

  it('assigns the highest tier reached, thresholds inclusive', () => {
    expect([-1, 0, 9_999.99, 10_000, 730_000, 10_000_000, 1e12].map((score) => tierOf(score, sevenStar))).toEqual([
      undefined, '1-star', '1-star', '2-star', '5-star', '7-star', '7-star',
    ]);
    expect(tierOf(Number.NaN, sevenStar)).toBeUndefined();
  });

  it('rejects empty, unordered or duplicate ladders, naming the step', () => {
    expect(() => defineTierLadder([])).toThrow(/at least one step/);
    expect(() => defineTierLadder([{ tier: 'a', min: 5 }, { tier: 'b', min: 5 }])).toThrow(/\[1\]\.min/);
    expect(() => defineTierLadder([{ tier: 'a', min: 0 }, { tier: 'a', min: 5 }])).toThrow(/appears twice/);
  });

  it('is monotone: a higher score never gets a lower tier (property)', () => {
    const order = new Map(sevenStar.map((step, i) => [step.tier, i]));
    fc.assert(
      fc.property(fc.double({ min: -1, max: 2e7, noNaN: true }), fc.double({ min: -1, max: 2e7, noNaN: true }), (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(order.get(tierOf(high, sevenStar)!) ?? -1).toBeGreaterThanOrEqual(order.get(tierOf(low, sevenStar)!) ?? -1);
      }),
    );
  });
});
