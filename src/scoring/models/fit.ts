import { hessianAt, symmetricEigen } from '../special/curvature';
import { minimizeBfgs, type Objective } from '../special/optimizer';
import { ValidationError } from '../../core/errors/validation-error';
import { ModelFitError } from './errors/model-fit-error';

/**
 * Why a fit's maximum-likelihood search stopped: `gradient` (the gradient vanished — the
 * normal outcome), `function` (no further progress at machine precision with a small
 * gradient), `line-search` (no step improved the likelihood), `max-iterations`,
 * `non-finite` (the likelihood could not be evaluated at the starting point), or
 * `flat-likelihood` (the gradient vanished but the likelihood is flat in some direction:
 * the data do not determine the parameters, e.g. no customer made a repeat purchase, and
 * the search drifted towards a boundary). Only `gradient` and `function` count as converged.
 *
 * @example
 * ```ts
 * import { bgNbd, type ModelFitStopReason } from 'guanxi/scoring';
 *
 * const reason: ModelFitStopReason = bgNbd.fit([{ x: 2, tx: 5, T: 9 }, { x: 0, tx: 0, T: 9 }]).stopReason;
 * ```
 */
export type ModelFitStopReason = 'gradient' | 'function' | 'line-search' | 'max-iterations' | 'non-finite' | 'flat-likelihood';

/**
 * Options of every model's `fit()`.
 *
 * @example
 * ```ts
 * import { bgNbd, type ModelFitOptions, type BgNbdParameters } from 'guanxi/scoring';
 *
 * const options: ModelFitOptions<BgNbdParameters> = { requireConvergence: true, maxIterations: 200 };
 * const fit = bgNbd.fit([{ x: 2, tx: 5, T: 9 }, { x: 0, tx: 0, T: 9 }, { x: 1, tx: 1, T: 8 }], options);
 * ```
 */
export interface ModelFitOptions<P extends object = Record<string, number>> {
  /**
   * Where the search starts; missing parameters start at 1.
   * @default all parameters 1
   */
  readonly initialParams?: Partial<P>;
  /**
   * Largest number of quasi-Newton iterations.
   * @default 500
   */
  readonly maxIterations?: number;
  /**
   * Converged when every component of the gradient of the mean log-likelihood per
   * customer, with respect to the log-parameters, is at most this in magnitude.
   * @default 1e-7
   */
  readonly gradientTolerance?: number;
  /**
   * Throw a `ModelFitError` when the search does not converge, instead of returning a
   * fit with `converged: false`.
   * @default false
   */
  readonly requireConvergence?: boolean;
}

/**
 * The defaults of `ModelFitOptions`.
 *
 * @example
 * ```ts
 * import { defaultModelFitOptions } from 'guanxi/scoring';
 *
 * console.log(defaultModelFitOptions.maxIterations); // 500
 * ```
 */
export const defaultModelFitOptions: Readonly<Required<Omit<ModelFitOptions, 'initialParams'>>> = Object.freeze({
  maxIterations: 500,
  gradientTolerance: 1e-7,
  requireConvergence: false,
});

/**
 * Merges `ModelFitOptions` with `defaultModelFitOptions`, rejecting nonsensical values.
 *
 * @example
 * ```ts
 * import { resolveModelFitOptions } from 'guanxi/scoring';
 *
 * resolveModelFitOptions({ maxIterations: 50 }).gradientTolerance; // 1e-7
 * ```
 */
