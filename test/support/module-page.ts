/**
 * The frame shared by browser tests that run a bundled module in a page and read back what
 * it left on `window`: one Chromium and one 127.0.0.1 server per test file, a page served
 * under `script-src 'self'` (no eval, as a strict storefront would serve it), page errors
 * and console errors collected.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium';
import { startTestServer, type TestServer } from './http-server';

/** The browser and server of a test file, available once `beforeAll` has run. */
export interface BrowserFixture {
  readonly browser: Browser;
  readonly server: TestServer;
}

/** Starts Chromium and a test server before the file's tests and closes both after them. */
export function useBrowserFixture(): BrowserFixture {
  let browser: Browser | undefined;
  let server: TestServer | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
    server = await startTestServer();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get browser() {
      if (!browser) throw new Error('The browser starts in beforeAll');
      return browser;
    },
    get server() {
      if (!server) throw new Error('The server starts in beforeAll');
      return server;
    },
  };
}

/** What to serve and what to wait for. */
export interface ModulePageOptions {
  /** The bundled module, served as `/module.js`. */
  readonly module: string;
  /** A classic script run before the module (`/before.js`), e.g. traps on globals. */
  readonly before?: string;
  /** Other files, by path. */
  readonly files?: Readonly<Record<string, { readonly body: string; readonly contentType: string }>>;
  /** The `window` property the module sets when it is done. */
  readonly resultName: string;
  /** The `window` property read once it is done. @default resultName */
  readonly readName?: string;
  /** Also count `console.error` messages as errors. @default false */
  readonly consoleErrors?: boolean;
  /** How long to wait for the result. @default 60_000 */
  readonly timeoutMs?: number;
}

/** Serves the module in a fresh page, waits for `window[resultName]`, returns it with the page's errors. */
export async function runModuleInPage<T>(fixture: BrowserFixture, options: ModulePageOptions): Promise<{ result: T; errors: string[] }> {
  const { browser, server } = fixture;
  for (const [path, file] of Object.entries(options.files ?? {})) server.files.set(path, file);
  server.files.set('/module.js', { body: options.module, contentType: 'text/javascript' });
  if (options.before !== undefined) server.files.set('/before.js', { body: options.before, contentType: 'text/javascript' });
  const before = options.before === undefined ? '' : '<script src="/before.js"></script>';
  server.files.set('/', {
    body: `<!doctype html><html><head>${before}<script type="module" src="/module.js"></script></head><body></body></html>`,
    contentType: 'text/html',
    headers: { 'content-security-policy': "script-src 'self'" },
  });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  if (options.consoleErrors) {
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
  }
  try {
    await page.goto(`${server.origin}/`);
    await page.waitForFunction((name) => (window as unknown as Record<string, unknown>)[name] !== undefined, options.resultName, { timeout: options.timeoutMs ?? 60_000 });
    const result = await page.evaluate((name) => (window as unknown as Record<string, unknown>)[name], options.readName ?? options.resultName);
    return { result: result as T, errors };
  } finally {
    await page.close();
  }
}
