/**
 * Logarithms of the gamma and beta functions and the digamma function, for positive
 * real arguments. Internal to the scoring area: the models' likelihoods are written in
 * log space so that Γ(r + x) for large purchase counts never overflows.
 */

// Lanczos approximation with g = 7, n = 9 (the coefficients of Press et al.,
// Numerical Recipes 3rd ed. §6.1, and of Boost/Godfrey): relative error below 1e-15
// over the positive reals.
const lanczosG = 7;
const lanczosCoefficients = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
] as const;
const halfLogTwoPi = 0.9189385332046727; // ln(2π)/2

/**
 * ln Γ(x) for x > 0 (NaN otherwise). Uses the reflection formula below 0.5 so that
 * small shape parameters (r ≈ 0.01) keep full relative accuracy.
 */
export function lnGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return x;
  if (x < 0.5) {
    // Γ(x)Γ(1 − x) = π / sin(πx)
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  }
  const z = x - 1;
  let sum = lanczosCoefficients[0];
  for (let i = 1; i < lanczosG + 2; i++) sum += (lanczosCoefficients[i] as number) / (z + i);
  const t = z + lanczosG + 0.5;
  return halfLogTwoPi + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b) for a, b > 0. */
export function lnBeta(a: number, b: number): number {
  return lnGamma(a) + lnGamma(b) - lnGamma(a + b);
}

/** B(a, b), the beta function, for a, b > 0 (may underflow to 0 for large arguments). */
export function betaFunction(a: number, b: number): number {
  return Math.exp(lnBeta(a, b));
}

/**
 * ψ(x) = d/dx ln Γ(x) for x > 0: the recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 10, then
 * the asymptotic series (Abramowitz & Stegun 6.3.18). Used by analytic gradients.
 */
export function digamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  let result = 0;
  let y = x;
  while (y < 10) {
    result -= 1 / y;
    y += 1;
  }
  const inv = 1 / y;
  const inv2 = inv * inv;
  result +=
    Math.log(y) -
    0.5 * inv -
    inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132)))));
  return result;
}
