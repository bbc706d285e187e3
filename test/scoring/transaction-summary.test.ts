import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  TransactionSummary,
  buildTransactionSummary,
  isTransactionOrderError,
  summarizeTransactionStream,
  summarizeTransactions,
  type CustomerSummary,
  type Transaction,
} from '../../src/scoring/index';
import { isValidationError } from '../../src/core/index';
import { readCdnowSample, readCdnowSummary } from './cdnow';

describe('summarizeTransactions on CDNOW', () => {
  const transactions = readCdnowSample();
  const published = readCdnowSummary();

  it('reproduces all 2,357 rows of the published summary (x exactly; tₓ, T, zbar to the published 2 decimals)', () => {
    const summaries = summarizeTransactions(transactions, { calibrationEnd: '1997-09-30', unit: 'week' });
    expect(published).toHaveLength(2357);
    expect(summaries).toHaveLength(2357);
    const byId = new Map(summaries.map((s) => [s.customerId, s]));
    let checked = 0;
    for (const row of published) {
      const mine = byId.get(row.id);
      expect(mine, `customer ${row.id}`).toBeDefined();
      expect(mine!.x, `x of ${row.id}`).toBe(row.x);
      expect(Math.abs(mine!.tx - row.tx), `t_x of ${row.id}`).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(mine!.T - row.T), `T of ${row.id}`).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(mine!.meanRepeatValue - row.zbar), `zbar of ${row.id}`).toBeLessThanOrEqual(0.005 + 1e-9);
      checked++;
    }
    expect(checked).toBe(2357);
    expect(summaries.filter((s) => s.x > 0)).toHaveLength(946);
  });

  it('gives the same summary from a stream, from reversed input and from merged shards', async () => {
    const options = { calibrationEnd: '1997-09-30' } as const;
    const whole = summarizeTransactions(transactions, options);
    const streamed = await summarizeTransactionStream((async function* () { yield* transactions; })(), options);
    expect(streamed).toEqual(whole);
    const reversed = summarizeTransactions([...transactions].reverse(), options);
    expectSameSummaries(reversed, whole);
    const half = Math.floor(transactions.length / 2);
    const merged = buildTransactionSummary(transactions.slice(0, half), options).merge(buildTransactionSummary(transactions.slice(half), options));
    expectSameSummaries(merged.customers(), whole);
  });

  it('counts hold-out purchases after the calibration end', () => {
    const summaries = summarizeTransactions(transactions, { calibrationEnd: '1997-09-30' });
    const first = summaries.find((s) => s.customerId === 1)!;
    // Customer 1 bought on 1997-01-01, 01-18, 08-02 and 12-12 (hold-out: 26.48).
    expect(first).toMatchObject({ firstPurchase: '1997-01-01', lastPurchase: '1997-08-02', transactions: 3, holdoutPurchases: 1 });
    expect(first.holdoutRevenue).toBeCloseTo(26.48, 10);
    expect(first.revenue).toBeCloseTo(29.33 + 29.73 + 14.96, 10);
  });
});

