/**
 * Calendar days as integers (days since 1970-01-01), the grain at which purchases are
 * counted. Internal to the scoring area.
 */

const millisecondsPerDay = 86_400_000;
const dateOnly = /^(\d{4})-?(\d{2})-?(\d{2})$/;
// A date-time is accepted only with an explicit zone: `Date.parse` reads zone-less
// date-times in the runtime's local zone, which would make results depend on the machine.
const zonedDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/**
 * A point in time as accepted by the scoring functions: a `Date`, milliseconds since the
 * Unix epoch, a date-only string (`YYYY-MM-DD` or `YYYYMMDD`, naming the calendar day
 * itself) or an ISO 8601 date-time with an explicit zone (`Z` or `±hh:mm`). Zone-less
 * date-times are rejected because runtimes would read them in their local zone.
 *
 * @example
 * ```ts
 * import type { TimeInput } from 'guanxi/scoring';
 *
 * const times: TimeInput[] = ['2026-03-01', '20260301', '2026-03-01T09:30:00+08:00', Date.UTC(2026, 2, 1)];
 * ```
 */
export type TimeInput = Date | number | string;

/**
 * The calendar day of `time` (days since the Unix epoch) at a fixed UTC offset, or
 * `undefined` when `time` is not a valid time. Date-only strings (`YYYY-MM-DD`,
 * `YYYYMMDD`) name their day directly, whatever the offset.
 */
export function epochDayOf(time: TimeInput, utcOffsetMinutes: number): number | undefined {
  let milliseconds: number;
  if (typeof time === 'number') {
    milliseconds = time;
  } else if (typeof time === 'string') {
    const date = dateOnly.exec(time);
    if (date) return civilDay(Number(date[1]), Number(date[2]), Number(date[3]));
    if (!zonedDateTime.test(time)) return undefined;
    milliseconds = Date.parse(time);
  } else if (time instanceof Date) {
    milliseconds = time.getTime();
  } else {
    return undefined;
  }
  if (!Number.isFinite(milliseconds)) return undefined;
  return Math.floor((milliseconds + utcOffsetMinutes * 60_000) / millisecondsPerDay);
}

/** Days since the epoch of a proleptic Gregorian date, or `undefined` if it does not exist. */
export function civilDay(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const milliseconds = Date.UTC(year, month - 1, day);
  const check = new Date(milliseconds);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return undefined;
  return milliseconds / millisecondsPerDay;
}

/** `YYYY-MM-DD` of an epoch day. */
export function formatEpochDay(epochDay: number): string {
  return new Date(epochDay * millisecondsPerDay).toISOString().slice(0, 10);
}

/** Days per unit in which durations are reported. */
export const daysPerUnit = { day: 1, week: 7 } as const;

/**
 * The unit in which durations (tₓ, T, recency) are reported: `'day'` or `'week'` (7 days).
 *
 * @example
 * ```ts
 * import type { TimeUnit } from 'guanxi/scoring';
 *
 * const unit: TimeUnit = 'week';
 * ```
 */
export type TimeUnit = keyof typeof daysPerUnit;

/**
 * Epoch milliseconds of a time input (date-only strings are midnight UTC), or
 * `undefined` when it is not a valid time.
 */
export function epochMillisecondsOf(time: TimeInput): number | undefined {
  let milliseconds: number;
  if (typeof time === 'number') milliseconds = time;
  else if (time instanceof Date) milliseconds = time.getTime();
  else if (typeof time === 'string') {
    const date = dateOnly.exec(time);
    if (date) {
      const day = civilDay(Number(date[1]), Number(date[2]), Number(date[3]));
      return day === undefined ? undefined : day * millisecondsPerDay;
    }
    if (!zonedDateTime.test(time)) return undefined;
    milliseconds = Date.parse(time);
  } else return undefined;
  return Number.isFinite(milliseconds) ? milliseconds : undefined;
}
