/**
 * A quasi-Newton minimizer (BFGS with a backtracking Armijo line search; Nocedal &
 * Wright, Numerical Optimization, 2nd ed., Algorithm 6.1 and §3.1) for the models'
 * maximum-likelihood fits. The models optimize in log-parameter space, so the problem
 * is unconstrained; the minimizer reports how it stopped instead of pretending to have
 * converged.
 */

/**
 * The function to minimize at `point`. When `gradient` is given the objective may
 * fill it and return `true` as second element; otherwise central differences are used.
 * Non-finite values are treated as +∞ (the line search steps back).
 */
export interface Objective {
  (point: Float64Array): number;
  /** Optional analytic gradient: writes ∂f/∂pointᵢ into `gradient`, returns f. */
  withGradient?: (point: Float64Array, gradient: Float64Array) => number;
}

/** Why the minimizer stopped. */
export type StopReason = 'gradient' | 'function' | 'max-iterations' | 'line-search' | 'non-finite';

/** The outcome of a minimization. */
export interface Minimum {
  readonly point: Float64Array;
  readonly value: number;
  readonly iterations: number;
  readonly evaluations: number;
  readonly converged: boolean;
  readonly reason: StopReason;
  /** max |∂f/∂pointᵢ| at `point`. */
  readonly gradientNorm: number;
}

/** Settings of `minimizeBfgs`. */
export interface MinimizeSettings {
  readonly maxIterations: number;
  /** Converged when max |∂f/∂pointᵢ| ≤ this. */
  readonly gradientTolerance: number;
  /** Largest change of any coordinate in one step (log-parameters: a factor e^maxStep). */
  readonly maxStep: number;
}

function infinityNorm(values: Float64Array): number {
  let norm = 0;
  for (const value of values) norm = Math.max(norm, Math.abs(value));
  return norm;
}

/** Minimizes `objective` from `start` with BFGS. Never throws on numerical trouble. */
export function minimizeBfgs(objective: Objective, start: ArrayLike<number>, settings: MinimizeSettings): Minimum {
  const n = start.length;
  let evaluations = 0;
  const evaluate = (point: Float64Array): number => {
    evaluations++;
    const value = objective(point);
    return Number.isFinite(value) ? value : Number.POSITIVE_INFINITY;
  };
  const evaluateGradient = (point: Float64Array, value: number, gradient: Float64Array): number => {
    if (objective.withGradient) {
      evaluations++;
      const fresh = objective.withGradient(point, gradient);
      return Number.isFinite(fresh) ? fresh : Number.POSITIVE_INFINITY;
    }
    // Central differences: error O(h²) from truncation plus O(ε·|f|/h) from rounding;
    // h ≈ ε^(1/3) balances the two.
    const probe = Float64Array.from(point);
    for (let i = 0; i < n; i++) {
      const h = 6e-6 * Math.max(1, Math.abs(point[i] as number));
      probe[i] = (point[i] as number) + h;
      const up = evaluate(probe);
      probe[i] = (point[i] as number) - h;
      const down = evaluate(probe);
      probe[i] = point[i] as number;
      gradient[i] = (up - down) / (2 * h);
    }
    return value;
  };

  let point = Float64Array.from(start);
  let value = evaluate(point);
  let gradient = new Float64Array(n);
  if (!Number.isFinite(value)) {
    return { point, value, iterations: 0, evaluations, converged: false, reason: 'non-finite', gradientNorm: Number.NaN };
  }
  value = evaluateGradient(point, value, gradient);
  // Inverse Hessian approximation, row-major; starts as the identity.
  const inverse = new Float64Array(n * n);
  const resetInverse = (): void => {
    inverse.fill(0);
    for (let i = 0; i < n; i++) inverse[i * n + i] = 1;
  };
  resetInverse();
  let freshInverse = true;
  const direction = new Float64Array(n);
  const candidate = new Float64Array(n);
  const candidateGradient = new Float64Array(n);
  const s = new Float64Array(n);
  const y = new Float64Array(n);
  const hy = new Float64Array(n);
  let iterations = 0;
  let reason: StopReason = 'max-iterations';

  while (iterations < settings.maxIterations) {
    const gradientNorm = infinityNorm(gradient);
    if (!Number.isFinite(gradientNorm)) {
      reason = 'non-finite';
      break;
    }
    if (gradientNorm <= settings.gradientTolerance) {
      reason = 'gradient';
      break;
    }
    iterations++;
    let slope = 0;
    for (let i = 0; i < n; i++) {
      let d = 0;
      for (let j = 0; j < n; j++) d -= (inverse[i * n + j] as number) * (gradient[j] as number);
      direction[i] = d;
      slope += d * (gradient[i] as number);
    }
    if (!(slope < 0)) {
      // Not a descent direction: the curvature model went bad; restart from steepest descent.
      resetInverse();
      freshInverse = true;
      for (let i = 0; i < n; i++) direction[i] = -(gradient[i] as number);
      slope = 0;
      for (let i = 0; i < n; i++) slope -= (gradient[i] as number) ** 2;
    }
    let step = Math.min(1, settings.maxStep / Math.max(infinityNorm(direction), Number.MIN_VALUE));
    let accepted = false;
    let candidateValue = Number.POSITIVE_INFINITY;
    for (let halving = 0; halving < 60; halving++) {
      for (let i = 0; i < n; i++) candidate[i] = (point[i] as number) + step * (direction[i] as number);
      candidateValue = evaluate(candidate);
      if (candidateValue <= value + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      step *= Number.isFinite(candidateValue) ? 0.5 : 0.1;
    }
    if (!accepted) {
      if (!freshInverse) {
        resetInverse();
        freshInverse = true;
        continue;
      }
      reason = 'line-search';
      break;
    }
    candidateValue = evaluateGradient(candidate, candidateValue, candidateGradient);
    let sy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = (candidate[i] as number) - (point[i] as number);
      y[i] = (candidateGradient[i] as number) - (gradient[i] as number);
      sy += (s[i] as number) * (y[i] as number);
    }
    const previousValue = value;
    point = Float64Array.from(candidate);
    gradient = Float64Array.from(candidateGradient);
    value = candidateValue;
    if (sy > 1e-12) {
      // BFGS update of the inverse Hessian (Nocedal & Wright eq. 6.17).
      let yHy = 0;
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += (inverse[i * n + j] as number) * (y[j] as number);
        hy[i] = v;
        yHy += (y[i] as number) * v;
      }
      const rho = 1 / sy;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          inverse[i * n + j] =
            (inverse[i * n + j] as number) -
            rho * ((hy[i] as number) * (s[j] as number) + (s[i] as number) * (hy[j] as number)) +
            (rho * rho * yHy + rho) * (s[i] as number) * (s[j] as number);
        }
      }
      freshInverse = false;
    }
    if (Math.abs(previousValue - value) <= 1e-15 * Math.max(1, Math.abs(value))) {
      // No progress at machine precision: a stationary point if the gradient is small.
      const norm = infinityNorm(gradient);
      if (norm <= Math.sqrt(settings.gradientTolerance)) {
        reason = norm <= settings.gradientTolerance ? 'gradient' : 'function';
        break;
      }
    }
  }
  const gradientNorm = infinityNorm(gradient);
  const converged = reason === 'gradient' || reason === 'function' || (reason === 'line-search' && gradientNorm <= Math.sqrt(settings.gradientTolerance));
  return { point, value, iterations, evaluations, converged, reason, gradientNorm };
}
