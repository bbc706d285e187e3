/** Laws every purchase model must obey, checked with fast-check over parameters and customers. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bgNbd, compressCustomers, mbgNbd, paretoNbd, type PurchaseModel, type RepeatPurchaseSummary } from 'guanxi/scoring';
import { betaGeometricLogLikelihood } from '../../../src/scoring/models/beta-geometric-likelihood';

const rate = fc.double({ min: 0.5, max: 20, noNaN: true });
const shape = fc.double({ min: 0.1, max: 3, noNaN: true });
const betaShape = fc.double({ min: 0.2, max: 5, noNaN: true }).filter((a) => Math.abs(a - 1) > 1e-3);

const bgParams = fc.record({ r: shape, alpha: rate, a: betaShape, b: betaShape });
const paretoParams = fc.record({ r: shape, alpha: rate, s: shape, beta: rate });

const customer: fc.Arbitrary<RepeatPurchaseSummary> = fc
  .record({ x: fc.integer({ min: 0, max: 60 }), T: fc.double({ min: 0.5, max: 100, noNaN: true }), share: fc.double({ min: 0, max: 1, noNaN: true }) })
  .map(({ x, T, share }) => ({ x, tx: x === 0 ? 0 : share * T, T }));

interface Case<P extends object> {
  readonly model: PurchaseModel<P>;
  readonly params: fc.Arbitrary<P>;
}
const cases: readonly Case<object>[] = [
  { model: bgNbd, params: bgParams },
  { model: mbgNbd, params: bgParams },
  { model: paretoNbd, params: paretoParams },
] as never;

describe.each(cases)('$model.name laws', ({ model, params }) => {
  it('P(alive) is a probability', () => {
    fc.assert(
      fc.property(params, customer, (p, c) => {
        const alive = model.probabilityAlive(p, c);
        expect(alive).toBeGreaterThanOrEqual(0);
        expect(alive).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('P(alive) does not increase as the last purchase moves back in time', () => {
    fc.assert(
      fc.property(params, customer, fc.double({ min: 0, max: 1, noNaN: true }), (p, c, shrink) => {
        if (c.x === 0) return;
        const older = { ...c, tx: c.tx * shrink };
        expect(model.probabilityAlive(p, older)).toBeLessThanOrEqual(model.probabilityAlive(p, c) + 1e-12);
      }),
    );
  });

  it('E[X(t)] starts at 0 and never decreases in t', () => {
    fc.assert(
      fc.property(params, fc.double({ min: 0, max: 200, noNaN: true }), fc.double({ min: 0, max: 50, noNaN: true }), (p, t, dt) => {
        expect(model.expectedPurchases(p, 0)).toBe(0);
        const early = model.expectedPurchases(p, t);
        const late = model.expectedPurchases(p, t + dt);
        expect(early).toBeGreaterThanOrEqual(0);
        expect(late).toBeGreaterThanOrEqual(early - 1e-9 * Math.max(1, early));
      }),
    );
  });

  it('E[Y(t) | x, tₓ, T] is non-negative and never decreases in t', () => {
    fc.assert(
      fc.property(params, customer, fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 50, noNaN: true }), (p, c, t, dt) => {
        const early = model.conditionalExpectedPurchases(p, t, c);
        const late = model.conditionalExpectedPurchases(p, t + dt, c);
        expect(early).toBeGreaterThanOrEqual(0);
        expect(late).toBeGreaterThanOrEqual(early - 1e-9 * Math.max(1, early));
      }),
    );
  });

  it('P(X(t) = n) sums to 1 with mean E[X(t)]', () => {
    fc.assert(
      fc.property(params, fc.double({ min: 0.01, max: 1, noNaN: true }), (p, share) => {
        // Keep the expected purchase count at most ½ so that 400 terms hold the whole mass
        // (Pareto/NBD's P(X(t) = n) costs n + 1 evaluations of ₂F₁).
        const { r, alpha } = p as { r: number; alpha: number };
        const t = share * ((0.5 * alpha) / r);
        let total = 0;
        let mean = 0;
        for (let n = 0; n < 400; n++) {
          const probability = model.probabilityOfPurchases(p, t, n);
          expect(probability).toBeGreaterThanOrEqual(0);
          total += probability;
          mean += n * probability;
        }
        expect(total).toBeCloseTo(1, 6);
        expect(mean).toBeCloseTo(model.expectedPurchases(p, t), 4);
      }),
      { numRuns: 20 },
    );
  });

  it('the likelihood of compressed customers equals the likelihood of the rows', () => {
    fc.assert(
      fc.property(params, fc.array(customer, { minLength: 1, maxLength: 30 }), (p, rows) => {
        const doubled = [...rows, ...rows.slice(0, 5)];
        const compressed = compressCustomers(doubled);
        expect(compressed.customers).toBe(doubled.length);
        let oneByOne = 0;
        for (const row of doubled) oneByOne += model.logLikelihood(p, [row]);
        expect(model.logLikelihood(p, compressed)).toBeCloseTo(oneByOne, 6);
      }),
      { numRuns: 30 },
    );
  });
});

describe('customer compression', () => {
  it('does not depend on row order and sums weights', () => {
    fc.assert(
      fc.property(fc.array(customer, { minLength: 1, maxLength: 40 }), (rows) => {
        const forward = compressCustomers(rows);
        const backward = compressCustomers([...rows].reverse());
        expect([...backward.x]).toEqual([...forward.x]);
        expect([...backward.tx]).toEqual([...forward.tx]);
        expect([...backward.weight]).toEqual([...forward.weight]);
        expect(compressCustomers(rows.map((row) => ({ ...row, weight: 2 }))).customers).toBe(2 * rows.length);
      }),
    );
  });
});

describe('analytic gradients of the BG/NBD and MBG/NBD likelihoods', () => {
  it('agree with central differences', () => {
    fc.assert(
      fc.property(bgParams, fc.array(customer, { minLength: 1, maxLength: 20 }), fc.constantFrom(0 as const, 1 as const), (p, rows, shift) => {
        const data = compressCustomers(rows);
        const gradient = new Float64Array(4);
        betaGeometricLogLikelihood(p, data, shift, gradient);
        const names = ['r', 'alpha', 'a', 'b'] as const;
        names.forEach((name, i) => {
          const h = 1e-6;
          const up = betaGeometricLogLikelihood({ ...p, [name]: p[name] * Math.exp(h) }, data, shift);
          const down = betaGeometricLogLikelihood({ ...p, [name]: p[name] * Math.exp(-h) }, data, shift);
          const numeric = (up - down) / (2 * h);
          expect(Math.abs((gradient[i] as number) - numeric)).toBeLessThan(1e-4 * Math.max(1, Math.abs(numeric)));
        });
      }),
      { numRuns: 50 },
    );
  });
});
