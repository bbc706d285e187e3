/**
 * What every end-to-end file starts with: the demo (CRM server on PGlite, storefront,
 * dashboard) on free ports and one headless Chromium, closed after the file's tests; and
 * a bounded poll for what arrives asynchronously.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { startDemo, type RunningDemo } from '../../../examples/demo/start-demo';
import { launchChromium } from '../../support/chromium';

/** The demo and the browser of a test file, available once `beforeAll` has run. */
export interface DemoFixture {
  readonly demo: RunningDemo;
  readonly browser: Browser;
}

/** Starts the demo seeded with `seedSize` customers, and Chromium; closes both after the file. */
export function useRunningDemo(seedSize: number): DemoFixture {
  let demo: RunningDemo | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    demo = await startDemo({ port: 0, seedSize });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });
  return {
    get demo() {
      if (!demo) throw new Error('The demo starts in beforeAll');
      return demo;
    },
    get browser() {
      if (!browser) throw new Error('The browser starts in beforeAll');
      return browser;
    },
  };
}

/** Polls `read` until `done` holds (at most `attempts` × 250 ms); returns the last value. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, attempts = 80): Promise<T> {
  let value = await read();
  for (let attempt = 0; attempt < attempts && !done(value); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    value = await read();
  }
  return value;
}
