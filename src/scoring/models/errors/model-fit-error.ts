import { GuanxiError, isGuanxiErrorNamed, type GuanxiErrorOptions } from '../../../core/errors/guanxi-error';

/**
 * Thrown by a model's `fit()` when the maximum-likelihood search did not converge and
 * the caller asked for `requireConvergence: true`. Without that option the fit returns
 * `converged: false` with the same data instead. Carries the model, where the search
 * stopped and why, so the caller can retry with other starting values.
 *
 * @example
 * ```ts
 * import { bgNbd, isModelFitError } from 'guanxi/scoring';
 *
 * try {
 *   bgNbd.fit([{ x: 1, tx: 2, T: 5 }], { maxIterations: 1, requireConvergence: true });
 * } catch (error) {
 *   if (isModelFitError(error)) console.log(error.model, error.stopReason, error.iterations);
 * }
 * ```
 */
export class ModelFitError extends GuanxiError {
  override name = 'ModelFitError' as const;
  /** The model that was fitted: `bg-nbd`, `mbg-nbd`, `pareto-nbd` or `gamma-gamma`. */
  readonly model: string;
  /** Why the search stopped (`max-iterations`, `line-search`, `non-finite`, `flat-likelihood`). */
  readonly stopReason: string;
  /** Iterations taken. */
  readonly iterations: number;
  /** Log-likelihood at the last point reached. */
  readonly logLikelihood: number;
  /** Parameters at the last point reached. */
  readonly params: Readonly<Record<string, number>>;

  constructor(
    details: {
      readonly model: string;
      readonly stopReason: string;
      readonly iterations: number;
      readonly logLikelihood: number;
      readonly params: Readonly<Record<string, number>>;
    },
    options: GuanxiErrorOptions = {},
  ) {
    super(
      `The ${details.model} fit did not converge (stopped by ${details.stopReason} after ${details.iterations} iterations, log-likelihood ${details.logLikelihood})`,
      'model_not_converged',
      options,
    );
    this.model = details.model;
    this.stopReason = details.stopReason;
    this.iterations = details.iterations;
    this.logLikelihood = details.logLikelihood;
    this.params = details.params;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      model: this.model,
      stopReason: this.stopReason,
      iterations: this.iterations,
      logLikelihood: this.logLikelihood,
      params: this.params,
    };
  }
}

/**
 * Whether a value is a `ModelFitError` (matched by name, so it works across realms).
 *
 * @example
 * ```ts
 * import { isModelFitError } from 'guanxi/scoring';
 *
 * console.log(isModelFitError(new Error('x'))); // false
 * ```
 */
export function isModelFitError(value: unknown): value is ModelFitError {
  return isGuanxiErrorNamed<ModelFitError>(value, 'ModelFitError');
}
