/**
 * Probabilistic models: BG/NBD fit on CDNOW (target ≤ 100 ms) and on 1,000,000 simulated
 * customers (target ≤ 3 s, compression included), plus the other models on CDNOW.
 * Prints figures; the machine is shared, so numbers are noisy — compare medians.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bgNbd, compressCustomers, customerLifetimeValue, gammaGamma, mbgNbd, paretoNbd, simulateCustomers, type RepeatPurchaseSummary } from '../src/scoring/index';

const repoRoot = path.resolve(import.meta.dirname, '..');
const cdnowFile = path.resolve(repoRoot, '..', 'shared', 'data', 'cdnow', 'cdnow_customers_summary_with_transactions.csv');

function readCdnow(): (RepeatPurchaseSummary & { monetary: number })[] {
  const lines = readFileSync(cdnowFile, 'utf8').split(/\r?\n/).filter((line) => line.trim() !== '');
  return lines.slice(1).map((line) => {
    const [, x, tx, T, zbar] = line.split(',').map(Number) as [number, number, number, number, number];
    return { x, tx, T, monetary: zbar };
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Wall-clock and CPU time of `run` (CPU time is less disturbed by other processes on a shared machine). */
function time<T>(run: () => T): { readonly result: T; readonly ms: number; readonly cpuMs: number } {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = run();
  const used = process.cpuUsage(cpu);
  return { result, ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

const cdnow = readCdnow();
// Warm up the JIT once, then time repeated runs.
bgNbd.fit(cdnow);
const cdnowRuns = Array.from({ length: 9 }, () => time(() => bgNbd.fit(cdnow)));
const cdnowFit = cdnowRuns[0]!.result;
console.log(
  `BG/NBD fit, CDNOW (2,357 customers): median ${median(cdnowRuns.map((run) => run.ms)).toFixed(1)} ms wall, ` +
    `${median(cdnowRuns.map((run) => run.cpuMs)).toFixed(1)} ms CPU over 9 runs ` +
    `(target ≤ 100 ms); ${cdnowFit.iterations} iterations, LL ${cdnowFit.logLikelihood.toFixed(4)}, converged ${cdnowFit.converged}`,
);
const otherFits: readonly (readonly [string, () => { readonly converged: boolean }])[] = [
  ['MBG/NBD', () => mbgNbd.fit(cdnow)],
  ['Pareto/NBD', () => paretoNbd.fit(cdnow)],
  ['Gamma-Gamma', () => gammaGamma.fit(cdnow)],
];
for (const [name, fit] of otherFits) {
  fit();
  const runs = Array.from({ length: 5 }, () => time(fit));
  console.log(
    `${name} fit, CDNOW: median ${median(runs.map((run) => run.ms)).toFixed(1)} ms wall, ${median(runs.map((run) => run.cpuMs)).toFixed(1)} ms CPU over 5 runs; converged ${runs[0]!.result.converged}`,
  );
}

// One million customers acquired over 13 weeks, purchases recorded by day (times in weeks).
const truth = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const simulated = time(() =>
  simulateCustomers(bgNbd, truth, { customers: 1_000_000, customerAge: (index) => (273 - (index % 91)) / 7, timeStep: 1 / 7, seed: 2026 }),
);
console.log(`simulate 1,000,000 BG/NBD customers (by day): ${simulated.ms.toFixed(0)} ms wall, ${simulated.cpuMs.toFixed(0)} ms CPU`);
const compressed = time(() => compressCustomers(simulated.result));
const fitted = time(() => bgNbd.fit(compressed.result));
const fit = fitted.result;
console.log(
  `BG/NBD fit, 1,000,000 customers: ${(compressed.ms + fitted.ms).toFixed(0)} ms wall, ${(compressed.cpuMs + fitted.cpuMs).toFixed(0)} ms CPU (target ≤ 3,000 ms) = ` +
    `compression ${compressed.ms.toFixed(0)} ms to ${compressed.result.rows.toLocaleString('en')} unique rows + fit ${fitted.ms.toFixed(0)} ms ` +
    `(${fit.iterations} iterations, converged ${fit.converged}); r ${fit.params.r.toFixed(3)} α ${fit.params.alpha.toFixed(3)} a ${fit.params.a.toFixed(3)} b ${fit.params.b.toFixed(3)}`,
);

// Scoring every customer once the model is fitted: P(alive) and expected purchases in the
// next 39 weeks, then a 12-month lifetime value, for the first 100,000 of the simulated.
const scored = time(() => {
  let total = 0;
  for (const customer of simulated.result) {
    total += bgNbd.probabilityAlive(fit.params, customer) + bgNbd.conditionalExpectedPurchases(fit.params, 39, customer);
  }
  return total;
});
console.log(`P(alive) + E[Y(39)] for 1,000,000 customers: ${scored.ms.toFixed(0)} ms wall, ${scored.cpuMs.toFixed(0)} ms CPU`);
const valued = time(() => {
  let total = 0;
  for (const customer of simulated.result.slice(0, 100_000)) {
    total += customerLifetimeValue(bgNbd, fit.params, customer, { expectedSpend: 35, modelTimeUnit: 'week', periodUnit: 'month', horizon: 12, discountRate: 0.01 });
  }
  return total;
});
console.log(`12-month lifetime value for 100,000 customers: ${valued.ms.toFixed(0)} ms wall, ${valued.cpuMs.toFixed(0)} ms CPU`);
