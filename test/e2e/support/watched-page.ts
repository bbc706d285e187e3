/**
 * Pages opened by the end-to-end tests, watched for everything a person would call
 * broken: uncaught exceptions, console errors and Content-Security-Policy violations
 * (reported by the `securitypolicyviolation` event, which an init script records before
 * any page script runs; init scripts are injected by the browser, not by the page, so
 * the page's CSP does not apply to them).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { repoRoot } from '../../support/bundle';

export interface PageProblems {
  readonly errors: string[];
  readonly violations: string[];
}

export interface WatchedPage {
  readonly page: Page;
  readonly problems: PageProblems;
  /** CSP violations recorded inside the page (by the init script). */
  violations(): Promise<string[]>;
}

const recordViolations = `
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + (event.blockedURI || 'inline') + ' ' + (event.sourceFile || '') + ':' + event.lineNumber);
});
`;

export async function watchedPage(context: BrowserContext): Promise<WatchedPage> {
  const page = await context.newPage();
  const problems: PageProblems = { errors: [], violations: [] };
  await page.addInitScript(recordViolations);
  page.on('pageerror', (error) => problems.errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.errors.push(`console: ${message.text()}`);
  });
  return {
    page,
    problems,
    violations: () => page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []),
  };
}

/** Waits until the page's script has rendered (`<html data-ready="true">`). */
export async function waitUntilReady(page: Page): Promise<void> {
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', null, { timeout: 20_000 });
}

export const screenshotDirectory = path.join(repoRoot, 'test-results', 'screenshots');

export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  mkdirSync(screenshotDirectory, { recursive: true });
  const file = path.join(screenshotDirectory, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}
