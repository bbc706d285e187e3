import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digamma, lnBeta, lnGamma } from '../../../src/scoring/special/gamma-function';
import { paretoNbd } from 'guanxi/scoring';
import { hypergeometric2F1, logHypergeometric2F1 } from '../../../src/scoring/special/hypergeometric';
import { logAddExp, logSubExp } from '../../../src/scoring/special/log-space';

// Reference values computed with mpmath at 40 significant digits.
const gammaTable: readonly (readonly [number, number, number])[] = [
  [1e-3, 6.907178885383853, -1000.5755719318103],
  [0.243, 1.3180435846996699, -4.351093864423211],
  [0.5, 0.5723649429247001, -1.9635100260214235],
  [1, 0, -0.5772156649015329],
  [2.5, 0.2846828704729192, 0.7031566406452432],
  [10, 12.801827480081469, 2.251752589066721],
  [171.5, 709.1431630309282, 5.141664981433999],
  [1e5, 1051287.7089736569, 11.512920464961896],
];

const hypergeometricTable: readonly (readonly [number, number, number, number, number])[] = [
  [0.243, 2.426, 2.219, 0.3, 1.100518533085473],
  [0.243, 2.426, 2.219, 0.946, 2.38341190916359], // Euler transformation (c − a − b < 0)
  [2.243, 4.426, 4.219, 0.47, 4.49303693401162],
  [1, 2.5, 4.2, 0.999, 4.410911127002599],
  [0.5, 0.5, 1.5, -0.9, 0.8903053070774893], // Pfaff transformation
  [3, -0.2, 2.2, 0.8, 0.5277486312148941],
  [1.7, 2.3, 0.9, 0.99, 3492217.9320491306], // large value near z → 1
  [0.1, 0.2, 0.3, 0.9999, 1.6280649772509281], // c − a − b = 0: slow direct series
  // 1 − z below 0.01: the connection formula to 1 − z (A&S 15.3.6), where the series in z
  // would need millions of terms (Pareto/NBD with α and β far apart).
  [1, 0.55, 2.15, 0.9999999, 1.916512060898182],
  [1, 0.55, 2.15, 0.999999999999, 1.9166665118020656],
  [1, 3.2, 4.9, 0.999999999, 5.571410368362781],
  [1, 1.5, 3.5, 0.99999999, 2.499999357238414], // c − a − b = 1: the logarithmic case
  [1, 1.5, 3.50005, 0.99999999, 2.49992436128485], // c − a − b within 1e-4 of an integer
  [0.243, 2.426, 2.219, 0.999999, 233.33324907341472], // c − a − b < 0
  [2.5, 1.3, 0.7, 0.9999, 6005747187767.938],
  [1.2, 0.8, 1.3, 0.995, 44.279703481346814],
  [0.6, 11.1, 12.6, 0.999997, 5.300415886353153],
];

describe('lnGamma and digamma', () => {
  it.each(gammaTable)('lnΓ(%f) and ψ match mpmath', (x, lnG, psi) => {
    expect(lnGamma(x)).toBeCloseTo(lnG, 11);
    expect(Math.abs(lnGamma(x) - lnG)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(lnG)));
    expect(Math.abs(digamma(x) - psi)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(psi)));
  });

  it('is NaN outside the positive reals', () => {
    expect(lnGamma(0)).toBeNaN();
    expect(lnGamma(-1.5)).toBeNaN();
    expect(lnGamma(Number.NaN)).toBeNaN();
    expect(digamma(0)).toBeNaN();
  });

  it('satisfies Γ(x + 1) = xΓ(x) and ψ(x + 1) = ψ(x) + 1/x', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (x) => {
        expect(lnGamma(x + 1) - lnGamma(x)).toBeCloseTo(Math.log(x), 9);
        expect(digamma(x + 1) - digamma(x)).toBeCloseTo(1 / x, 9);
      }),
    );
  });

  it('lnBeta is symmetric and matches B(1, b) = 1/b', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 100, noNaN: true }), fc.double({ min: 0.01, max: 100, noNaN: true }), (a, b) => {
        expect(lnBeta(a, b)).toBeCloseTo(lnBeta(b, a), 10);
        expect(lnBeta(1, b)).toBeCloseTo(-Math.log(b), 10);
      }),
    );
  });
});

