import * as z from 'zod/mini';
import { ValidationError, type ValidationIssue } from '../core/errors/validation-error';
import { daysPerUnit, epochDayOf, formatEpochDay, type TimeInput, type TimeUnit } from './calendar';
import { TransactionOrderError } from './errors/transaction-order-error';

/**
 * One purchase: who bought, when, for how much, and optionally what it cost to serve and
 * through which channel.
 *
 * `time` is a `Date`, epoch milliseconds, a date-only string or a zoned ISO date-time
 * (see {@link TimeInput}). `amount` may be negative (a refund). `cost` is the cost to
 * serve this transaction; when absent, the channel's cost from the options applies.
 *
 * @example
 * ```ts
 * import { Transaction, type Transaction as TransactionType } from 'guanxi/scoring';
 * import { validate } from 'guanxi';
 *
 * const purchase: TransactionType = validate(Transaction, { customerId: 'c-17', time: '2026-03-01', amount: 42.5, channel: 'web' });
 * ```
 */
export const Transaction = z.object({
  customerId: z.union([z.string().check(z.minLength(1)), z.number()]),
  time: z.union([z.date(), z.number(), z.string()]),
  amount: z.number(),
  cost: z.optional(z.number()),
  channel: z.optional(z.string()),
});
/** A purchase (see the `Transaction` schema). *
 * @example
 * ```ts
 * import type { Transaction } from 'guanxi/scoring';
 *
 * const purchase: Transaction = { customerId: 42, time: Date.UTC(2026, 2, 1), amount: 19.99, cost: 2.5 };
 * ```
 */
export type Transaction = z.infer<typeof Transaction>;

/**
 * The cost to serve one transaction in a channel: a fixed amount per transaction plus a
 * share of the transaction's amount (e.g. payment and delivery fees).
 *
 * @example
 * ```ts
 * import type { ChannelCost } from 'guanxi/scoring';
 *
 * const store: ChannelCost = { perTransaction: 4, shareOfAmount: 0.02 };
 * ```
 */
export interface ChannelCost {
  /** Fixed cost per transaction. @default 0 */
  readonly perTransaction?: number;
  /** Cost as a share of the amount (0.02 = 2 %). @default 0 */
  readonly shareOfAmount?: number;
}

/**
 * Options of a transaction summary.
 *
 * @example
 * ```ts
 * import type { TransactionSummaryOptions } from 'guanxi/scoring';
 *
 * const options: TransactionSummaryOptions = {
 *   calibrationEnd: '1997-09-30',
 *   unit: 'week',
 *   channelCosts: { store: { perTransaction: 4 }, web: { shareOfAmount: 0.03 } },
 * };
 * ```
 */
export interface TransactionSummaryOptions {
  /**
   * The last day of the calibration period, inclusive (the "as of" date of the summary).
   * Transactions after it are counted only in the hold-out fields. Required: a default
   * of "today" would make results depend on when they are computed.
   */
  readonly calibrationEnd: TimeInput;
  /** The unit of tₓ, T and recency. @default 'week' */
  readonly unit?: TimeUnit;
  /**
   * The fixed offset from UTC, in minutes, at which days begin (480 for China Standard
   * Time). Date-only strings always name their own day. @default 0
   */
  readonly utcOffsetMinutes?: number;
  /** Cost to serve per channel, for transactions that carry no `cost`. @default {} */
  readonly channelCosts?: Readonly<Record<string, ChannelCost>>;
}

/**
 * The defaults of the optional `TransactionSummaryOptions` fields.
 *
 * @example
 * ```ts
 * import { defaultTransactionSummaryOptions } from 'guanxi/scoring';
 *
 * console.log(defaultTransactionSummaryOptions.unit); // 'week'
 * ```
 */
export const defaultTransactionSummaryOptions = Object.freeze({
  unit: 'week' as TimeUnit,
  utcOffsetMinutes: 0,
  channelCosts: Object.freeze({}) as Readonly<Record<string, ChannelCost>>,
});

/**
 * Transaction summary options with every default applied and the calibration end as a
 * day number.
 *
 * @example
 * ```ts
 * import { resolveTransactionSummaryOptions, type ResolvedTransactionSummaryOptions } from 'guanxi/scoring';
 *
 * const resolved: ResolvedTransactionSummaryOptions = resolveTransactionSummaryOptions({ calibrationEnd: '1997-09-30' });
 * console.log(resolved.calibrationEndDay); // 10134
 * ```
 */
export interface ResolvedTransactionSummaryOptions {
  /** The calibration end as days since 1970-01-01. */
  readonly calibrationEndDay: number;
  readonly unit: TimeUnit;
  readonly utcOffsetMinutes: number;
  readonly channelCosts: Readonly<Record<string, ChannelCost>>;
}

/**
 * Applies the defaults to summary options and checks them; throws a `ValidationError`
 * naming each bad field.
 *
 * @example
 * ```ts
 * import { resolveTransactionSummaryOptions } from 'guanxi/scoring';
 *
 * const options = resolveTransactionSummaryOptions({ calibrationEnd: '2026-06-30', unit: 'day' });
 * console.log(options.unit, options.utcOffsetMinutes); // 'day' 0
 * ```
 */
