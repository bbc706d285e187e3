import { ValidationError, type ValidationIssue } from '../core/errors/validation-error';
import { powerOfTen } from './deterministic-math';
import { rfmSegmentOf, standardRfmSegmentMap, type RfmCell, type RfmSegmentMap } from './rfm-segments';
import type { CustomerSummary } from './transaction-summary';

/**
 * What RFM scoring reads of a customer: time since the last purchase (any unit, smaller
 * is better), number of purchases and money spent.
 *
 * @example
 * ```ts
 * import type { RfmInput } from 'guanxi/scoring';
 *
 * const customer: RfmInput = { customerId: 'c1', recency: 3, frequency: 7, monetary: 412.5 };
 * ```
 */
export interface RfmInput {
  /** Carried through to the score. */
  readonly customerId?: string | number;
  /** Time since the last purchase; scored in reverse (most recent = highest score). */
  readonly recency: number;
  /** Number of purchases (e.g. purchase days). */
  readonly frequency: number;
  /** Money spent (e.g. revenue in the period). */
  readonly monetary: number;
}

/**
 * Options of RFM scoring.
 *
 * @example
 * ```ts
 * import type { RfmOptions } from 'guanxi/scoring';
 *
 * const deciles: RfmOptions = { bins: 10, segments: [{ segment: 'top', recency: [9, 10] }, { segment: 'rest' }] };
 * ```
 */
export interface RfmOptions {
  /** Number of score levels (5 = quintiles). @default 5 */
  readonly bins?: number;
  /**
   * Monetary values are compared after rounding to this many decimals, so that amounts
   * that differ only by floating-point summation order tie (and SQL engines, which sum
   * in another order, give the same scores). @default 2
   */
  readonly monetaryDecimals?: number;
  /**
   * The segment map (first match wins). The standard 10-segment R/F map is defined for 5
   * bins; with other bin counts and no map given, segments are `undefined`.
   * @default standardRfmSegmentMap
   */
  readonly segments?: RfmSegmentMap;
}

/**
 * The defaults of `RfmOptions`.
 *
 * @example
 * ```ts
 * import { defaultRfmOptions } from 'guanxi/scoring';
 *
 * console.log(defaultRfmOptions.bins); // 5
 * ```
 */
export const defaultRfmOptions = Object.freeze({
  bins: 5,
  monetaryDecimals: 2,
  segments: standardRfmSegmentMap as RfmSegmentMap,
});

/**
 * RFM options with defaults applied (`segments` is `undefined` when no map applies).
 *
 * @example
 * ```ts
 * import { resolveRfmOptions, type ResolvedRfmOptions } from 'guanxi/scoring';
 *
 * const options: ResolvedRfmOptions = resolveRfmOptions({ bins: 4 });
 * console.log(options.segments); // undefined
 * ```
 */
export interface ResolvedRfmOptions {
  readonly bins: number;
  readonly monetaryDecimals: number;
  readonly segments: RfmSegmentMap | undefined;
}

/**
 * Applies the defaults to RFM options and checks them (throws a `ValidationError`).
 *
 * @example
 * ```ts
 * import { resolveRfmOptions } from 'guanxi/scoring';
 *
 * console.log(resolveRfmOptions({}).bins); // 5
 * ```
 */
export function resolveRfmOptions(options: RfmOptions = {}): ResolvedRfmOptions {
  const issues: ValidationIssue[] = [];
  const bins = options.bins ?? defaultRfmOptions.bins;
  if (!Number.isInteger(bins) || bins < 2 || bins > 100) issues.push({ path: ['bins'], code: 'invalid_bins', message: 'Bins must be an integer from 2 to 100' });
  const monetaryDecimals = options.monetaryDecimals ?? defaultRfmOptions.monetaryDecimals;
  if (!Number.isInteger(monetaryDecimals) || monetaryDecimals < 0 || monetaryDecimals > 10) {
    issues.push({ path: ['monetaryDecimals'], code: 'invalid_decimals', message: 'Monetary decimals must be an integer from 0 to 10' });
  }
  if (issues.length > 0) throw new ValidationError(issues, 'RFM options');
  const segments = options.segments ?? (bins === 5 ? defaultRfmOptions.segments : undefined);
  return Object.freeze({ bins, monetaryDecimals, segments });
}

/**
 * One customer's RFM scores (1 … bins each; higher is better), the three-digit cell code
 * and the segment.
 *
 * @example
 * ```ts
 * import type { RfmScore } from 'guanxi/scoring';
 *
 * const score: RfmScore = { customerId: 'c1', recency: 5, frequency: 4, monetary: 4, code: '544', segment: 'champions' };
 * ```
 */
export interface RfmScore extends RfmCell {
  readonly customerId?: string | number;
  /** The scores as digits, recency first (`'544'`); with more than 9 bins, joined by dots. */
  readonly code: string;
  /** The segment from the map, or `undefined` when no rule matches. */
  readonly segment: string | undefined;
}

