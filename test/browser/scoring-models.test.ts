/**
 * The probabilistic models give the same fits, predictions and simulations in real
 * Chromium (bundled as an application would bundle them, under a strict CSP) as in Node.
 *
 * Not bit for bit: ECMAScript leaves the accuracy of Math.log, Math.exp, Math.pow and
 * Math.cos to the engine, and Node's V8 and Chromium's V8 differ in the last bits of some
 * results. Predictions and simulations agree to 1e-10 relative; fitted parameters to 1e-6
 * (within the search's own tolerance), far below any figure's meaning.
 */
import { describe, expect, it } from 'vitest';
import * as scoring from 'guanxi/scoring';
import { bundleForBrowser } from '../support/bundle';
import { runModuleInPage, useBrowserFixture } from '../support/module-page';
import { readCdnowSummaries } from '../scoring/models/cdnow';

// The same computation runs in both runtimes: its source is bundled for the page and
// evaluated in Node from the same function.
function runModels(api: typeof scoring, rows: readonly { x: number; tx: number; T: number; monetary: number }[]): unknown {
  const fits = [api.bgNbd.fit(rows), api.paretoNbd.fit(rows), api.mbgNbd.fit(rows), api.gammaGamma.fit(rows)];
  // Predictions and simulations from fixed (published) parameters test the numerics alone.
  const bg = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
  const pareto = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };
  const mbg = { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 };
  const spend = { p: 6.25, q: 3.74, gamma: 15.44 };
  const customer = rows[0]!;
  return {
    fits: fits.map((fit) => ({ params: fit.params, logLikelihood: fit.logLikelihood, standardErrors: fit.standardErrors })),
    predictions: {
      expected: [0.1429, 1, 3, 31.8571, 32, 78].map((t) => api.bgNbd.expectedPurchases(bg, t)),
      conditional: api.paretoNbd.conditionalExpectedPurchases(pareto, 52, customer),
      alive: rows.slice(0, 50).map((row) => api.mbgNbd.probabilityAlive(mbg, row)),
      pmf: [0, 1, 2, 5, 10].map((n) => api.paretoNbd.probabilityOfPurchases(pareto, 39, n)),
      clv: api.customerLifetimeValue(api.bgNbd, bg, customer, {
        expectedSpend: api.gammaGamma.expectedAverageSpend(spend, customer),
        modelTimeUnit: 'week',
        periodUnit: 'month',
        horizon: 12,
        discountRate: 0.01,
      }),
      simulated: api.simulateCustomers(api.bgNbd, bg, { customers: 50, customerAge: 39, seed: 5, transactions: true, spend }),
    },
  };
}

/**
 * The path of the first value that differs, if any: predictions and simulations by more
 * than 1e-10 relative; fits by more than 1e-6 and their standard errors by 1e-4 (the search stops anywhere within its
 * gradient tolerance, and Pareto/NBD's finite-difference gradient and every fit's
 * finite-difference Hessian amplify last-bit differences).
 */
function firstDifference(left: unknown, right: unknown, path: string): string | undefined {
  if (typeof left === 'number' && typeof right === 'number') {
    const tolerance = path.includes('standardErrors') ? 1e-4 : path.startsWith('.fits') ? 1e-6 : 1e-10;
    return Math.abs(left - right) <= tolerance * Math.max(Math.abs(left), Math.abs(right), 1e-300) ? undefined : `${path}: ${left} ≠ ${right}`;
  }
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) {
    return left === right ? undefined : `${path}: ${String(left)} ≠ ${String(right)}`;
  }
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const key of keys) {
    const difference = firstDifference((left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key], `${path}.${key}`);
    if (difference) return difference;
  }
  return undefined;
}

const fixture = useBrowserFixture();

describe('scoring models in Chromium', () => {
  it('fit, predict and simulate as in Node, up to the last bits of Math functions', async () => {
    const rows = readCdnowSummaries();
    const code = await bundleForBrowser(`
      import * as api from 'guanxi/scoring';
      const runModels = ${runModels.toString()};
      fetch('/rows.json').then((response) => response.json()).then((rows) => {
        window.__result = JSON.stringify(runModels(api, rows));
      }, (error) => { window.__result = 'error: ' + error; });
    `);
    const { result: inBrowser, errors } = await runModuleInPage<string>(fixture, {
      module: code,
      files: { '/rows.json': { body: JSON.stringify(rows), contentType: 'application/json' } },
      resultName: '__result',
    });
    expect(errors).toEqual([]);
    const inNode = JSON.parse(JSON.stringify(runModels(scoring, rows))) as unknown;
    expect(firstDifference(JSON.parse(inBrowser) as unknown, inNode, '')).toBeUndefined();
  });
});
