import { ValidationError, type ValidationIssue } from '../../core/errors/validation-error';

/**
 * What the purchase models know about one customer, in the model's time unit: `x` repeat
 * purchases after the first, the time `tx` of the last purchase and the customer's age
 * `T`, both measured from the first purchase (so 0 ≤ tx ≤ T, and tx = 0 when x = 0).
 * `weight` (default 1) says how many identical customers the row stands for.
 *
 * @example
 * ```ts
 * import type { RepeatPurchaseSummary } from 'guanxi/scoring';
 *
 * // CDNOW customer 1: two repeat purchases, the last in week 30.43, observed for 38.86 weeks.
 * const customer: RepeatPurchaseSummary = { x: 2, tx: 30.43, T: 38.86 };
 * ```
 */
export interface RepeatPurchaseSummary {
  /** Repeat purchases in the calibration period (a non-negative integer). */
  readonly x: number;
  /** Time of the last purchase since the first (0 when x = 0). */
  readonly tx: number;
  /** Time from the first purchase to the end of the calibration period. */
  readonly T: number;
  /** How many customers this row stands for. @default 1 */
  readonly weight?: number;
}

/**
 * Customers reduced to unique (x, tₓ, T) rows with weights, column by column, as the
 * model fits consume them. Fitting compressed customers gives the same likelihood as
 * fitting the rows one by one, in time proportional to the number of unique rows —
 * with purchase times recorded in days, a million customers often compress to a few
 * tens of thousands of rows.
 *
 * @example
 * ```ts
 * import { compressCustomers, type CompressedCustomers } from 'guanxi/scoring';
 *
 * const compressed: CompressedCustomers = compressCustomers([
 *   { x: 0, tx: 0, T: 10 },
 *   { x: 0, tx: 0, T: 10 },
 *   { x: 2, tx: 4, T: 10 },
 * ]);
 * console.log(compressed.rows, compressed.customers); // 2 3
 * ```
 */
export interface CompressedCustomers {
  /** Marks the compressed form (model fits also accept plain rows). */
  readonly kind: 'compressed-customers';
  /** Number of unique rows. */
  readonly rows: number;
  /** Total weight: the number of customers the rows stand for. */
  readonly customers: number;
  readonly x: Float64Array;
  readonly tx: Float64Array;
  readonly T: Float64Array;
  readonly weight: Float64Array;
  /** The distinct values of x, ascending; per-x terms of the likelihoods are computed once per value. */
  readonly distinctX: Float64Array;
  /** For each row, the index of its x in `distinctX`. */
  readonly xIndex: Uint32Array;
  /**
   * The distinct values of tₓ and T, ascending. Likelihoods compute ln(α + t) once per
   * distinct time: with purchases recorded by day there are only a few hundred.
   */
  readonly times: Float64Array;
  /** For each row, the index of its tₓ in `times`. */
  readonly txIndex: Uint32Array;
  /** For each row, the index of its T in `times`. */
  readonly TIndex: Uint32Array;
}

const rowsContext = 'customer summaries';

/** Whether `value` is already compressed. */
export function isCompressedCustomers(value: unknown): value is CompressedCustomers {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'compressed-customers';
}

function checkRow(row: unknown, index: number, issues: ValidationIssue[]): boolean {
  if (typeof row !== 'object' || row === null) {
    issues.push({ path: [index], code: 'invalid_type', message: 'Expected an object with x, tx and T' });
    return false;
  }
  const { x, tx, T, weight } = row as Record<string, unknown>;
  const before = issues.length;
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) {
    issues.push({ path: [index, 'x'], code: 'invalid_value', message: 'Expected x (repeat purchases) to be a non-negative integer' });
  }
  if (typeof T !== 'number' || !Number.isFinite(T) || T < 0) {
    issues.push({ path: [index, 'T'], code: 'invalid_value', message: 'Expected T (customer age) to be a non-negative finite number' });
  }
  if (typeof tx !== 'number' || !Number.isFinite(tx) || tx < 0) {
    issues.push({ path: [index, 'tx'], code: 'invalid_value', message: 'Expected tx (time of last purchase) to be a non-negative finite number' });
  } else if (typeof T === 'number' && tx > T) {
    issues.push({ path: [index, 'tx'], code: 'too_big', message: 'Expected tx (time of last purchase) to be at most T (customer age)' });
  } else if (x === 0 && tx !== 0) {
    issues.push({ path: [index, 'tx'], code: 'invalid_value', message: 'Expected tx to be 0 for a customer without repeat purchases (x = 0)' });
  }
  if (weight !== undefined && (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0)) {
    issues.push({ path: [index, 'weight'], code: 'invalid_value', message: 'Expected weight to be a non-negative finite number' });
  }
  return issues.length === before;
}

/**
 * Checks one customer's (x, tₓ, T) and returns it; throws a `ValidationError` naming each
 * bad field otherwise. Used by every prediction.
 */
export function checkRepeatPurchaseSummary(customer: RepeatPurchaseSummary, context = 'customer'): RepeatPurchaseSummary {
  const issues: ValidationIssue[] = [];
  if (!checkRow(customer, 0, issues)) {
    throw new ValidationError(
      issues.map((issue) => ({ ...issue, path: issue.path.slice(1) })),
      context,
    );
  }
  return customer;
}

