/**
 * Bundles the storefront and dashboard scripts with esbuild when the demo starts, into
 * each example's `public/build/` (git-ignored). `guanxi` and `guanxi/*` resolve to the
 * sources in `src/`, as they would resolve to the package in a user's shop.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
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
      plugins: [guanxiFromSource],
      logLevel: 'warning',
      write: false,
    });
    // Written to a temporary name and renamed, so that a page loading while another demo
    // (another test) rebuilds never reads half a script.
    await mkdir(path.dirname(page.out), { recursive: true });
    for (const file of result.outputFiles) {
      const temporary = `${file.path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      await writeFile(temporary, file.contents);
      await rename(temporary, file.path);
      if (file.path.endsWith('.js')) sizes[page.name] = file.contents.byteLength;
    }
  }
  return { sizes };
}
