/**
 * Reads CDNOW transactions (`CDNOW_master.txt`: customer id, date YYYYMMDD, number of
 * CDs, dollar value; whitespace separated, one header line) for the demo's seed.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface CdnowTransaction {
  readonly customerId: string;
  /** Purchase day as `YYYY-MM-DD`. */
  readonly day: string;
  readonly quantity: number;
  readonly amount: number;
}

/** Where the shared data lives relative to the repository: `../shared/data/cdnow/`. */
export function cdnowDirectory(repoRoot: string): string {
  return path.resolve(repoRoot, '..', 'shared', 'data', 'cdnow');
}

export function cdnowAvailable(directory: string): boolean {
  return existsSync(path.join(directory, 'CDNOW_master.txt'));
}

/** Parses CDNOW_master.txt. A malformed line stops with its line number. */
export async function readCdnowTransactions(directory: string): Promise<CdnowTransaction[]> {
  const file = path.join(directory, 'CDNOW_master.txt');
  const text = await readFile(file, 'utf8');
  const transactions: CdnowTransaction[] = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]?.trim() ?? '';
    if (line === '' || line.startsWith('customer_id')) continue;
    const [id, date, quantity, amount] = line.split(/\s+/);
    if (!id || !date || !/^\d{8}$/.test(date) || quantity === undefined || amount === undefined) {
      throw new Error(`${file}:${index + 1}: expected "customer_id YYYYMMDD cds dollars", got "${line}"`);
    }
    transactions.push({
      customerId: id,
      day: `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`,
      quantity: Number(quantity),
      amount: Number(amount),
    });
  }
  return transactions;
}