describe('summary definitions', () => {
  const options = { calibrationEnd: '2026-03-31', unit: 'day' } as const;

  it('counts several transactions on one day as one purchase day, with their revenue together', () => {
    const [summary] = summarizeTransactions(
      [
        { customerId: 'a', time: '2026-01-01', amount: 5 },
        { customerId: 'a', time: '2026-01-01T18:00:00Z', amount: 7 },
        { customerId: 'a', time: '2026-01-11', amount: 10 },
        { customerId: 'a', time: '2026-01-11', amount: 20 },
        { customerId: 'a', time: '2026-01-21', amount: 30 },
      ],
      options,
    );
    expect(summary).toMatchObject({ x: 2, tx: 20, T: 89, recency: 69, transactions: 5, revenue: 72, meanRepeatValue: 30 });
  });

  it('treats the calibration end as inclusive and customers first seen after it as absent', () => {
    const summaries = summarizeTransactions(
      [
        { customerId: 'a', time: '2026-03-31', amount: 5 },
        { customerId: 'b', time: '2026-04-01', amount: 5 },
      ],
      options,
    );
    expect(summaries.map((s) => s.customerId)).toEqual(['a']);
    expect(summaries[0]).toMatchObject({ x: 0, tx: 0, T: 0 });
  });

  it('applies the UTC offset to date-times but not to date-only strings', () => {
    const late = { customerId: 'a', time: '2026-01-01T20:00:00Z', amount: 1 };
    expect(summarizeTransactions([late], { ...options, utcOffsetMinutes: 480 })[0]?.firstPurchase).toBe('2026-01-02');
    expect(summarizeTransactions([{ ...late, time: '2026-01-01' }], { ...options, utcOffsetMinutes: 480 })[0]?.firstPurchase).toBe('2026-01-01');
  });

  it('computes cost to serve from explicit costs and channel costs, and profit', () => {
    const [summary] = summarizeTransactions(
      [
        { customerId: 'a', time: '2026-01-01', amount: 100, channel: 'store' },
        { customerId: 'a', time: '2026-01-02', amount: 100, channel: 'web' },
        { customerId: 'a', time: '2026-01-03', amount: 100, cost: 1, channel: 'store' },
        { customerId: 'a', time: '2026-01-04', amount: 100, channel: 'phone' },
      ],
      { ...options, channelCosts: { store: { perTransaction: 8 }, web: { shareOfAmount: 0.05 } } },
    );
    expect(summary?.costToServe).toBeCloseTo(8 + 5 + 1 + 0, 12);
    expect(summary?.profit).toBeCloseTo(400 - 14, 12);
  });

  it('rejects bad transactions with their position and field', () => {
    const bad = [
      { customerId: 'a', time: '2026-01-01', amount: 1 },
      { customerId: 'a', time: '2026-01-01T10:00:00', amount: Number.NaN },
    ] as Transaction[];
    try {
      summarizeTransactions(bad, options);
      expect.unreachable();
    } catch (error) {
      expect(isValidationError(error)).toBe(true);
      if (!isValidationError(error)) throw error;
      expect(error.issues.map((issue) => issue.path)).toEqual([[1, 'time'], [1, 'amount']]);
    }
    expect(() => summarizeTransactions([], { calibrationEnd: 'yesterday' })).toThrow(/calibrationEnd/);
    expect(() => summarizeTransactions([], { calibrationEnd: '2026-02-30' })).toThrow(/calibrationEnd/);
  });

  it('makes a stream with a customer out of time order fail with the position', async () => {
    const rows: Transaction[] = [
      { customerId: 'a', time: '2026-01-01', amount: 1 },
      { customerId: 'a', time: '2026-03-01', amount: 1 },
      { customerId: 'a', time: '2026-02-01', amount: 1 },
    ];
    const failure = await summarizeTransactionStream(rows, options).catch((error: unknown) => error);
    expect(isTransactionOrderError(failure)).toBe(true);
    expect(failure).toMatchObject({ customerId: 'a', index: 2, problem: 'out_of_order' });
    // The array path sorts and succeeds.
    expect(summarizeTransactions(rows, options)[0]?.x).toBe(2);
  });

  it('refuses to merge shards that interleave in time for one customer, leaving the target unchanged', () => {
    const a = buildTransactionSummary([{ customerId: 'a', time: '2026-01-01', amount: 1 }, { customerId: 'a', time: '2026-03-01', amount: 1 }], options);
    const b = buildTransactionSummary([{ customerId: 'a', time: '2026-02-01', amount: 1 }], options);
    const before = a.customers();
    expect(() => a.merge(b)).toThrow(/overlap/);
    expect(a.customers()).toEqual(before);
  });

  it('keeps 64 bytes per customer in a dense summary and matches the keyed path', () => {
    const dense = TransactionSummary.dense(3, options);
    dense.addColumns({
      customerId: Uint32Array.of(0, 2, 0, 0),
      time: Float64Array.of(Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 5), Date.UTC(2026, 0, 1, 12), Date.UTC(2026, 1, 1)),
      amount: Float64Array.of(1, 2, 3, 4),
    });
    expect(dense.byteLength).toBe(3 * 64);
    expect(dense.customers().map((s) => [s.customerId, s.x, s.revenue])).toEqual([[0, 1, 8], [2, 0, 2]]);
    expect(() => dense.addColumns({ customerId: [3], time: [0], amount: [1] })).toThrow(/customer numbers 0 to 2/);
    expect(() => dense.addColumns({ customerId: [1], time: [0], amount: [Number.POSITIVE_INFINITY] })).toThrow(/amount/);
  });
});

