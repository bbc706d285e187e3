/**
 * Per-customer summaries from a file: `id,x,t_x,T[,monetary]`, the layout of
 * cdnow_customers_summary_with_transactions.csv (whose `zbar` column is the monetary value).
 */
import { CommandError, InputRowError, detectDelimiter, findColumn, isNumber, looksLikeHeader, readLines, splitFields, type Delimiter, type ProgressMode } from './input-file';
import type { SkippedRows } from './transactions-file';

export interface SummaryRow {
  readonly id: string;
  readonly x: number;
  readonly tx: number;
  readonly T: number;
  readonly monetary: number | undefined;
}

export interface SummaryTable {
  readonly rows: SummaryRow[];
  readonly hasMonetary: boolean;
  readonly skipped: SkippedRows;
}

const patterns = {
  id: /^(id|customer[_ ]?id|customer|cust[_ ]?id)$/i,
  x: /^(x|frequency|repeat[_ ]?purchases)$/i,
  tx: /^(t_?x|recency_?t)$/i,
  T: /^(T|age|t_?cal)$/,
  monetary: /^(monetary|monetary[_ ]?value|zbar|m|mean[_ ]?repeat[_ ]?value|avg[_ ]?spend)$/i,
};

export async function readSummaryFile(file: string, options: { skipBad: boolean; progress: ProgressMode; report: (message: string) => void }): Promise<SummaryTable> {
  const rows: SummaryRow[] = [];
  const skipped: SkippedRows = { count: 0, examples: [] };
  let layout: { delimiter: Delimiter; id: number; x: number; tx: number; T: number; monetary: number | undefined; width: number } | undefined;
  for await (const line of readLines(file, options.progress, options.report)) {
    if (line.text.trim() === '') continue;
    try {
      if (layout === undefined) {
        const delimiter = detectDelimiter(line.text);
        const fields = splitFields(line.text, delimiter, line.number);
        const header = looksLikeHeader(fields) ? fields : undefined;
        const column = (name: keyof typeof patterns, position: number) =>
          findColumn(header, fields.length, undefined, patterns[name], name) ?? (header ? undefined : position < fields.length ? position : undefined);
        const found = { id: column('id', 0), x: column('x', 1), tx: column('tx', 2), T: column('T', 3), monetary: column('monetary', 4) };
        const missing = (['id', 'x', 'tx', 'T'] as const).filter((name) => found[name] === undefined);
        if (missing.length > 0) {
          throw new CommandError(`${file}: a summary file needs the columns id, x, t_x, T[, monetary]; missing ${missing.map((name) => (name === 'tx' ? 't_x' : name)).join(', ')}`, 1);
        }
        layout = { delimiter, id: found.id!, x: found.x!, tx: found.tx!, T: found.T!, monetary: found.monetary, width: fields.length };
        if (header) continue;
      }
      const fields = splitFields(line.text, layout.delimiter, line.number);
      if (fields.length < layout.width) throw new InputRowError(line.number, `expected ${layout.width} fields, found ${fields.length}`);
      const number = (name: string, index: number): number => {
        const field = fields[index]!;
        if (!isNumber(field)) throw new InputRowError(line.number, `${name} '${field.slice(0, 40)}' is not a number`);
        return Number(field);
      };
      const x = number('x', layout.x);
      const tx = number('t_x', layout.tx);
      const T = number('T', layout.T);
      if (!Number.isInteger(x) || x < 0) throw new InputRowError(line.number, `x must be a non-negative whole number, found ${x}`);
      if (tx < 0 || T < tx) throw new InputRowError(line.number, `need 0 ≤ t_x ≤ T, found t_x = ${tx}, T = ${T}`);
      if (x === 0 && tx !== 0) throw new InputRowError(line.number, `t_x must be 0 when x = 0, found ${tx}`);
      const monetary = layout.monetary === undefined ? undefined : number('monetary', layout.monetary);
      rows.push({ id: fields[layout.id]!, x, tx, T, monetary });
    } catch (error) {
      if (!(error instanceof InputRowError) || !options.skipBad) throw error;
      skipped.count++;
      if (skipped.examples.length < 3) skipped.examples.push(error.message);
    }
  }
  if (rows.length === 0) throw new CommandError(`${file}: no customer rows found${skipped.count > 0 ? ` (${skipped.count} bad rows skipped)` : ''}`, 1);
  return { rows, hasMonetary: layout?.monetary !== undefined, skipped };
}