/**
 * Scores customers by recency, frequency and monetary value into `bins` n-tiles.
 *
 * The tie rule, the same in every runtime and in the SQL of `transactionSummarySql()`:
 * a customer's score on a dimension is `1 + ⌊bins × w / N⌋`, where `w` is the number of
 * customers with a strictly worse value (larger recency; smaller frequency or monetary
 * value) and `N` the number of customers. Equal values always get equal scores, and
 * with distinct values every score holds N / bins customers; heavy ties (e.g. many
 * one-time buyers) put whole groups in the lowest score they reach, as R's `rfm` package
 * does — unlike `pandas.qcut(rank(method="first"))`, which splits ties by row order.
 *
 * @example
 * ```ts
 * import { rfmScores } from 'guanxi/scoring';
 *
 * const scores = rfmScores([
 *   { customerId: 'a', recency: 1, frequency: 9, monetary: 900 },
 *   { customerId: 'b', recency: 30, frequency: 2, monetary: 80 },
 *   { customerId: 'c', recency: 200, frequency: 1, monetary: 15 },
 *   { customerId: 'd', recency: 7, frequency: 4, monetary: 300 },
 *   { customerId: 'e', recency: 90, frequency: 1, monetary: 40 },
 * ]);
 * console.log(scores[0]?.code, scores[0]?.segment); // '555' 'champions'
 * ```
 */
export function rfmScores(customers: readonly RfmInput[], options: RfmOptions = {}): RfmScore[] {
  const resolved = resolveRfmOptions(options);
  const count = customers.length;
  const recency = new Float64Array(count);
  const frequency = new Float64Array(count);
  const monetary = new Float64Array(count);
  const issues: ValidationIssue[] = [];
  customers.forEach((customer, index) => {
    for (const field of ['recency', 'frequency', 'monetary'] as const) {
      if (typeof customer[field] !== 'number' || !Number.isFinite(customer[field])) {
        issues.push({ path: [index, field], code: 'invalid_number', message: `${field} must be a finite number` });
      }
    }
    recency[index] = customer.recency;
    frequency[index] = customer.frequency;
    monetary[index] = customer.monetary;
  });
  if (issues.length > 0) throw new ValidationError(issues.slice(0, 20), 'RFM input');
  const columns = scoreColumns(recency, frequency, monetary, resolved);
  const scores: RfmScore[] = new Array<RfmScore>(count);
  const bins = resolved.bins;
  // One code string per cell, made once: a million customers share at most bins³ codes.
  const codes = new Map<number, string>();
  for (let index = 0; index < count; index++) {
    const r = columns.recency[index]!;
    const f = columns.frequency[index]!;
    const m = columns.monetary[index]!;
    const cellIndex = ((r - 1) * bins + (f - 1)) * bins + (m - 1);
    let code = codes.get(cellIndex);
    if (code === undefined) {
      code = cellCode({ recency: r, frequency: f, monetary: m }, bins);
      codes.set(cellIndex, code);
    }
    const segmentIndex = columns.segment[index]!;
    const segment = segmentIndex === 255 ? undefined : columns.segmentNames[segmentIndex];
    const id = customers[index]!.customerId;
    scores[index] = id === undefined
      ? { recency: r, frequency: f, monetary: m, code, segment }
      : { customerId: id, recency: r, frequency: f, monetary: m, code, segment };
  }
  return scores;
}

/**
 * RFM scores of many customers as columns (no object per customer): the bulk path.
 *
 * @example
 * ```ts
 * import { rfmScoreColumns, type RfmScoreColumns } from 'guanxi/scoring';
 *
 * const scored: RfmScoreColumns = rfmScoreColumns({
 *   recency: Float64Array.of(1, 30, 200),
 *   frequency: Float64Array.of(9, 2, 1),
 *   monetary: Float64Array.of(900, 80, 15),
 * });
 * console.log(scored.segmentNames[scored.segment[0]!]); // 'loyal' (R4 F4 among three customers)
 * ```
 */
export interface RfmScoreColumns {
  readonly recency: Uint8Array;
  readonly frequency: Uint8Array;
  readonly monetary: Uint8Array;
  /** Index into `segmentNames` per customer; 255 when no rule matches. */
  readonly segment: Uint8Array;
  /** The segment names, in map order. */
  readonly segmentNames: readonly string[];
}

/**
 * Scores columns of recency, frequency and monetary values (same rule as `rfmScores()`),
 * returning scores and segment indexes as byte arrays — 4 bytes per customer.
 *
 * @example
 * ```ts
 * import { rfmScoreColumns } from 'guanxi/scoring';
 *
 * const scored = rfmScoreColumns({ recency: [3, 1, 9], frequency: [2, 5, 1], monetary: [20, 70, 5] }, { bins: 3, segments: [{ segment: 'all' }] });
 * console.log([...scored.recency]); // [2, 3, 1]
 * ```
 */
