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
  const inputs = Object.entries(output?.inputs ?? {})
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([file]) => file);
  const forbiddenFound = (budget.forbiddenInputs ?? []).filter((needle) => inputs.some((input) => input.includes(needle)));
  return {
    name: budget.name,
    minifiedBytes: code.byteLength,
    gzipBytes: gzipSync(code, { level: 9 }).byteLength,
    maxGzipBytes: budget.maxGzipBytes,
    inputs,
    forbiddenFound,
  };
}
