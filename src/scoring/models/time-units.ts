/**
 * The unit of time a purchase model measures tₓ, T and t in. Parameters fitted in one unit
 * only make sense in that unit (α and β are rates per unit of time), so every function
 * that mixes horizons and model time asks for both units explicitly.
 *
 * Lengths in days: day 1, week 7, month 365.25 / 12, quarter 365.25 / 4, year 365.25.
 *
 * @example
 * ```ts
 * import type { ModelTimeUnit } from 'guanxi/scoring';
 *
 * const unit: ModelTimeUnit = 'week'; // CDNOW's published fits are in weeks
 * ```
 */
export type ModelTimeUnit = 'day' | 'week' | 'month' | 'quarter' | 'year';

const daysPerUnit: Readonly<Record<ModelTimeUnit, number>> = Object.freeze({
  day: 1,
  week: 7,
  month: 365.25 / 12,
  quarter: 365.25 / 4,
  year: 365.25,
});

/**
 * How many `to` units one `from` unit lasts, e.g. `modelTimeUnitRatio('month', 'week')`
 * is 4.348… (a month is 365.25 / 12 days).
 *
 * @example
 * ```ts
 * import { modelTimeUnitRatio } from 'guanxi/scoring';
 *
 * modelTimeUnitRatio('week', 'day'); // 7
 * modelTimeUnitRatio('year', 'week'); // 52.178…
 * ```
 */
export function modelTimeUnitRatio(from: ModelTimeUnit, to: ModelTimeUnit): number {
  const fromDays = daysPerUnit[from];
  const toDays = daysPerUnit[to];
  if (fromDays === undefined || toDays === undefined) {
    throw new RangeError(`Unknown time unit: ${String(fromDays === undefined ? from : to)} (expected day, week, month, quarter or year)`);
  }
  return fromDays / toDays;
}