export function resolveModelFitOptions<P extends object>(
  options: ModelFitOptions<P> = {},
): Readonly<Required<Omit<ModelFitOptions<P>, 'initialParams'>>> & { readonly initialParams: Partial<P> } {
  const resolved = { ...defaultModelFitOptions, initialParams: {}, ...stripUndefined(options) };
  if (!(Number.isInteger(resolved.maxIterations) && resolved.maxIterations >= 0)) {
    throw new RangeError('maxIterations must be a non-negative integer');
  }
  if (!(resolved.gradientTolerance > 0)) throw new RangeError('gradientTolerance must be positive');
  return resolved as never;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

/**
 * The result of fitting a model by maximum likelihood.
 *
 * @example
 * ```ts
 * import { bgNbd, type ModelFit, type BgNbdParameters } from 'guanxi/scoring';
 *
 * const fit: ModelFit<BgNbdParameters> = bgNbd.fit([{ x: 2, tx: 5, T: 9 }, { x: 0, tx: 0, T: 9 }, { x: 1, tx: 1, T: 8 }]);
 * if (!fit.converged) console.warn(`fit stopped by ${fit.stopReason}`);
 * ```
 */
export interface ModelFit<P> {
  /** Which model was fitted. */
  readonly model: 'bg-nbd' | 'mbg-nbd' | 'pareto-nbd' | 'gamma-gamma';
  /** The maximum-likelihood parameters (or the last point reached, if not converged). */
  readonly params: P;
  /** Total log-likelihood of the data at `params`. */
  readonly logLikelihood: number;
  /** Quasi-Newton iterations taken. */
  readonly iterations: number;
  /** Likelihood evaluations (one per gradient when the model has an analytic gradient). */
  readonly evaluations: number;
  /** Whether the search converged; see `stopReason`. */
  readonly converged: boolean;
  /** Why the search stopped. */
  readonly stopReason: ModelFitStopReason;
  /** Largest gradient component at `params` (mean log-likelihood per customer, log-parameters). */
  readonly gradientNorm: number;
  /**
   * Asymptotic standard errors of the parameters (inverse observed information, by the
   * delta method from the log-parameters); absent when the fit did not converge.
   */
  readonly standardErrors?: P;
  /** Customers fitted (total weight). */
  readonly customers: number;
  /** Unique rows the likelihood was evaluated on. */
  readonly uniqueRows: number;
}

/** Inputs of `fitMaximumLikelihood`: how one model evaluates its likelihood. */
export interface LikelihoodProblem<P> {
  readonly model: ModelFit<P>['model'];
  readonly parameterNames: readonly (keyof P & string)[];
  readonly customers: number;
  readonly uniqueRows: number;
  /** Total log-likelihood at `params` (NaN or −∞ when not computable). */
  readonly logLikelihood: (params: P) => number;
  /** Optional analytic gradient of the total log-likelihood w.r.t. the log-parameters. */
  readonly logLikelihoodGradient?: (params: P, gradient: Float64Array) => number;
}

/**
 * Smallest eigenvalue of the Hessian of the mean negative log-likelihood per customer (in
 * log-parameters) accepted as a maximum. Well-determined fits have eigenvalues of order
 * 1e-3 to 1; ridges towards a boundary have values below 1e-6 that keep shrinking.
 */
const minimumCurvature = 1e-7;

/**
 * Maximizes a model's likelihood over the log-parameters (so every parameter stays
 * positive without constraints), minimizing the mean negative log-likelihood per
 * customer so that tolerances do not depend on the size of the data.
 */
export function fitMaximumLikelihood<P extends object>(problem: LikelihoodProblem<P>, options: ModelFitOptions<P> = {}): ModelFit<P> {
  const resolved = resolveModelFitOptions(options);
  if (!(problem.customers > 0)) {
    throw new ValidationError([{ path: [], code: 'too_small', message: 'Expected at least one customer with positive weight' }], 'customer summaries');
  }
  const names = problem.parameterNames;
  const scale = 1 / problem.customers;
  const toParams = (point: Float64Array): P => {
    const params: Record<string, number> = {};
    names.forEach((name, i) => {
      params[name] = Math.exp(point[i] as number);
    });
    return params as P;
  };
  const objective: Objective = (point) => -problem.logLikelihood(toParams(point)) * scale;
  const gradientOf = problem.logLikelihoodGradient;
  if (gradientOf) {
    objective.withGradient = (point, gradient) => {
      const value = gradientOf(toParams(point), gradient);
      for (let i = 0; i < gradient.length; i++) gradient[i] = -(gradient[i] as number) * scale;
      return -value * scale;
    };
  }
  const start = names.map((name) => {
    const initial = (resolved.initialParams as Record<string, number | undefined>)[name];
    if (initial === undefined) return 0;
    if (!(initial > 0 && Number.isFinite(initial))) throw new RangeError(`initialParams.${name} must be a positive finite number`);
    return Math.log(initial);
  });
  const minimum = minimizeBfgs(objective, start, {
    maxIterations: resolved.maxIterations,
    gradientTolerance: resolved.gradientTolerance,
    maxStep: 4,
  });
  const params = toParams(minimum.point);
  let converged = minimum.converged;
  let stopReason: ModelFitStopReason = minimum.reason;
  let standardErrors: P | undefined;
  if (converged) {
    // A vanishing gradient is not enough: on a ridge running to a boundary (r → 0, b → ∞)
    // the gradient also vanishes. Require clearly positive curvature in every direction.
    const hessian = hessianAt(objective, minimum.point);
    const { values, vectors } = symmetricEigen(hessian, names.length);
    if (!values.every((value) => value > minimumCurvature)) {
      converged = false;
      stopReason = 'flat-likelihood';
    } else {
      // Covariance of the log-parameters = H⁻¹ / N (H of the mean log-likelihood);
      // SE(θ) = θ · SE(ln θ).
      const errors: Record<string, number> = {};
      const n = names.length;
      names.forEach((name, i) => {
        let variance = 0;
        for (let k = 0; k < n; k++) variance += (vectors[i * n + k] as number) ** 2 / (values[k] as number);
        errors[name] = Math.exp(minimum.point[i] as number) * Math.sqrt(variance * scale);
      });
      standardErrors = errors as P;
    }
  }
  const fit: ModelFit<P> = {
    model: problem.model,
    params,
    logLikelihood: -minimum.value / scale,
    iterations: minimum.iterations,
    evaluations: minimum.evaluations,
    converged,
    stopReason,
    gradientNorm: minimum.gradientNorm,
    customers: problem.customers,
    uniqueRows: problem.uniqueRows,
    ...(standardErrors ? { standardErrors } : {}),
  };
  if (!fit.converged && resolved.requireConvergence) {
    throw new ModelFitError({
      model: fit.model,
      stopReason: fit.stopReason,
      iterations: fit.iterations,
      logLikelihood: fit.logLikelihood,
      params: params as Readonly<Record<string, number>>,
    });
  }
  return fit;
}