describe('the bulk column path with many customers (grouped by customer block)', () => {
  it('gives the same summaries as adding the transactions one by one', () => {
    const customers = 100_000;
    const rows = 300_000;
    let seed = 7;
    const next = () => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
    const customerId = new Uint32Array(rows);
    const time = new Float64Array(rows);
    const amount = new Float64Array(rows);
    const cost = new Float64Array(rows);
    for (let row = 0; row < rows; row++) {
      customerId[row] = Math.floor(next() * customers);
      time[row] = Date.UTC(2025, 0, 1) + Math.floor((row / rows) * 500) * 86_400_000 + Math.floor(next() * 86_400_000);
      amount[row] = Math.floor(next() * 10_000) / 100;
      cost[row] = Math.floor(next() * 300) / 100;
    }
    const options = { calibrationEnd: '2026-01-31', unit: 'day' } as const;
    const dense = TransactionSummary.dense(customers, options);
    dense.addColumns({ customerId, time, amount, cost });
    const keyed = new TransactionSummary(options);
    keyed.addColumns({ customerId, time, amount, cost });
    const oneByOne = new TransactionSummary(options);
    for (let row = 0; row < rows; row++) oneByOne.add({ customerId: customerId[row]!, time: time[row]!, amount: amount[row]!, cost: cost[row]! }, row);
    expect(dense.size).toBe(oneByOne.size);
    expect(dense.transactionCount).toBe(rows);
    const expected = new Map(oneByOne.customers().map((summary) => [summary.customerId, summary]));
    for (const summary of [...dense.customers(), ...keyed.customers()]) expect(summary).toEqual(expected.get(summary.customerId));
  });
});

describe('summaries of shards merge into the summary of the whole (property)', () => {
  const transaction = fc.record({
    customerId: fc.constantFrom('a', 'b', 'c', 'd', 7),
    day: fc.integer({ min: 0, max: 120 }),
    amount: fc.integer({ min: -50, max: 500 }),
    cost: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
  });
  const options = { calibrationEnd: '2026-03-01', unit: 'week' } as const;
  const toTransactions = (rows: readonly { customerId: string | number; day: number; amount: number; cost: number | undefined }[]): Transaction[] =>
    rows.map((row) => ({ customerId: row.customerId, time: Date.UTC(2026, 0, 1 + row.day, 9), amount: row.amount, ...(row.cost === undefined ? {} : { cost: row.cost }) }));

  it('consecutive time shards, merged in any grouping', () => {
    fc.assert(
      fc.property(fc.array(transaction, { maxLength: 60 }), fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 4 }), (rows, cuts) => {
        const sorted = toTransactions([...rows].sort((a, b) => a.day - b.day));
        const bounds = [0, ...cuts.map((cut) => Math.min(cut, sorted.length)).sort((a, b) => a - b), sorted.length];
        const shards = bounds.slice(1).map((end, i) => buildTransactionSummary(sorted.slice(bounds[i], end), options));
        const leftFold = shards.reduce((acc, shard) => acc.merge(shard), new TransactionSummary(options));
        const rightFold = [...shards].reverse().reduce((acc, shard) => acc.merge(shard), new TransactionSummary(options));
        const whole = sortById(summarizeTransactions(sorted, options));
        expect(sortById(leftFold.customers())).toEqual(whole);
        expect(sortById(rightFold.customers())).toEqual(whole);
      }),
    );
  });

  it('shards split by customer, in any order of the input', () => {
    fc.assert(
      fc.property(fc.array(transaction, { maxLength: 60 }), fc.func(fc.boolean()), (rows, side) => {
        const all = toTransactions(rows);
        const left = all.filter((t) => side(t.customerId));
        const right = all.filter((t) => !side(t.customerId));
        const merged = buildTransactionSummary(left, options).merge(buildTransactionSummary(right, options));
        expect(sortById(merged.customers())).toEqual(sortById(summarizeTransactions(all, options)));
      }),
    );
  });
});

