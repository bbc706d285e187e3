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
 *
 * Even a convergent sum at z = 1 is reached slowly: the terms fall like n^(a+b−c−1) zⁿ, so
 * for 1 − z below 1e-5 (Pareto/NBD with α and β tens of thousands of times apart, say)
 * millions of terms would be needed. Within `connectionThreshold` of 1 the linear
 * transformation to 1 − z (A&S 15.3.6) is used instead: two series in 1 − z that converge
 * in a handful of terms. Its gamma-function coefficients have poles where c − a − b is an
 * integer (the two terms then cancel to a logarithmic limit, A&S 15.3.10–12); near those
 * values the function, analytic in c, is interpolated from four points around c.
 */
import { lnGamma } from './gamma-function';

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

/** 1 − z below which the 1 − z connection formula replaces the series in z. */
const connectionThreshold = 0.01;

/** Half-spacing of the points around c used where c − a − b is (nearly) an integer. */
const integerExcessStep = 1e-4;

/** ln |Γ(x)| and the sign of Γ(x) for any real x; ln |Γ| is +∞ at the poles (0, −1, −2, …). */
function signedLnGamma(x: number): { readonly ln: number; readonly sign: number } {
  if (x > 0) return { ln: lnGamma(x), sign: 1 };
  if (Number.isInteger(x)) return { ln: Number.POSITIVE_INFINITY, sign: 1 };
  // Reflection: Γ(x) = π / (sin(πx) Γ(1 − x)), with 1 − x > 1.
  const sine = Math.sin(Math.PI * x);
  return { ln: Math.log(Math.PI / Math.abs(sine)) - lnGamma(1 - x), sign: Math.sign(sine) };
}

/** A real number as sign × e^ln, so that sums of huge or tiny terms neither overflow nor underflow. */
interface SignedLog {
  readonly ln: number;
  readonly sign: number;
}

/** `value` × e^lnScale as a signed logarithm. */
function signedLogOf(value: number, lnScale = 0): SignedLog {
  return { ln: lnScale + Math.log(Math.abs(value)), sign: Math.sign(value) };
}

/**
 * One term Γ(c)Γ(e) / (Γ(p)Γ(q)) · w^power · series of the connection formula, as a signed
 * logarithm. A pole of Γ in the denominator makes the term 0.
 */
function connectionTerm(c: number, e: number, p: number, q: number, power: number, w: number, series: number): SignedLog {
  const gc = signedLnGamma(c);
  const ge = signedLnGamma(e);
  const gp = signedLnGamma(p);
  const gq = signedLnGamma(q);
  if (gp.ln === Number.POSITIVE_INFINITY || gq.ln === Number.POSITIVE_INFINITY || series === 0) return { ln: Number.NEGATIVE_INFINITY, sign: 0 };
  const s = signedLogOf(series);
  return {
    ln: gc.ln + ge.ln - gp.ln - gq.ln + power * Math.log(w) + s.ln,
    sign: gc.sign * ge.sign * gp.sign * gq.sign * s.sign,
  };
}

function addSignedLogs(x: SignedLog, y: SignedLog): SignedLog {
  if (x.sign === 0) return y;
  if (y.sign === 0) return x;
  const top = Math.max(x.ln, y.ln);
  const sum = x.sign * Math.exp(x.ln - top) + y.sign * Math.exp(y.ln - top);
  return { ln: top + Math.log(Math.abs(sum)), sign: Math.sign(sum) };
}

/**
 * ₂F₁(a, b; c; z) near z = 1 by A&S 15.3.6, for c − a − b not an integer:
 * Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) ₂F₁(a, b; a+b−c+1; 1−z)
 *   + (1−z)^(c−a−b) Γ(c)Γ(a+b−c)/(Γ(a)Γ(b)) ₂F₁(c−a, c−b; c−a−b+1; 1−z).
 */
function connectionNearOne(a: number, b: number, c: number, z: number): SignedLog {
  const w = 1 - z;
  const excess = c - a - b;
  const first = connectionTerm(c, excess, c - a, c - b, 0, w, gaussSeries(a, b, 1 - excess, w));
  const second = connectionTerm(c, -excess, a, b, excess, w, gaussSeries(c - a, c - b, excess + 1, w));
  return addSignedLogs(first, second);
}

/**
 * ₂F₁ near z = 1 as a signed logarithm. Where c − a − b is within `integerExcessStep` of an
 * integer, the two terms of 15.3.6 blow up and cancel; the function is analytic in c, so it
 * is taken from the four points c ± h, c ± 2h (h = 2 × 10⁻⁴, each at least 10⁻⁴ from the
 * pole) by the fourth-order central rule f(c) ≈ [4(f₊₁ + f₋₁) − (f₊₂ + f₋₂)] / 6.
 */
function nearOne(a: number, b: number, c: number, z: number): SignedLog {
  const excess = c - a - b;
  if (Math.abs(excess - Math.round(excess)) >= integerExcessStep) return connectionNearOne(a, b, c, z);
  const h = 2 * integerExcessStep;
  const points = [h, -h, 2 * h, -2 * h].map((shift) => connectionNearOne(a, b, c + shift, z));
  const scale = Math.max(...points.map((point) => point.ln));
  const [p1, m1, p2, m2] = points.map((point) => point.sign * Math.exp(point.ln - scale)) as [number, number, number, number];
  return signedLogOf((4 * (p1 + m1) - (p2 + m2)) / 6, scale);
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
  if (1 - z < connectionThreshold) {
    const value = nearOne(a, b, c, z);
    return value.sign > 0 ? value.ln : Number.NaN;
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
  if (1 - z < connectionThreshold) {
    const value = nearOne(a, b, c, z);
    return value.sign * Math.exp(value.ln);
  }
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