export function resolveTransactionSummaryOptions(options: TransactionSummaryOptions): ResolvedTransactionSummaryOptions {
  const issues: ValidationIssue[] = [];
  const unit = options.unit ?? defaultTransactionSummaryOptions.unit;
  if (!Object.hasOwn(daysPerUnit, unit)) issues.push({ path: ['unit'], code: 'invalid_unit', message: `Unit must be 'day' or 'week'` });
  const utcOffsetMinutes = options.utcOffsetMinutes ?? defaultTransactionSummaryOptions.utcOffsetMinutes;
  if (!Number.isInteger(utcOffsetMinutes) || Math.abs(utcOffsetMinutes) > 18 * 60) {
    issues.push({ path: ['utcOffsetMinutes'], code: 'invalid_offset', message: 'UTC offset must be a whole number of minutes within ±18 hours' });
  }
  const calibrationEndDay = options.calibrationEnd === undefined ? undefined : epochDayOf(options.calibrationEnd, utcOffsetMinutes);
  if (calibrationEndDay === undefined) {
    issues.push({ path: ['calibrationEnd'], code: 'invalid_date', message: 'Calibration end must be a date (YYYY-MM-DD), a zoned ISO date-time, a Date or epoch milliseconds' });
  }
  const channelCosts = options.channelCosts ?? defaultTransactionSummaryOptions.channelCosts;
  for (const [channel, cost] of Object.entries(channelCosts)) {
    for (const field of ['perTransaction', 'shareOfAmount'] as const) {
      const value = cost[field];
      if (value !== undefined && !Number.isFinite(value)) {
        issues.push({ path: ['channelCosts', channel, field], code: 'invalid_number', message: 'Must be a finite number' });
      }
    }
  }
  if (issues.length > 0 || calibrationEndDay === undefined) throw new ValidationError(issues, 'transaction summary options');
  return Object.freeze({ calibrationEndDay, unit, utcOffsetMinutes, channelCosts });
}

/**
 * One customer's purchases summarized as of the calibration end.
 *
 * Follows the customer-base-analysis definitions (Fader, Hardie & Lee 2005): purchases
 * are counted per calendar day; `x` is the number of distinct purchase days in the
 * calibration period minus one (repeat purchases); `tx` and `T` are measured from the
 * first purchase day to the last purchase day and to the calibration end, in `unit`s.
 *
 * @example
 * ```ts
 * import { summarizeTransactions, type CustomerSummary } from 'guanxi/scoring';
 *
 * const [summary]: CustomerSummary[] = summarizeTransactions(
 *   [{ customerId: 'c1', time: '1997-01-01', amount: 29.33 }, { customerId: 'c1', time: '1997-01-18', amount: 29.73 }],
 *   { calibrationEnd: '1997-09-30' },
 * );
 * console.log(summary?.x, summary?.meanRepeatValue.toFixed(2)); // 1 '29.73'
 * ```
 */
export interface CustomerSummary {
  /** The customer's id as given in the transactions. */
  readonly customerId: string | number;
  /** First purchase day, `YYYY-MM-DD`. */
  readonly firstPurchase: string;
  /** Last purchase day in the calibration period, `YYYY-MM-DD`. */
  readonly lastPurchase: string;
  /** Transactions in the calibration period (several on one day each count). */
  readonly transactions: number;
  /** Repeat purchases: distinct purchase days in the calibration period minus one. */
  readonly x: number;
  /** Time from the first to the last purchase day, in `unit`s. */
  readonly tx: number;
  /** Customer age: time from the first purchase day to the calibration end, in `unit`s. */
  readonly T: number;
  /** Time from the last purchase day to the calibration end (`T − tx`), in `unit`s. */
  readonly recency: number;
  /** Mean value of a repeat purchase day (revenue after the first day ÷ x); 0 when x = 0. */
  readonly meanRepeatValue: number;
  /** Total amount in the calibration period. */
  readonly revenue: number;
  /** Total cost to serve in the calibration period. */
  readonly costToServe: number;
  /** `revenue − costToServe`. */
  readonly profit: number;
  /** Distinct purchase days after the calibration end. */
  readonly holdoutPurchases: number;
  /** Total amount after the calibration end. */
  readonly holdoutRevenue: number;
}

/**
 * Transactions as parallel columns, for the bulk path (no object per transaction).
 * `time` is epoch milliseconds.
 *
 * @example
 * ```ts
 * import type { TransactionColumns } from 'guanxi/scoring';
 *
 * const columns: TransactionColumns = {
 *   customerId: Uint32Array.of(0, 1, 0),
 *   time: Float64Array.of(Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 2), Date.UTC(2026, 0, 9)),
 *   amount: Float64Array.of(10, 25, 12),
 * };
 * ```
 */
export interface TransactionColumns {
  readonly customerId: ArrayLike<string | number>;
  readonly time: ArrayLike<number>;
  readonly amount: ArrayLike<number>;
  /** Cost to serve per transaction; when absent, zero. */
  readonly cost?: ArrayLike<number>;
}

// Per-customer state: 64 bytes in one ArrayBuffer slot, read through an Int32 view (day
// numbers and counts) and a Float64 view (money). One slot is one cache line on most CPUs,
// which matters when 10⁷ transactions hit 10⁶ customers in random order.
const slotBytes = 64;
const intsPerSlot = slotBytes / 4;
const floatsPerSlot = slotBytes / 8;
const FIRST = 0;
const LAST = 1;
const DAYS = 2;
const COUNT = 3;
const HOLDOUT_FIRST = 4;
const HOLDOUT_LAST = 5;
const HOLDOUT_DAYS = 6;
const HOLDOUT_COUNT = 7;
const REVENUE = 4; // float offsets 4–7 share the slot's second half
const FIRST_DAY_REVENUE = 5;
const COST = 6;
const HOLDOUT_REVENUE = 7;

