import { ValidationError } from '../../core/errors/validation-error';

/** Checks a length of time (t ≥ 0, finite) passed to a prediction. */
export function checkDuration(t: number, name: string, context: string): number {
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) {
    throw new ValidationError([{ path: [name], code: 'invalid_value', message: `Expected ${name} to be a non-negative finite number` }], context);
  }
  return t;
}

/** Checks a purchase count (a non-negative integer) passed to a prediction. */
export function checkPurchaseCount(n: number, name: string, context: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new ValidationError([{ path: [name], code: 'invalid_value', message: `Expected ${name} to be a non-negative integer` }], context);
  }
  return n;
}

/**
 * Evaluates `formula(value)` where the closed form has a removable singularity at
 * `singular` (e.g. BG/NBD's 1/(a − 1) at a = 1): within 1e-6 of it, the mean of the
 * formula on both sides, which is exact to O(1e-12) for smooth functions.
 */
export function acrossRemovableSingularity(value: number, singular: number, formula: (value: number) => number): number {
  const offset = 1e-6;
  if (Math.abs(value - singular) >= offset) return formula(value);
  return (formula(singular + offset) + formula(singular - offset)) / 2;
}

/**
 * Tail and body of a negative binomial distribution NB(r, p) with
 * P(j) = Γ(r + j)/(Γ(r) j!) pʳ (1 − p)ʲ: returns P(J ≥ n). Sums the smaller side so that
 * tiny tails keep their relative precision instead of vanishing in 1 − Σ.
 */
export function negativeBinomialUpperTail(r: number, logP: number, logQ: number, n: number, lnGammaR: number, lnGammaFn: (v: number) => number): number {
  if (n <= 0) return 1;
  const logTerm = (j: number): number => lnGammaFn(r + j) - lnGammaR - lnGammaFn(j + 1) + r * logP + j * logQ;
  const mean = (r * Math.exp(logQ)) / Math.exp(logP);
  if (n > mean + 1) {
    // Beyond the mean the terms decrease: sum the tail directly.
    let sum = 0;
    let term = Math.exp(logTerm(n));
    for (let j = n; j < n + 1_000_000 && term > 0; j++) {
      sum += term;
      term *= ((r + j) / (j + 1)) * Math.exp(logQ);
      if (term < 1e-17 * sum) break;
    }
    return sum;
  }
  let body = 0;
  let term = Math.exp(r * logP);
  for (let j = 0; j < n; j++) {
    body += term;
    term *= ((r + j) / (j + 1)) * Math.exp(logQ);
  }
  return Math.max(0, 1 - body);
}
