import { describe, expect, it } from 'vitest';
import { isValidationError } from 'guanxi';
import { bgNbd, createSeededRandom, gammaGamma, mbgNbd, paretoNbd, simulateCustomers, type PurchaseModel } from 'guanxi/scoring';

const cohorts = (index: number): number => 26 + (index % 14); // weekly cohorts observed 26–39 weeks

function expectRelative(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual / expected - 1)).toBeLessThan(tolerance);
}

describe('createSeededRandom', () => {
  it('is deterministic per seed and uniform on [0, 1)', () => {
    const first = createSeededRandom(42);
    const second = createSeededRandom(42);
    const other = createSeededRandom(43);
    const values = Array.from({ length: 20_000 }, () => first());
    expect(Array.from({ length: 20_000 }, () => second())).toEqual(values);
    expect(other()).not.toBe(values[0]);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean).toBeCloseTo(0.5, 2);
  });
});

describe('simulateCustomers', () => {
  const truth = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };

  it('gives the same customers for the same seed, and valid summaries', () => {
    const once = simulateCustomers(bgNbd, truth, { customers: 500, customerAge: cohorts, seed: 5 });
    const again = simulateCustomers(bgNbd, truth, { customers: 500, customerAge: cohorts, seed: 5 });
    expect(again).toEqual(once);
    expect(simulateCustomers(bgNbd, truth, { customers: 500, customerAge: cohorts, seed: 6 })).not.toEqual(once);
    for (const customer of once) {
      expect(Number.isInteger(customer.x)).toBe(true);
      expect(customer.tx).toBeLessThanOrEqual(customer.T);
      if (customer.x === 0) expect(customer.tx).toBe(0);
    }
  });

  it('records transactions consistent with the summary, on the requested time grid', () => {
    const customers = simulateCustomers(bgNbd, { r: 2, alpha: 4, a: 0.5, b: 5 }, { customers: 200, customerAge: 39, transactions: true, timeStep: 1 / 7, spend: { p: 6, q: 4, gamma: 15 } });
    for (const customer of customers) {
      const times = customer.purchaseTimes ?? [];
      expect(times.length).toBe(customer.x + 1);
      expect(times[times.length - 1]).toBe(customer.tx);
      for (const time of times) expect(Math.abs(time * 7 - Math.round(time * 7))).toBeLessThan(1e-9);
      expect(new Set(times).size).toBe(times.length); // purchases on one day count once
      expect(customer.transactionValues?.length).toBe(times.length);
      if (customer.x > 0) expect(customer.monetary).toBeGreaterThan(0);
    }
  });

  it('lets BG/NBD recover its parameters from 20,000 simulated customers', () => {
    const customers = simulateCustomers(bgNbd, truth, { customers: 20_000, customerAge: cohorts, seed: 3 });
    const fit = bgNbd.fit(customers);
    expect(fit.converged).toBe(true);
    expectRelative(fit.params.r, truth.r, 0.1);
    expectRelative(fit.params.alpha, truth.alpha, 0.1);
    expectRelative(fit.params.a, truth.a, 0.15);
    expectRelative(fit.params.b, truth.b, 0.15);
  });

  it('lets MBG/NBD recover its parameters', () => {
    const mbgTruth = { r: 0.5, alpha: 6, a: 0.9, b: 1.6 };
    const fit = mbgNbd.fit(simulateCustomers(mbgNbd, mbgTruth, { customers: 20_000, customerAge: cohorts, seed: 3 }));
    expect(fit.converged).toBe(true);
    expectRelative(fit.params.r, mbgTruth.r, 0.1);
    expectRelative(fit.params.alpha, mbgTruth.alpha, 0.1);
    expectRelative(fit.params.a, mbgTruth.a, 0.15);
    expectRelative(fit.params.b, mbgTruth.b, 0.15);
  });

  it('lets Pareto/NBD recover its parameters', () => {
    const paretoTruth = { r: 0.55, alpha: 10.5, s: 0.6, beta: 11.7 };
    const fit = paretoNbd.fit(simulateCustomers(paretoNbd, paretoTruth, { customers: 4_000, customerAge: cohorts, seed: 8 }));
    expect(fit.converged).toBe(true);
    expectRelative(fit.params.r, paretoTruth.r, 0.2);
    expectRelative(fit.params.alpha, paretoTruth.alpha, 0.2);
    expectRelative(fit.params.s, paretoTruth.s, 0.35);
    expectRelative(fit.params.beta, paretoTruth.beta, 0.5);
  });

  it('lets Gamma-Gamma recover its parameters', () => {
    const spend = { p: 6, q: 4, gamma: 15 };
    const customers = simulateCustomers(bgNbd, { r: 1, alpha: 4, a: 0.8, b: 2.5 }, { customers: 20_000, customerAge: 39, seed: 4, spend });
    const fit = gammaGamma.fit(customers.map((customer) => ({ x: customer.x, monetary: customer.monetary ?? 0 })));
    expect(fit.converged).toBe(true);
    expectRelative(fit.params.p, spend.p, 0.1);
    expectRelative(fit.params.q, spend.q, 0.15);
    expectRelative(fit.params.gamma, spend.gamma, 0.15);
  });

  it('agrees with the models: Σ P(alive) ≈ customers alive, Σ E[Y(t)] ≈ purchases in a holdout', () => {
    const calibration = 39;
    const holdout = 39;
    const cases: readonly (readonly [PurchaseModel<object>, object])[] = [
      [bgNbd as PurchaseModel<object>, truth],
      [paretoNbd as PurchaseModel<object>, { r: 0.55, alpha: 10.5, s: 0.6, beta: 11.7 }],
    ];
    for (const [model, params] of cases) {
      const customers = simulateCustomers(model, params, { customers: 20_000, customerAge: calibration + holdout, seed: 9, transactions: true });
      let predictedAlive = 0;
      let predictedPurchases = 0;
      let holdoutPurchases = 0;
      let aliveAtCalibrationEnd = 0;
      for (const customer of customers) {
        const times = customer.purchaseTimes ?? [0];
        const inCalibration = times.filter((time) => time <= calibration);
        const summary = { x: inCalibration.length - 1, tx: inCalibration[inCalibration.length - 1] ?? 0, T: calibration };
        holdoutPurchases += times.length - inCalibration.length;
        predictedAlive += model.probabilityAlive(params, summary);
        predictedPurchases += model.conditionalExpectedPurchases(params, holdout, summary);
        // Alive at 39 weeks: bought after it, or alive at the end of the whole period.
        if (customer.alive || times.length > inCalibration.length) aliveAtCalibrationEnd++;
      }
      expectRelative(predictedPurchases, holdoutPurchases, 0.05);
      // Customers alive at 39 weeks who never buy again are invisible, so the count is a lower bound.
      expect(predictedAlive).toBeGreaterThanOrEqual(aliveAtCalibrationEnd * 0.97);
    }
  });

  it('rejects bad options with their field', () => {
    try {
      simulateCustomers(bgNbd, truth, { customers: -1, customerAge: Number.NaN, timeStep: -1 });
      expect.unreachable();
    } catch (error) {
      expect(isValidationError(error)).toBe(true);
      if (isValidationError(error)) expect(error.issues.map((issue) => issue.path[0])).toEqual(['customers', 'customerAge', 'timeStep']);
    }
    expect(() => simulateCustomers(bgNbd, { ...truth, alpha: -4 }, { customers: 1, customerAge: 1 })).toThrow(/alpha/);
    expect(() => simulateCustomers(bgNbd, { r: 50, alpha: 0.001, a: 1, b: 1e6 }, { customers: 1, customerAge: 10, maxPurchasesPerCustomer: 1000 })).toThrow(/exceeded 1000 purchases/);
  });
});
