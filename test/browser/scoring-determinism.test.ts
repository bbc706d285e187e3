/**
 * Same input, same output everywhere: the scoring functions give bit-identical results
 * in real Chromium (bundled as an app would bundle them) and in Node, on the CDNOW sample.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { bundleForBrowser } from '../support/bundle';
import { launchChromium } from '../support/chromium';
import { startTestServer, type TestServer } from '../support/http-server';
import { readCdnowSample } from '../scoring/cdnow';
import { scoreEverything } from '../scoring/support/score-everything';

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

describe('scoring in Chromium and in Node', () => {
  it('gives identical summaries, RFM scores, value classes, engagement and health on CDNOW', async () => {
    const transactions = readCdnowSample();
    const code = await bundleForBrowser(`
      import { scoreEverything } from './test/scoring/support/score-everything';
      const transactions = await (await fetch('/cdnow.json')).json();
      window.__result = JSON.stringify(scoreEverything(transactions));
    `);
    server.files.set('/cdnow.json', { body: JSON.stringify(transactions), contentType: 'application/json' });
    server.files.set('/entry.js', { body: code, contentType: 'text/javascript' });
    server.files.set('/', {
      body: '<!doctype html><html><head><script type="module" src="/entry.js"></script></head><body></body></html>',
      contentType: 'text/html',
      headers: { 'content-security-policy': "script-src 'self'" },
    });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.origin}/`);
    await page.waitForFunction(() => (window as unknown as { __result?: string }).__result !== undefined, undefined, { timeout: 60_000 });
    const inBrowser = await page.evaluate(() => (window as unknown as { __result: string }).__result);
    await page.close();
    expect(errors).toEqual([]);
    const inNode = JSON.stringify(scoreEverything(transactions));
    expect(inBrowser.length).toBeGreaterThan(100_000);
    if (inBrowser !== inNode) {
      let at = 0;
      while (inBrowser[at] === inNode[at]) at++;
      expect(inBrowser.slice(Math.max(0, at - 300), at + 100)).toBe(inNode.slice(Math.max(0, at - 300), at + 100));
    }
  });
});
