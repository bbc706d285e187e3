/**
 * The Gauss hypergeometric function ₂F₁(a, b; c; z) for real parameters and
 * −1 < z < 1, as the BG/NBD, MBG/NBD and Pareto/NBD expressions need it.
 *
 * The power series Σ (a)ₙ(b)ₙ / ((c)ₙ n!) zⁿ converges geometrically for |z| < 1 but its
 * sum grows like (1 − z)^(c − a − b) when c < a + b, so near z → 1 the terms are large and
 * many are needed. There the Euler transformation (Abramowitz & Stegun 15.3.3)
 * ₂F₁(a, b; c; z) = (1 − z)^(c − a − b) ₂F₁(c − a, c − b; c; z) moves the singular factor
 * out in closed form and the remaining series has a finite sum at z = 1. For z < −½ the
 * Pfaff transformation (A&S 15.3.4) maps z into (0, ½).
 */

/** More terms than any argument with 1 − z > 1e-5 needs; beyond it the result is NaN. */
const maxSeriesTerms = 2_000_000;

/**
 * Sum of the Gauss series; NaN if it did not converge within `maxSeriesTerms`.
 * The stopping rule bounds the tail by a geometric series with the current term ratio.
 */
function gaussSeries(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let n = 0; n < maxSeriesTerms; n++) {
    const ratio = ((a + n) * (b + n)) / ((c + n) * (n + 1)) * z;
    term *= ratio;
    sum += term;
    if (term === 0) return sum; // a terminating series (a or b a non-positive integer)
    const bound = Math.max(Math.abs(ratio), Math.abs(z));
    if (bound < 1 && Math.abs(term) <= 1e-17 * Math.abs(sum) * (1 - bound)) return sum;
  }
  return Number.NaN;
}

/**
 * ln ₂F₁(a, b; c; z) for −1 < z < 1 when the function is positive (as it is for every
 * use in the purchase models); NaN otherwise. Log form so that callers can combine the
 * result with powers such as (α + T)^−(r + s + x) without overflow.
 */
export function logHypergeometric2F1(a: number, b: number, c: number, z: number): number {
  if (!(z > -1 && z < 1) || !Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c)) return Number.NaN;
  if (z === 0) return 0;
  if (z < -0.5) {
    // Pfaff: ₂F₁(a, b; c; z) = (1 − z)^(−a) ₂F₁(a, c − b; c; z / (z − 1)), argument in (1/3, ½).
    return -a * Math.log1p(-z) + logHypergeometric2F1(a, c - b, c, z / (z - 1));
  }
  const excess = c - a - b;
  if (z > 0.5 && excess < 0) {
    return excess * Math.log1p(-z) + Math.log(gaussSeries(c - a, c - b, c, z));
  }
  return Math.log(gaussSeries(a, b, c, z));
}

/** ₂F₁(a, b; c; z) for −1 < z < 1 (positive values; see `logHypergeometric2F1`). */
export function hypergeometric2F1(a: number, b: number, c: number, z: number): number {
  if (!(z > -1 && z < 1)) return Number.NaN;
  if (z === 0) return 1;
  if (z < -0.5) return Math.pow(1 - z, -a) * hypergeometric2F1(a, c - b, c, z / (z - 1));
  const excess = c - a - b;
  if (z > 0.5 && excess < 0) return Math.pow(1 - z, excess) * gaussSeries(c - a, c - b, c, z);
  return gaussSeries(a, b, c, z);
}

/**
 * 1 − e^lnFactor · ₂F₁(a, b; c; z), the bracket of the BG/NBD-family expectations. In log
 * space (with expm1, exact near 0) when ₂F₁ is positive; directly when it is not, which
 * happens for c < 0 (e.g. BG/NBD with a + b < 1).
 */
export function oneMinusScaledHypergeometric(lnFactor: number, a: number, b: number, c: number, z: number): number {
  const lnF = logHypergeometric2F1(a, b, c, z);
  if (Number.isFinite(lnF)) return -Math.expm1(lnFactor + lnF);
  return 1 - Math.exp(lnFactor) * hypergeometric2F1(a, b, c, z);
}
