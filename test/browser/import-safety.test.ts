/**
 * Each browser entry, bundled as a storefront would bundle it, loads in real Chromium
 * without throwing, without touching storage or navigator, and without starting timers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { entryPoints } from '../../scripts/entries';
import { bundleForBrowser } from '../support/bundle';
import { launchChromium } from '../support/chromium';
import { startTestServer, type TestServer } from '../support/http-server';

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

let browser: Browser;
let server: TestServer;

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('importing an entry in a real browser', () => {
  for (const entry of entryPoints.filter((e) => e.browser)) {
    it(`${entry.subpath} loads with no side effects`, async () => {
      const specifier = entry.subpath === '.' ? 'guanxi' : `guanxi/${entry.subpath.slice(2)}`;
      const code = await bundleForBrowser(`import * as entry from '${specifier}'; window.__entry = Object.keys(entry).length;`);
      server.files.set('/trap.js', { body: trap, contentType: 'text/javascript' });
      server.files.set('/entry.js', { body: code, contentType: 'text/javascript' });
      server.files.set('/', {
        body: '<!doctype html><html><head><script src="/trap.js"></script><script type="module" src="/entry.js"></script></head><body></body></html>',
        contentType: 'text/html',
        headers: { 'content-security-policy': "script-src 'self'" },
      });
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      await page.goto(`${server.origin}/`);
      await page.waitForFunction(() => (window as unknown as { __entry?: number }).__entry !== undefined);
      const touched = await page.evaluate(() => (window as unknown as { __touched: string[] }).__touched);
      await page.close();
      expect(errors).toEqual([]);
      expect(touched).toEqual([]);
    });
  }
});
