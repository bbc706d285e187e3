import { describe, expect, it } from 'vitest';
import { minimizeBfgs, type Objective } from '../../../src/scoring/special/optimizer';

const rosenbrock: Objective = (p) => 100 * ((p[1] as number) - (p[0] as number) ** 2) ** 2 + (1 - (p[0] as number)) ** 2;

describe('BFGS minimizer', () => {
  it('finds the minimum of the Rosenbrock function with central-difference gradients', () => {
    const minimum = minimizeBfgs(rosenbrock, [-1.2, 1], { maxIterations: 500, gradientTolerance: 1e-6, maxStep: 4 });
    expect(minimum.converged).toBe(true);
    expect(minimum.point[0]).toBeCloseTo(1, 4);
    expect(minimum.point[1]).toBeCloseTo(1, 4);
  });

  it('uses an analytic gradient when given one', () => {
    const quadratic: Objective = (p) => ((p[0] as number) - 3) ** 2 + 10 * ((p[1] as number) + 1) ** 2;
    quadratic.withGradient = (p, g) => {
      g[0] = 2 * ((p[0] as number) - 3);
      g[1] = 20 * ((p[1] as number) + 1);
      return quadratic(p);
    };
    const minimum = minimizeBfgs(quadratic, [0, 0], { maxIterations: 100, gradientTolerance: 1e-10, maxStep: 4 });
    expect(minimum.converged).toBe(true);
    expect(minimum.reason).toBe('gradient');
    expect(minimum.point[0]).toBeCloseTo(3, 8);
    expect(minimum.point[1]).toBeCloseTo(-1, 8);
    expect(minimum.evaluations).toBeLessThan(40);
  });

  it('reports running out of iterations instead of claiming convergence', () => {
    const minimum = minimizeBfgs(rosenbrock, [-1.2, 1], { maxIterations: 3, gradientTolerance: 1e-8, maxStep: 4 });
    expect(minimum.converged).toBe(false);
    expect(minimum.reason).toBe('max-iterations');
    expect(minimum.iterations).toBe(3);
  });

  it('reports a non-finite start', () => {
    const minimum = minimizeBfgs(() => Number.NaN, [0], { maxIterations: 10, gradientTolerance: 1e-8, maxStep: 4 });
    expect(minimum.converged).toBe(false);
    expect(minimum.reason).toBe('non-finite');
  });

  it('steps back from regions where the objective is not finite', () => {
    // ln-barrier: undefined for x ≤ 0; minimum at x = 1.
    const barrier: Objective = (p) => (p[0] as number) - Math.log(p[0] as number);
    const minimum = minimizeBfgs(barrier, [5], { maxIterations: 200, gradientTolerance: 1e-8, maxStep: 100 });
    expect(minimum.converged).toBe(true);
    expect(minimum.point[0]).toBeCloseTo(1, 6);
  });
});
