import { ValidationError, type ValidationIssue } from '../core/errors/validation-error';
import { epochDayOf, type TimeInput } from './calendar';

/**
 * Where a customer stands: `active`; `at-risk` (overdue against their own rhythm, or
 * unlikely to be alive by a fitted model); `dormant` (no purchase for longer than the
 * dormancy period); `prospect` (never bought).
 *
 * @example
 * ```ts
 * import type { LifecycleStage } from 'guanxi/scoring';
 *
 * const stage: LifecycleStage = 'at-risk';
 * ```
 */
export type LifecycleStage = 'active' | 'at-risk' | 'dormant' | 'prospect';

/**
 * What the lifecycle rule reads of a customer. Give `purchases` (all purchase times;
 * order and same-day repeats do not matter), or `lastPurchase` with an optional known
 * `medianInterPurchaseDays`.
 *
 * @example
 * ```ts
 * import type { LifecycleInput } from 'guanxi/scoring';
 *
 * const customer: LifecycleInput = { purchases: ['2026-01-03', '2026-02-01', '2026-03-02'], pAlive: 0.81 };
 * ```
 */
export interface LifecycleInput {
  /** Every purchase time of the customer. @default none */
  readonly purchases?: readonly TimeInput[];
  /** The last purchase, when `purchases` are not given. @default none */
  readonly lastPurchase?: TimeInput;
  /** Median days between purchase days, when `purchases` are not given. @default none */
  readonly medianInterPurchaseDays?: number;
  /** P(alive) from a fitted model (BG/NBD, Pareto/NBD…). @default none */
  readonly pAlive?: number;
}

/**
 * Options of `lifecycleStatus()`.
 *
 * @example
 * ```ts
 * import type { LifecycleOptions } from 'guanxi/scoring';
 *
 * const options: LifecycleOptions = { dormantAfterDays: 180, atRiskMultiple: 3, pAliveBelow: 0.3 };
 * ```
 */
export interface LifecycleOptions {
  /** Days without a purchase after which a customer is dormant. @default 365 */
  readonly dormantAfterDays?: number;
  /** At risk when days since the last purchase exceed this × the median inter-purchase time. @default 2 */
  readonly atRiskMultiple?: number;
  /** At risk when P(alive) is below this (when a model is fitted). @default 0.5 */
  readonly pAliveBelow?: number;
  /** Offset from UTC, in minutes, at which days begin. @default 0 */
  readonly utcOffsetMinutes?: number;
}

/**
 * The defaults of `LifecycleOptions`.
 *
 * @example
 * ```ts
 * import { defaultLifecycleOptions } from 'guanxi/scoring';
 *
 * console.log(defaultLifecycleOptions.dormantAfterDays); // 365
 * ```
 */
export const defaultLifecycleOptions = Object.freeze({ dormantAfterDays: 365, atRiskMultiple: 2, pAliveBelow: 0.5, utcOffsetMinutes: 0 });

/**
 * Applies the defaults to lifecycle options and checks them.
 *
 * @example
 * ```ts
 * import { resolveLifecycleOptions } from 'guanxi/scoring';
 *
 * console.log(resolveLifecycleOptions({ atRiskMultiple: 3 }).dormantAfterDays); // 365
 * ```
 */
export function resolveLifecycleOptions(options: LifecycleOptions = {}): Required<LifecycleOptions> {
  const resolved = {
    dormantAfterDays: options.dormantAfterDays ?? defaultLifecycleOptions.dormantAfterDays,
    atRiskMultiple: options.atRiskMultiple ?? defaultLifecycleOptions.atRiskMultiple,
    pAliveBelow: options.pAliveBelow ?? defaultLifecycleOptions.pAliveBelow,
    utcOffsetMinutes: options.utcOffsetMinutes ?? defaultLifecycleOptions.utcOffsetMinutes,
  };
  const issues: ValidationIssue[] = [];
  if (!(resolved.dormantAfterDays > 0 && Number.isFinite(resolved.dormantAfterDays))) issues.push({ path: ['dormantAfterDays'], code: 'invalid_days', message: 'Must be a positive number of days' });
  if (!(resolved.atRiskMultiple > 0 && Number.isFinite(resolved.atRiskMultiple))) issues.push({ path: ['atRiskMultiple'], code: 'invalid_multiple', message: 'Must be a positive number' });
  if (!(resolved.pAliveBelow >= 0 && resolved.pAliveBelow <= 1)) issues.push({ path: ['pAliveBelow'], code: 'invalid_probability', message: 'Must be within [0, 1]' });
  if (!Number.isInteger(resolved.utcOffsetMinutes) || Math.abs(resolved.utcOffsetMinutes) > 18 * 60) issues.push({ path: ['utcOffsetMinutes'], code: 'invalid_offset', message: 'Must be whole minutes within ±18 hours' });
  if (issues.length > 0) throw new ValidationError(issues, 'lifecycle options');
  return Object.freeze(resolved);
}

/**
 * A customer's lifecycle stage with the figures that decided it.
 *
 * @example
 * ```ts
 * import type { LifecycleStatus } from 'guanxi/scoring';
 *
 * const status: LifecycleStatus = { stage: 'at-risk', reason: 'overdue', daysSinceLastPurchase: 75, medianInterPurchaseDays: 30, pAlive: undefined };
 * ```
 */
