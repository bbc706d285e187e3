import { ValidationError, type ValidationIssue } from '../core/errors/validation-error';
import { epochMillisecondsOf, type TimeInput } from './calendar';
import { exp2 } from './deterministic-math';

const millisecondsPerDay = 86_400_000;

/**
 * A stored engagement score: its value at time `at` (epoch milliseconds). Two numbers per
 * customer are all the state the decayed score needs.
 *
 * @example
 * ```ts
 * import type { EngagementState } from 'guanxi/scoring';
 *
 * const stored: EngagementState = { score: 4.2, at: Date.UTC(2026, 2, 1) };
 * ```
 */
export interface EngagementState {
  readonly score: number;
  readonly at: number;
}

/**
 * One engagement event (a touchpoint): its type and time, optionally its own weight.
 *
 * @example
 * ```ts
 * import type { EngagementEvent } from 'guanxi/scoring';
 *
 * const opened: EngagementEvent = { type: 'email_open', at: '2026-03-01T09:00:00Z' };
 * ```
 */
export interface EngagementEvent {
  readonly type: string;
  readonly at: TimeInput;
  /** Overrides the weight of the type. @default the type's weight */
  readonly weight?: number;
}

/**
 * Options of the engagement score.
 *
 * @example
 * ```ts
 * import type { EngagementOptions } from 'guanxi/scoring';
 *
 * const options: EngagementOptions = {
 *   halfLifeDays: 14,
 *   weights: { page_view: 0.2, email_open: 0.5, email_click: 1, purchase: 5 },
 * };
 * ```
 */
export interface EngagementOptions {
  /** Days after which an event counts half. @default 30 */
  readonly halfLifeDays?: number;
  /** Weight per event type. @default {} */
  readonly weights?: Readonly<Record<string, number>>;
  /** Weight of types not in `weights`. @default 1 */
  readonly defaultWeight?: number;
}

/**
 * The defaults of `EngagementOptions`.
 *
 * @example
 * ```ts
 * import { defaultEngagementOptions } from 'guanxi/scoring';
 *
 * console.log(defaultEngagementOptions.halfLifeDays); // 30
 * ```
 */
export const defaultEngagementOptions = Object.freeze({
  halfLifeDays: 30,
  weights: Object.freeze({}) as Readonly<Record<string, number>>,
  defaultWeight: 1,
});

/**
 * Applies the defaults to engagement options and checks them.
 *
 * @example
 * ```ts
 * import { resolveEngagementOptions } from 'guanxi/scoring';
 *
 * console.log(resolveEngagementOptions({ halfLifeDays: 7 }).defaultWeight); // 1
 * ```
 */
export function resolveEngagementOptions(options: EngagementOptions = {}): Required<EngagementOptions> {
  const halfLifeDays = options.halfLifeDays ?? defaultEngagementOptions.halfLifeDays;
  const weights = options.weights ?? defaultEngagementOptions.weights;
  const defaultWeight = options.defaultWeight ?? defaultEngagementOptions.defaultWeight;
  const issues: ValidationIssue[] = [];
  if (!(Number.isFinite(halfLifeDays) && halfLifeDays > 0)) issues.push({ path: ['halfLifeDays'], code: 'invalid_half_life', message: 'Half-life must be a positive number of days' });
  if (!Number.isFinite(defaultWeight)) issues.push({ path: ['defaultWeight'], code: 'invalid_number', message: 'Must be a finite number' });
  for (const [type, weight] of Object.entries(weights)) {
    if (!Number.isFinite(weight)) issues.push({ path: ['weights', type], code: 'invalid_number', message: 'Must be a finite number' });
  }
  if (issues.length > 0) throw new ValidationError(issues, 'engagement options');
  return Object.freeze({ halfLifeDays, weights, defaultWeight });
}