describe('Gauss hypergeometric ₂F₁', () => {
  it.each(hypergeometricTable)('₂F₁(%f, %f; %f; %f) matches mpmath', (a, b, c, z, expected) => {
    expect(Math.abs(hypergeometric2F1(a, b, c, z) / expected - 1)).toBeLessThan(1e-11);
    expect(Math.abs(logHypergeometric2F1(a, b, c, z) - Math.log(expected))).toBeLessThan(1e-11);
  });

  it('has closed forms: ₂F₁(1, 1; 2; z) = −ln(1 − z)/z and ₂F₁(a, b; b; z) = (1 − z)^−a', () => {
    fc.assert(
      fc.property(fc.double({ min: -0.99, max: 0.999, noNaN: true }).filter((z) => Math.abs(z) > 1e-6), fc.double({ min: 0.05, max: 20, noNaN: true }), fc.double({ min: 0.05, max: 20, noNaN: true }), (z, a, b) => {
        expect(hypergeometric2F1(1, 1, 2, z)).toBeCloseTo(-Math.log1p(-z) / z, 9);
        expect(logHypergeometric2F1(a, b, b, z)).toBeCloseTo(-a * Math.log1p(-z), 8);
      }),
    );
  });

  it('is NaN outside −1 < z < 1 and 1 at z = 0', () => {
    expect(hypergeometric2F1(1, 1, 2, 1)).toBeNaN();
    expect(logHypergeometric2F1(1, 1, 2, -1)).toBeNaN();
    expect(hypergeometric2F1(0.3, 0.4, 0.5, 0)).toBe(1);
  });
});

describe('log-space arithmetic', () => {
  it('adds and subtracts without overflow', () => {
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.log(2), 12);
    expect(logAddExp(-1e4, Number.NEGATIVE_INFINITY)).toBe(-1e4);
    expect(logSubExp(1000, 1000 + Math.log(0.5) + 0)).toBeCloseTo(1000 + Math.log(0.5), 12);
    expect(logSubExp(3, 3)).toBe(Number.NEGATIVE_INFINITY);
    expect(logSubExp(2, 3)).toBeNaN();
  });

  it('agrees with direct arithmetic on moderate numbers', () => {
    fc.assert(
      fc.property(fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: -50, max: 50, noNaN: true }), (a, b) => {
        expect(logAddExp(a, b)).toBeCloseTo(Math.log(Math.exp(a) + Math.exp(b)), 9);
        const [hi, lo] = a >= b ? [a, b] : [b, a];
        if (hi - lo > 1e-6) expect(Math.exp(logSubExp(hi, lo) - hi)).toBeCloseTo(1 - Math.exp(lo - hi), 9);
      }),
    );
  });
});

// P(alive) from Fader & Hardie's note 009 evaluated with mpmath at 50 digits.
const paretoFarApart: readonly (readonly [{ r: number; alpha: number; s: number; beta: number }, { x: number; tx: number; T: number }, number])[] = [
  [{ r: 0.5, alpha: 2e6, s: 0.6, beta: 10 }, { x: 0, tx: 0, T: 30 }, 0.43527403323850455],
  [{ r: 0.5, alpha: 2e6, s: 0.6, beta: 10 }, { x: 3, tx: 5, T: 30 }, 0.5551539736709287],
  [{ r: 0.5, alpha: 10, s: 0.6, beta: 2e6 }, { x: 3, tx: 5, T: 30 }, 0.9999490630875963],
  [{ r: 0.5, alpha: 1e6, s: 1, beta: 3 }, { x: 0, tx: 0, T: 30 }, 0.09090805428073398],
  [{ r: 0.5, alpha: 1e6, s: 1, beta: 3 }, { x: 10, tx: 29, T: 30 }, 0.9696968138487663],
  [{ r: 2, alpha: 5e5, s: 0.3, beta: 1 }, { x: 3, tx: 5, T: 30 }, 0.6109540950645792],
];

describe('Pareto/NBD with α and β tens of thousands of times apart', () => {
  it.each(paretoFarApart)('P(alive) for %o, %o matches mpmath', (params, customer, expected) => {
    expect(Math.abs(paretoNbd.probabilityAlive(params, customer) / expected - 1)).toBeLessThan(1e-10);
    expect(Number.isFinite(paretoNbd.logLikelihood(params, [customer]))).toBe(true);
  });
});