/**
 * Compresses customers to unique (x, tₓ, T) rows with weights (summing the rows' `weight`,
 * default 1). Validates every row first: a bad row throws a `ValidationError` whose issues
 * carry the row's index and field, e.g. path `[12, 'tx']`.
 *
 * @param customers - One row per customer (or per group of identical customers, with `weight`).
 * @returns Columns of unique rows, ordered by x, then tₓ, then T (deterministic for any input order).
 *
 * @example
 * ```ts
 * import { bgNbd, compressCustomers } from 'guanxi/scoring';
 *
 * const compressed = compressCustomers([
 *   { x: 0, tx: 0, T: 38 },
 *   { x: 3, tx: 20, T: 38 },
 *   { x: 0, tx: 0, T: 38 },
 * ]);
 * console.log(compressed.rows); // 2
 * const fit = bgNbd.fit(compressed); // same fit as on the three rows
 * ```
 */
export function compressCustomers(customers: Iterable<RepeatPurchaseSummary>): CompressedCustomers {
  const issues: ValidationIssue[] = [];
  // Pass 1: validate, copy into columns, and number the distinct time values. Grouping on
  // numbers (not strings) keeps a million rows well under a second.
  let capacity = 1024;
  let xs = new Float64Array(capacity);
  let txIds = new Uint32Array(capacity);
  let tIds = new Uint32Array(capacity);
  let weights = new Float64Array(capacity);
  const timeIds = new Map<number, number>();
  const timeValues: number[] = [];
  const timeId = (value: number): number => {
    let id = timeIds.get(value);
    if (id === undefined) {
      id = timeValues.length;
      timeIds.set(value, id);
      timeValues.push(value);
    }
    return id;
  };
  let count = 0;
  let index = 0;
  for (const row of customers) {
    if (checkRow(row, index, issues) && issues.length === 0) {
      if (count === capacity) {
        capacity *= 2;
        xs = grow(xs, capacity);
        txIds = grow(txIds, capacity);
        tIds = grow(tIds, capacity);
        weights = grow(weights, capacity);
      }
      xs[count] = row.x;
      // −0 and 0 are one time (Map keys use SameValueZero).
      txIds[count] = timeId(row.tx);
      tIds[count] = timeId(row.T);
      weights[count] = row.weight ?? 1;
      count++;
    }
    index++;
  }
  if (issues.length > 0) throw new ValidationError(issues, rowsContext);

  // Rank the distinct times so that numeric keys sort rows by (x, tx, T).
  const order = timeValues.map((_, id) => id).sort((p, q) => (timeValues[p] as number) - (timeValues[q] as number));
  const rank = new Uint32Array(timeValues.length);
  order.forEach((id, position) => {
    rank[id] = position;
  });
  const times = Float64Array.from(order, (id) => timeValues[id] as number);
  const nTimes = times.length;

  let maxX = 0;
  for (let i = 0; i < count; i++) maxX = Math.max(maxX, xs[i] as number);
  const numericKeys = (maxX + 1) * nTimes * nTimes < Number.MAX_SAFE_INTEGER;
  const groups = new Map<number | string, number>();
  const groupRow: number[] = [];
  const groupWeight: number[] = [];
  for (let i = 0; i < count; i++) {
    const txRank = rank[txIds[i] as number] as number;
    const tRank = rank[tIds[i] as number] as number;
    const key = numericKeys ? ((xs[i] as number) * nTimes + txRank) * nTimes + tRank : `${xs[i]}|${txRank}|${tRank}`;
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, groupRow.length);
      groupRow.push(i);
      groupWeight.push(weights[i] as number);
    } else {
      groupWeight[group] = (groupWeight[group] as number) + (weights[i] as number);
    }
  }
  const rowOf = (g: number): number => groupRow[g] as number;
  const sorted = groupRow
    .map((_, g) => g)
    .sort(
      (p, q) =>
        (xs[rowOf(p)] as number) - (xs[rowOf(q)] as number) ||
        (rank[txIds[rowOf(p)] as number] as number) - (rank[txIds[rowOf(q)] as number] as number) ||
        (rank[tIds[rowOf(p)] as number] as number) - (rank[tIds[rowOf(q)] as number] as number),
    );
  const n = sorted.length;
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  const weight = new Float64Array(n);
  const xIndex = new Uint32Array(n);
  const txIndex = new Uint32Array(n);
  const TIndex = new Uint32Array(n);
  const distinct: number[] = [];
  let customersTotal = 0;
  sorted.forEach((g, i) => {
    const row = rowOf(g);
    x[i] = xs[row] as number;
    txIndex[i] = rank[txIds[row] as number] as number;
    TIndex[i] = rank[tIds[row] as number] as number;
    tx[i] = times[txIndex[i] as number] as number;
    T[i] = times[TIndex[i] as number] as number;
    weight[i] = groupWeight[g] as number;
    customersTotal += weight[i] as number;
    if (distinct.length === 0 || distinct[distinct.length - 1] !== x[i]) distinct.push(x[i] as number);
    xIndex[i] = distinct.length - 1;
  });
  return {
    kind: 'compressed-customers',
    rows: n,
    customers: customersTotal,
    x,
    tx,
    T,
    weight,
    distinctX: Float64Array.from(distinct),
    xIndex,
    times,
    txIndex,
    TIndex,
  };
}

function grow<A extends Float64Array | Uint32Array>(array: A, capacity: number): A {
  const next = new (array.constructor as new (length: number) => A)(capacity);
  next.set(array);
  return next;
}

/** Accepts plain rows or already compressed customers. */
export function toCompressedCustomers(customers: Iterable<RepeatPurchaseSummary> | CompressedCustomers): CompressedCustomers {
  return isCompressedCustomers(customers) ? customers : compressCustomers(customers);
}
