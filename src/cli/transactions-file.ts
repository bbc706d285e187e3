/**
 * Transactions from a file: CSV (or semicolon/tab separated) with a header, or
 * whitespace-separated files such as CDNOW_sample.txt and CDNOW_master.txt.
 */
import { epochDayOf } from '../scoring/calendar';
import { TransactionSummary, isTransactionOrderError, type TimeUnit } from '../scoring/index';
import { CommandError, InputRowError, detectDelimiter, findColumn, isNumber, looksLikeHeader, readLines, splitFields, type Delimiter, type ProgressMode } from './input-file';

export interface TransactionColumnFlags {
  readonly id?: string;
  readonly time?: string;
  readonly amount?: string;
  readonly cost?: string;
}

export interface ReadOptions {
  readonly columns: TransactionColumnFlags;
  readonly skipBad: boolean;
  readonly progress: ProgressMode;
  readonly utcOffsetMinutes: number;
  readonly report: (message: string) => void;
}

/** Rows that were skipped with `--skip-bad`: how many, and the first few reasons. */
export interface SkippedRows {
  count: number;
  readonly examples: string[];
}

/** Transactions held as columns, customers numbered in order of first appearance. */
export interface TransactionTable {
  readonly customerIds: string[];
  readonly customer: number[];
  readonly day: number[];
  readonly amount: number[];
  readonly cost: number[];
  readonly layout: string;
  readonly skipped: SkippedRows;
  /** The latest purchase day in the file (days since 1970-01-01). */
  readonly lastDay: number;
}

const patterns = {
  id: /^(customer[_ ]?id|customer|cust[_ ]?id|client[_ ]?id|user[_ ]?id|buyer[_ ]?id|member[_ ]?id|id)$/i,
  time: /^(date|time|timestamp|purchase[_ ]?(date|time)|order[_ ]?(date|time)|transaction[_ ]?(date|time)|created[_ ]?at|purchased[_ ]?(at|on)|ordered[_ ]?(at|on)|when)$/i,
  amount: /^(amount|value|revenue|total|price|sales|dollar[_ ]?value|dollars|spend|monetary|order[_ ]?value|net[_ ]?amount)$/i,
  cost: /^(cost|cost[_ ]?to[_ ]?serve|service[_ ]?cost|fee)$/i,
};

const zonelessDateTime = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;

/** The purchase day of a time field; zone-less date-times in files are read as UTC. */
export function dayOfField(field: string, utcOffsetMinutes: number): number | undefined {
  const zoneless = zonelessDateTime.exec(field);
  return epochDayOf(zoneless ? `${zoneless[1]}T${zoneless[2]}Z` : field, utcOffsetMinutes);
}

interface Layout {
  readonly delimiter: Delimiter;
  readonly hasHeader: boolean;
  readonly id: number;
  readonly time: number;
  readonly amount: number;
  readonly cost: number | undefined;
  readonly width: number;
  readonly description: string;
}

function detectLayout(first: string, lineNumber: number, flags: TransactionColumnFlags, utcOffsetMinutes: number): Layout {
  const delimiter = detectDelimiter(first);
  const fields = splitFields(first, delimiter, lineNumber);
  const hasHeader = looksLikeHeader(fields);
  const header = hasHeader ? fields : undefined;
  const width = fields.length;
  const delimiterName = delimiter === 'whitespace' ? 'whitespace-separated' : delimiter === ',' ? 'comma-separated' : delimiter === ';' ? 'semicolon-separated' : 'tab-separated';
  // CDNOW_sample.txt: customer id, sample id, YYYYMMDD, CDs, dollars — the sample id
  // (1–2,357) is the id the published summaries use.
  const cdnowSample = !hasHeader && delimiter === 'whitespace' && width === 5 && /^\d{8}$/.test(fields[2]!);
  const pick = (name: keyof TransactionColumnFlags, fallback: number | undefined): number | undefined =>
    findColumn(header, width, flags[name], patterns[name], name) ?? (flags[name] === undefined ? fallback : undefined);
  const dateColumn = fields.findIndex((field, index) => index > 0 && dayOfField(field, utcOffsetMinutes) !== undefined);
  let lastNumber = -1;
  fields.forEach((field, index) => {
    if (isNumber(field) && index !== dateColumn && index > 0) lastNumber = index;
  });
  const id = pick('id', header ? undefined : cdnowSample ? 1 : 0);
  const time = pick('time', header ? undefined : dateColumn >= 0 ? dateColumn : undefined);
  const amount = pick('amount', header ? undefined : cdnowSample ? 4 : lastNumber >= 0 ? lastNumber : undefined);
  const cost = flags.cost === undefined && !header ? undefined : pick('cost', undefined);
  const missing = [['id', id], ['time', time], ['amount', amount]].filter(([, index]) => index === undefined).map(([name]) => name);
  if (missing.length > 0) {
    throw new CommandError(
      `cannot tell which column holds the ${missing.join(', ')}${header ? ` (columns: ${header.join(', ')})` : ''}; name ${missing.length > 1 ? 'them' : 'it'} with ${missing.map((name) => `--${name}-column`).join(', ')}`,
    );
  }
  const names = (index: number | undefined) => (index === undefined ? '-' : header ? header[index]! : `column ${index + 1}`);
  const description = `${delimiterName}${hasHeader ? ' with a header' : ''}${cdnowSample ? ' (CDNOW sample layout)' : ''}: id = ${names(id)}, time = ${names(time)}, amount = ${names(amount)}${cost === undefined ? '' : `, cost = ${names(cost)}`}`;
  return { delimiter, hasHeader, id: id!, time: time!, amount: amount!, cost, width, description };
}

