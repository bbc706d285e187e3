/**
 * Consent in real Chromium, with each consent gate as the tracker's gate — the register,
 * and the storefront gate on a policy the server resolved — the tracker's IndexedDB
 * queue, and a collector on another origin:
 * - withdrawing consent while events are queued and requests fail leaves none of them
 *   in IndexedDB, and none of them ever reaches the collector;
 * - with Global Privacy Control on (navigator.globalPrivacyControl emulated by an init
 *   script), advertising and sale/sharing events never leave the page.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { resolveConsentPolicy, type ConsentRecordDraft } from 'guanxi/consent';
import type { Tracker, TrackingErasureRequest } from 'guanxi/tracking';
import type { BannerConsentGate } from '../support/consent-gates';
import { bundleForBrowser } from '../support/bundle';
import { launchChromium } from '../support/chromium';
import { startTestServer, type TestServer } from '../support/http-server';
import { startTrackingCollector, type TrackingCollector } from '../support/tracking-collector';

/** What the page script puts on `window`. */
type ShopWindow = Window & {
  consent: BannerConsentGate;
  tracker: Tracker;
  __withdrawn: TrackingErasureRequest[];
  __records: ConsentRecordDraft[];
  __errors: string[];
};

const notice = `{ version: '2026-03', text: 'We use your data to run the shop and, with your consent, for analytics, marketing and ads.', language: 'en' }`;

/** How each kind of page makes its gate; proof records go to `window.__records` either way. */
const gates = [
  {
    name: 'register',
    script: `
import { createConsentRegister, localConsentStorage } from 'guanxi/consent';
const consent = createConsentRegister({ jurisdiction: config.jurisdiction, notice: ${notice}, storage: localConsentStorage(), onRecord: (record) => window.__records.push(record) });`,
  },
  {
    name: 'storefront gate',
    script: `
import { createStorefrontConsentGate, localConsentStorage } from 'guanxi/consent';
// The server resolved the visitor's jurisdiction's policy; the page only fetches it.
const policy = await (await fetch('/consent-policy')).json();
const consent = createStorefrontConsentGate({ policy, notice: ${notice}, storage: localConsentStorage(), subject: () => tracker.identity(), onRecord: (record) => window.__records.push(record) });`,
  },
] as const;

const pageScript = (makeConsent: string) => `
const config = window.__config;
window.__errors = [];
window.__withdrawn = [];
window.__records = [];
${makeConsent}
import { createTracker } from 'guanxi/tracking';
const tracker = createTracker({
  endpoint: config.endpoint,
  consent,
  flushIntervalMs: 50,
  backoff: { baseMs: 20, capMs: 200 },
  purposes: { track: ['analytics'] },
  onError: (error) => window.__errors.push(String(error)),
  onConsentWithdrawn: (request) => window.__withdrawn.push(request),
});
window.consent = consent;
window.tracker = tracker;
window.__ready = true;
`;

/** Every event in the tracker's IndexedDB queue, read with the raw IndexedDB API. */
async function queued(page: Page): Promise<{ id: string; purposes: string[]; required: string[] }[]> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('guanxi-tracking');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('events')) {
            db.close();
            resolve([]);
            return;
          }
          const request = db.transaction('events').objectStore('events').getAll();
          request.onsuccess = () => {
            db.close();
            resolve(
              // The queue stores each message as the JSON it will send (see docs/tracking.md).
              (request.result as { id: string; purposes: string[]; json: string }[]).map((event) => ({
                id: event.id,
                purposes: event.purposes,
                required: (JSON.parse(event.json) as { context: { consent?: { required: string[] } } }).context.consent?.required ?? [],
              })),
            );
          };
          request.onerror = () => reject(request.error);
        };
      }),
  );
}

let browser: Browser;
let context: BrowserContext;
let site: TestServer;
let collector: TrackingCollector;
const bundles = new Map<string, string>();
const errorsByPage = new WeakMap<Page, string[]>();

beforeAll(async () => {
  browser = await launchChromium();
  for (const gate of gates) bundles.set(gate.name, await bundleForBrowser(pageScript(gate.script)));
});

afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  site = await startTestServer();
  collector = await startTrackingCollector();
});

afterEach(async () => {
  await context?.close();
  await collector.close();
  await site.close();
});

async function openShop(gate: string, jurisdiction: string, options: { gpc?: boolean } = {}): Promise<Page> {
  site.files.set('/config.js', { body: `window.__config = ${JSON.stringify({ endpoint: collector.url, jurisdiction })};`, contentType: 'text/javascript' });
  site.files.set('/consent-policy', { body: JSON.stringify(resolveConsentPolicy(jurisdiction)), contentType: 'application/json' });
  site.files.set('/shop.js', { body: bundles.get(gate)!, contentType: 'text/javascript' });
  site.files.set('/', {
    body: '<!doctype html><html><head><script src="/config.js"></script><script type="module" src="/shop.js"></script></head><body>shop</body></html>',
    contentType: 'text/html',
    headers: { 'content-security-policy': "script-src 'self'" },
  });
  context = await browser.newContext();
  if (options.gpc) {
    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { configurable: true, get: () => true });
    });
  }
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  errorsByPage.set(page, pageErrors);
  await page.goto(`${site.origin}/`);
  await page.waitForFunction(() => (window as unknown as { __ready?: boolean }).__ready === true);
  return page;
}

const pageErrorsOf = (page: Page) => errorsByPage.get(page) ?? [];