const millisecondsPerDay = 86_400_000;
/** Customers per block of the bulk path (4,096 × 64 bytes = 256 KiB of state). */
const blockCustomers = 4096;

/**
 * A mergeable, streaming summary of transactions per customer: the bulk engine behind
 * `summarizeTransactions()`.
 *
 * Each customer takes 64 bytes of state in typed arrays (plus the id index, unless the
 * summary is {@link TransactionSummary.dense}). Transactions are added one at a time or in
 * columns; summaries of shards `merge()` into the summary of the whole, so the work can
 * be split across workers or machines (shards split by customer, or by consecutive time
 * ranges). Within one summary, each customer's transactions must arrive in time order
 * (customers may interleave); otherwise a `TransactionOrderError` is thrown.
 *
 * @example
 * ```ts
 * import { TransactionSummary } from 'guanxi/scoring';
 *
 * const january = new TransactionSummary({ calibrationEnd: '2026-03-31' });
 * january.add({ customerId: 'c1', time: '2026-01-05', amount: 20 });
 * const february = new TransactionSummary({ calibrationEnd: '2026-03-31' });
 * february.add({ customerId: 'c1', time: '2026-02-11', amount: 35 });
 * const whole = january.merge(february);
 * console.log(whole.customers()[0]?.x); // 1
 * ```
 */
export class TransactionSummary {
  /** The resolved options; merged summaries must have equal options. */
  readonly options: ResolvedTransactionSummaryOptions;
  #ints: Int32Array;
  #floats: Float64Array;
  #capacity: number;
  #slots = 0;
  readonly #index: Map<string | number, number> | undefined;
  readonly #ids: (string | number)[] | undefined;
  #transactionsSeen = 0;
  #customersWithPurchases = 0;

