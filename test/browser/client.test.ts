/**
 * guanxi/client in real Chromium, bundled as an app would bundle it and served under a
 * strict Content-Security-Policy: the HubSpot adapter talks to the HubSpot contract
 * server on another 127.0.0.1 origin (CORS), retries a rate-limited read, reports a
 * DAILY limit as RateLimitError, iterates pages, and a guanxi webhook signature made in
 * Node verifies with the browser's WebCrypto.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { signGuanxiWebhook } from 'guanxi/client';
import { bundleForBrowser } from '../support/bundle';
import { launchChromium } from '../support/chromium';
import { startTestServer, type TestServer } from '../support/http-server';
import { startHubSpotContractServer, type HubSpotContractServer } from '../client/hubspot-contract-server';

let browser: Browser;
let pages: TestServer;
let hubspot: HubSpotContractServer;

beforeAll(async () => {
  browser = await launchChromium();
  pages = await startTestServer();
  hubspot = await startHubSpotContractServer({ tokens: ['browser-token'], intervalMs: 100 });
  hubspot.seed('contacts', 250, (index) => ({ email: `b${index}@example.com`, firstname: 'Browser', lastname: String(index) }));
});

afterAll(async () => {
  await browser?.close();
  await pages?.close();
  await hubspot?.close();
});

const app = `
import { createCrmClient, createHubSpotAdapter, isRateLimitError, verifyGuanxiWebhook } from 'guanxi/client';
const { origin, signature, body } = window.__input;
const crm = createCrmClient({ adapter: createHubSpotAdapter({ baseUrl: origin, auth: { token: 'browser-token' }, retry: { baseMs: 5, capMs: 20 } }) });
const run = async () => {
  const created = await crm.contacts.create({ email: 'page@example.com', firstName: 'Page' });
  const read = await crm.contacts.get(created.id); // the first read meets an injected 429
  let seen = 0;
  for await (const contact of crm.contacts.iterate({ pageSize: 100 })) seen++;
  const daily = await crm.companies.list().catch((error) => error);
  const webhook = await verifyGuanxiWebhook({ secrets: ['whsec_browser'], body, header: signature });
  const forged = await verifyGuanxiWebhook({ secrets: ['whsec_browser'], body: body + ' ', header: signature });
  return { email: read.email, seen, daily: isRateLimitError(daily) ? daily.limit : String(daily), webhook: webhook.valid, forged: forged.valid };
};
run().then((result) => { window.__result = result; }, (error) => { window.__result = { error: String(error && error.stack || error) }; });
`;

describe('guanxi/client in Chromium', () => {
  it('works against a cross-origin CRM under a strict CSP, and verifies webhooks with WebCrypto', async () => {
    const body = JSON.stringify({ id: 'evt_1', type: 'contact.created' });
    const signature = await signGuanxiWebhook({ secrets: ['whsec_browser'], body });
    hubspot.faults.push({ method: 'GET', path: /^\/crm\/v3\/objects\/contacts\/\d+$/, fault: { kind: 'rate-limit', window: 'short' } });
    hubspot.faults.push({ method: 'GET', path: /^\/crm\/v3\/objects\/companies$/, fault: { kind: 'rate-limit', window: 'long' } });
    const code = await bundleForBrowser(app);
    pages.files.set('/app.js', { body: code, contentType: 'text/javascript' });
    pages.files.set('/input.js', { body: `window.__input = ${JSON.stringify({ origin: hubspot.origin, signature, body })};`, contentType: 'text/javascript' });
    pages.files.set('/', {
      body: '<!doctype html><html><head><script src="/input.js"></script><script type="module" src="/app.js"></script></head><body></body></html>',
      contentType: 'text/html',
      headers: { 'content-security-policy': `script-src 'self'; connect-src ${hubspot.origin}` },
    });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/429|Failed to load resource/.test(message.text())) errors.push(message.text());
    });
    await page.goto(`${pages.origin}/`);
    await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, undefined, { timeout: 60_000 });
    const result = await page.evaluate(() => (window as unknown as { __result: unknown }).__result);
    await page.close();
    expect(errors).toEqual([]);
    expect(result).toEqual({ email: 'page@example.com', seen: 251, daily: 'DAILY', webhook: true, forged: false });
  });
});
