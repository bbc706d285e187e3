/**
 * Log-space arithmetic: sums and differences of numbers held as their logarithms, so
 * that likelihood terms such as (α + T)^−(r + x) never underflow for heavy buyers.
 */

/** ln(eᵃ + eᵇ) without overflow or underflow. */
export function logAddExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/**
 * ln(eᵃ − eᵇ) for a ≥ b; −∞ when a = b. Returns NaN when b > a (a negative difference
 * has no logarithm), which callers treat as a numerical failure.
 */
export function logSubExp(a: number, b: number): number {
  if (b === Number.NEGATIVE_INFINITY) return a;
  if (b > a) return Number.NaN;
  if (a === b) return Number.NEGATIVE_INFINITY;
  // ln(1 − e^(b−a)); log(-expm1) keeps precision when b − a is close to 0.
  return a + Math.log(-Math.expm1(b - a));
}
