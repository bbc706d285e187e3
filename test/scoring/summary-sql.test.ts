/**
 * The SQL path against real engines — PGlite (Postgres compiled to WebAssembly) and
 * DuckDB — on the CDNOW sample: the same numbers as the JavaScript path.
 */
import { PGlite } from '@electric-sql/pglite';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  rfmInputOf,
  rfmScores,
  summarizeTransactions,
  transactionSummarySql,
  type CustomerSummary,
  type SqlDialect,
  type Transaction,
  type TransactionSummarySqlOptions,
} from '../../src/scoring/index';
import { readCdnowSample } from './cdnow';

type Row = Record<string, unknown>;

interface Engine {
  readonly dialect: SqlDialect;
  run(sql: string): Promise<void>;
  query(sql: string): Promise<Row[]>;
  close(): Promise<void>;
}

async function openPglite(): Promise<Engine> {
  const db = new PGlite();
  return {
    dialect: 'postgres',
    run: async (sql) => { await db.exec(sql); },
    query: async (sql) => (await db.query<Row>(sql)).rows,
    close: () => db.close(),
  };
}

async function openDuckdb(): Promise<Engine> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  return {
    dialect: 'duckdb',
    run: async (sql) => { await connection.run(sql); },
    query: async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJS() as Row[],
    close: async () => { connection.closeSync(); instance.closeSync(); },
  };
}

const transactions = readCdnowSample();

function insertStatements(table: string, rows: readonly Transaction[], extra: (row: Transaction, index: number) => string = () => ''): string[] {
  const statements: string[] = [];
  for (let start = 0; start < rows.length; start += 1000) {
    const values = rows.slice(start, start + 1000).map((row, offset) => {
      const date = String(row.time);
      return `(${String(row.customerId)}, DATE '${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}', ${row.amount}${extra(row, start + offset)})`;
    });
    statements.push(`INSERT INTO ${table} VALUES ${values.join(', ')}`);
  }
  return statements;
}

const channelOf = (index: number) => (index % 3 === 0 ? 'store' : index % 3 === 1 ? 'web' : 'phone');
const costOf = (index: number) => (index % 7 === 0 ? '1.5' : 'NULL');