describe.each(gates)('consent in Chromium ($name)', ({ name }) => {
  it('withdrawal while requests fail: IndexedDB keeps none of the withdrawn events, and none is ever delivered', async () => {
    collector.fault = () => ({ kind: 'status', status: 503 });
    const page = await openShop(name, 'EU');
    await page.evaluate(() => (window as unknown as ShopWindow).consent.update({ purposes: { analytics: 'granted', marketing: 'granted' }, source: 'banner', action: 'accept' }));
    const ids = await page.evaluate(() => {
      const tracker = (window as unknown as ShopWindow).tracker;
      const marketing = Array.from({ length: 10 }, (_, i) => tracker.track('Offer Viewed', { i }, { purposes: ['marketing'] }) as string);
      const analytics = Array.from({ length: 5 }, (_, i) => tracker.track('Page Read', { i }) as string);
      return { marketing, analytics };
    });
    expect(await page.evaluate(() => (window as unknown as ShopWindow).tracker.flush({ timeout: 400 }))).toEqual({ empty: false });
    expect(collector.requests.length).toBeGreaterThan(0);
    expect(collector.unique.size).toBe(0);
    const before = await queued(page);
    expect(before.map((event) => event.id).sort()).toEqual([...ids.marketing, ...ids.analytics].sort());

    await page.evaluate(() => (window as unknown as ShopWindow).consent.update({ purposes: { marketing: 'denied' }, source: 'preference-centre', action: 'toggle' }));
    await page.waitForFunction(() => (window as unknown as ShopWindow).__withdrawn.length === 1);
    const withdrawn = await page.evaluate(() => (window as unknown as ShopWindow).__withdrawn[0]);
    expect(withdrawn).toMatchObject({ purposes: ['marketing'] });

    // Events of a request in flight at the withdrawal are dropped when it fails: the queue
    // converges to the analytics events alone while the collector is still failing.
    await expect.poll(async () => (await queued(page)).map((event) => event.id).sort(), { timeout: 10_000 }).toEqual([...ids.analytics].sort());
    const after = await queued(page);
    expect(after.some((event) => event.purposes.includes('marketing') || event.required.includes('marketing'))).toBe(false);
    expect(collector.unique.size).toBe(0);
    const dropped = await page.evaluate(() => (window as unknown as ShopWindow).tracker.stats().dropped.consent);
    expect(dropped).toBe(10);

    // The collector recovers: only the analytics events arrive, marketing never does.
    collector.fault = () => ({ kind: 'ok' });
    await collector.waitForUnique(5, 30_000);
    await expect.poll(() => queued(page), { timeout: 10_000 }).toEqual([]);
    expect([...collector.unique.keys()].sort()).toEqual([...ids.analytics].sort());
    expect(collector.received.some((message) => ids.marketing.includes(message.messageId))).toBe(false);

    // Both choices were recorded as proof, each with the SHA-256 of the notice shown.
    const proof = await page.evaluate(() =>
      (window as unknown as ShopWindow).__records.map((record) => [record.source, record.action, record.purposes.map((p) => `${p.purpose}:${p.state}`).join(','), record.notice.sha256.length]),
    );
    expect(proof).toEqual([
      ['banner', 'accept', 'analytics:granted,marketing:granted', 64],
      ['preference-centre', 'toggle', 'marketing:denied', 64],
    ]);
    expect(pageErrorsOf(page)).toEqual([]);
  });

  it('GPC on: advertising and sale/sharing events never leave the page', async () => {
    const page = await openShop(name, 'US-CA', { gpc: true });
    const ids = await page.evaluate(() => {
      const tracker = (window as unknown as ShopWindow).tracker;
      const track = (name: string, purposes: string[]) => Array.from({ length: 5 }, (_, i) => tracker.track(name, { i }, { purposes }) as string);
      return {
        advertising: track('Ad Clicked', ['advertising']),
        sharing: track('Audience Shared', ['analytics', 'sale-sharing']),
        analytics: track('Page Read', ['analytics']),
      };
    });
    expect(await page.evaluate(() => (window as unknown as ShopWindow).tracker.flush({ timeout: 10_000 }))).toEqual({ empty: true });
    await collector.waitForUnique(5, 30_000);
    expect([...collector.unique.keys()].sort()).toEqual([...ids.analytics].sort());
    const leaked = [...ids.advertising, ...ids.sharing];
    expect(collector.received.some((message) => leaked.includes(message.messageId))).toBe(false);
    expect(await queued(page)).toEqual([]);

    const state = await page.evaluate(async () => {
      const consent = (window as unknown as ShopWindow).consent;
      await consent.ready;
      return {
        gpc: (navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl,
        advertising: consent.state('advertising'),
        sharing: consent.state('sale-sharing'),
        analytics: consent.state('analytics'),
        stats: (window as unknown as ShopWindow).tracker.stats(),
        proof: (window as unknown as ShopWindow).__records.map((record) => [record.source, record.purposes.map((p) => `${p.purpose}:${p.state}`).join(',')]),
      };
    });
    expect(state).toMatchObject({ gpc: true, advertising: 'denied', sharing: 'denied', analytics: 'granted' });
    expect(state.proof).toEqual([['gpc', 'advertising:denied,sale-sharing:denied']]);
    expect(state.stats.dropped.consent).toBe(10);
    expect(pageErrorsOf(page)).toEqual([]);
  });
});
