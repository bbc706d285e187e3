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
    name: 'guanxi/client (whole entry, with ky)',
    source: `export * from 'guanxi/client';`,
    maxGzipBytes: 12_288,
  },
];
