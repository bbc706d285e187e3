/**
 * The tracker's side of consent in real Chromium: nothing stored before consent, and a
 * withdrawal purges IndexedDB and identifier storage while requests are failing — with a
 * hand-driven test gate, and with the storefront gate on a server-resolved EU policy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { resolveConsentPolicy } from '../../src/consent/index';
import { launchChromium } from '../support/chromium';
import { startTestServer, type TestServer } from '../support/http-server';
import { startTrackingCollector, type TrackingCollector } from '../support/tracking-collector';
import { openTrackerPage, queuedInPage, serveTrackerPage, type TrackerWindow } from '../support/tracker-page';

let browser: Browser;
let site: TestServer;
let collector: TrackingCollector;

beforeAll(async () => {
  browser = await launchChromium();
  site = await startTestServer();
  collector = await startTrackingCollector();
});
afterAll(async () => {
  await browser?.close();
  await collector?.close();
  await site?.close();
});

type GateWindow = TrackerWindow & { __gate: { set(states: Record<string, string>): void }; __log: { withdrawals: unknown[] } };

const storedKeys = () => Object.keys(localStorage).filter((key) => key.startsWith('guanxi-tracking.'));
const databases = async () => (await indexedDB.databases()).map((db) => db.name);

const gates = [
  { name: 'test gate', gate: { testGate: { necessary: 'granted' } } },
  { name: 'storefront gate', gate: { storefrontGate: resolveConsentPolicy('EU') } },
];

describe.each(gates)('consent in Chromium ($name)', ({ name, gate }) => {
  it('stores nothing before consent, then purges IndexedDB and identifiers on withdrawal', async () => {
    // A collector of its own for each gate: the counts below start from zero.
    await collector.close();
    collector = await startTrackingCollector();
    collector.fault = () => ({ kind: 'status', status: 503 });
    const url = await serveTrackerPage(site, {
      path: `/${name.replace(/\W/g, '-')}`,
      config: { endpoint: collector.url, backoff: { baseMs: 20, capMs: 100 }, flushIntervalMs: 20, ...gate },
    });
    const page = await (await browser.newContext()).newPage();
    await openTrackerPage(page, url);

    await page.evaluate(() => {
      const { tracker } = window as unknown as GateWindow;
      tracker.identify('u-1');
      for (let i = 0; i < 5; i++) tracker.track('Browsed', { i });
    });
    // Pending consent: nothing in localStorage, no database, nothing sent.
    expect(await page.evaluate(storedKeys)).toEqual([]);
    expect(await page.evaluate(databases)).not.toContain('guanxi-tracking');
    expect(collector.requests).toEqual([]);

    await page.evaluate(() => {
      const w = window as unknown as GateWindow;
      w.__gate.set({ analytics: 'granted', marketing: 'granted' });
      for (let i = 0; i < 4; i++) w.tracker.track('Offer Seen', { i }, { purposes: ['marketing'] });
    });
    await page.evaluate(() => (window as unknown as GateWindow).tracker.flush({ timeout: 300 }));
    expect(await queuedInPage(page)).toBe(10);
    expect((await page.evaluate(storedKeys)).sort()).toEqual(['guanxi-tracking.anonymousId', 'guanxi-tracking.session', 'guanxi-tracking.userId']);

    await page.evaluate(() => (window as unknown as GateWindow).__gate.set({ analytics: 'denied' }));
    await expect.poll(() => page.evaluate(() => (window as unknown as GateWindow).__log.withdrawals.length)).toBe(1);
    expect(await queuedInPage(page)).toBe(4);
    expect(await page.evaluate(storedKeys)).toEqual([]);

    collector.fault = () => ({ kind: 'ok' });
    await collector.waitForUnique(4, 30_000);
    await page.evaluate(() => (window as unknown as GateWindow).tracker.flush({ timeout: 5000 }));
    expect([...collector.unique.values()].map((m) => m.event)).toEqual(['Offer Seen', 'Offer Seen', 'Offer Seen', 'Offer Seen']);
    expect([...collector.unique.values()].every((m) => m.context.consent?.purposes.marketing === 'granted')).toBe(true);
  });
});
