/**
 * Importing any entry must have no side effects: no browser global touched, no timer
 * started. Each entry is bundled to plain JavaScript (dependencies left as imports, as a
 * user's bundler or Node would load them) and imported in a fresh Node process whose
 * browser globals and timer functions are traps that record any access. No loader is
 * involved, so only guanxi's own code and its dependencies run under the traps.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { entryPoints } from '../../scripts/entries';

const root = path.resolve(import.meta.dirname, '..', '..');
const outDir = path.join(root, 'test-results', 'import-safety');

const probe = `
const touched = [];
for (const name of ['window', 'document', 'navigator', 'indexedDB', 'localStorage', 'sessionStorage', 'location', 'addEventListener']) {
  Object.defineProperty(globalThis, name, { configurable: true, get() { touched.push(name); return undefined; } });
}
for (const name of ['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask']) {
  const original = globalThis[name];
  globalThis[name] = (...args) => { touched.push(name); return original(...args); };
}
const target = process.argv[process.argv.length - 1];
await import(target);
process.stdout.write(JSON.stringify(touched));
`;

const bundles = new Map<string, string>();

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true });
  for (const entry of entryPoints) {
    const file = path.join(outDir, `${entry.subpath === '.' ? 'root' : entry.subpath.slice(2).replaceAll('/', '-')}.mjs`);
    const result = await build({
      entryPoints: [path.join(root, entry.source)],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      packages: 'external',
      logLevel: 'silent',
    });
    writeFileSync(file, result.outputFiles[0]?.text ?? '');
    bundles.set(entry.subpath, file);
  }
});

describe('importing an entry has no side effects (Node, browser globals absent)', () => {
  for (const entry of entryPoints) {
    it(`${entry.subpath} touches no browser global and starts no timer`, () => {
      const output = execFileSync(process.execPath, ['--input-type=module', '-e', probe, '--', bundles.get(entry.subpath) ?? ''], {
        cwd: root,
        encoding: 'utf8',
      });
      expect(JSON.parse(output)).toEqual([]);
    });
  }
});