function sortById(rows: readonly CustomerSummary[]): CustomerSummary[] {
  return [...rows].sort((a, b) => String(a.customerId).localeCompare(String(b.customerId)));
}

/** Equal up to floating-point summation order in the money fields. */
function expectSameSummaries(actual: readonly CustomerSummary[], expected: readonly CustomerSummary[]): void {
  const money = ['revenue', 'profit', 'meanRepeatValue', 'holdoutRevenue', 'costToServe'] as const;
  const strip = (row: CustomerSummary) => ({ ...row, revenue: 0, profit: 0, meanRepeatValue: 0, holdoutRevenue: 0, costToServe: 0 });
  const a = sortById(actual);
  const b = sortById(expected);
  expect(a.map(strip)).toEqual(b.map(strip));
  a.forEach((row, i) => {
    for (const field of money) expect(Math.abs(row[field] - b[i]![field])).toBeLessThan(1e-9);
  });
}

describe('summary state across threads', () => {
  it('summarizes shards in worker threads and merges their states into the summary of the whole', async () => {
    const { Worker } = await import('node:worker_threads');
    const path = await import('node:path');
    const { TransactionSummary: Summary } = await import('../../src/scoring/index');
    const transactions = readCdnowSample();
    // Shards by customer: odd and even sample ids.
    const shards = [transactions.filter((t) => (t.customerId as number) % 2 === 1), transactions.filter((t) => (t.customerId as number) % 2 === 0)];
    const states = await Promise.all(
      shards.map(
        (shard) =>
          new Promise<ReturnType<TransactionSummary['toState']>>((resolve, reject) => {
            const worker = new Worker(path.join(import.meta.dirname, 'support', 'summarize-shard.mjs'), { workerData: { transactions: shard } });
            worker.once('message', resolve);
            worker.once('error', reject);
          }),
      ),
    );
    const merged = Summary.fromState(states[0]!).merge(Summary.fromState(states[1]!));
    expect(merged.size).toBe(2357);
    expect(merged.transactionCount).toBe(6919);
    expectSameSummaries(merged.customers(), summarizeTransactions(transactions, { calibrationEnd: '1997-09-30' }));
  });

  it('round-trips dense and keyed states and rejects malformed ones', () => {
    const keyed = buildTransactionSummary([{ customerId: 'a', time: '2026-01-01', amount: 3 }, { customerId: 'b', time: '2026-01-02', amount: 4 }], { calibrationEnd: '2026-02-01', utcOffsetMinutes: 480, unit: 'day' });
    const copy = TransactionSummary.fromState(structuredClone(keyed.toState()));
    expect(copy.customers()).toEqual(keyed.customers());
    expect(copy.options).toEqual(keyed.options);
    const dense = TransactionSummary.dense(2, { calibrationEnd: '2026-02-01' });
    dense.addColumns({ customerId: [1], time: [Date.UTC(2026, 0, 1)], amount: [5] });
    expect(TransactionSummary.fromState(dense.toState()).customers()).toEqual(dense.customers());
    expect(() => TransactionSummary.fromState({ ...keyed.toState(), customers: 5 })).toThrow(/Not a TransactionSummary state/);
    expect(() => TransactionSummary.fromState({ ...keyed.toState(), customerIds: ['a', 'a'] })).toThrow(/unique/);
  });
});
