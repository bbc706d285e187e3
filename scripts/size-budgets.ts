/**
 * Byte budgets of what users ship to browsers, measured as REFERENCE.md §2 measures the
 * peers: esbuild --bundle --minify --format=esm --platform=browser, then gzip -9.
 * Checked by `test/size/bundle-size.test.ts` (in `npm test` and CI) and printed by
 * `npm run size`.
 */
export interface SizeBudget {
  /** What the bundle represents, as printed in reports. */
  readonly name: string;
  /** The code a user would write (may import `guanxi/...`). */
  readonly source: string;
  /** Budget in bytes after minify + gzip -9. */
  readonly maxGzipBytes: number;
  /**
   * Module paths (substrings of esbuild's input paths) that must not be in the bundle,
   * e.g. ky or zod classic in the storefront tracker.
   */
  readonly forbiddenInputs?: readonly string[];
}

export const sizeBudgets: readonly SizeBudget[] = [
  {
    name: 'guanxi/consent/tcf (whole entry)',
    source: `export * from 'guanxi/consent/tcf';`,
    maxGzipBytes: 2_560,
    forbiddenInputs: ['node_modules/ky/', 'node_modules/zod/'],
  },
  {
    // What a storefront ships: the tracker with its IndexedDB queue, consent hook and
    // unload delivery. The consent issue's "tracker + consent gate ≤ 12 KB" needs the
    // 2 KB left above this budget.
    name: 'storefront: createTracker + track',
    source: `import { createTracker } from 'guanxi/tracking';
const tracker = createTracker({ endpoint: '/v1/batch' });
tracker.track('Product Viewed', { sku: 'tea-001' });`,
    maxGzipBytes: 10_240,
    forbiddenInputs: ['node_modules/ky/', 'node_modules/zod/', 'libphonenumber'],
  },
  {
    name: 'guanxi/client (whole entry, with ky)',
    source: `export * from 'guanxi/client';`,
    maxGzipBytes: 12_288,
  },
];