export interface LifecycleStatus {
  readonly stage: LifecycleStage;
  /** Why: `no-purchase`, `dormant`, `overdue` (> k × median gap), `low-p-alive`, or `on-rhythm`. */
  readonly reason: 'no-purchase' | 'dormant' | 'overdue' | 'low-p-alive' | 'on-rhythm';
  /** Whole days from the last purchase day to `asOf`; `undefined` for a prospect. */
  readonly daysSinceLastPurchase: number | undefined;
  /** Median days between distinct purchase days; `undefined` with fewer than two. */
  readonly medianInterPurchaseDays: number | undefined;
  readonly pAlive: number | undefined;
}

function dayOf(time: TimeInput, offset: number, path: (string | number)[]): number {
  const day = epochDayOf(time, offset);
  if (day === undefined) throw new ValidationError([{ path, code: 'invalid_date', message: 'Must be a date (YYYY-MM-DD), a zoned ISO date-time, a Date or epoch milliseconds' }], 'lifecycle input');
  return day;
}

/**
 * The median number of days between a customer's distinct purchase days (several
 * purchases on one day count once), or `undefined` with fewer than two purchase days.
 *
 * @example
 * ```ts
 * import { medianInterPurchaseDays } from 'guanxi/scoring';
 *
 * console.log(medianInterPurchaseDays(['2026-01-01', '2026-01-11', '2026-01-11', '2026-02-10', '2026-02-20'])); // 10
 * ```
 */
export function medianInterPurchaseDays(purchases: readonly TimeInput[], utcOffsetMinutes = 0): number | undefined {
  const days = [...new Set(purchases.map((time, index) => dayOf(time, utcOffsetMinutes, ['purchases', index])))].sort((a, b) => a - b);
  if (days.length < 2) return undefined;
  const gaps = days.slice(1).map((day, index) => day - days[index]!).sort((a, b) => a - b);
  const middle = gaps.length >> 1;
  return gaps.length % 2 === 1 ? gaps[middle]! : (gaps[middle - 1]! + gaps[middle]!) / 2;
}

/**
 * Decides a customer's lifecycle stage as of a date, in this order: `prospect` without a
 * purchase; `dormant` when more than `dormantAfterDays` (365) have passed since the last
 * purchase day; `at-risk` when the days since the last purchase exceed `atRiskMultiple`
 * (2) × the customer's median inter-purchase time, or P(alive) is below `pAliveBelow`;
 * else `active`. Purchases after `asOf` are ignored.
 *
 * @example
 * ```ts
 * import { lifecycleStatus } from 'guanxi/scoring';
 *
 * const status = lifecycleStatus({ purchases: ['2026-01-01', '2026-01-15', '2026-01-29'] }, '2026-03-15');
 * console.log(status.stage, status.reason, status.daysSinceLastPurchase); // 'at-risk' 'overdue' 45
 * ```
 */
export function lifecycleStatus(customer: LifecycleInput, asOf: TimeInput, options: LifecycleOptions = {}): LifecycleStatus {
  const resolved = resolveLifecycleOptions(options);
  const offset = resolved.utcOffsetMinutes;
  const today = dayOf(asOf, offset, ['asOf']);
  const pAlive = customer.pAlive;
  if (pAlive !== undefined && !(pAlive >= 0 && pAlive <= 1)) {
    throw new ValidationError([{ path: ['pAlive'], code: 'invalid_probability', message: 'P(alive) must be within [0, 1]' }], 'lifecycle input');
  }
  let last: number | undefined;
  let median: number | undefined;
  if (customer.purchases !== undefined) {
    const days = customer.purchases.map((time, index) => dayOf(time, offset, ['purchases', index])).filter((day) => day <= today);
    for (const day of days) if (last === undefined || day > last) last = day;
    median = medianInterPurchaseDays(days.map((day) => day * 86_400_000));
  } else if (customer.lastPurchase !== undefined) {
    last = dayOf(customer.lastPurchase, offset, ['lastPurchase']);
    if (last > today) last = undefined;
    median = customer.medianInterPurchaseDays;
    if (median !== undefined && !(median > 0 && Number.isFinite(median))) {
      throw new ValidationError([{ path: ['medianInterPurchaseDays'], code: 'invalid_days', message: 'Must be a positive number of days' }], 'lifecycle input');
    }
  }
  if (last === undefined) return { stage: 'prospect', reason: 'no-purchase', daysSinceLastPurchase: undefined, medianInterPurchaseDays: undefined, pAlive };
  const since = today - last;
  const base = { daysSinceLastPurchase: since, medianInterPurchaseDays: median, pAlive };
  if (since > resolved.dormantAfterDays) return { stage: 'dormant', reason: 'dormant', ...base };
  if (median !== undefined && since > resolved.atRiskMultiple * median) return { stage: 'at-risk', reason: 'overdue', ...base };
  if (pAlive !== undefined && pAlive < resolved.pAliveBelow) return { stage: 'at-risk', reason: 'low-p-alive', ...base };
  return { stage: 'active', reason: 'on-rhythm', ...base };
}
