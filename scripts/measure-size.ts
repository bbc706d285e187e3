/**
 * Measures browser bundles the way REFERENCE.md §2 measures peer SDKs.
 */
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { guanxiAlias, repoRoot } from '../test/support/bundle';
import type { SizeBudget } from './size-budgets';

export interface SizeMeasurement {
  readonly name: string;
  readonly minifiedBytes: number;
  readonly gzipBytes: number;
  readonly maxGzipBytes: number;
  readonly inputs: readonly string[];
  readonly forbiddenFound: readonly string[];
  /**
   * Minified bytes in the bundle by origin, from esbuild's metafile (exact; gzip cannot
   * be split by origin, so the shares of the gzip total are proportional estimates).
   */
  readonly composition: { readonly ky: number; readonly zod: number; readonly guanxi: number; readonly other: number };
}

/** Where a bundled module comes from: ky, zod, guanxi's own code, or another package. */
function originOf(file: string): keyof SizeMeasurement['composition'] {
  if (file.includes('node_modules/ky/')) return 'ky';
  if (file.includes('node_modules/zod/')) return 'zod';
  return file.includes('node_modules/') ? 'other' : 'guanxi';
}

export async function measureBudget(budget: SizeBudget): Promise<SizeMeasurement> {
  const result = await build({
    stdin: { contents: budget.source, resolveDir: repoRoot, loader: 'ts', sourcefile: 'size-entry.ts' },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    metafile: true,
    plugins: [guanxiAlias],
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  // Modules that contribute bytes to the output: esbuild lists tree-shaken modules (for
  // example a zod schema re-exported by an entry but never used) among its inputs too.
  const output = Object.values(result.metafile.outputs)[0];
  const contributing = Object.entries(output?.inputs ?? {}).filter(([, input]) => input.bytesInOutput > 0);
  const inputs = contributing.map(([file]) => file);
  const composition = { ky: 0, zod: 0, guanxi: 0, other: 0 };
  for (const [file, input] of contributing) composition[originOf(file)] += input.bytesInOutput;
  const forbiddenFound = (budget.forbiddenInputs ?? []).filter((needle) => inputs.some((input) => input.includes(needle)));
  return {
    name: budget.name,
    minifiedBytes: code.byteLength,
    gzipBytes: gzipSync(code, { level: 9 }).byteLength,
    maxGzipBytes: budget.maxGzipBytes,
    inputs,
    forbiddenFound,
    composition,
  };
}
