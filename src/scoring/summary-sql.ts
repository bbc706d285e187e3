import { ValidationError, type ValidationIssue } from '../core/errors/validation-error';
import { daysPerUnit } from './calendar';
import { powerOfTen } from './deterministic-math';
import { resolveRfmOptions, type RfmOptions } from './rfm';
import { resolveTransactionSummaryOptions, type TransactionSummaryOptions } from './transaction-summary';

/**
 * SQL dialects `transactionSummarySql()` writes. `postgres` also fits PGlite, and the
 * query uses only standard SQL plus one dialect-specific day difference and integer
 * division.
 *
 * @example
 * ```ts
 * import type { SqlDialect } from 'guanxi/scoring';
 *
 * const dialect: SqlDialect = 'duckdb';
 * ```
 */
export type SqlDialect = 'postgres' | 'duckdb';

/**
 * Where the transactions are: the table (optionally schema-qualified, `sales.orders`)
 * and its columns.
 *
 * @example
 * ```ts
 * import type { TransactionTable } from 'guanxi/scoring';
 *
 * const table: TransactionTable = { name: 'sales.orders', customerId: 'buyer_id', time: 'ordered_at', amount: 'total', channel: 'channel' };
 * ```
 */
export interface TransactionTable {
  /** Table or view name; dots separate schema and table. */
  readonly name: string;
  /** Customer id column. @default 'customer_id' */
  readonly customerId?: string;
  /**
   * Purchase time column: a `DATE`, or a `TIMESTAMP` holding UTC times (for
   * `TIMESTAMPTZ`, set the session time zone to UTC). @default 'time'
   */
  readonly time?: string;
  /** Amount column. @default 'amount' */
  readonly amount?: string;
  /** Optional cost-to-serve column (NULL = use the channel cost). @default none */
  readonly cost?: string;
  /** Optional channel column, for `channelCosts`. @default none */
  readonly channel?: string;
}

/**
 * Options of `transactionSummarySql()`: the summary options of the JavaScript path, the
 * dialect and table, and optionally RFM scoring.
 *
 * @example
 * ```ts
 * import type { TransactionSummarySqlOptions } from 'guanxi/scoring';
 *
 * const options: TransactionSummarySqlOptions = {
 *   dialect: 'postgres',
 *   table: { name: 'transactions' },
 *   calibrationEnd: '1997-09-30',
 *   rfm: {},
 * };
 * ```
 */
export interface TransactionSummarySqlOptions extends TransactionSummaryOptions {
  /** @default 'postgres' */
  readonly dialect?: SqlDialect;
  /** The transactions table. */
  readonly table: TransactionTable;
  /** Add `r_score`, `f_score`, `m_score` and `rfm_segment` columns with these options. @default none */
  readonly rfm?: RfmOptions;
}

const defaultColumns = { customerId: 'customer_id', time: 'time', amount: 'amount' } as const;

/**
 * A portable SQL query computing, where the data lives, the same per-customer summary as
 * `summarizeTransactions()` (and, with `rfm`, the same scores as `rfmScores()` over
 * `rfmInputOf()`): one row per customer with a calibration purchase, with columns
 * `customer_id, first_purchase, last_purchase, transactions, x, t_x, "T", recency,
 * mean_repeat_value, revenue, cost_to_serve, profit, holdout_purchases, holdout_revenue`
 * (dates as `YYYY-MM-DD` text, durations in the chosen unit) and, with `rfm`,
 * `r_score, f_score, m_score, rfm_segment`. Rows are ordered by `customer_id`.
 *
 * Identifiers are quoted and literals escaped; the options are validated (a
 * `ValidationError` names the bad field). Money sums run in the engine's order, so they
 * can differ from the JavaScript path in the last bits; RFM compares money rounded to
 * `monetaryDecimals`, so scores agree.
 *
 * @example
 * ```ts
 * import { transactionSummarySql } from 'guanxi/scoring';
 *
 * const sql = transactionSummarySql({
 *   dialect: 'duckdb',
 *   table: { name: 'cdnow', customerId: 'customer', time: 'purchased_on', amount: 'dollars' },
 *   calibrationEnd: '1997-09-30',
 *   unit: 'week',
 *   rfm: { bins: 5 },
 * });
 * // await connection.run(sql) …
 * ```
 */
