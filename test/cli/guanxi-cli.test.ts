/**
 * The `guanxi` command line, run as a child process (tsx on src/cli/index.ts) on the
 * CDNOW files and on crafted bad files.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { cdnowMasterPath, cdnowSamplePath, cdnowSummaryPath, repoRoot } from '../scoring/cdnow';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const cli = path.join(repoRoot, 'src', 'cli', 'index.ts');

function guanxi(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx/esm', cli, ...args], { cwd: repoRoot, maxBuffer: 64 * 2 ** 20, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 99;
      resolve({ code, stdout, stderr: stderr.replace(/^npm warn.*\n/gm, '') });
    });
  });
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'guanxi-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const target = path.join(scratch, name);
  writeFileSync(target, text);
  return target;
}

describe('guanxi fit', () => {
  it('fits BG/NBD to the CDNOW summary file (CRLF, no final newline) to the published values', async () => {
    const run = await guanxi('fit', cdnowSummaryPath, '--model', 'bgnbd', '--summary', '--format', 'json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const fit = JSON.parse(run.stdout) as { params: Record<string, number>; logLikelihood: number; customers: number; iterations: number; converged: boolean };
    expect(fit.customers).toBe(2357);
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBeGreaterThan(0);
    expect(fit.params.r).toBeCloseTo(0.2426, 3);
    expect(fit.params.alpha).toBeCloseTo(4.4135, 2);
    expect(fit.params.a).toBeCloseTo(0.7929, 3);
    expect(fit.params.b).toBeCloseTo(2.4258, 2);
    expect(fit.logLikelihood).toBeCloseTo(-9582.43, 1);
  });

  it('fits the same model from CDNOW_sample.txt transactions with a calibration end', async () => {
    const run = await guanxi('fit', cdnowSamplePath, '--model', 'bgnbd', '--calibration-end', '1997-09-30', '--format', 'json');
    expect(run.code).toBe(0);
    const fit = JSON.parse(run.stdout) as { params: Record<string, number>; logLikelihood: number; customers: number; layout: string; transactions: number };
    expect(fit.customers).toBe(2357);
    expect(fit.transactions).toBe(6919);
    expect(fit.layout).toMatch(/CDNOW sample layout/);
    // tₓ and T from days are not rounded to 2 decimals as in the summary file: the fit agrees to 3 significant digits.
    expect(fit.params.r).toBeCloseTo(0.243, 2);
    expect(fit.logLikelihood).toBeCloseTo(-9582.4, 0);
  });

  it('fits Gamma-Gamma to the 946 repeat customers of the summary file, and prints text', async () => {
    const run = await guanxi('fit', cdnowSummaryPath, '--model', 'gammagamma', '--summary');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^model\s+Gamma-Gamma$/m);
    expect(run.stdout).toMatch(/^customers\s+946$/m);
    expect(run.stdout).toMatch(/^parameters\s+p = 6\.2\d+, q = 3\.7\d+, gamma = 15\.4\d+/m);
    expect(run.stdout).toMatch(/^converged\s+yes$/m);
  });

  it('reads CDNOW_master.txt (header, whitespace) with progress on stderr', async () => {
    const run = await guanxi('fit', cdnowMasterPath, '--model', 'paretonbd', '--calibration-end', '1997-09-30', '--progress', '--format', 'json');
    expect(run.code).toBe(0);
    const fit = JSON.parse(run.stdout) as { customers: number; transactions: number; layout: string };
    expect(fit.customers).toBe(23570);
    expect(fit.transactions).toBe(69659);
    expect(fit.layout).toMatch(/id = customer_id, time = date, amount = dollar_value/);
    expect(run.stderr).toMatch(/read 60,000 lines of .*CDNOW_master\.txt \(\d+%\)/);
  });

  it('reads a CSV with a header in any column order, quoted fields, CRLF and no final newline', async () => {
    const csv = file('orders.csv', 'Order Date,"Total",Customer ID,channel\r\n2026-01-01,10.5,a,web\r\n"2026-01-09",20,"b",store\r\n2026-02-01 10:30:00,30,a,web');
    const run = await guanxi('fit', csv, '--model', 'bgnbd', '--format', 'json', '--id-column', 'Customer ID', '--time-column', '1');
    expect(run.code).toBe(0);
    const fit = JSON.parse(run.stdout) as { customers: number; transactions: number; calibrationEnd: string; layout: string };
    expect(fit).toMatchObject({ customers: 2, transactions: 3, calibrationEnd: '2026-02-01' });
    expect(fit.layout).toMatch(/id = Customer ID, time = Order Date, amount = Total/);
  });
});

describe('guanxi score', () => {
  it('prints one CSV row per CDNOW customer with RFM, tier, P(alive), expected purchases and spend, CLV and churn', async () => {
    const run = await guanxi('score', cdnowSamplePath, '--as-of', '1997-09-30', '--horizon', '12', '--discount-rate', '0.01');
    expect(run.code).toBe(0);
    const [header, ...rows] = run.stdout.trimEnd().split('\n');
    expect(header).toBe('customer_id,first_purchase,last_purchase,x,t_x,T,revenue,r_score,f_score,m_score,rfm_segment,value_tier,p_alive,expected_purchases,expected_spend,clv,lifecycle_stage,churn');
    expect(rows).toHaveLength(2357);
    const first = rows[0]!.split(',');
    expect(first.slice(0, 6)).toEqual(['0001', '1997-01-01', '1997-08-02', '2', '30.4286', '38.8571']);
    const pAlive = Number(first[12]);
    expect(pAlive).toBeGreaterThan(0);
    expect(pAlive).toBeLessThanOrEqual(1);
    expect(Number(first[15])).toBeGreaterThan(0);
    const segments = new Set(rows.map((row) => row.split(',')[10]));
    expect(segments.size).toBeGreaterThanOrEqual(8);
    expect(new Set(rows.map((row) => row.split(',')[11]))).toEqual(new Set(['A', 'B', 'C']));
  });

  it('prints JSON with the fitted parameters', async () => {
    const run = await guanxi('score', cdnowSamplePath, '--as-of', '1997-09-30', '--format', 'json', '--model', 'paretonbd');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { asOf: string; customers: { customer_id: string; clv: number; churn: boolean }[]; params: Record<string, unknown> };
    expect(result.asOf).toBe('1997-09-30');
    expect(result.customers).toHaveLength(2357);
    expect(result.params).toHaveProperty('paretonbd');
    expect(result.customers.some((c) => c.churn)).toBe(true);
  });
});

describe('bad input', () => {
  const good = 'customer_id,date,amount\n';
  it('stops at the first bad row with its line number and reason', async () => {
    const bad = file('bad.csv', `${good}a,2026-01-01,10\nb,2026-01-02,ten\nc,2026-13-40,5\n`);
    const run = await guanxi('fit', bad, '--model', 'bgnbd');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/line 3: amount 'ten' is not a number/);
    expect(run.stderr).toMatch(/--skip-bad/);
  });

  it('skips and counts bad rows with --skip-bad', async () => {
    const rows = ['a,2026-01-01,10', 'b,2026-01-02,ten', 'c,2026-13-40,5', 'a,2026-02-01,12', 'd,2026-01-05', 'b,2026-01-20,7'];
    const bad = file('bad-skip.csv', `${good}${rows.join('\r\n')}`);
    const run = await guanxi('fit', bad, '--model', 'bgnbd', '--skip-bad', '--format', 'json');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/skipped 3 bad rows \(line 3: amount 'ten' is not a number; line 4: time '2026-13-40' is not a date/);
    expect(JSON.parse(run.stdout)).toMatchObject({ transactions: 3, skippedRows: 3 });
  });

  it('names bad rows of summary files, and missing columns', async () => {
    const summary = file('summary.csv', 'ID,x,t_x,T\n1,2,30.43,38.86\n2,1,40,38\n');
    const run = await guanxi('fit', summary, '--model', 'bgnbd', '--summary');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/line 3: need 0 ≤ t_x ≤ T/);
    const noMoney = await guanxi('fit', summary, '--model', 'gammagamma', '--summary', '--skip-bad');
    expect(noMoney.code).toBe(1);
    expect(noMoney.stderr).toMatch(/Gamma-Gamma needs a monetary column/);
    const undetectable = file('columns.csv', 'who,when,what\na,2026-01-01,1\n');
    const unknown = await guanxi('fit', undetectable, '--model', 'bgnbd');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/cannot tell which column holds the id, amount \(columns: who, when, what\); name them with --id-column, --amount-column/);
  });

  it('rejects bad command lines with exit code 2', async () => {
    expect((await guanxi('fit', cdnowSummaryPath, '--summary')).stderr).toMatch(/--model is required/);
    expect((await guanxi('fit', cdnowSummaryPath, '--model', 'xyz')).code).toBe(2);
    expect((await guanxi('score', cdnowSamplePath, '--horizon', 'soon')).stderr).toMatch(/--horizon soon: expected a whole number/);
    expect((await guanxi('score', cdnowSamplePath, '--frobnicate')).code).toBe(2);
    expect((await guanxi('frobnicate')).code).toBe(2);
    const missing = await guanxi('fit', path.join(scratch, 'missing.csv'), '--model', 'bgnbd');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/missing\.csv: cannot read \(ENOENT\)/);
    expect((await guanxi('help')).stdout).toMatch(/Usage: guanxi <command>/);
  });
});
