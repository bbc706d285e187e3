/**
 * The tracker in real Chromium: durable queue across reloads and browser restarts,
 * offline and back, delivery on unload, several tabs, and no exception ever reaching
 * the page. The page and the collector are on different origins (CORS applies), and
 * pages are served under `script-src 'self'`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';
import { chromiumArgs, chromiumPath, launchPersistentChromium } from '../support/chromium';
import { startTestServer, type TestServer } from '../support/http-server';
import { startTrackingCollector, type TrackingCollector } from '../support/tracking-collector';
import { openTrackerPage, pageReport, queuedInPage, serveTrackerPage, trackInPage, type TrackerWindow } from '../support/tracker-page';

let site: TestServer;
let collector: TrackingCollector;
let context: BrowserContext;
let userDataDir: string;

const fastRetries = { backoff: { baseMs: 20, capMs: 200 }, flushIntervalMs: 50 };

beforeEach(async () => {
  site = await startTestServer();
  collector = await startTrackingCollector();
  ({ context, userDataDir } = await launchPersistentChromium());
});

afterEach(async () => {
  await context?.close();
  await collector.close();
  await site.close();
  rmSync(userDataDir, { recursive: true, force: true });
});

function options(extra: Record<string, unknown> = {}) {
  return { endpoint: collector.url, ...fastRetries, ...extra };
}

describe('the tracker in Chromium', () => {
  it('keeps events across a reload while the collector fails, and delivers them after recovery', async () => {
    collector.fault = () => ({ kind: 'status', status: 503 });
    const url = await serveTrackerPage(site, { config: options() });
    const page = await context.newPage();
    await openTrackerPage(page, url);
    const ids = await trackInPage(page, 25);
    expect(await page.evaluate(() => (window as unknown as TrackerWindow).tracker.flush({ timeout: 300 }))).toEqual({ empty: false });
    expect(await queuedInPage(page)).toBe(25);
    expect(collector.requests.length).toBeGreaterThan(0);
    expect(collector.unique.size).toBe(0);

    await page.reload();
    await page.waitForFunction(() => (window as unknown as TrackerWindow).__ready === true);
    expect(await queuedInPage(page)).toBe(25);
    collector.fault = () => ({ kind: 'ok' });
    await collector.waitForUnique(25, 30_000);
    expect([...collector.unique.keys()].sort()).toEqual([...ids].sort());
    await expect.poll(() => queuedInPage(page), { timeout: 10_000 }).toBe(0);
    const report = await pageReport(page);
    expect(report.pageErrors).toEqual([]);
    expect(report.violations).toEqual([]);
  });

  it('keeps events across a browser restart and delivers them after it', async () => {
    collector.fault = () => ({ kind: 'status', status: 500 });
    const url = await serveTrackerPage(site, { config: options() });
    const page = await context.newPage();
    await openTrackerPage(page, url);
    const ids = await trackInPage(page, 12);
    await page.evaluate(() => (window as unknown as TrackerWindow).tracker.flush({ timeout: 200 }));
    await context.close();

    collector.fault = () => ({ kind: 'ok' });
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: chromiumPath, headless: true, args: chromiumArgs });
    const again = await context.newPage();
    await openTrackerPage(again, url);
    await collector.waitForUnique(12, 30_000);
    expect([...collector.unique.keys()].sort()).toEqual([...ids].sort());
  });

  it('sends nothing while offline and everything once back online', async () => {
    const url = await serveTrackerPage(site, { config: options() });
    const page = await context.newPage();
    await openTrackerPage(page, url);
    await context.setOffline(true);
    const ids = await trackInPage(page, 10);
    expect(await page.evaluate(() => (window as unknown as TrackerWindow).tracker.flush({ timeout: 300 }))).toEqual({ empty: false });
    expect(collector.requests).toEqual([]);
    expect(await queuedInPage(page)).toBe(10);
    await context.setOffline(false);
    await collector.waitForUnique(10, 30_000);
    expect([...collector.unique.keys()].sort()).toEqual([...ids].sort());
    await expect.poll(async () => (await pageReport(page)).delivered.sort()).toEqual([...ids].sort());
    expect((await pageReport(page)).pageErrors).toEqual([]);
  });

  it('delivers on unload with a keepalive text/plain request and no CORS preflight', async () => {
    // Nothing would be sent for a minute: only the unload path can deliver these.
    const url = await serveTrackerPage(site, { config: options({ flushIntervalMs: 60_000, batchSize: 1000 }) });
    const page = await context.newPage();
    await openTrackerPage(page, url);
    const ids = await trackInPage(page, 8);
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    expect(collector.requests).toEqual([]);
    await page.goto('about:blank');
    await collector.waitForUnique(8, 30_000);
    expect([...collector.unique.keys()].sort()).toEqual([...ids].sort());
    expect(collector.requests.map((r) => r.contentType)).toContain('text/plain;charset=UTF-8');

    // Closing the tab delivers too.
    const second = await context.newPage();
    await openTrackerPage(second, url);
    const more = await trackInPage(second, 3, 'Cart Viewed');
    await second.close({ runBeforeUnload: true });
    await collector.waitForUnique(11, 30_000);
    expect(more.every((id) => collector.unique.has(id))).toBe(true);
    expect(collector.requests.every((r) => r.contentType?.startsWith('text/plain'))).toBe(true);
    expect(collector.preflights.count).toBe(0);
  });

  it('delivers when the tab is hidden, and sends nothing twice when it comes back', async () => {
    // Mobile browsers often kill a backgrounded tab without pagehide: hidden is the last
    // reliable moment. Only the hidden path can deliver within a minute here.
    const url = await serveTrackerPage(site, { config: options({ flushIntervalMs: 60_000, batchSize: 1000 }) });
    const page = await context.newPage();
    await openTrackerPage(page, url);
    const ids = await trackInPage(page, 6, 'Backgrounded');
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    expect(collector.requests).toEqual([]);
    const setVisibility = (state: 'hidden' | 'visible') =>
      page.evaluate((next) => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => next });
        document.dispatchEvent(new Event('visibilitychange'));
      }, state);
    await setVisibility('hidden');
    await collector.waitForUnique(6, 30_000);
    expect([...collector.unique.keys()].sort()).toEqual([...ids].sort());
    expect(collector.requests.every((request) => request.contentType?.startsWith('text/plain'))).toBe(true);

    // Back in the foreground: the confirmed events are gone from the queue, new ones flow.
    await setVisibility('visible');
    const later = await trackInPage(page, 2, 'Foreground again');
    await page.evaluate(() => (window as unknown as TrackerWindow).tracker.flush({ timeout: 10_000 }));
    await collector.waitForUnique(8, 30_000);
    expect(later.every((id) => collector.unique.has(id))).toBe(true);
    expect(collector.received.filter((message) => ids.includes(message.messageId))).toHaveLength(ids.length);
    await page.close();
  });

  it('never sends the same event twice from two tabs sharing the queue', async () => {
    // Slow answers keep requests in flight long enough for the tabs to overlap.
    collector.fault = (i) => (i % 3 === 0 ? { kind: 'slow', delayMs: 40 } : { kind: 'ok' });
    const url = await serveTrackerPage(site, { config: options({ flushIntervalMs: 10, batchSize: 10, deliverOnUnload: false }) });
    const [a, b] = [await context.newPage(), await context.newPage()];
    await openTrackerPage(a, url);
    await openTrackerPage(b, url);
    const idsA: string[] = [];
    const idsB: string[] = [];
    for (let round = 0; round < 10; round++) {
      const [fromA, fromB] = await Promise.all([trackInPage(a, 15, 'Tab A'), trackInPage(b, 15, 'Tab B')]);
      idsA.push(...fromA);
      idsB.push(...fromB);
    }
    await collector.waitForUnique(300, 60_000);
    await Promise.all([a, b].map((page) => page.evaluate(() => (window as unknown as TrackerWindow).tracker.flush({ timeout: 10_000 }))));
    await expect
      .poll(async () => (await pageReport(a)).delivered.length + (await pageReport(b)).delivered.length, { timeout: 10_000 })
      .toBe(300);
    expect(collector.received.length).toBe(300);
    expect(new Set(collector.received.map((m) => m.messageId)).size).toBe(300);
    const [reportA, reportB] = await Promise.all([pageReport(a), pageReport(b)]);
    const deliveredA = new Set(reportA.delivered);
    expect(reportB.delivered.filter((id) => deliveredA.has(id))).toEqual([]);
    expect(reportA.delivered.length + reportB.delivered.length).toBe(300);
    expect(new Set([...reportA.delivered, ...reportB.delivered])).toEqual(new Set([...idsA, ...idsB]));
    const crossed = reportA.delivered.filter((id) => idsB.includes(id)).length + reportB.delivered.filter((id) => idsA.includes(id)).length;
    console.log(`two tabs: ${collector.requests.length} requests; ${crossed} events were sent by the other tab (shared queue)`);
  });

  it('falls back to memory without losing an event when IndexedDB disappears under it', async () => {
    const url = await serveTrackerPage(site, { config: options() });
    const page = await context.newPage();
    await openTrackerPage(page, url);
    const lines = await page.evaluate(async () => {
      const tracker = (window as unknown as TrackerWindow).tracker;
      const out: string[] = [];
      for (let i = 0; i < 30; i++) out.push(tracker.track('Before Deletion', { i }));
      await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => {
        const request = indexedDB.deleteDatabase('guanxi-tracking');
        request.onsuccess = request.onerror = resolve;
      });
      for (let i = 0; i < 10; i++) out.push(tracker.track('After Deletion', { i }));
      const result = await tracker.flush({ timeout: 10_000 });
      out.push(JSON.stringify(result), tracker.stats().storage);
      return out;
    });
    const ids = lines.slice(0, 40);
    expect(lines.slice(40)).toEqual(['{"empty":true}', 'memory']);
    expect(ids.every((id) => collector.unique.has(id))).toBe(true);
    const report = await pageReport(page);
    expect(report.errors.filter((e) => e.startsWith('TrackingStorageError'))).toHaveLength(1);
    expect(report.delivered.sort()).toEqual([...ids].sort());
    expect(report.pageErrors).toEqual([]);
  });

  it('never lets an exception reach the page, whatever the calls and faults', async () => {
    let n = 0;
    collector.fault = () => {
      n++;
      return n % 4 === 0 ? { kind: 'drop' } : n % 4 === 1 ? { kind: 'status', status: 500 } : n % 4 === 2 ? { kind: 'status', status: 400 } : { kind: 'ok' };
    };
    const url = await serveTrackerPage(site, { config: options() });
    const page = await context.newPage();
    const uncaught: string[] = [];
    page.on('pageerror', (error) => uncaught.push(error.message));
    await openTrackerPage(page, url);
    const results = await page.evaluate(async () => {
      // Untyped on purpose: these calls break every rule of the API, as plain JavaScript may.
      const tracker = (window as unknown as { tracker: Record<'track' | 'touchpoint' | 'identify' | 'group' | 'alias' | 'use' | 'reset' | 'flush' | 'close', (...args: unknown[]) => unknown> }).tracker;
      const outcomes: string[] = [];
      const attempt = (label: string, call: () => unknown) => {
        try {
          call();
          outcomes.push(`${label}: ok`);
        } catch (error) {
          outcomes.push(`${label}: threw ${String(error)}`);
        }
      };
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      attempt('track without name', () => tracker.track());
      attempt('track null', () => tracker.track(null, null, null));
      attempt('circular properties', () => tracker.track('Loop', circular));
      attempt('huge event', () => tracker.track('Huge', { blob: 'x'.repeat(100_000) }));
      attempt('touchpoint null', () => tracker.touchpoint(null));
      attempt('touchpoint garbage', () => tracker.touchpoint({ channel: 42, type: {}, occurredAt: 'never' }));
      attempt('identify number', () => tracker.identify(123, 'traits'));
      attempt('group without id', () => tracker.group());
      attempt('alias nothing', () => tracker.alias());
      attempt('bad timestamp', () => tracker.track('When', {}, { timestamp: 'not a date' }));
      attempt('throwing plugins', () => {
        tracker.use({ name: 'bad-before', stage: 'before', run: () => { throw new Error('before'); } });
        tracker.use({ name: 'bad-enrichment', stage: 'enrichment', run: () => { throw new Error('enrichment'); } });
        tracker.use({ name: 'bad-destination', stage: 'destination', deliver: () => Promise.reject(new Error('destination')) });
        tracker.use({ name: 'bad-after', stage: 'after', run: () => { throw new Error('after'); } });
      });
      for (let i = 0; i < 30; i++) attempt(`track ${i}`, () => tracker.track('Normal', { i }));
      // Pull the database out from under the tracker.
      await new Promise((resolve) => {
        const request = indexedDB.deleteDatabase('guanxi-tracking');
        request.onsuccess = request.onerror = request.onblocked = resolve;
      });
      for (let i = 0; i < 10; i++) attempt(`after delete ${i}`, () => tracker.track('After Delete', { i }));
      attempt('reset', () => tracker.reset());
      await tracker.flush({ timeout: 5000 });
      attempt('close', () => tracker.close({ timeout: 1000 }));
      attempt('track after close', () => tracker.track('Late'));
      await new Promise((resolve) => setTimeout(resolve, 200));
      return outcomes;
    });
    expect(results.filter((line) => !line.endsWith(': ok'))).toEqual([]);
    const report = await pageReport(page);
    expect(uncaught).toEqual([]);
    expect(report.pageErrors).toEqual([]);
    expect(report.violations).toEqual([]);
    const reasons = new Set(report.dropped.map(([, reason]) => reason));
    expect(reasons).toContain('invalid');
    expect(reasons).toContain('too-large');
    expect(reasons).toContain('rejected');
    expect(report.errors.some((e) => e.startsWith('TrackingPluginError'))).toBe(true);
    console.log(`no-exception run: ${report.dropped.length} dropped (${[...reasons].join(', ')}), ${report.delivered.length} delivered; errors reported: ${[...new Set(report.errors.map((e) => e.split(':')[0]))].join(', ')}`);
  });
});
