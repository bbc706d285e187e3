import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidationError } from 'guanxi';
import { bgNbd, customerLifetimeValue, gammaGamma, modelTimeUnitRatio, paretoNbd, type CustomerLifetimeValueOptions } from 'guanxi/scoring';

const weekly = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const customer = { x: 2, tx: 30.43, T: 38.86 };
const options: CustomerLifetimeValueOptions = { expectedSpend: 24.66, modelTimeUnit: 'week', periodUnit: 'month', horizon: 12, discountRate: 0.01 };

describe('customerLifetimeValue', () => {
  it('without discounting is spend × margin × E[Y(horizon)]', () => {
    const value = customerLifetimeValue(bgNbd, weekly, customer, { ...options, discountRate: 0, margin: 0.3 });
    const yearInWeeks = 12 * modelTimeUnitRatio('month', 'week');
    expect(value).toBeCloseTo(24.66 * 0.3 * bgNbd.conditionalExpectedPurchases(weekly, yearInWeeks, customer), 10);
  });

  it('does not depend on the unit the model was fitted in', () => {
    // The same customers measured in days: rates per day are rates per week / 7, so α × 7.
    const daily = { ...weekly, alpha: weekly.alpha * 7 };
    const inDays = { x: customer.x, tx: customer.tx * 7, T: customer.T * 7 };
    const byWeek = customerLifetimeValue(bgNbd, weekly, customer, options);
    const byDay = customerLifetimeValue(bgNbd, daily, inDays, { ...options, modelTimeUnit: 'day' });
    expect(byDay).toBeCloseTo(byWeek, 8);
    // Mixing the units (a day-fitted model declared as weekly) gives a very different number.
    const mixed = customerLifetimeValue(bgNbd, daily, inDays, options);
    expect(Math.max(mixed / byWeek, byWeek / mixed)).toBeGreaterThan(5);
  });

  it('decreases with the discount rate and grows with the horizon', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.5, noNaN: true }), fc.double({ min: 0.001, max: 0.5, noNaN: true }), fc.integer({ min: 0, max: 36 }), (rate, extra, horizon) => {
        const base = customerLifetimeValue(paretoNbd, { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 }, customer, { ...options, horizon, discountRate: rate });
        const discounted = customerLifetimeValue(paretoNbd, { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 }, customer, { ...options, horizon, discountRate: rate + extra });
        const longer = customerLifetimeValue(paretoNbd, { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 }, customer, { ...options, horizon: horizon + 1, discountRate: rate });
        expect(discounted).toBeLessThanOrEqual(base + 1e-12);
        expect(longer).toBeGreaterThanOrEqual(base);
        if (horizon === 0) expect(base).toBe(0);
      }),
      { numRuns: 50 },
    );
  });

  it('works with the Gamma-Gamma expected spend', () => {
    const spend = gammaGamma.expectedAverageSpend({ p: 6.25, q: 3.74, gamma: 15.44 }, { x: 2, monetary: 22.35 });
    const value = customerLifetimeValue(bgNbd, weekly, customer, { ...options, expectedSpend: spend });
    expect(value).toBeGreaterThan(0);
    expect(value).toBeLessThan(spend * bgNbd.conditionalExpectedPurchases(weekly, 53, customer));
  });

  it('rejects missing or wrong units and rates, naming each field', () => {
    try {
      customerLifetimeValue(bgNbd, weekly, customer, { ...options, modelTimeUnit: 'fortnight' as never, horizon: 1.5, discountRate: -0.1 });
      expect.unreachable();
    } catch (error) {
      expect(isValidationError(error)).toBe(true);
      if (isValidationError(error)) expect(error.issues.map((issue) => issue.path[0])).toEqual(['modelTimeUnit', 'horizon', 'discountRate']);
    }
  });
});