/** Reads every transaction of a file into columns; bad rows stop the read or are skipped and counted. */
export async function readTransactionFile(file: string, options: ReadOptions): Promise<TransactionTable> {
  const customerIds: string[] = [];
  const index = new Map<string, number>();
  const customer: number[] = [];
  const day: number[] = [];
  const amount: number[] = [];
  const cost: number[] = [];
  const skipped: SkippedRows = { count: 0, examples: [] };
  let layout: Layout | undefined;
  let lastDay = Number.NEGATIVE_INFINITY;
  for await (const line of readLines(file, options.progress, options.report)) {
    if (line.text.trim() === '') continue;
    try {
      if (layout === undefined) {
        layout = detectLayout(line.text, line.number, options.columns, options.utcOffsetMinutes);
        if (layout.hasHeader) continue;
      }
      const fields = splitFields(line.text, layout.delimiter, line.number);
      const needed = Math.max(layout.id, layout.time, layout.amount, layout.cost ?? 0) + 1;
      if (fields.length < needed) throw new InputRowError(line.number, `expected at least ${needed} fields, found ${fields.length}`);
      const id = fields[layout.id]!;
      if (id === '') throw new InputRowError(line.number, 'empty customer id');
      const purchaseDay = dayOfField(fields[layout.time]!, options.utcOffsetMinutes);
      if (purchaseDay === undefined) throw new InputRowError(line.number, `time '${clip(fields[layout.time]!)}' is not a date (YYYY-MM-DD, YYYYMMDD or an ISO date-time)`);
      const value = fields[layout.amount]!;
      if (!isNumber(value)) throw new InputRowError(line.number, `amount '${clip(value)}' is not a number`);
      let rowCost = 0;
      if (layout.cost !== undefined) {
        const field = fields[layout.cost]!;
        if (field !== '' && !isNumber(field)) throw new InputRowError(line.number, `cost '${clip(field)}' is not a number`);
        rowCost = field === '' ? 0 : Number(field);
      }
      let customerIndex = index.get(id);
      if (customerIndex === undefined) {
        customerIndex = customerIds.length;
        index.set(id, customerIndex);
        customerIds.push(id);
      }
      customer.push(customerIndex);
      day.push(purchaseDay);
      amount.push(Number(value));
      cost.push(rowCost);
      if (purchaseDay > lastDay) lastDay = purchaseDay;
    } catch (error) {
      if (!(error instanceof InputRowError) || !options.skipBad) throw error;
      skipped.count++;
      if (skipped.examples.length < 3) skipped.examples.push(error.message);
    }
  }
  if (layout === undefined || day.length === 0) throw new CommandError(`${file}: no transactions found${skipped.count > 0 ? ` (${skipped.count} bad rows skipped)` : ''}`, 1);
  return { customerIds, customer, day, amount, cost, layout: layout.description, skipped, lastDay };
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/**
 * Summarizes a transaction table as of the calibration end (a day number). Files need not
 * be sorted: when a customer's rows are out of time order, rows are sorted by day.
 */
export function summarizeTable(table: TransactionTable, calibrationEndDay: number, unit: TimeUnit): TransactionSummary {
  const options = { calibrationEnd: calibrationEndDay * 86_400_000, unit };
  const time = Float64Array.from(table.day, (d) => d * 86_400_000);
  const build = (order: ArrayLike<number> | undefined): TransactionSummary => {
    const summary = TransactionSummary.dense(table.customerIds.length, options);
    const pick = <T extends number>(column: ArrayLike<T>): Float64Array =>
      order === undefined ? Float64Array.from(column as ArrayLike<number>) : Float64Array.from(order, (row) => column[row]!);
    summary.addColumns({ customerId: pick(table.customer), time: pick(time), amount: pick(table.amount), cost: pick(table.cost) });
    return summary;
  };
  try {
    return build(undefined);
  } catch (error) {
    if (!isTransactionOrderError(error)) throw error;
  }
  const order = Array.from(table.day.keys()).sort((a, b) => table.day[a]! - table.day[b]! || a - b);
  return build(order);
}