export function rfmScoreColumns(
  columns: { readonly recency: ArrayLike<number>; readonly frequency: ArrayLike<number>; readonly monetary: ArrayLike<number> },
  options: RfmOptions = {},
): RfmScoreColumns {
  const resolved = resolveRfmOptions(options);
  const count = columns.recency.length;
  if (columns.frequency.length !== count || columns.monetary.length !== count) {
    throw new ValidationError([{ path: [], code: 'length_mismatch', message: 'Every column must have the same length' }], 'RFM columns');
  }
  for (const field of ['recency', 'frequency', 'monetary'] as const) {
    const column = columns[field];
    for (let index = 0; index < count; index++) {
      if (!Number.isFinite(column[index])) {
        throw new ValidationError([{ path: [field, index], code: 'invalid_number', message: `${field} must be a finite number` }], 'RFM columns');
      }
    }
  }
  return scoreColumns(columns.recency, columns.frequency, columns.monetary, resolved);
}

function scoreColumns(recency: ArrayLike<number>, frequency: ArrayLike<number>, monetary: ArrayLike<number>, options: ResolvedRfmOptions): RfmScoreColumns {
  const count = recency.length;
  const scale = powerOfTen(options.monetaryDecimals);
  const money = new Float64Array(count);
  for (let index = 0; index < count; index++) money[index] = Math.round(monetary[index]! * scale);
  const r = ntileScores(recency, true, options.bins);
  const f = ntileScores(frequency, false, options.bins);
  const m = ntileScores(money, false, options.bins);
  const segment = new Uint8Array(count).fill(255);
  const segmentNames = options.segments === undefined ? [] : [...new Set(options.segments.map((rule) => rule.segment))];
  if (options.segments !== undefined && segmentNames.length > 255) {
    throw new ValidationError([{ path: ['segments'], code: 'too_many_segments', message: 'At most 255 distinct segments' }], 'RFM options');
  }
  if (options.segments !== undefined && count > 0) {
    // One lookup table over the bins³ cells, so each customer costs one array read.
    const bins = options.bins;
    const table = new Uint8Array(bins * bins * bins).fill(255);
    const nameIndex = new Map(segmentNames.map((name, index) => [name, index]));
    for (let rs = 1; rs <= bins; rs++) {
      for (let fs = 1; fs <= bins; fs++) {
        for (let ms = 1; ms <= bins; ms++) {
          const name = rfmSegmentOf({ recency: rs, frequency: fs, monetary: ms }, options.segments);
          if (name !== undefined) table[((rs - 1) * bins + (fs - 1)) * bins + (ms - 1)] = nameIndex.get(name)!;
        }
      }
    }
    for (let index = 0; index < count; index++) {
      segment[index] = table[((r[index]! - 1) * bins + (f[index]! - 1)) * bins + (m[index]! - 1)]!;
    }
  }
  return { recency: r, frequency: f, monetary: m, segment, segmentNames };
}

/** Scores 1 + ⌊bins·w/N⌋ with w = number of strictly worse values (see rfmScores). */
function ntileScores(values: ArrayLike<number>, smallerIsBetter: boolean, bins: number): Uint8Array {
  const count = values.length;
  const sorted = Float64Array.from(values).sort();
  const scores = new Uint8Array(count);
  for (let index = 0; index < count; index++) {
    const value = values[index]!;
    const worse = smallerIsBetter ? count - upperBound(sorted, value) : lowerBound(sorted, value);
    // Integer arithmetic (exact below 2⁵³), identical to the SQL `bins * (rank - 1) / n`.
    scores[index] = 1 + Math.floor((bins * worse) / count);
  }
  return scores;
}

/** Number of elements strictly less than `value`. */
function lowerBound(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Number of elements less than or equal to `value`. */
function upperBound(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function cellCode(cell: RfmCell, bins: number): string {
  return bins <= 9 ? `${cell.recency}${cell.frequency}${cell.monetary}` : `${cell.recency}.${cell.frequency}.${cell.monetary}`;
}

/**
 * The RFM input of a customer summary: recency = time since the last purchase (in the
 * summary's unit), frequency = purchase days in the calibration period (x + 1),
 * monetary = revenue in the calibration period. This is what the SQL path scores too.
 *
 * @example
 * ```ts
 * import { rfmInputOf, rfmScores, summarizeTransactions } from 'guanxi/scoring';
 *
 * const summaries = summarizeTransactions([{ customerId: 'c1', time: '2026-01-01', amount: 10 }], { calibrationEnd: '2026-03-31' });
 * const scores = rfmScores(summaries.map(rfmInputOf));
 * ```
 */
export function rfmInputOf(summary: CustomerSummary): RfmInput {
  return { customerId: summary.customerId, recency: summary.recency, frequency: summary.x + 1, monetary: summary.revenue };
}
