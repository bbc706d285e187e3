/**
 * `guanxi fit` and `guanxi score`: model fits and per-customer scores from files.
 */
import { epochDayOf, formatEpochDay } from '../scoring/calendar';
import {
  abcClasses,
  bgNbd,
  customerLifetimeValue,
  gammaGamma,
  lifecycleStatus,
  mbgNbd,
  modelTimeUnitRatio,
  paretoNbd,
  rfmInputOf,
  rfmScores,
  type CustomerSummary,
  type GammaGammaParameters,
  type ModelFit,
  type ModelTimeUnit,
  type PurchaseModel,
  type TimeUnit,
} from '../scoring/index';
import { CommandError, type ProgressMode } from './input-file';
import { readSummaryFile } from './summary-file';
import { readTransactionFile, summarizeTable, type SkippedRows, type TransactionColumnFlags, type TransactionTable } from './transactions-file';

export interface CommandContext {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export interface InputFlags {
  readonly file: string;
  readonly skipBad: boolean;
  readonly progress: ProgressMode;
  readonly utcOffsetMinutes: number;
  readonly columns: TransactionColumnFlags;
  readonly unit: TimeUnit;
}

export type ModelName = 'bgnbd' | 'mbgnbd' | 'paretonbd' | 'gammagamma';

const purchaseModels = { bgnbd: bgNbd, mbgnbd: mbgNbd, paretonbd: paretoNbd } as const;
const modelLabels: Record<ModelName, string> = { bgnbd: 'BG/NBD', mbgnbd: 'MBG/NBD', paretonbd: 'Pareto/NBD', gammagamma: 'Gamma-Gamma' };

function reportSkipped(skipped: SkippedRows, context: CommandContext): void {
  if (skipped.count === 0) return;
  context.err(`guanxi: skipped ${skipped.count} bad row${skipped.count === 1 ? '' : 's'} (${skipped.examples.join('; ')}${skipped.count > skipped.examples.length ? '; …' : ''})`);
}

function parseDay(value: string, flag: string): number {
  const day = epochDayOf(value, 0);
  if (day === undefined) throw new CommandError(`${flag} ${value}: not a date (YYYY-MM-DD)`);
  return day;
}

async function readTable(flags: InputFlags, context: CommandContext): Promise<TransactionTable> {
  const table = await readTransactionFile(flags.file, { columns: flags.columns, skipBad: flags.skipBad, progress: flags.progress, utcOffsetMinutes: flags.utcOffsetMinutes, report: context.err });
  reportSkipped(table.skipped, context);
  return table;
}

export interface FitFlags extends InputFlags {
  readonly model: ModelName;
  readonly summary: boolean;
  readonly calibrationEnd: string | undefined;
  readonly format: 'json' | 'text';
}

/** `guanxi fit`: fits one model and prints parameters, log-likelihood, iterations and customer count. */
export async function fitCommand(flags: FitFlags, context: CommandContext): Promise<number> {
  let rows: { x: number; tx: number; T: number; monetary: number | undefined }[];
  let source: Record<string, unknown>;
  if (flags.summary) {
    if (flags.calibrationEnd !== undefined) throw new CommandError('--calibration-end applies to transaction files, not to --summary files');
    const table = await readSummaryFile(flags.file, { skipBad: flags.skipBad, progress: flags.progress, report: context.err });
    reportSkipped(table.skipped, context);
    if (flags.model === 'gammagamma' && !table.hasMonetary) throw new CommandError(`${flags.file}: Gamma-Gamma needs a monetary column (id,x,t_x,T,monetary)`, 1);
    rows = table.rows;
    source = { input: 'summary', skippedRows: table.skipped.count };
  } else {
    const table = await readTable(flags, context);
    const end = flags.calibrationEnd === undefined ? table.lastDay : parseDay(flags.calibrationEnd, '--calibration-end');
    const summaries = summarizeTable(table, end, flags.unit).customers();
    if (summaries.length === 0) throw new CommandError(`no customer bought on or before ${formatEpochDay(end)}`, 1);
    rows = summaries.map((s) => ({ x: s.x, tx: s.tx, T: s.T, monetary: s.meanRepeatValue }));
    source = { input: 'transactions', layout: table.layout, calibrationEnd: formatEpochDay(end), transactions: table.day.length, skippedRows: table.skipped.count };
  }
  const fit: ModelFit<object> =
    flags.model === 'gammagamma'
      ? gammaGamma.fit(rows.filter((row) => row.x > 0 && (row.monetary ?? 0) > 0).map((row) => ({ x: row.x, monetary: row.monetary! })))
      : purchaseModels[flags.model].fit(rows.map((row) => ({ x: row.x, tx: row.tx, T: row.T })) as never);
  const result = {
    model: flags.model,
    params: fit.params,
    logLikelihood: fit.logLikelihood,
    iterations: fit.iterations,
    converged: fit.converged,
    stopReason: fit.stopReason,
    customers: fit.customers,
    unit: flags.unit,
    ...source,
  };
  if (flags.format === 'json') {
    context.out(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    const params = Object.entries(fit.params as Record<string, number>).map(([name, value]) => `${name} = ${value.toPrecision(6)}`).join(', ');
    const lines = [
      ['model', modelLabels[flags.model]],
      ['customers', String(fit.customers)],
      ...(source.calibrationEnd === undefined ? [] : [['calibration end', String(source.calibrationEnd)]]),
      ['time unit', flags.model === 'gammagamma' ? '-' : flags.unit],
      ['parameters', params],
      ['log-likelihood', fit.logLikelihood.toFixed(4)],
      ['iterations', String(fit.iterations)],
      ['converged', fit.converged ? 'yes' : `no (${fit.stopReason})`],
    ];
    context.out(`${lines.map(([name, value]) => `${name!.padEnd(16)}${value}`).join('\n')}\n`);
  }
  if (!fit.converged) context.err(`guanxi: the ${modelLabels[flags.model]} fit did not converge (${fit.stopReason}); the parameters are the last point reached`);
  return 0;
}

export interface ScoreFlags extends InputFlags {
  readonly asOf: string | undefined;
  readonly horizon: number;
  readonly period: ModelTimeUnit;
  readonly discountRate: number;
  readonly model: Exclude<ModelName, 'gammagamma'>;
  readonly format: 'csv' | 'json';
}

/** One output row of `guanxi score`. */
export interface CustomerScoreRow {
  readonly customer_id: string;
  readonly first_purchase: string;
  readonly last_purchase: string;
  readonly x: number;
  readonly t_x: number;
  readonly T: number;
  readonly revenue: number;
  readonly r_score: number;
  readonly f_score: number;
  readonly m_score: number;
  readonly rfm_segment: string;
  readonly value_tier: string;
  readonly p_alive: number;
  readonly expected_purchases: number;
  readonly expected_spend: number;
  readonly clv: number;
  readonly lifecycle_stage: string;
  readonly churn: boolean;
}

/** Median gap between distinct purchase days per customer, up to and including `end`. */
function medianGaps(table: TransactionTable, end: number): Float64Array {
  const order = Array.from(table.day.keys())
    .filter((row) => table.day[row]! <= end)
    .sort((a, b) => table.customer[a]! - table.customer[b]! || table.day[a]! - table.day[b]!);
  const medians = new Float64Array(table.customerIds.length).fill(Number.NaN);
  let gaps: number[] = [];
  for (let k = 0; k < order.length; k++) {
    const row = order[k]!;
    const next = order[k + 1];
    if (next !== undefined && table.customer[next] === table.customer[row] && table.day[next] !== table.day[row]) gaps.push(table.day[next]! - table.day[row]!);
    if (next === undefined || table.customer[next] !== table.customer[row]) {
      if (gaps.length > 0) {
        gaps.sort((a, b) => a - b);
        const middle = gaps.length >> 1;
        medians[table.customer[row]!] = gaps.length % 2 === 1 ? gaps[middle]! : (gaps[middle - 1]! + gaps[middle]!) / 2;
      }
      gaps = [];
    }
  }
  return medians;
}

/** Scores every customer of a transaction file: RFM, value tier, P(alive), expected purchases and spend, CLV, churn. */
export async function scoreCustomers(flags: ScoreFlags, context: CommandContext): Promise<{ rows: CustomerScoreRow[]; asOf: string; params: Record<string, unknown> }> {
  const table = await readTable(flags, context);
  const end = flags.asOf === undefined ? table.lastDay : parseDay(flags.asOf, '--as-of');
  const summary = summarizeTable(table, end, flags.unit);
  const summaries: CustomerSummary[] = summary.customers();
  if (summaries.length === 0) throw new CommandError(`no customer bought on or before ${formatEpochDay(end)}`, 1);
  const model = purchaseModels[flags.model] as PurchaseModel<object>;
  const purchaseFit = model.fit(summaries.map((s) => ({ x: s.x, tx: s.tx, T: s.T })));
  if (!purchaseFit.converged) context.err(`guanxi: the ${modelLabels[flags.model]} fit did not converge (${purchaseFit.stopReason})`);
  const repeaters = summaries.filter((s) => s.x > 0 && s.meanRepeatValue > 0).map((s) => ({ x: s.x, monetary: s.meanRepeatValue }));
  if (repeaters.length < 3) throw new CommandError('too few repeat customers with positive spend to fit the Gamma-Gamma spend model', 1);
  const spendFit = gammaGamma.fit(repeaters);
  if (!spendFit.converged) context.err(`guanxi: the Gamma-Gamma fit did not converge (${spendFit.stopReason})`);
  const spendParams: GammaGammaParameters = spendFit.params;
  const horizonInModelUnits = flags.horizon * modelTimeUnitRatio(flags.period, flags.unit);
  const rfm = rfmScores(summaries.map(rfmInputOf));
  const medians = medianGaps(table, end);
  const asOf = formatEpochDay(end);
  const partial = summaries.map((s) => {
    const customer = { x: s.x, tx: s.tx, T: s.T };
    const expectedSpend = s.x > 0 && s.meanRepeatValue > 0
      ? gammaGamma.expectedAverageSpend(spendParams, { x: s.x, monetary: s.meanRepeatValue })
      : gammaGamma.populationAverageSpend(spendParams);
    const pAlive = model.probabilityAlive(purchaseFit.params, customer);
    const clv = customerLifetimeValue(model, purchaseFit.params, customer, {
      expectedSpend,
      modelTimeUnit: flags.unit,
      periodUnit: flags.period,
      horizon: flags.horizon,
      discountRate: flags.discountRate,
    });
    const median = medians[s.customerId as number]!;
    const lifecycle = lifecycleStatus({ lastPurchase: s.lastPurchase, ...(Number.isNaN(median) ? {} : { medianInterPurchaseDays: median }), pAlive }, asOf);
    return { s, pAlive, expectedSpend, clv, lifecycle, expectedPurchases: model.conditionalExpectedPurchases(purchaseFit.params, horizonInModelUnits, customer) };
  });
  const tiers = abcClasses(partial.map((p) => ({ customerId: p.s.customerId, value: p.clv })));
  const rows = partial.map((p, i): CustomerScoreRow => ({
    customer_id: table.customerIds[p.s.customerId as number]!,
    first_purchase: p.s.firstPurchase,
    last_purchase: p.s.lastPurchase,
    x: p.s.x,
    t_x: p.s.tx,
    T: p.s.T,
    revenue: p.s.revenue,
    r_score: rfm[i]!.recency,
    f_score: rfm[i]!.frequency,
    m_score: rfm[i]!.monetary,
    rfm_segment: rfm[i]!.segment ?? '',
    value_tier: tiers[i]!.abcClass,
    p_alive: p.pAlive,
    expected_purchases: p.expectedPurchases,
    expected_spend: p.expectedSpend,
    clv: p.clv,
    lifecycle_stage: p.lifecycle.stage,
    churn: p.lifecycle.stage === 'at-risk' || p.lifecycle.stage === 'dormant',
  }));
  return {
    rows,
    asOf,
    params: { [flags.model]: purchaseFit.params, gammagamma: spendParams, converged: purchaseFit.converged && spendFit.converged },
  };
}

const csvColumns: readonly (keyof CustomerScoreRow)[] = [
  'customer_id', 'first_purchase', 'last_purchase', 'x', 't_x', 'T', 'revenue', 'r_score', 'f_score', 'm_score', 'rfm_segment',
  'value_tier', 'p_alive', 'expected_purchases', 'expected_spend', 'clv', 'lifecycle_stage', 'churn',
];
const decimals: Partial<Record<keyof CustomerScoreRow, number>> = { t_x: 4, T: 4, revenue: 2, p_alive: 4, expected_purchases: 4, expected_spend: 2, clv: 2 };

function csvField(value: string | number | boolean, column: keyof CustomerScoreRow): string {
  if (typeof value === 'number') return decimals[column] === undefined ? String(value) : value.toFixed(decimals[column]);
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** `guanxi score`: one row per customer, as CSV or JSON. */
export async function scoreCommand(flags: ScoreFlags, context: CommandContext): Promise<number> {
  const { rows, asOf, params } = await scoreCustomers(flags, context);
  if (flags.format === 'json') {
    context.out(`${JSON.stringify({ asOf, unit: flags.unit, horizon: flags.horizon, period: flags.period, discountRate: flags.discountRate, params, customers: rows }, null, 2)}\n`);
    return 0;
  }
  const lines = [csvColumns.join(',')];
  for (const row of rows) lines.push(csvColumns.map((column) => csvField(row[column], column)).join(','));
  context.out(`${lines.join('\n')}\n`);
  return 0;
}
