/**
 * Bundles source for the browser with esbuild, as a storefront's build would, with
 * `guanxi` and `guanxi/*` resolving to `src/`.
 */
import path from 'node:path';
import { build, type Plugin } from 'esbuild';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

const guanxiAlias: Plugin = {
  name: 'guanxi-alias',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^guanxi(\/.*)?$/ }, (args) => {
      const sub = args.path === 'guanxi' ? 'index.ts' : `${args.path.slice('guanxi/'.length)}/index.ts`;
      return { path: path.join(repoRoot, 'src', sub) };
    });
  },
};

export interface BundleOptions {
  readonly minify?: boolean;
  readonly format?: 'esm' | 'iife';
}

/** Bundles `source` (TypeScript, may import `guanxi/...`) into one browser script. */
export async function bundleForBrowser(source: string, options: BundleOptions = {}): Promise<string> {
  const result = await build({
    stdin: { contents: source, resolveDir: repoRoot, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    write: false,
    format: options.format ?? 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: options.minify ?? false,
    plugins: [guanxiAlias],
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no output');
  return output.text;
}

export { guanxiAlias };