export function transactionSummarySql(options: TransactionSummarySqlOptions): string {
  const summary = resolveTransactionSummaryOptions(options);
  const dialect = options.dialect ?? 'postgres';
  const issues: ValidationIssue[] = [];
  if (dialect !== 'postgres' && dialect !== 'duckdb') issues.push({ path: ['dialect'], code: 'invalid_dialect', message: `Dialect must be 'postgres' or 'duckdb'` });
  const table = options.table as TransactionTable | undefined;
  if (table === undefined || typeof table.name !== 'string' || table.name.trim() === '') {
    issues.push({ path: ['table', 'name'], code: 'invalid_table', message: 'A table name is required' });
  }
  for (const field of ['customerId', 'time', 'amount', 'cost', 'channel'] as const) {
    const column = table?.[field];
    if (column !== undefined && (typeof column !== 'string' || column === '')) issues.push({ path: ['table', field], code: 'invalid_column', message: 'Column names must be non-empty strings' });
  }
  if (issues.length > 0 || table === undefined) throw new ValidationError(issues, 'transaction summary SQL options');
  const rfm = options.rfm === undefined ? undefined : resolveRfmOptions(options.rfm);

  const column = (name: string) => quoteIdentifier(name);
  const customerId = column(table.customerId ?? defaultColumns.customerId);
  const time = column(table.time ?? defaultColumns.time);
  const amount = column(table.amount ?? defaultColumns.amount);
  const end = summary.calibrationEndDay;
  const perUnit = daysPerUnit[summary.unit];
  const shifted = summary.utcOffsetMinutes === 0 ? time : `(${time} + INTERVAL '${summary.utcOffsetMinutes} minutes')`;
  const day = dialect === 'postgres'
    ? `(CAST(${shifted} AS DATE) - DATE '1970-01-01')`
    : `CAST(date_diff('day', DATE '1970-01-01', CAST(${shifted} AS DATE)) AS INTEGER)`;
  const intDivide = (a: string, b: string) => (dialect === 'postgres' ? `(${a}) / (${b})` : `(${a}) // (${b})`);
  const dateOf = (dayNumber: string) => `CAST(DATE '1970-01-01' + CAST(${dayNumber} AS INTEGER) AS VARCHAR)`;
  const double = (expression: string) => `CAST(${expression} AS DOUBLE PRECISION)`;

  const channelCases = Object.entries(summary.channelCosts).map(([channel, cost]) => {
    const fixed = cost.perTransaction ?? 0;
    const share = cost.shareOfAmount ?? 0;
    return `WHEN ${quoteLiteral(channel)} THEN ${numberLiteral(fixed)} + ${numberLiteral(share)} * ${double(amount)}`;
  });
  const channelCost = table.channel !== undefined && channelCases.length > 0
    ? `CASE ${column(table.channel)} ${channelCases.join(' ')} ELSE 0 END`
    : '0';
  const cost = table.cost !== undefined ? `COALESCE(${double(column(table.cost))}, ${channelCost})` : channelCost;

  const lines = [
    `WITH purchase_days AS (`,
    `  SELECT ${customerId} AS customer_id, ${day} AS day, SUM(${double(amount)}) AS amount,`,
    `    SUM(${double(cost)}) AS cost, COUNT(*) AS transactions`,
    `  FROM ${quoteTableName(table.name)}`,
    `  GROUP BY 1, 2`,
    `), ranked_days AS (`,
    `  SELECT purchase_days.*, MIN(day) OVER (PARTITION BY customer_id) AS first_day FROM purchase_days`,
    `), customers AS (`,
    `  SELECT customer_id,`,
    `    MIN(first_day) AS first_day,`,
    `    MAX(CASE WHEN day <= ${end} THEN day END) AS last_day,`,
    `    SUM(CASE WHEN day <= ${end} THEN transactions ELSE 0 END) AS transactions,`,
    `    COUNT(CASE WHEN day <= ${end} THEN 1 END) AS calibration_days,`,
    `    SUM(CASE WHEN day <= ${end} THEN amount ELSE 0 END) AS revenue,`,
    `    SUM(CASE WHEN day = first_day THEN amount ELSE 0 END) AS first_day_revenue,`,
    `    SUM(CASE WHEN day <= ${end} THEN cost ELSE 0 END) AS cost_to_serve,`,
    `    COUNT(CASE WHEN day > ${end} THEN 1 END) AS holdout_purchases,`,
    `    SUM(CASE WHEN day > ${end} THEN amount ELSE 0 END) AS holdout_revenue`,
    `  FROM ranked_days`,
    `  GROUP BY customer_id`,
    `  HAVING MIN(first_day) <= ${end}`,
    `), summary AS (`,
    `  SELECT customer_id,`,
    `    ${dateOf('first_day')} AS first_purchase,`,
    `    ${dateOf('last_day')} AS last_purchase,`,
    `    CAST(transactions AS INTEGER) AS transactions,`,
    `    CAST(calibration_days - 1 AS INTEGER) AS x,`,
    `    ${double('last_day - first_day')} / ${perUnit} AS t_x,`,
    `    ${double(`${end} - first_day`)} / ${perUnit} AS "T",`,
    `    ${double(`${end} - last_day`)} / ${perUnit} AS recency,`,
    `    CASE WHEN calibration_days > 1 THEN (revenue - first_day_revenue) / (calibration_days - 1) ELSE 0 END AS mean_repeat_value,`,
    `    revenue, cost_to_serve, revenue - cost_to_serve AS profit,`,
    `    CAST(holdout_purchases AS INTEGER) AS holdout_purchases, holdout_revenue,`,
    `    ${end} - last_day AS recency_days, calibration_days AS frequency,`,
    `    ROUND(revenue * ${numberLiteral(powerOfTen(rfm?.monetaryDecimals ?? 2))}) AS monetary_key`,
    `  FROM customers`,
    `)`,
  ];
  const summaryColumns = 'customer_id, first_purchase, last_purchase, transactions, x, t_x, "T", recency, mean_repeat_value, revenue, cost_to_serve, profit, holdout_purchases, holdout_revenue';
  if (rfm === undefined) {
    lines.push(`SELECT ${summaryColumns}`, `FROM summary`, `ORDER BY customer_id`);
    return lines.join('\n');
  }
  // Score = 1 + ⌊bins·w/N⌋ where w counts strictly worse customers: RANK() − 1 when
  // ordering from worst to best (ties share the lowest rank). See rfmScores().
  const score = (order: string) => `CAST(1 + ${intDivide(`${rfm.bins} * (RANK() OVER (ORDER BY ${order}) - 1)`, 'COUNT(*) OVER ()')} AS INTEGER)`;
  lines[lines.length - 1] = `), scored AS (`;
  lines.push(
    `  SELECT summary.*,`,
    `    ${score('recency_days DESC')} AS r_score,`,
    `    ${score('frequency')} AS f_score,`,
    `    ${score('monetary_key')} AS m_score`,
    `  FROM summary`,
    `)`,
    `SELECT ${summaryColumns}, r_score, f_score, m_score,`,
    `  ${segmentCase(rfm.segments)} AS rfm_segment`,
    `FROM scored`,
    `ORDER BY customer_id`,
  );
  return lines.join('\n');
}

function segmentCase(segments: ReturnType<typeof resolveRfmOptions>['segments']): string {
  if (segments === undefined || segments.length === 0) return 'CAST(NULL AS VARCHAR)';
  const rules = segments.map((rule) => {
    const conditions = (
      [['r_score', rule.recency], ['f_score', rule.frequency], ['m_score', rule.monetary]] as const
    ).flatMap(([name, range]) => (range === undefined ? [] : [`${name} BETWEEN ${numberLiteral(range[0])} AND ${numberLiteral(range[1])}`]));
    return `WHEN ${conditions.length === 0 ? 'TRUE' : conditions.join(' AND ')} THEN ${quoteLiteral(rule.segment)}`;
  });
  return `CASE ${rules.join(' ')} END`;
}

/** `"name"` with embedded quotes doubled: valid in both dialects for any name. */
function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function quoteTableName(name: string): string {
  return name.split('.').map(quoteIdentifier).join('.');
}

function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new ValidationError([{ path: [], code: 'invalid_number', message: 'Numbers in SQL must be finite' }], 'transaction summary SQL options');
  // Plain decimal notation: both engines read it exactly as JavaScript prints it.
  return value.toString().includes('e') ? value.toFixed(20).replace(/0+$/, '') : value.toString();
}
