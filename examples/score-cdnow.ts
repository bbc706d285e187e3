/**
 * Backend scoring with guanxi/scoring: reads CDNOW_sample.txt (the public benchmark of
 * customer-base analysis), summarizes each customer as of 1997-09-30, scores RFM
 * segments, fits BG/NBD and Gamma-Gamma, and prints the segments and the top customers by
 * 12-month lifetime value.
 *
 * Run: `npx tsx examples/score-cdnow.ts [path/to/CDNOW_sample.txt]`
 * (default: ../shared/data/cdnow/CDNOW_sample.txt next to the repository).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  abcClasses,
  bgNbd,
  customerLifetimeValue,
  gammaGamma,
  rfmInputOf,
  rfmScores,
  summarizeTransactions,
  type Transaction,
} from 'guanxi/scoring';

const file = process.argv[2] ?? path.resolve(import.meta.dirname, '..', '..', 'shared', 'data', 'cdnow', 'CDNOW_sample.txt');

// CDNOW_sample.txt: customer id, sample id, YYYYMMDD, number of CDs, dollar value.
// The sample id (1–2,357) is the id of the published summaries.
const transactions: Transaction[] = readFileSync(file, 'utf8')
  .split(/\r?\n/)
  .filter((line) => line.trim() !== '')
  .map((line) => {
    const [, sampleId, date, , dollars] = line.trim().split(/\s+/);
    return { customerId: Number(sampleId), time: date!, amount: Number(dollars) };
  });

const summaries = summarizeTransactions(transactions, { calibrationEnd: '1997-09-30', unit: 'week' });

// RFM segments (quintiles, the 10-segment R/F map).
const scores = rfmScores(summaries.map(rfmInputOf));
const bySegment = new Map<string, number>();
for (const score of scores) bySegment.set(score.segment ?? '-', (bySegment.get(score.segment ?? '-') ?? 0) + 1);

// Purchase and spend models, fitted on the 39-week calibration period (weeks).
const purchases = bgNbd.fit(summaries.map(({ x, tx, T }) => ({ x, tx, T })));
const spend = gammaGamma.fit(summaries.filter((s) => s.x > 0 && s.meanRepeatValue > 0).map((s) => ({ x: s.x, monetary: s.meanRepeatValue })));

const valued = summaries.map((summary, i) => {
  const customer = { x: summary.x, tx: summary.tx, T: summary.T };
  const expectedSpend = summary.x > 0 && summary.meanRepeatValue > 0
    ? gammaGamma.expectedAverageSpend(spend.params, { x: summary.x, monetary: summary.meanRepeatValue })
    : gammaGamma.populationAverageSpend(spend.params);
  const clv = customerLifetimeValue(bgNbd, purchases.params, customer, {
    expectedSpend,
    modelTimeUnit: 'week',
    periodUnit: 'month',
    horizon: 12,
    discountRate: 0.01,
  });
  return { summary, rfm: scores[i]!, pAlive: bgNbd.probabilityAlive(purchases.params, customer), clv };
});
const tiers = abcClasses(valued.map((v) => ({ customerId: v.summary.customerId, value: v.clv })));

const fixed = (value: number, digits = 2) => value.toFixed(digits);
console.log(`CDNOW sample: ${transactions.length} transactions, ${summaries.length} customers, as of 1997-09-30 (weeks)`);
console.log(`BG/NBD: ${Object.entries(purchases.params).map(([k, v]) => `${k} ${fixed(v, 3)}`).join(', ')}; log-likelihood ${fixed(purchases.logLikelihood, 1)}${purchases.converged ? '' : ' (not converged)'}`);
console.log(`Gamma-Gamma: ${Object.entries(spend.params).map(([k, v]) => `${k} ${fixed(v, 3)}`).join(', ')}`);

console.log('\nRFM segments');
for (const [segment, count] of [...bySegment].sort((a, b) => b[1] - a[1])) {
  console.log(`  ${segment.padEnd(20)}${String(count).padStart(6)}  ${fixed((100 * count) / summaries.length, 1).padStart(5)} %`);
}

const tierCounts = { A: 0, B: 0, C: 0 };
for (const tier of tiers) tierCounts[tier.abcClass]++;
console.log(`\nValue tiers by CLV: A ${tierCounts.A}, B ${tierCounts.B}, C ${tierCounts.C}`);

console.log('\nTop 10 customers by 12-month CLV (1 % per month)');
console.log(`  ${'customer'.padEnd(10)}${'x'.padStart(4)}${'revenue'.padStart(10)}${'segment'.padStart(20)}${'P(alive)'.padStart(10)}${'CLV'.padStart(10)}`);
for (const v of [...valued].sort((a, b) => b.clv - a.clv || Number(a.summary.customerId) - Number(b.summary.customerId)).slice(0, 10)) {
  console.log(`  ${String(v.summary.customerId).padEnd(10)}${String(v.summary.x).padStart(4)}${fixed(v.summary.revenue).padStart(10)}${(v.rfm.segment ?? '-').padStart(20)}${fixed(v.pAlive, 3).padStart(10)}${fixed(v.clv).padStart(10)}`);
}