function timeOf(time: TimeInput, path: (string | number)[]): number {
  const milliseconds = epochMillisecondsOf(time);
  if (milliseconds === undefined) {
    throw new ValidationError([{ path, code: 'invalid_date', message: 'Time must be epoch milliseconds, a Date, a date (YYYY-MM-DD, midnight UTC) or a zoned ISO date-time' }], 'engagement');
  }
  return milliseconds;
}

/**
 * The score of a stored state decayed to `asOf`: `score · 2^(−Δt/h)`. Never grows:
 * a state later than `asOf` is returned as is.
 *
 * @example
 * ```ts
 * import { engagementAt } from 'guanxi/scoring';
 *
 * const stored = { score: 8, at: Date.UTC(2026, 0, 1) };
 * console.log(engagementAt(stored, Date.UTC(2026, 0, 31), { halfLifeDays: 30 })); // 4
 * ```
 */
export function engagementAt(state: EngagementState, asOf: TimeInput, options: EngagementOptions = {}): number {
  const { halfLifeDays } = resolveEngagementOptions(options);
  const elapsed = timeOf(asOf, ['asOf']) - state.at;
  return elapsed <= 0 ? state.score : state.score * exp2(-elapsed / (halfLifeDays * millisecondsPerDay));
}

/**
 * Adds one event to a stored engagement state in O(1): `E ← E · 2^(−Δt/h) + w`, with `w`
 * the event's weight and `h` the half-life. The result is the same whatever order events
 * arrive in: an event older than the state is added already decayed
 * (`E + w · 2^(−Δt/h)`) and the state keeps its time.
 *
 * @param state - The stored state, or `undefined` for a customer's first event.
 * @returns The new state to store.
 *
 * @example
 * ```ts
 * import { updateEngagement } from 'guanxi/scoring';
 *
 * const options = { halfLifeDays: 30, weights: { purchase: 5, email_open: 0.5 } };
 * let state = updateEngagement(undefined, { type: 'purchase', at: '2026-01-01' }, options);
 * state = updateEngagement(state, { type: 'email_open', at: '2026-01-31' }, options);
 * console.log(state.score); // 3 (5 halved, plus 0.5)
 * ```
 */
export function updateEngagement(state: EngagementState | undefined, event: EngagementEvent, options: EngagementOptions = {}): EngagementState {
  const resolved = resolveEngagementOptions(options);
  const at = timeOf(event.at, ['at']);
  const weight = event.weight ?? (Object.hasOwn(resolved.weights, event.type) ? resolved.weights[event.type]! : resolved.defaultWeight);
  if (!Number.isFinite(weight)) throw new ValidationError([{ path: ['weight'], code: 'invalid_number', message: 'Weight must be a finite number' }], 'engagement');
  if (state === undefined) return { score: weight, at };
  const halfLife = resolved.halfLifeDays * millisecondsPerDay;
  if (at >= state.at) return { score: state.score * exp2(-(at - state.at) / halfLife) + weight, at };
  return { score: state.score + weight * exp2(-(state.at - at) / halfLife), at: state.at };
}

/**
 * The engagement score of a customer's events as of a date: events after `asOf` are
 * ignored, the rest decayed to `asOf` and summed.
 *
 * @example
 * ```ts
 * import { engagementScore } from 'guanxi/scoring';
 *
 * const score = engagementScore(
 *   [{ type: 'login', at: '2026-02-01' }, { type: 'purchase', at: '2026-03-01' }],
 *   '2026-03-01',
 *   { weights: { purchase: 5, login: 1 }, halfLifeDays: 28 },
 * );
 * console.log(score); // 5.5
 * ```
 */
export function engagementScore(events: Iterable<EngagementEvent>, asOf: TimeInput, options: EngagementOptions = {}): number {
  const resolved = resolveEngagementOptions(options);
  const until = timeOf(asOf, ['asOf']);
  let state: EngagementState | undefined;
  let index = 0;
  for (const event of events) {
    const at = timeOf(event.at, [index, 'at']);
    if (at <= until) state = updateEngagement(state, event, resolved);
    index++;
  }
  return state === undefined ? 0 : engagementAt(state, until, resolved);
}
