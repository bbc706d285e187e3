/**
 * Importing any entry must have no side effects: no browser global touched, no timer
 * started. Each entry is imported in a fresh Node process whose browser globals are
 * traps that record any access.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryPoints } from '../../scripts/entries';

const root = path.resolve(import.meta.dirname, '..', '..');

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

describe('importing an entry has no side effects (Node, browser globals absent)', () => {
  for (const entry of entryPoints) {
    it(`${entry.subpath} touches no browser global and starts no timer`, () => {
      const output = execFileSync(
        process.execPath,
        ['--import', 'tsx/esm', '--input-type=module', '-e', probe, '--', path.join(root, entry.source)],
        { cwd: root, encoding: 'utf8' },
      );
      expect(JSON.parse(output)).toEqual([]);
    });
  }
});
