/**
 * Serves a page that runs the tracker, as a storefront would ship it: bundled with
 * esbuild, loaded from the page's own origin under `script-src 'self'`, sending to a
 * collector on another origin (so CORS applies). The page records outcomes, errors and
 * CSP violations on `window` for the test to read.
 */
import type { Page } from 'playwright-core';
import type { Tracker } from '../../src/tracking/index';

/** The page's globals as the tests see them. */
export type TrackerWindow = Window & { tracker: Tracker; __ready?: boolean; __log: { errors: string[] } };
import { bundleForBrowser } from './bundle';
import type { TestServer } from './http-server';

const pageScript = `
import { createTracker } from 'guanxi/tracking';
import { createStorefrontConsentGate, localConsentStorage } from 'guanxi/consent';
const w = window as any;
const log = (w.__log = { delivered: [] as string[], dropped: [] as [string, string][], errors: [] as string[], withdrawals: [] as unknown[] });
const { testGate, storefrontGate, ...config } = w.__trackerConfig;
if (storefrontGate) {
  // The storefront gate on a policy resolved by the server; window.__gate.set({ purpose: state }) is a visitor's choice.
  const gate = createStorefrontConsentGate({ policy: storefrontGate, notice: { version: '1', text: 'We use…', language: 'en' }, storage: localConsentStorage() });
  w.__gate = Object.assign(gate, { set: (states: Record<string, any>) => void gate.update({ purposes: states, source: 'preference-centre' }) });
  config.consent = gate;
}
if (testGate) {
  // A minimal consent gate driven by the test through window.__gate.set({ purpose: state }).
  const states = new Map<string, string>(Object.entries(testGate));
  const listeners = new Set<(change: any) => void>();
  const snapshot = () => ({ purposes: Object.fromEntries(states), takenAt: Date.now() });
  w.__gate = {
    decide: (purposes: string[]) => {
      const list = purposes.map((p) => states.get(p) ?? 'pending');
      return list.some((s) => s === 'denied') ? 'denied' : list.every((s) => s === 'granted') ? 'granted' : 'pending';
    },
    snapshot,
    subscribe: (listener: (change: any) => void) => (listeners.add(listener), () => listeners.delete(listener)),
    set: (next: Record<string, string>) => {
      const granted: string[] = [];
      const withdrawn: string[] = [];
      for (const [purpose, state] of Object.entries(next)) {
        const before = states.get(purpose) ?? 'pending';
        states.set(purpose, state);
        if (state === 'granted' && before !== 'granted') granted.push(purpose);
        if (state === 'denied' && before !== 'denied') withdrawn.push(purpose);
      }
      for (const listener of listeners) listener({ granted, withdrawn, snapshot: snapshot() });
    },
  };
  config.consent = w.__gate;
}
w.tracker = createTracker({
  ...config,
  onDeliver: (m: any) => log.delivered.push(m.messageId),
  onDrop: (m: any, o: any) => log.dropped.push([m.messageId, o.reason]),
  onError: (e: Error) => log.errors.push(e.name + ': ' + e.message),
  onConsentWithdrawn: (request: unknown) => log.withdrawals.push(request),
});
w.__ready = true;
`;

let bundled: Promise<string> | undefined;

export interface TrackerPageOptions {
  /** Tracker options (JSON) merged into the page's `createTracker` call. */
  readonly config: Record<string, unknown>;
  /** Path to serve the page at. @default '/' */
  readonly path?: string;
}

/** Registers `/tracker.js`, `/config.js` and the page on `server`. */
export async function serveTrackerPage(server: TestServer, options: TrackerPageOptions): Promise<string> {
  bundled ??= bundleForBrowser(pageScript, { format: 'iife' });
  const path = options.path ?? '/';
  server.files.set('/tracker.js', { body: await bundled, contentType: 'text/javascript' });
  server.files.set(`/config${path.replace(/\W/g, '_')}.js`, {
    body: `
      window.__trackerConfig = ${JSON.stringify(options.config)};
      window.__pageErrors = [];
      window.__violations = [];
      window.addEventListener('error', (e) => window.__pageErrors.push(String(e.message)));
      window.addEventListener('unhandledrejection', (e) => window.__pageErrors.push('unhandled rejection: ' + String(e.reason)));
      document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
    `,
    contentType: 'text/javascript',
  });
  server.files.set(path, {
    body: `<!doctype html><html><head><title>Tea shop</title><script src="/config${path.replace(/\W/g, '_')}.js"></script><script src="/tracker.js"></script></head><body><h1>Tea</h1></body></html>`,
    contentType: 'text/html',
    headers: { 'content-security-policy': "script-src 'self'" },
  });
  return `${server.origin}${path}`;
}

/** Opens the tracker page and waits until the tracker exists. */
export async function openTrackerPage(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __ready?: boolean }).__ready === true);
}

export interface PageReport {
  readonly delivered: string[];
  readonly dropped: [string, string][];
  readonly errors: string[];
  readonly pageErrors: string[];
  readonly violations: string[];
}

/** What the page recorded. */
export function pageReport(page: Page): Promise<PageReport> {
  return page.evaluate(() => {
    const w = window as unknown as { __log: Omit<PageReport, 'pageErrors' | 'violations'>; __pageErrors: string[]; __violations: string[] };
    return { ...w.__log, pageErrors: w.__pageErrors, violations: w.__violations };
  });
}

/** Events in the page's IndexedDB queue. */
export function queuedInPage(page: Page, queueName = 'guanxi-tracking'): Promise<number> {
  return page.evaluate(
    (name) =>
      new Promise<number>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          if (!db.objectStoreNames.contains('events')) {
            db.close();
            resolve(0);
            return;
          }
          const count = db.transaction('events').objectStore('events').count();
          count.onsuccess = () => {
            db.close();
            resolve(count.result);
          };
        };
      }),
    queueName,
  );
}

/** Calls `tracker.track(name, properties)` `count` times in the page; returns the message ids. */
export function trackInPage(page: Page, count: number, name = 'Product Viewed'): Promise<string[]> {
  return page.evaluate(
    ({ count, name }) => {
      const tracker = (window as unknown as { tracker: { track(n: string, p: unknown): string } }).tracker;
      return Array.from({ length: count }, (_, i) => tracker.track(name, { i, sku: `tea-${i}` }));
    },
    { count, name },
  );
}
