/** Reads the CDNOW calibration summaries (shared data, never copied into the repository). */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
export const cdnowDirectory = path.resolve(repoRoot, '..', 'shared', 'data', 'cdnow');

export interface CdnowCustomer {
  readonly id: number;
  readonly x: number;
  readonly tx: number;
  readonly T: number;
  readonly monetary: number;
}

/** The 2,357 rows of cdnow_customers_summary_with_transactions.csv (CRLF, no final newline). */
export function readCdnowSummaries(): CdnowCustomer[] {
  const text = readFileSync(path.join(cdnowDirectory, 'cdnow_customers_summary_with_transactions.csv'), 'utf8');
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines[0]?.split(',').map((cell) => cell.trim());
  if (header?.join(',') !== 'ID,x,t_x,T,zbar') throw new Error(`unexpected header ${String(header)}`);
  return lines.slice(1).map((line) => {
    const [id, x, tx, T, zbar] = line.split(',').map(Number) as [number, number, number, number, number];
    return { id, x, tx, T, monetary: zbar };
  });
}
