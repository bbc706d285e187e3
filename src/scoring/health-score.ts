import { ValidationError, type ValidationIssue } from '../core/errors/validation-error';

/**
 * One component of a health score: its weight and how a raw value maps to 0–1
 * (linearly from `worst` to `best`, clamped; `best < worst` means lower is better).
 *
 * @example
 * ```ts
 * import type { HealthComponent } from 'guanxi/scoring';
 *
 * // Days since last login: 0 is best, 60 or more is worst.
 * const recency: HealthComponent = { weight: 2, worst: 60, best: 0 };
 * ```
 */
export interface HealthComponent {
  /** Relative weight (> 0). */
  readonly weight: number;
  /** The raw value that scores 0. @default 0 */
  readonly worst?: number;
  /** The raw value that scores 1. @default 1 */
  readonly best?: number;
}

/**
 * Options of a health score: the components and the red/amber/green thresholds (on the
 * 0–100 score).
 *
 * @example
 * ```ts
 * import type { HealthScoreOptions } from 'guanxi/scoring';
 *
 * const options: HealthScoreOptions = {
 *   components: {
 *     engagement: { weight: 3, worst: 0, best: 10 },
 *     nps: { weight: 2, worst: -100, best: 100 },
 *     openTickets: { weight: 1, worst: 5, best: 0 },
 *   },
 *   thresholds: { amber: 40, green: 70 },
 * };
 * ```
 */
export interface HealthScoreOptions {
  readonly components: Readonly<Record<string, HealthComponent>>;
  /** Scores below `amber` are red, below `green` amber, else green. @default { amber: 40, green: 70 } */
  readonly thresholds?: { readonly amber: number; readonly green: number };
}

/**
 * The default health thresholds: red below 40, amber below 70, green from 70.
 *
 * @example
 * ```ts
 * import { defaultHealthThresholds } from 'guanxi/scoring';
 *
 * console.log(defaultHealthThresholds.green); // 70
 * ```
 */
export const defaultHealthThresholds = Object.freeze({ amber: 40, green: 70 });

/**
 * Health score options with defaults applied (components with `worst`/`best` filled in).
 *
 * @example
 * ```ts
 * import { resolveHealthScoreOptions, type ResolvedHealthScoreOptions } from 'guanxi/scoring';
 *
 * const resolved: ResolvedHealthScoreOptions = resolveHealthScoreOptions({ components: { usage: { weight: 1 } } });
 * ```
 */
export interface ResolvedHealthScoreOptions {
  readonly components: Readonly<Record<string, Required<HealthComponent>>>;
  readonly thresholds: { readonly amber: number; readonly green: number };
}

/**
 * Applies the defaults to health score options and checks them (positive weights,
 * `worst ≠ best`, `0 ≤ amber ≤ green ≤ 100`).
 *
 * @example
 * ```ts
 * import { resolveHealthScoreOptions } from 'guanxi/scoring';
 *
 * console.log(resolveHealthScoreOptions({ components: { usage: { weight: 1 } } }).thresholds); // { amber: 40, green: 70 }
 * ```
 */
export function resolveHealthScoreOptions(options: HealthScoreOptions): ResolvedHealthScoreOptions {
  const issues: ValidationIssue[] = [];
  const components: Record<string, Required<HealthComponent>> = {};
  const entries = Object.entries(options.components ?? {});
  if (entries.length === 0) issues.push({ path: ['components'], code: 'no_components', message: 'At least one component is required' });
  for (const [name, component] of entries) {
    const resolved = { weight: component.weight, worst: component.worst ?? 0, best: component.best ?? 1 };
    if (!(Number.isFinite(resolved.weight) && resolved.weight > 0)) issues.push({ path: ['components', name, 'weight'], code: 'invalid_weight', message: 'Weight must be a positive number' });
    if (!Number.isFinite(resolved.worst) || !Number.isFinite(resolved.best) || resolved.worst === resolved.best) {
      issues.push({ path: ['components', name], code: 'invalid_range', message: 'worst and best must be finite and different' });
    }
    components[name] = resolved;
  }
  const thresholds = options.thresholds ?? defaultHealthThresholds;
  if (!(thresholds.amber >= 0 && thresholds.amber <= thresholds.green && thresholds.green <= 100)) {
    issues.push({ path: ['thresholds'], code: 'invalid_thresholds', message: 'Thresholds must satisfy 0 ≤ amber ≤ green ≤ 100' });
  }
  if (issues.length > 0) throw new ValidationError(issues, 'health score options');
  return { components, thresholds };
}

/**
 * A health score: 0–100, its colour, each component's part, and the components that had
 * no value (their weight is spread over the others).
 *
 * @example
 * ```ts
 * import type { HealthScore } from 'guanxi/scoring';
 *
 * const health: HealthScore = { score: 72.5, status: 'green', components: {}, missing: [] };
 * ```
 */
export interface HealthScore {
  readonly score: number;
  readonly status: 'red' | 'amber' | 'green';
  readonly components: Readonly<Record<string, { readonly value: number; readonly normalized: number; readonly weight: number; readonly contribution: number }>>;
  readonly missing: readonly string[];
}

/**
 * Combines normalized components into a weighted 0–100 health score with a
 * red/amber/green status. Each raw value maps linearly from `worst` (0) to `best` (1),
 * clamped; the score is 100 × Σ wᵢ·nᵢ / Σ wᵢ over the components present. Missing (or
 * `undefined`) components are listed and left out of both sums; with none present the
 * score is 0 and red.
 *
 * @example
 * ```ts
 * import { healthScore } from 'guanxi/scoring';
 *
 * const health = healthScore(
 *   { engagement: 8, nps: 50, openTickets: 1 },
 *   {
 *     components: {
 *       engagement: { weight: 2, worst: 0, best: 10 },
 *       nps: { weight: 1, worst: -100, best: 100 },
 *       openTickets: { weight: 1, worst: 5, best: 0 },
 *     },
 *   },
 * );
 * console.log(health.score.toFixed(2), health.status); // '78.75' 'green'
 * ```
 */
export function healthScore(values: Readonly<Record<string, number | undefined>>, options: HealthScoreOptions): HealthScore {
  const resolved = resolveHealthScoreOptions(options);
  const issues: ValidationIssue[] = [];
  const components: Record<string, { value: number; normalized: number; weight: number; contribution: number }> = {};
  const missing: string[] = [];
  let weightSum = 0;
  let weighted = 0;
  for (const [name, component] of Object.entries(resolved.components)) {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined) {
      missing.push(name);
      continue;
    }
    if (!Number.isFinite(value)) {
      issues.push({ path: [name], code: 'invalid_number', message: `${name} must be a finite number` });
      continue;
    }
    const normalized = Math.min(1, Math.max(0, (value - component.worst) / (component.best - component.worst)));
    weightSum += component.weight;
    weighted += component.weight * normalized;
    components[name] = { value, normalized, weight: component.weight, contribution: 0 };
  }
  if (issues.length > 0) throw new ValidationError(issues, 'health score input');
  for (const part of Object.values(components)) part.contribution = weightSum === 0 ? 0 : (100 * part.weight * part.normalized) / weightSum;
  const score = weightSum === 0 ? 0 : (100 * weighted) / weightSum;
  const status = score < resolved.thresholds.amber ? 'red' : score < resolved.thresholds.green ? 'amber' : 'green';
  return { score, status, components, missing };
}
