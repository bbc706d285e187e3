/**
 * Test helpers: the CDNOW files from the shared data folder (never copied into the repo).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Transaction } from '../../src/scoring/index';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
export const cdnowDirectory = path.resolve(repoRoot, '..', 'shared', 'data', 'cdnow');
export const cdnowSamplePath = path.join(cdnowDirectory, 'CDNOW_sample.txt');
export const cdnowSummaryPath = path.join(cdnowDirectory, 'cdnow_customers_summary_with_transactions.csv');
export const cdnowMasterPath = path.join(cdnowDirectory, 'CDNOW_master.txt');

/** CDNOW_sample.txt as transactions; the customer id is the second column (sample id). */
export function readCdnowSample(): Transaction[] {
  return readFileSync(cdnowSamplePath, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [, sampleId, date, , dollars] = line.trim().split(/\s+/);
      return { customerId: Number(sampleId), time: date!, amount: Number(dollars) };
    });
}

export interface CdnowSummaryRow {
  readonly id: number;
  readonly x: number;
  readonly tx: number;
  readonly T: number;
  readonly zbar: number;
}

/** The published summary file (CRLF, no final newline). */
export function readCdnowSummary(): CdnowSummaryRow[] {
  const [, ...lines] = readFileSync(cdnowSummaryPath, 'utf8').split(/\r?\n/);
  return lines.filter((line) => line !== '').map((line) => {
    const [id, x, tx, T, zbar] = line.split(',').map(Number);
    return { id: id!, x: x!, tx: tx!, T: T!, zbar: zbar! };
  });
}
