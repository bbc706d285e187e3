/**
 * Launches Debian's Chromium (never a downloaded browser) through playwright-core.
 * Every browser test goes through here so the flags stay in one place.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/** Launches a fresh headless Chromium. Fails loudly when the browser is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: install Debian's 'chromium' package (see .ci/run)`);
  }
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

/**
 * A persistent context (own profile directory), for tests where storage such as
 * IndexedDB must survive closing and reopening pages.
 */
export async function launchPersistentChromium(): Promise<{ context: BrowserContext; userDataDir: string }> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: install Debian's 'chromium' package (see .ci/run)`);
  }
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'guanxi-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
  });
  return { context, userDataDir };
}
