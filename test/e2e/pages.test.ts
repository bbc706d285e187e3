/**
 * The demo's pages in headless Chromium: they load under their strict
 * Content-Security-Policy without a violation or a console error, every screen of the
 * shop renders, the dashboard draws its charts, and screenshots are written under
 * test-results/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { useRunningDemo } from './support/running-demo';
import { screenshot, waitUntilReady, watchedPage } from './support/watched-page';

const fixture = useRunningDemo(400);
let context: BrowserContext;

beforeAll(async () => {
  context = await fixture.browser.newContext({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await context?.close();
});

describe('the demo pages', () => {
  it('serve a strict Content-Security-Policy', async () => {
    for (const url of [fixture.demo.storefrontUrl, fixture.demo.dashboardUrl]) {
      const response = await fetch(url);
      const policy = response.headers.get('content-security-policy') ?? '';
      expect(policy).toContain("script-src 'self'");
      expect(policy).toContain("style-src 'self'");
      expect(policy).toContain("default-src 'none'");
      expect(policy).not.toContain('unsafe-inline');
      expect(policy).not.toContain('unsafe-eval');
    }
  });

  it('the storefront renders every screen without CSP violations or console errors', async () => {
    const watched = await watchedPage(context);
    const { page } = watched;
    await page.goto(fixture.demo.storefrontUrl);
    await waitUntilReady(page);
    expect(await page.locator('.product-card').count()).toBe(8);
    await page.click('a[href="#/product/p-night-market"]');
    await page.waitForSelector('.product-detail h1');
    expect(await page.textContent('.product-detail h1')).toBe('Night Market');
    await page.click('[data-add-to-cart="p-night-market"]');
    expect(await page.textContent('#cart-count')).toBe('1');
    await page.goto(`${fixture.demo.storefrontUrl}#/cart`);
    await page.waitForSelector('.cart-table');
    await page.goto(`${fixture.demo.storefrontUrl}#/contact`);
    await page.waitForSelector('#contact-form');
    await page.goto(`${fixture.demo.storefrontUrl}#/account`);
    await page.waitForSelector('#login-form');
    await page.waitForSelector('#demo-accounts li');
    await page.goto(`${fixture.demo.storefrontUrl}#/`);
    await page.waitForSelector('.product-card');
    await screenshot(page, 'storefront');
    expect(await watched.violations()).toEqual([]);
    expect(watched.problems.errors).toEqual([]);
    await page.close();
  });

  it('the dashboard draws its charts without CSP violations or console errors', async () => {
    const watched = await watchedPage(context);
    const { page } = watched;
    await page.goto(fixture.demo.dashboardUrl);
    await waitUntilReady(page);
    expect(await page.locator('#rfm-heat-map .heat-cell').count()).toBe(25);
    expect(await page.locator('#segment-bars .segment-row').count()).toBeGreaterThan(3);
    expect(await page.locator('#pareto path').count()).toBe(1);
    expect(await page.locator('.customers-table tbody tr').count()).toBe(10);
    expect(await page.textContent('#kpi-customers .kpi__value')).toBe('400');
    await screenshot(page, 'dashboard');

    await page.click('.customers-table tbody tr:first-child a');
    await page.waitForSelector('#customer-timeline');
    expect(await page.locator('#customer-timeline .timeline__item').count()).toBeGreaterThan(0);
    await screenshot(page, 'dashboard-customer');

    await page.goto(`${fixture.demo.dashboardUrl}#/consent`);
    await page.waitForSelector('#consent-chain');
    expect(await watched.violations()).toEqual([]);
    expect(watched.problems.errors).toEqual([]);
    await page.close();
  });
});
