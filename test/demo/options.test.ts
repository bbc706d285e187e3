/**
 * The demo's command line and seed: options parse or fail with a message naming the
 * option, `--help` documents every option, and the seed is repeatable and keeps
 * CDNOW's inter-purchase times.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cdnowAvailable, cdnowDirectory, readCdnowTransactions } from '../../examples/demo/cdnow';
import { demoHelp, parseDemoArguments, resolveDemoOptions } from '../../examples/demo/options';
import { daysBetween, seedFromCdnow, seedFromSimulator } from '../../examples/demo/seed';
import { repoRoot } from '../support/bundle';

describe('npm run demo options', () => {
  it('parses every documented option', () => {
    const command = parseDemoArguments(
      ['--port', '5000', '--host', '127.0.0.1', '--database-url', 'postgres://u@127.0.0.1/db', '--data-dir', '/tmp/x', '-n', '50', '--history', 'cdnow', '--seed', '3', '--as-of', '2026-01-31', '--jurisdiction', 'US-CA', '-q'],
      {},
    );
    expect(command).toEqual({
      help: false,
      quiet: true,
      options: { port: 5000, host: '127.0.0.1', databaseUrl: 'postgres://u@127.0.0.1/db', dataDir: '/tmp/x', seedSize: 50, history: 'cdnow', seed: 3, asOfDay: '2026-01-31', jurisdiction: 'US-CA' },
    });
  });

  it('takes the database URL from DATABASE_URL unless given', () => {
    expect(parseDemoArguments([], { DATABASE_URL: 'postgres://a@127.0.0.1/b' }).options.databaseUrl).toBe('postgres://a@127.0.0.1/b');
    expect(parseDemoArguments(['--database-url', 'postgres://c@127.0.0.1/d'], { DATABASE_URL: 'postgres://a@127.0.0.1/b' }).options.databaseUrl).toBe('postgres://c@127.0.0.1/d');
  });

  it('rejects bad values with the option named', () => {
    expect(() => parseDemoArguments(['--port', 'eighty'])).toThrow(/--port must be a whole number/);
    expect(() => parseDemoArguments(['--history', 'made-up'])).toThrow(/--history must be auto, cdnow or simulated/);
    expect(() => parseDemoArguments(['--colour'])).toThrow(/colour/);
    expect(() => resolveDemoOptions({ seedSize: 0 })).toThrow(/seed size/);
    expect(() => resolveDemoOptions({ port: 70_000 })).toThrow(/port/);
    expect(() => resolveDemoOptions({ asOfDay: '31/01/2026' })).toThrow(/as-of day/);
  });

  it('documents every option in --help', () => {
    for (const flag of ['--port', '--host', '--database-url', '--data-dir', '--seed-size', '--history', '--seed', '--as-of', '--jurisdiction', '--quiet', '--help']) {
      expect(demoHelp).toContain(flag);
    }
    const printed = execFileSync(process.execPath, [path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(repoRoot, 'examples', 'demo.ts'), '--help'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(printed).toContain('Usage: npm run demo');
    expect(printed).toContain('--seed-size');
  });
});

describe.runIf(cdnowAvailable(cdnowDirectory(repoRoot)))('demo customers from CDNOW', () => {
  it('are the same on every run, with every inter-purchase time kept', async () => {
    const transactions = await readCdnowTransactions(cdnowDirectory(repoRoot));
    expect(transactions).toHaveLength(69_659);
    const first = seedFromCdnow(transactions, { size: 200, asOfDay: '2026-03-31', seed: 7 });
    const again = seedFromCdnow(transactions, { size: 200, asOfDay: '2026-03-31', seed: 7 });
    expect(again).toEqual(first);
    expect(first).toHaveLength(200);
    expect(new Set(first.map((customer) => customer.email)).size).toBe(200);
    const shift = daysBetween('1998-06-30', '2026-03-31');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 199 }), (index) => {
        const customer = first[index]!;
        const original = transactions.filter((transaction) => `cdnow-${transaction.customerId}` === customer.userId);
        expect(customer.purchases).toHaveLength(original.length);
        customer.purchases.forEach((purchase, n) => {
          const day = original[n]!.day;
          expect(daysBetween(day, purchase.at.slice(0, 10))).toBe(shift);
          expect(purchase.amount).toBe(original[n]!.amount);
        });
        expect(customer.purchases.every((purchase) => purchase.at <= '2026-03-31T23:59:59Z')).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});

describe('demo customers from the simulator', () => {
  it('are repeatable, named, and buy only up to the as-of day', () => {
    const customers = seedFromSimulator({ size: 150, asOfDay: '2026-03-31', seed: 7 });
    expect(seedFromSimulator({ size: 150, asOfDay: '2026-03-31', seed: 7 })).toEqual(customers);
    expect(customers).toHaveLength(150);
    expect(customers.every((customer) => customer.purchases.length >= 1 && customer.email.endsWith('@example.com'))).toBe(true);
    expect(customers.every((customer) => customer.purchases.every((purchase) => purchase.at <= '2026-03-31T23:59:59Z' && purchase.amount > 0))).toBe(true);
    expect(customers.some((customer) => customer.purchases.length > 1)).toBe(true);
  });
});