  /**
   * @param options - Calibration end, unit, UTC offset and channel costs.
   * @param denseCustomerCount - Internal: see {@link TransactionSummary.dense}.
   */
  constructor(options: TransactionSummaryOptions, denseCustomerCount?: number) {
    this.options = resolveTransactionSummaryOptions(options);
    if (denseCustomerCount === undefined) {
      this.#index = new Map();
      this.#ids = [];
      this.#capacity = 0;
    } else {
      if (!Number.isInteger(denseCustomerCount) || denseCustomerCount < 0 || denseCustomerCount > 2 ** 31 - 1) {
        throw new ValidationError([{ path: ['customerCount'], code: 'invalid_count', message: 'Customer count must be a non-negative integer below 2³¹' }], 'dense transaction summary');
      }
      this.#capacity = denseCustomerCount;
      this.#slots = denseCustomerCount;
    }
    const buffer = new ArrayBuffer(this.#capacity * slotBytes);
    this.#ints = new Int32Array(buffer);
    this.#floats = new Float64Array(buffer);
  }

  /**
   * A summary for customers numbered `0 … customerCount − 1`, with no id index: exactly
   * 64 bytes per customer. Customer ids given to it must be those integers.
   *
   * @example
   * ```ts
   * import { TransactionSummary } from 'guanxi/scoring';
   *
   * const summary = TransactionSummary.dense(1_000, { calibrationEnd: '2026-06-30' });
   * summary.addColumns({ customerId: Uint32Array.of(7, 7), time: Float64Array.of(Date.UTC(2026, 0, 1), Date.UTC(2026, 1, 1)), amount: Float64Array.of(10, 20) });
   * console.log(summary.byteLength); // 64000
   * ```
   */
  static dense(customerCount: number, options: TransactionSummaryOptions): TransactionSummary {
    return new TransactionSummary(options, customerCount);
  }

  /** Whether customers are integers `0 … n − 1` without an id index. */
  get isDense(): boolean {
    return this.#index === undefined;
  }

  /** Bytes held by the per-customer state (excluding the id index of a non-dense summary). */
  get byteLength(): number {
    return this.#ints.byteLength;
  }

  /** Transactions added so far (including those merged in). */
  get transactionCount(): number {
    return this.#transactionsSeen;
  }

  /** Customers with at least one purchase in the calibration period. */
  get size(): number {
    return this.#customersWithPurchases;
  }

  /**
   * Adds one transaction. Validates it and throws a `ValidationError` (path
   * `[position, field]`) when it is malformed.
   *
   * @param transaction - The purchase.
   * @param position - Its position in the input, for error messages. @default the count so far
   */
  add(transaction: Transaction, position = this.#transactionsSeen): void {
    const { customerId, time, amount, cost, channel } = transaction as Partial<Transaction>;
    const day = time === undefined ? undefined : epochDayOf(time, this.options.utcOffsetMinutes);
    if (
      (typeof customerId === 'string' ? customerId.length > 0 : typeof customerId === 'number' && Number.isFinite(customerId)) &&
      day !== undefined && typeof amount === 'number' && Number.isFinite(amount) &&
      (cost === undefined || (typeof cost === 'number' && Number.isFinite(cost)))
    ) {
      this.#record(this.#slotOf(customerId as string | number, position), day, amount, cost ?? this.#channelCost(channel, amount), position);
      return;
    }
    const issues: ValidationIssue[] = [];
    if (!(typeof customerId === 'string' ? customerId.length > 0 : typeof customerId === 'number' && Number.isFinite(customerId))) {
      issues.push({ path: [position, 'customerId'], code: 'invalid_customer_id', message: 'Customer id must be a non-empty string or a finite number' });
    }
    if (day === undefined) issues.push({ path: [position, 'time'], code: 'invalid_date', message: 'Time must be a date (YYYY-MM-DD), a zoned ISO date-time, a Date or epoch milliseconds' });
    if (typeof amount !== 'number' || !Number.isFinite(amount)) issues.push({ path: [position, 'amount'], code: 'invalid_number', message: 'Amount must be a finite number' });
    if (cost !== undefined && (typeof cost !== 'number' || !Number.isFinite(cost))) issues.push({ path: [position, 'cost'], code: 'invalid_number', message: 'Cost must be a finite number' });
    throw new ValidationError(issues, 'transaction');
  }

  /**
   * Adds transactions given as columns — the fast path for millions of rows. Every value
   * is checked (finite numbers); the first bad row throws a `ValidationError`.
   */
  addColumns(columns: TransactionColumns): void {
    const { customerId, time, amount, cost } = columns;
    const length = customerId.length;
    if (time.length !== length || amount.length !== length || (cost !== undefined && cost.length !== length)) {
      throw new ValidationError([{ path: [], code: 'length_mismatch', message: 'Every column must have the same length' }], 'transaction columns');
    }
    const offset = this.options.utcOffsetMinutes * 60_000;
    const base = this.#transactionsSeen;
    // Work in chunks: first check each row and find its customer's slot, then record the
    // chunk's rows grouped by blocks of 4,096 customers (a stable counting sort, so each
    // customer's rows keep their order). A block's state is 256 KiB and stays in cache,
    // where rows in input order would touch a random 64-byte slot of the whole state each:
    // with a million customers that is a cache and TLB miss per transaction.
    const chunkSize = Math.min(length, 1 << 20);
    const slots = new Uint32Array(chunkSize);
    const days = new Int32Array(chunkSize);
    let sorted: { slots: Uint32Array; days: Int32Array; amounts: Float64Array; costs: Float64Array; rows: Uint32Array } | undefined;
    for (let start = 0; start < length; start += chunkSize) {
      const end = Math.min(length, start + chunkSize);
      for (let row = start; row < end; row++) {
        const milliseconds = time[row]!;
        const value = amount[row]!;
        const rowCost = cost === undefined ? 0 : cost[row]!;
        if (!Number.isFinite(milliseconds) || !Number.isFinite(value) || !Number.isFinite(rowCost)) {
          const field = !Number.isFinite(milliseconds) ? 'time' : !Number.isFinite(value) ? 'amount' : 'cost';
          throw new ValidationError([{ path: [base + row, field], code: 'invalid_number', message: `${field} must be a finite number` }], 'transaction');
        }
        slots[row - start] = this.#slotOf(customerId[row]!, base + row);
        days[row - start] = Math.floor((milliseconds + offset) / millisecondsPerDay);
      }
      const count = end - start;
      if (this.#slots <= blockCustomers * 16) {
        for (let k = 0; k < count; k++) this.#record(slots[k]!, days[k]!, amount[start + k]!, cost === undefined ? 0 : cost[start + k]!, base + start + k);
        continue;
      }
      sorted ??= { slots: new Uint32Array(chunkSize), days: new Int32Array(chunkSize), amounts: new Float64Array(chunkSize), costs: new Float64Array(chunkSize), rows: new Uint32Array(chunkSize) };
      const blocks = Math.ceil(this.#slots / blockCustomers);
      const next = new Uint32Array(blocks + 1);
      for (let k = 0; k < count; k++) next[Math.floor(slots[k]! / blockCustomers) + 1]!++;
      for (let block = 1; block <= blocks; block++) next[block] = next[block]! + next[block - 1]!;
      for (let k = 0; k < count; k++) {
        const at = next[Math.floor(slots[k]! / blockCustomers)]!++;
        sorted.slots[at] = slots[k]!;
        sorted.days[at] = days[k]!;
        sorted.amounts[at] = amount[start + k]!;
        sorted.costs[at] = cost === undefined ? 0 : cost[start + k]!;
        sorted.rows[at] = start + k;
      }
      for (let at = 0; at < count; at++) this.#record(sorted.slots[at]!, sorted.days[at]!, sorted.amounts[at]!, sorted.costs[at]!, base + sorted.rows[at]!);
    }
  }

  /**
   * Merges another summary (of a different shard) into this one and returns `this`.
   * Both must have equal options. A customer in both shards must not have purchase days
   * that interleave (shards split by customer, or by consecutive time ranges); otherwise a
   * `TransactionOrderError` (`overlapping_shards`) is thrown and this summary is unchanged.
   */
  merge(other: TransactionSummary): this {
    const a = this.options;
    const b = other.options;
    if (
      a.calibrationEndDay !== b.calibrationEndDay || a.unit !== b.unit || a.utcOffsetMinutes !== b.utcOffsetMinutes ||
      JSON.stringify(a.channelCosts) !== JSON.stringify(b.channelCosts)
    ) {
      throw new ValidationError([{ path: ['options'], code: 'options_mismatch', message: 'Only summaries with equal options can be merged' }], 'summary merge');
    }
    if (this.isDense !== other.isDense || (this.isDense && this.#slots !== other.#slots)) {
      throw new ValidationError([{ path: ['dense'], code: 'layout_mismatch', message: 'Dense summaries merge only with dense summaries of the same customer count' }], 'summary merge');
    }
    // Check every shared customer first so that a failed merge leaves this summary intact.
    const pairs: [number, number][] = [];
    for (let source = 0; source < other.#slots; source++) {
      const id = other.#idOf(source);
      const target = this.#index === undefined ? source : this.#index.get(id);
      if (target !== undefined) {
        if (!canMergeDays(this.#ints, target, other.#ints, source, FIRST) || !canMergeDays(this.#ints, target, other.#ints, source, HOLDOUT_FIRST)) {
          throw new TransactionOrderError('overlapping_shards', id, -1);
        }
      }
      pairs.push([source, target ?? -1]);
    }
    for (const [source, known] of pairs) {
      const target = known >= 0 ? known : this.#slotOf(other.#idOf(source), -1);
      const hadPurchases = this.#ints[target * intsPerSlot + COUNT]! > 0;
      mergeSlot(this.#ints, this.#floats, target, other.#ints, other.#floats, source);
      if (!hadPurchases && this.#ints[target * intsPerSlot + COUNT]! > 0) this.#customersWithPurchases++;
    }
    this.#transactionsSeen += other.#transactionsSeen;
    return this;
  }

  /**
   * The whole state as plain data (structured-cloneable, JSON-safe apart from the
   * `ArrayBuffer`), to send a shard's summary to another thread or machine and rebuild it
   * there with `TransactionSummary.fromState()`.
   */
  toState(): TransactionSummaryState {
    const resolved = this.options;
    return {
      version: 1,
      options: {
        calibrationEnd: resolved.calibrationEndDay * millisecondsPerDay - resolved.utcOffsetMinutes * 60_000,
        unit: resolved.unit,
        utcOffsetMinutes: resolved.utcOffsetMinutes,
        channelCosts: resolved.channelCosts,
      },
      customerIds: this.#ids === undefined ? undefined : [...this.#ids],
      customers: this.#slots,
      transactions: this.#transactionsSeen,
      slots: (this.#ints.buffer as ArrayBuffer).slice(0, this.#slots * slotBytes),
    };
  }

  /**
   * Rebuilds a summary from `toState()`. Checks the state's shape and throws a
   * `ValidationError` when it is not a summary state.
   *
   * @example
   * ```ts
   * import { TransactionSummary } from 'guanxi/scoring';
   *
   * const shard = new TransactionSummary({ calibrationEnd: '2026-06-30' });
   * shard.add({ customerId: 'c1', time: '2026-01-05', amount: 20 });
   * const copy = TransactionSummary.fromState(structuredClone(shard.toState()));
   * console.log(copy.customer('c1')?.revenue); // 20
   * ```
   */
  static fromState(state: TransactionSummaryState): TransactionSummary {
    const valid =
      typeof state === 'object' && state !== null && state.version === 1 && state.slots instanceof ArrayBuffer &&
      Number.isInteger(state.customers) && state.customers >= 0 && state.slots.byteLength === state.customers * slotBytes &&
      Number.isInteger(state.transactions) && state.transactions >= 0 &&
      (state.customerIds === undefined || (Array.isArray(state.customerIds) && state.customerIds.length === state.customers));
    if (!valid) throw new ValidationError([{ path: [], code: 'invalid_state', message: 'Not a TransactionSummary state (version 1)' }], 'transaction summary state');
    const summary = state.customerIds === undefined ? TransactionSummary.dense(state.customers, state.options) : new TransactionSummary(state.options);
    if (state.customerIds !== undefined) {
      for (const id of state.customerIds) summary.#slotOf(id, -1);
      if (summary.#index!.size !== state.customers) {
        throw new ValidationError([{ path: ['customerIds'], code: 'duplicate_id', message: 'Customer ids must be unique' }], 'transaction summary state');
      }
    }
    summary.#ints.set(new Int32Array(state.slots));
    summary.#transactionsSeen = state.transactions;
    for (let slot = 0; slot < state.customers; slot++) if (summary.#ints[slot * intsPerSlot + COUNT]! > 0) summary.#customersWithPurchases++;
    return summary;
  }

  /**
   * The summary of each customer with a purchase in the calibration period, in order of
   * first appearance (customers seen only after the calibration end are left out).
   */
  customers(): CustomerSummary[] {
    const rows: CustomerSummary[] = [];
    for (let slot = 0; slot < this.#slots; slot++) {
      const row = this.#summaryOf(slot);
      if (row !== undefined) rows.push(row);
    }
    return rows;
  }

  /** The summary of one customer, or `undefined` if it has no calibration purchase. */
  customer(customerId: string | number): CustomerSummary | undefined {
    const slot = this.#index === undefined
      ? (Number.isInteger(customerId) && (customerId as number) >= 0 && (customerId as number) < this.#slots ? (customerId as number) : undefined)
      : this.#index.get(customerId);
    return slot === undefined ? undefined : this.#summaryOf(slot);
  }

  /**
   * Columns of the model inputs for customers with a calibration purchase, in the order of
   * `customers()`: what the bulk RFM and model-fitting paths read without creating one
   * object per customer.
   */
  toColumns(): CustomerSummaryColumns {
    const size = this.size;
    const ids: (string | number)[] = new Array<string | number>(size);
    const x = new Float64Array(size);
    const tx = new Float64Array(size);
    const T = new Float64Array(size);
    const recency = new Float64Array(size);
    const revenue = new Float64Array(size);
    const profit = new Float64Array(size);
    const meanRepeatValue = new Float64Array(size);
    const perUnit = daysPerUnit[this.options.unit];
    const end = this.options.calibrationEndDay;
    let row = 0;
    for (let slot = 0; slot < this.#slots; slot++) {
      const i = slot * intsPerSlot;
      const f = slot * floatsPerSlot;
      const purchases = this.#ints[i + COUNT]!;
      if (purchases === 0) continue;
      const first = this.#ints[i + FIRST]!;
      const last = this.#ints[i + LAST]!;
      const repeats = this.#ints[i + DAYS]! - 1;
      ids[row] = this.#idOf(slot);
      x[row] = repeats;
      tx[row] = (last - first) / perUnit;
      T[row] = (end - first) / perUnit;
      recency[row] = (end - last) / perUnit;
      revenue[row] = this.#floats[f + REVENUE]!;
      profit[row] = this.#floats[f + REVENUE]! - this.#floats[f + COST]!;
      meanRepeatValue[row] = repeats > 0 ? (this.#floats[f + REVENUE]! - this.#floats[f + FIRST_DAY_REVENUE]!) / repeats : 0;
      row++;
    }
    return { customerId: ids, x, tx, T, recency, revenue, profit, meanRepeatValue };
  }

  #channelCost(channel: string | undefined, amount: number): number {
    if (channel === undefined || !Object.hasOwn(this.options.channelCosts, channel)) return 0;
    const cost = this.options.channelCosts[channel]!;
    return (cost.perTransaction ?? 0) + (cost.shareOfAmount ?? 0) * amount;
  }

  #idOf(slot: number): string | number {
    return this.#ids === undefined ? slot : this.#ids[slot]!;
  }

  #slotOf(customerId: string | number, position: number): number {
    if (this.#index === undefined) {
      if (typeof customerId !== 'number' || !Number.isInteger(customerId) || customerId < 0 || customerId >= this.#slots) {
        throw new ValidationError([{ path: [position, 'customerId'], code: 'invalid_customer_id', message: `A dense summary takes customer numbers 0 to ${this.#slots - 1}` }], 'transaction');
      }
      return customerId;
    }
    let slot = this.#index.get(customerId);
    if (slot === undefined) {
      slot = this.#slots++;
      if (slot >= this.#capacity) this.#grow();
      this.#index.set(customerId, slot);
      this.#ids!.push(customerId);
    }
    return slot;
  }

  #grow(): void {
    this.#capacity = Math.max(1024, this.#capacity * 2);
    const buffer = new ArrayBuffer(this.#capacity * slotBytes);
    const ints = new Int32Array(buffer);
    ints.set(this.#ints);
    this.#ints = ints;
    this.#floats = new Float64Array(buffer);
  }

  #record(slot: number, day: number, amount: number, cost: number, position: number): void {
    const ints = this.#ints;
    const floats = this.#floats;
    const i = slot * intsPerSlot;
    const f = slot * floatsPerSlot;
    this.#transactionsSeen++;
    if (day <= this.options.calibrationEndDay) {
      if (ints[i + COUNT] === 0) {
        this.#customersWithPurchases++;
        ints[i + FIRST] = day;
        ints[i + LAST] = day;
        ints[i + DAYS] = 1;
        floats[f + FIRST_DAY_REVENUE] = amount;
      } else if (day === ints[i + FIRST]) {
        floats[f + FIRST_DAY_REVENUE] = floats[f + FIRST_DAY_REVENUE]! + amount;
      } else if (day > ints[i + LAST]!) {
        ints[i + LAST] = day;
        ints[i + DAYS] = ints[i + DAYS]! + 1;
      } else if (day < ints[i + FIRST]!) {
        ints[i + FIRST] = day;
        ints[i + DAYS] = ints[i + DAYS]! + 1;
        floats[f + FIRST_DAY_REVENUE] = amount;
      } else if (day !== ints[i + LAST]) {
        this.#transactionsSeen--;
        throw new TransactionOrderError('out_of_order', this.#idOf(slot), position);
      }
      ints[i + COUNT] = ints[i + COUNT]! + 1;
      floats[f + REVENUE] = floats[f + REVENUE]! + amount;
      floats[f + COST] = floats[f + COST]! + cost;
    } else {
      if (ints[i + HOLDOUT_COUNT] === 0) {
        ints[i + HOLDOUT_FIRST] = day;
        ints[i + HOLDOUT_LAST] = day;
        ints[i + HOLDOUT_DAYS] = 1;
      } else if (day > ints[i + HOLDOUT_LAST]!) {
        ints[i + HOLDOUT_LAST] = day;
        ints[i + HOLDOUT_DAYS] = ints[i + HOLDOUT_DAYS]! + 1;
      } else if (day < ints[i + HOLDOUT_FIRST]!) {
        ints[i + HOLDOUT_FIRST] = day;
        ints[i + HOLDOUT_DAYS] = ints[i + HOLDOUT_DAYS]! + 1;
      } else if (day !== ints[i + HOLDOUT_FIRST] && day !== ints[i + HOLDOUT_LAST]) {
        this.#transactionsSeen--;
        throw new TransactionOrderError('out_of_order', this.#idOf(slot), position);
      }
      ints[i + HOLDOUT_COUNT] = ints[i + HOLDOUT_COUNT]! + 1;
      floats[f + HOLDOUT_REVENUE] = floats[f + HOLDOUT_REVENUE]! + amount;
    }
  }

  #summaryOf(slot: number): CustomerSummary | undefined {
    const i = slot * intsPerSlot;
    const f = slot * floatsPerSlot;
    const ints = this.#ints;
    const floats = this.#floats;
    if (ints[i + COUNT] === 0) return undefined;
    const perUnit = daysPerUnit[this.options.unit];
    const end = this.options.calibrationEndDay;
    const first = ints[i + FIRST]!;
    const last = ints[i + LAST]!;
    const x = ints[i + DAYS]! - 1;
    const revenue = floats[f + REVENUE]!;
    const costToServe = floats[f + COST]!;
    return {
      customerId: this.#idOf(slot),
      firstPurchase: formatEpochDay(first),
      lastPurchase: formatEpochDay(last),
      transactions: ints[i + COUNT]!,
      x,
      tx: (last - first) / perUnit,
      T: (end - first) / perUnit,
      recency: (end - last) / perUnit,
      meanRepeatValue: x > 0 ? (revenue - floats[f + FIRST_DAY_REVENUE]!) / x : 0,
      revenue,
      costToServe,
      profit: revenue - costToServe,
      holdoutPurchases: ints[i + HOLDOUT_DAYS]!,
      holdoutRevenue: floats[f + HOLDOUT_REVENUE]!,
    };
  }
}

/**
 * A `TransactionSummary` as plain data (see `toState()` / `fromState()`): options, customer
 * ids (absent for dense summaries), counts and the 64-byte-per-customer slots.
 *
 * @example
 * ```ts
 * import { TransactionSummary, type TransactionSummaryState } from 'guanxi/scoring';
 *
 * const state: TransactionSummaryState = new TransactionSummary({ calibrationEnd: '2026-06-30' }).toState();
 * console.log(state.customers); // 0
 * ```
 */
export interface TransactionSummaryState {
  readonly version: 1;
  readonly options: TransactionSummaryOptions;
  readonly customerIds: readonly (string | number)[] | undefined;
  readonly customers: number;
  readonly transactions: number;
  readonly slots: ArrayBuffer;
}

/**
 * Per-customer model inputs as columns (see `TransactionSummary.toColumns()`).
 *
 * @example
 * ```ts
 * import { TransactionSummary, type CustomerSummaryColumns } from 'guanxi/scoring';
 *
 * const summary = new TransactionSummary({ calibrationEnd: '2026-06-30' });
 * summary.add({ customerId: 'c1', time: '2026-01-01', amount: 10 });
 * const columns: CustomerSummaryColumns = summary.toColumns();
 * console.log(columns.T[0]); // 25.714285714285715
 * ```
 */
export interface CustomerSummaryColumns {
  readonly customerId: readonly (string | number)[];
  readonly x: Float64Array;
  readonly tx: Float64Array;
  readonly T: Float64Array;
  readonly recency: Float64Array;
  readonly revenue: Float64Array;
  readonly profit: Float64Array;
  readonly meanRepeatValue: Float64Array;
}

/** Whether two day ranges `[first, last]` (at `offset`: FIRST or HOLDOUT_FIRST) can merge exactly. */
function canMergeDays(a: Int32Array, slotA: number, b: Int32Array, slotB: number, offset: number): boolean {
  const i = slotA * intsPerSlot + offset;
  const j = slotB * intsPerSlot + offset;
  // COUNT / HOLDOUT_COUNT sit 3 fields after FIRST / HOLDOUT_FIRST.
  if (a[i + 3] === 0 || b[j + 3] === 0) return true;
  return a[i + 1]! <= b[j]! || b[j + 1]! <= a[i]!;
}

function mergeRange(a: Int32Array, i: number, b: Int32Array, j: number): void {
  // Fields at i: first, last, days, count (checked by canMergeDays: ranges touch at most at one day).
  if (b[j + 3] === 0) return;
  if (a[i + 3] === 0) {
    a[i] = b[j]!;
    a[i + 1] = b[j + 1]!;
    a[i + 2] = b[j + 2]!;
    a[i + 3] = b[j + 3]!;
    return;
  }
  const shared = a[i + 1] === b[j] || b[j + 1] === a[i] ? 1 : 0;
  a[i + 2] = a[i + 2]! + b[j + 2]! - shared;
  a[i + 3] = a[i + 3]! + b[j + 3]!;
  a[i] = Math.min(a[i]!, b[j]!);
  a[i + 1] = Math.max(a[i + 1]!, b[j + 1]!);
}

function mergeSlot(ints: Int32Array, floats: Float64Array, target: number, otherInts: Int32Array, otherFloats: Float64Array, source: number): void {
  const i = target * intsPerSlot;
  const j = source * intsPerSlot;
  const f = target * floatsPerSlot;
  const g = source * floatsPerSlot;
  // The first day's revenue follows the earlier first day; on a shared first day it adds up.
  if (otherInts[j + COUNT]! > 0) {
    if (ints[i + COUNT] === 0 || otherInts[j + FIRST]! < ints[i + FIRST]!) floats[f + FIRST_DAY_REVENUE] = otherFloats[g + FIRST_DAY_REVENUE]!;
    else if (otherInts[j + FIRST] === ints[i + FIRST]) floats[f + FIRST_DAY_REVENUE] = floats[f + FIRST_DAY_REVENUE]! + otherFloats[g + FIRST_DAY_REVENUE]!;
  }
  mergeRange(ints, i + FIRST, otherInts, j + FIRST);
  mergeRange(ints, i + HOLDOUT_FIRST, otherInts, j + HOLDOUT_FIRST);
  floats[f + REVENUE] = floats[f + REVENUE]! + otherFloats[g + REVENUE]!;
  floats[f + COST] = floats[f + COST]! + otherFloats[g + COST]!;
  floats[f + HOLDOUT_REVENUE] = floats[f + HOLDOUT_REVENUE]! + otherFloats[g + HOLDOUT_REVENUE]!;
}

/**
 * Summarizes transactions per customer as of the calibration end, in one pass.
 *
 * Accepts an array or any iterable, in any order: if a customer's transactions are not in
 * time order, the input is sorted by time (stably) and summarized again, so the result
 * never depends on the input order. Throws a `ValidationError` naming the first bad
 * transaction (`[index, field]`).
 *
 * @param transactions - Purchases (see `Transaction`).
 * @param options - Calibration end (required), unit, UTC offset, channel costs.
 * @returns One summary per customer with a calibration purchase, in order of first appearance.
 *
 * @example
 * ```ts
 * import { summarizeTransactions } from 'guanxi/scoring';
 *
 * const summaries = summarizeTransactions(
 *   [
 *     { customerId: 'c1', time: '1997-01-01', amount: 29.33 },
 *     { customerId: 'c1', time: '1997-01-18', amount: 29.73 },
 *     { customerId: 'c1', time: '1997-08-02', amount: 14.96 },
 *   ],
 *   { calibrationEnd: '1997-09-30', unit: 'week' },
 * );
 * console.log(summaries[0]?.x, summaries[0]?.tx.toFixed(2), summaries[0]?.T.toFixed(2)); // 2 '30.43' '38.86'
 * ```
 */
export function summarizeTransactions(transactions: Iterable<Transaction>, options: TransactionSummaryOptions): CustomerSummary[] {
  return buildTransactionSummary(transactions, options).customers();
}

/**
 * Summarizes an iterable into a `TransactionSummary` object (sorting by time when the
 * input is out of order), for callers that need more than the rows — to merge shards,
 * read columns or look customers up.
 *
 * @example
 * ```ts
 * import { buildTransactionSummary } from 'guanxi/scoring';
 *
 * const summary = buildTransactionSummary([
 *   { customerId: 'c1', time: '2026-05-01', amount: 10 },
 *   { customerId: 'c1', time: '2026-01-01', amount: 10 },
 *   { customerId: 'c1', time: '2026-03-01', amount: 10 },
 * ], { calibrationEnd: '2026-06-30' });
 * console.log(summary.customer('c1')?.x); // 2
 * ```
 */
export function buildTransactionSummary(transactions: Iterable<Transaction>, options: TransactionSummaryOptions): TransactionSummary {
  const list = Array.isArray(transactions) ? (transactions as readonly Transaction[]) : [...transactions];
  const summary = new TransactionSummary(options);
  try {
    for (let position = 0; position < list.length; position++) summary.add(list[position]!, position);
    return summary;
  } catch (error) {
    if (!(error instanceof TransactionOrderError)) throw error;
  }
  // Out of order: sort positions by day (stable, so ties keep input order) and start over.
  const offset = summary.options.utcOffsetMinutes;
  const days = new Float64Array(list.length);
  for (let index = 0; index < list.length; index++) days[index] = epochDayOf(list[index]!.time, offset) ?? -Infinity;
  const order = Array.from(list.keys()).sort((a, b) => days[a]! - days[b]! || a - b);
  const sorted = new TransactionSummary(options);
  for (const index of order) sorted.add(list[index]!, index);
  return sorted;
}

/**
 * Summarizes a stream of transactions (any async or sync iterable: a file reader, a
 * database cursor, a message queue) in one pass with 64 bytes of state per customer.
 * Each customer's transactions must arrive in time order (customers may interleave);
 * otherwise a `TransactionOrderError` names the first offending transaction.
 *
 * @example
 * ```ts
 * import { summarizeTransactionStream } from 'guanxi/scoring';
 *
 * async function* fromDatabase() {
 *   yield { customerId: 'c1', time: '2026-01-03', amount: 12 };
 *   yield { customerId: 'c2', time: '2026-01-04', amount: 30 };
 *   yield { customerId: 'c1', time: '2026-02-10', amount: 18 };
 * }
 * const summaries = await summarizeTransactionStream(fromDatabase(), { calibrationEnd: '2026-03-31', unit: 'day' });
 * console.log(summaries.map((s) => [s.customerId, s.x])); // [['c1', 1], ['c2', 0]]
 * ```
 */
export async function summarizeTransactionStream(
  transactions: AsyncIterable<Transaction> | Iterable<Transaction>,
  options: TransactionSummaryOptions,
): Promise<CustomerSummary[]> {
  const summary = new TransactionSummary(options);
  let position = 0;
  for await (const transaction of transactions) summary.add(transaction, position++);
  return summary.customers();
}
