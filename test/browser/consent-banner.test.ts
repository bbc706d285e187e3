/**
 * The example consent banner and preference centre (examples/consent-banner/), driven in
 * Chromium with the keyboard only, under `default-src 'self'`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ConsentRegister } from 'guanxi/consent';
import { bundleForBrowser, repoRoot } from '../support/bundle';
import { launchChromium } from '../support/chromium';
import { startTestServer, type TestServer } from '../support/http-server';

type ExampleWindow = Window & { consent: ConsentRegister };

const exampleDir = path.join(repoRoot, 'examples', 'consent-banner');
let browser: Browser;
let server: TestServer;

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer();
  const main = readFileSync(path.join(exampleDir, 'main.ts'), 'utf8').replace("'./banner'", JSON.stringify(path.join(exampleDir, 'banner.ts')));
  const csp = { 'content-security-policy': "default-src 'self'" };
  server.files.set('/', { body: readFileSync(path.join(exampleDir, 'index.html'), 'utf8'), contentType: 'text/html', headers: csp });
  server.files.set('/main.js', { body: await bundleForBrowser(main), contentType: 'text/javascript', headers: csp });
  server.files.set('/styles.css', { body: readFileSync(path.join(exampleDir, 'styles.css'), 'utf8'), contentType: 'text/css', headers: csp });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Presses Tab until the focused element has `name` as its text (at most 30 presses). */
async function tabTo(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    if (focused === name) return;
  }
  throw new Error(`could not reach "${name}" with Tab`);
}

async function open(): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => 'consent' in window);
  return { page, errors };
}

describe('example consent banner (keyboard only)', () => {
  it('rejects all from the banner, then grants one purpose in the preference centre', async () => {
    const { page, errors } = await open();
    const banner = page.getByRole('region', { name: 'Your privacy choices' });
    await expect.poll(() => banner.isVisible()).toBe(true);

    await tabTo(page, 'Reject all');
    await page.keyboard.press('Enter');
    await expect.poll(() => banner.isVisible()).toBe(false);
    expect(await page.evaluate(() => (window as unknown as ExampleWindow).consent.snapshot().purposes)).toMatchObject({
      necessary: 'granted',
      analytics: 'denied',
      marketing: 'denied',
      advertising: 'denied',
    });

    await tabTo(page, 'Privacy choices');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Privacy preferences' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    // Focus moved into the dialog, on the first purpose that can be changed.
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('analytics');
    expect(await page.getByLabel(/Strictly necessary/).isDisabled()).toBe(true);
    await page.keyboard.press('Space');
    await tabTo(page, 'Save choices');
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('privacy-choices');

    const state = await page.evaluate(() => {
      const consent = (window as unknown as ExampleWindow).consent;
      return {
        analytics: consent.state('analytics'),
        marketing: consent.state('marketing'),
        proof: consent.log.records().map((record) => `${record.source}:${record.action}:${record.purposes.map((p) => `${p.purpose}=${p.state}`).join(',')}`),
      };
    });
    expect(state.analytics).toBe('granted');
    expect(state.marketing).toBe('denied');
    expect(state.proof).toEqual([
      'banner:reject-all:analytics=denied,personalization=denied,marketing=denied,advertising=denied,sale-sharing=denied',
      'preference-centre:save-choices:analytics=granted',
    ]);
    expect(errors).toEqual([]);
  });

  it('Escape closes the preference centre without changes and returns focus', async () => {
    const { page, errors } = await open();
    await tabTo(page, 'Choose');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Privacy preferences' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await page.keyboard.press('Space');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Choose');
    expect(await page.evaluate(() => (window as unknown as ExampleWindow).consent.log.records().length)).toBe(0);

    await tabTo(page, 'Accept all');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => (window as unknown as ExampleWindow).consent.state('advertising'))).toBe('granted');
    expect(errors).toEqual([]);
  });
});
