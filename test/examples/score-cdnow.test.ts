/**
 * examples/score-cdnow.ts runs as a child process and prints what it promises.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../scoring/cdnow';

describe('examples/score-cdnow.ts', () => {
  it('prints the RFM segments and the top ten customers by CLV of the CDNOW sample', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx/esm', path.join(repoRoot, 'examples', 'score-cdnow.ts')], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
    expect(output).toMatch(/CDNOW sample: 6919 transactions, 2357 customers/);
    expect(output).toMatch(/BG\/NBD: r 0\.243, alpha 4\.41\d, a 0\.793, b 2\.42\d; log-likelihood -9582\.4/);
    const segments = output.slice(output.indexOf('RFM segments'), output.indexOf('Value tiers')).trim().split('\n').slice(1);
    expect(segments.length).toBeGreaterThanOrEqual(8);
    const total = segments.reduce((sum, line) => sum + Number(line.trim().split(/\s+/)[1]), 0);
    expect(total).toBe(2357);
    const top = output.slice(output.indexOf('Top 10')).trim().split('\n').slice(2);
    expect(top).toHaveLength(10);
    const clvs = top.map((line) => Number(line.trim().split(/\s+/).at(-1)));
    expect([...clvs].sort((a, b) => b - a)).toEqual(clvs);
    expect(clvs[0]).toBeGreaterThan(clvs[9]!);
  });
});
