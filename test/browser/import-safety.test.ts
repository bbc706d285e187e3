/**
 * Each browser entry, bundled as a storefront would bundle it, loads in real Chromium
 * without throwing, without touching storage or navigator, and without starting timers.
 */
import { describe, expect, it } from 'vitest';
import { entryPoints } from '../../scripts/entries';
import { bundleForBrowser } from '../support/bundle';
import { runModuleInPage, useBrowserFixture } from '../support/module-page';

const trap = `
window.__touched = [];
for (const name of ['indexedDB', 'localStorage', 'sessionStorage', 'navigator']) {
  const original = Object.getOwnPropertyDescriptor(Window.prototype, name) ?? Object.getOwnPropertyDescriptor(window, name);
  Object.defineProperty(window, name, { configurable: true, get() { window.__touched.push(name); return original?.get?.call(window); } });
}
for (const name of ['setTimeout', 'setInterval', 'requestAnimationFrame']) {
  const original = window[name].bind(window);
  window[name] = (...args) => { window.__touched.push(name); return original(...args); };
}
`;

const fixture = useBrowserFixture();

describe('importing an entry in a real browser', () => {
  for (const entry of entryPoints.filter((e) => e.browser)) {
    it(`${entry.subpath} loads with no side effects`, async () => {
      const specifier = entry.subpath === '.' ? 'guanxi' : `guanxi/${entry.subpath.slice(2)}`;
      const code = await bundleForBrowser(`import * as entry from '${specifier}'; window.__entry = Object.keys(entry).length;`);
      const { result: touched, errors } = await runModuleInPage<string[]>(fixture, {
        module: code,
        before: trap,
        resultName: '__entry',
        readName: '__touched',
        consoleErrors: true,
        timeoutMs: 30_000,
      });
      expect(errors).toEqual([]);
      expect(touched).toEqual([]);
    });
  }
});
