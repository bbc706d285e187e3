/**
 * Bundles the storefront and dashboard scripts with esbuild when the demo starts, into
 * each example's `public/build/` (git-ignored). `guanxi` and `guanxi/*` resolve to the
 * sources in `src/`, as they would resolve to the package in a user's shop.
 */
import path from 'node:path';
import { build, type Plugin } from 'esbuild';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

const guanxiFromSource: Plugin = {
  name: 'guanxi-from-source',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^guanxi(\/.*)?$/ }, (args) => {
      const sub = args.path === 'guanxi' ? 'index.ts' : `${args.path.slice('guanxi/'.length)}/index.ts`;
      return { path: path.join(repoRoot, 'src', sub) };
    });
  },
};

export interface BuiltPages {
  /** Bytes of each script as served (not minified, with a linked source map). */
  readonly sizes: Readonly<Record<string, number>>;
}

/** Builds `examples/storefront/public/build/storefront.js` and `examples/dashboard/public/build/dashboard.js`. */
export async function buildPages(): Promise<BuiltPages> {
  const pages = [
    { name: 'storefront', entry: path.join(repoRoot, 'examples/storefront/src/main.ts'), out: path.join(repoRoot, 'examples/storefront/public/build/storefront.js') },
    { name: 'dashboard', entry: path.join(repoRoot, 'examples/dashboard/src/main.ts'), out: path.join(repoRoot, 'examples/dashboard/public/build/dashboard.js') },
  ];
  const sizes: Record<string, number> = {};
  for (const page of pages) {
    const result = await build({
      entryPoints: [page.entry],
      outfile: page.out,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      sourcemap: 'linked',
      minify: true,
      metafile: true,
      plugins: [guanxiFromSource],
      logLevel: 'warning',
    });
    const output = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith('.js'));
    sizes[page.name] = output?.[1].bytes ?? 0;
  }
  return { sizes };
}