describe.each([
  ['PGlite (Postgres)', openPglite],
  ['DuckDB', openDuckdb],
])('transactionSummarySql on %s with the CDNOW sample', (_name, open) => {
  let engine: Engine;

  beforeAll(async () => {
    engine = await open();
    await engine.run('CREATE TABLE cdnow (customer_id INTEGER, purchased_on DATE, dollars DOUBLE PRECISION)');
    for (const statement of insertStatements('cdnow', transactions)) await engine.run(statement);
    await engine.run('CREATE SCHEMA sales');
    await engine.run('CREATE TABLE sales."Orders" ("Buyer" INTEGER, "when" DATE, total DOUBLE PRECISION, fee DOUBLE PRECISION, channel VARCHAR)');
    for (const statement of insertStatements('sales."Orders"', transactions, (_row, i) => `, ${costOf(i)}, '${channelOf(i)}'`)) await engine.run(statement);
  }, 120_000);

  afterAll(async () => {
    await engine?.close();
  });

  const options = (dialect: SqlDialect): TransactionSummarySqlOptions => ({
    dialect,
    table: { name: 'cdnow', customerId: 'customer_id', time: 'purchased_on', amount: 'dollars' },
    calibrationEnd: '1997-09-30',
    unit: 'week',
    rfm: {},
  });

  it('gives the JavaScript summary and RFM scores for all 2,357 customers', async () => {
    const rows = await engine.query(transactionSummarySql(options(engine.dialect)));
    const summaries = summarizeTransactions(transactions, { calibrationEnd: '1997-09-30', unit: 'week' });
    const scores = new Map(rfmScores(summaries.map(rfmInputOf)).map((score) => [score.customerId, score]));
    expect(rows).toHaveLength(2357);
    const byId = new Map(rows.map((row) => [Number(row.customer_id), row]));
    for (const summary of summaries) {
      const row = byId.get(summary.customerId as number)!;
      expectRowMatches(row, summary);
      const score = scores.get(summary.customerId)!;
      expect([Number(row.r_score), Number(row.f_score), Number(row.m_score), row.rfm_segment], `RFM of ${summary.customerId}`).toEqual([score.recency, score.frequency, score.monetary, score.segment]);
    }
  });

  it('uses quoted, schema-qualified names, explicit costs and channel costs, in days', async () => {
    const channelCosts = { store: { perTransaction: 2 }, web: { shareOfAmount: 0.03 } };
    const sql = transactionSummarySql({
      dialect: engine.dialect,
      table: { name: 'sales.Orders', customerId: 'Buyer', time: 'when', amount: 'total', cost: 'fee', channel: 'channel' },
      calibrationEnd: '1997-06-30',
      unit: 'day',
      channelCosts,
    });
    const rows = await engine.query(sql);
    const withChannels = transactions.map((row, i) => ({ ...row, channel: channelOf(i), ...(costOf(i) === 'NULL' ? {} : { cost: 1.5 }) }));
    const summaries = summarizeTransactions(withChannels, { calibrationEnd: '1997-06-30', unit: 'day', channelCosts });
    expect(rows).toHaveLength(summaries.length);
    const byId = new Map(rows.map((row) => [Number(row.customer_id), row]));
    for (const summary of summaries) expectRowMatches(byId.get(summary.customerId as number)!, summary);
    expect(rows.every((row) => !('r_score' in row))).toBe(true);
  });

  it('reads TIMESTAMP columns in UTC and applies the UTC offset to days like the JavaScript path', async () => {
    const hour = 3_600_000;
    const times = [Date.UTC(2026, 0, 1, 15), Date.UTC(2026, 0, 1, 17), Date.UTC(2026, 0, 2, 3), Date.UTC(2026, 0, 9, 23), Date.UTC(2026, 1, 1, 16) + hour / 2];
    const rows: Transaction[] = times.map((time, i) => ({ customerId: i % 2, time, amount: 10 + i }));
    await engine.run('CREATE TABLE stamped (customer_id INTEGER, stamped_at TIMESTAMP, amount DOUBLE PRECISION)');
    await engine.run(`INSERT INTO stamped VALUES ${rows.map((row) => `(${String(row.customerId)}, TIMESTAMP '${new Date(row.time as number).toISOString().replace('T', ' ').slice(0, 19)}', ${row.amount})`).join(', ')}`);
    for (const utcOffsetMinutes of [0, 480, -300]) {
      const options = { calibrationEnd: '2026-01-31', unit: 'day', utcOffsetMinutes } as const;
      const result = await engine.query(transactionSummarySql({ ...options, dialect: engine.dialect, table: { name: 'stamped', time: 'stamped_at' } }));
      const expected = summarizeTransactions(rows, options);
      expect(result).toHaveLength(expected.length);
      for (const summary of expected) expectRowMatches(result.find((row) => Number(row.customer_id) === summary.customerId)!, summary);
    }
  });
});

function expectRowMatches(row: Row, summary: CustomerSummary): void {
  const id = summary.customerId;
  expect(
    [row.first_purchase, row.last_purchase, Number(row.transactions), Number(row.x), Number(row.holdout_purchases)],
    `counts of ${id}`,
  ).toEqual([summary.firstPurchase, summary.lastPurchase, summary.transactions, summary.x, summary.holdoutPurchases]);
  // Durations are integer days divided by 7 in IEEE doubles on both sides: exactly equal.
  expect([Number(row.t_x), Number(row.T), Number(row.recency)], `durations of ${id}`).toEqual([summary.tx, summary.T, summary.recency]);
  // Money is summed in the engine's own order: equal up to rounding.
  for (const [column, value] of [
    ['revenue', summary.revenue],
    ['mean_repeat_value', summary.meanRepeatValue],
    ['cost_to_serve', summary.costToServe],
    ['profit', summary.profit],
    ['holdout_revenue', summary.holdoutRevenue],
  ] as const) {
    expect(Math.abs(Number(row[column]) - value), `${column} of ${id}`).toBeLessThan(1e-9);
  }
}

describe('transactionSummarySql options', () => {
  it('rejects a missing table and a bad dialect, naming the fields', () => {
    expect(() => transactionSummarySql({ table: { name: '' }, calibrationEnd: '2026-01-01' })).toThrow(/table\.name/);
    expect(() => transactionSummarySql({ dialect: 'sqlite' as SqlDialect, table: { name: 't' }, calibrationEnd: '2026-01-01' })).toThrow(/dialect/);
  });

  it('escapes identifiers and segment names', () => {
    const sql = transactionSummarySql({ table: { name: 'a"b', customerId: 'c"d' }, calibrationEnd: '2026-01-01', rfm: { segments: [{ segment: "o'brien" }] } });
    expect(sql).toContain('"a""b"');
    expect(sql).toContain('"c""d"');
    expect(sql).toContain("'o''brien'");
  });
});
