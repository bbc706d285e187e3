/**
 * Curvature of an objective at a minimum: the finite-difference Hessian and its
 * eigen-decomposition. Fits use it to tell a real maximum of the likelihood from a
 * flat ridge (parameters the data do not determine) and to report standard errors.
 */
import type { Objective } from './optimizer';

/**
 * The Hessian of `objective` at `point` (row-major, symmetrized): central differences of
 * the analytic gradient when there is one (step 1e-5), otherwise second differences of
 * the objective (step 1e-3, which keeps rounding error near 1e-10 for values of order 1).
 */
export function hessianAt(objective: Objective, point: Float64Array): Float64Array {
  const n = point.length;
  const hessian = new Float64Array(n * n);
  const probe = Float64Array.from(point);
  const withGradient = objective.withGradient;
  if (withGradient) {
    const up = new Float64Array(n);
    const down = new Float64Array(n);
    const h = 1e-5;
    for (let j = 0; j < n; j++) {
      probe[j] = (point[j] as number) + h;
      withGradient(probe, up);
      probe[j] = (point[j] as number) - h;
      withGradient(probe, down);
      probe[j] = point[j] as number;
      for (let i = 0; i < n; i++) hessian[i * n + j] = ((up[i] as number) - (down[i] as number)) / (2 * h);
    }
  } else {
    const h = 1e-3;
    const at = (di: number, i: number, dj: number, j: number): number => {
      probe[i] = (probe[i] as number) + di * h;
      probe[j] = (probe[j] as number) + dj * h;
      const value = objective(probe);
      probe.set(point);
      return value;
    };
    const center = objective(point);
    for (let i = 0; i < n; i++) {
      hessian[i * n + i] = (at(1, i, 0, i) - 2 * center + at(-1, i, 0, i)) / (h * h);
      for (let j = 0; j < i; j++) {
        const value = (at(1, i, 1, j) - at(1, i, -1, j) - at(-1, i, 1, j) + at(-1, i, -1, j)) / (4 * h * h);
        hessian[i * n + j] = value;
        hessian[j * n + i] = value;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const mean = ((hessian[i * n + j] as number) + (hessian[j * n + i] as number)) / 2;
      hessian[i * n + j] = mean;
      hessian[j * n + i] = mean;
    }
  }
  return hessian;
}

/**
 * Eigenvalues and eigenvectors (columns of `vectors`, row-major) of a small symmetric
 * matrix by cyclic Jacobi rotations (Golub & Van Loan, Matrix Computations, §8.5).
 */
export function symmetricEigen(matrix: Float64Array, n: number): { readonly values: Float64Array; readonly vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += (a[p * n + q] as number) ** 2;
    if (!(off > 1e-30)) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q] as number;
        if (apq === 0) continue;
        const theta = ((a[q * n + q] as number) - (a[p * n + p] as number)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p] as number;
          const akq = a[k * n + q] as number;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k] as number;
          const aqk = a[q * n + k] as number;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p] as number;
          const vkq = v[k * n + q] as number;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i] as number;
  return { values, vectors: v };
}
