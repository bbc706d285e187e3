/**
 * The published CDNOW fits of MBG/NBD, Pareto/NBD and Gamma-Gamma (data/cdnow/README.md)
 * and the REFERENCE §4 test vectors for them. BG/NBD has its own file.
 */
import { describe, expect, it } from 'vitest';
import { gammaGamma, mbgNbd, paretoNbd } from 'guanxi/scoring';
import { readCdnowSummaries } from './cdnow';

const customers = readCdnowSummaries();

function expectSignificant(actual: number, expected: number, digits = 3): void {
  expect(Number(actual.toPrecision(digits))).toBe(Number(expected.toPrecision(digits)));
}

describe('MBG/NBD on CDNOW (Batislam et al. 2007, as reproduced by BTYDplus)', () => {
  const fit = mbgNbd.fit(customers);

  it('reproduces r 0.525, α 6.18, a 0.891, b 1.61 and LL ≈ −9582.1', () => {
    expect(fit.converged).toBe(true);
    expectSignificant(fit.params.r, 0.525);
    expectSignificant(fit.params.alpha, 6.183);
    expectSignificant(fit.params.a, 0.891);
    expectSignificant(fit.params.b, 1.614);
    expect(Math.abs(fit.logLikelihood - -9582.1)).toBeLessThan(0.1);
  });

  it('does not call a flat likelihood converged', () => {
    const flat = mbgNbd.fit([{ x: 3, tx: 10, T: 10 }, { x: 5, tx: 20, T: 20 }]);
    expect(flat.converged).toBe(false);
    expect(flat.stopReason).toBe('flat-likelihood');
  });

  it('gives customers without repeat purchases P(alive) < 1', () => {
    expect(mbgNbd.probabilityAlive(fit.params, { x: 0, tx: 0, T: 38.86 })).toBeLessThan(1);
  });
});

describe('Pareto/NBD on CDNOW (Fader, Hardie & Lee 2005)', () => {
  const fit = paretoNbd.fit(customers);
  const published = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };

  it('reproduces r 0.553, α 10.6, s 0.606, β 11.7 and LL −9595.0', () => {
    expect(fit.converged).toBe(true);
    expectSignificant(fit.params.r, 0.553);
    expectSignificant(fit.params.alpha, 10.578);
    expectSignificant(fit.params.s, 0.606);
    expectSignificant(fit.params.beta, 11.669);
    expect(Math.abs(fit.logLikelihood - -9595.0)).toBeLessThan(0.1);
  });

  it('matches E[Y(52) | 26, 30.86, 31] = 25.46', () => {
    expect(paretoNbd.conditionalExpectedPurchases(published, 52, { x: 26, tx: 30.86, T: 31 })).toBeCloseTo(25.46, 2);
    expect(paretoNbd.conditionalExpectedPurchases(fit.params, 52, { x: 26, tx: 30.86, T: 31 })).toBeCloseTo(25.46, 1);
  });
});

describe('Gamma-Gamma on CDNOW (Fader, Hardie & Lee 2005, JMR)', () => {
  const fit = gammaGamma.fit(customers);

  it('fits the 946 repeat customers: p 6.25, q 3.74, γ 15.4, LL ≈ −4055.9', () => {
    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(946);
    expect(fit.excludedCustomers).toBe(2357 - 946);
    expectSignificant(fit.params.p, 6.25);
    expectSignificant(fit.params.q, 3.74);
    expectSignificant(fit.params.gamma, 15.44);
    expect(Math.abs(fit.logLikelihood - -4055.9)).toBeLessThan(0.1);
  });

  it('reports the standard errors of the Python lifetimes quickstart (1.19, 0.290, 4.16)', () => {
    expect(fit.standardErrors?.p).toBeCloseTo(1.189687, 3);
    expect(fit.standardErrors?.q).toBeCloseTo(0.290166, 4);
    expect(fit.standardErrors?.gamma).toBeCloseTo(4.159994, 3);
  });

  it('matches the expected average spend of the first ten customers', () => {
    const published = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17];
    customers.slice(0, 10).forEach((customer, i) => {
      // The published figures are truncated or rounded to cents (24.6586… is given as 24.65).
      expect(Math.abs(gammaGamma.expectedAverageSpend(fit.params, customer) - (published[i] as number))).toBeLessThan(0.01);
    });
  });

  it('gives customers without repeat purchases the population mean pγ/(q − 1)', () => {
    const { p, q, gamma } = fit.params;
    expect(gammaGamma.expectedAverageSpend(fit.params, { x: 0, monetary: 0 })).toBeCloseTo((p * gamma) / (q - 1), 10);
    expect(gammaGamma.populationAverageSpend(fit.params)).toBeCloseTo((p * gamma) / (q - 1), 10);
  });

  it('rejects a repeat customer without a positive monetary value, naming the row', () => {
    expect(() => gammaGamma.fit([{ x: 1, monetary: 10 }, { x: 2, monetary: -5 }])).toThrow(/\[1\]\.monetary/);
    expect(() => gammaGamma.expectedAverageSpend({ p: 1, q: -2, gamma: 1 }, { x: 1, monetary: 3 })).toThrow(/q/);
  });
});
