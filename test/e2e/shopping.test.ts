/**
 * The whole loop in headless Chromium against the running demo (CRM server on PGlite,
 * storefront, dashboard): a visitor browses, accepts consent, logs in, buys, answers
 * the survey and complains; the CRM ends up with every event exactly once, one merged
 * profile, the touchpoints on the dashboard's timeline, and a consent log that verifies.
 * Then the same with the collector failing and the page reloaded mid-session.
 */
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { eventually, useRunningDemo } from './support/running-demo';
import { watchCollector, type CollectorTraffic, type SentMessage } from './support/collector-traffic';
import { screenshot, waitUntilReady, watchedPage, type WatchedPage } from './support/watched-page';

const fixture = useRunningDemo(300);

interface StoredEvent {
  readonly messageId: string;
  readonly type: string;
  readonly event: string | null;
  readonly anonymousId: string | null;
  readonly userId: string | null;
}

async function contactOf(userId: string): Promise<{ id: string; properties: Record<string, unknown> }> {
  const page = await fixture.demo.api.call<{ results: { id: string; properties: Record<string, unknown> }[] }>('POST', '/v1/contacts/search', {
    filter: { property: 'identities.userId', op: 'eq', value: userId },
    limit: 2,
  });
  expect(page.results).toHaveLength(1);
  return page.results[0]!;
}

async function open(context: BrowserContext, hash = ''): Promise<WatchedPage> {
  const watched = await watchedPage(context);
  await watched.page.goto(`${fixture.demo.storefrontUrl}${hash}`);
  await waitUntilReady(watched.page);
  return watched;
}

/**
 * The anonymous id the page used before logging in, as its requests show it. The
 * page batches on a timer, so on a busy machine the first batch may not have left yet:
 * wait for it rather than read the traffic once.
 */
async function anonymousIdOf(traffic: CollectorTraffic): Promise<string> {
  const find = async () => traffic.attempts.find((message) => message.anonymousId && !message.userId)?.anonymousId;
  const id = await eventually(find, Boolean);
  expect(id).toBeTruthy();
  return id!;
}

async function buyAsSeededCustomer(page: Page, traffic: CollectorTraffic, options: { customer: number; reloadWhileFailing?: boolean }) {
  const customer = fixture.demo.customers[options.customer]!;
  await page.click('#consent-accept');
  await page.click('a[href="#/product/p-granite"]');
  await page.waitForSelector('.product-detail');
  await page.click('[data-add-to-cart="p-granite"]');
  if (options.reloadWhileFailing) {
    traffic.setFault('abort');
    await page.goto(`${fixture.demo.storefrontUrl}#/product/p-tidal`);
    await page.click('[data-add-to-cart="p-tidal"]');
    await page.reload();
    await waitUntilReady(page);
  }
  await page.goto(`${fixture.demo.storefrontUrl}#/account`);
  await page.fill('#login-email', customer.email);
  await page.click('#log-in');
  await page.waitForSelector('#log-out');
  await page.goto(`${fixture.demo.storefrontUrl}#/checkout`);
  await page.fill('#checkout-address', '1 Harbour Road');
  await page.click('#place-order');
  await page.waitForSelector('#nps-form');
  const orderId = (await page.textContent('#order-id')) ?? '';
  await page.check('[data-nps="9"]', { force: true });
  await page.fill('#nps-comment', 'Quick delivery, lovely sleeve.');
  await page.click('#nps-submit');
  await page.waitForSelector('#nps-thanks');
  await page.goto(`${fixture.demo.storefrontUrl}#/contact`);
  await page.selectOption('#contact-reason', 'complaint');
  await page.fill('#contact-subject', 'Scratched disc');
  await page.fill('#contact-body', 'Track 3 skips.');
  await page.click('#contact-submit');
  await page.waitForSelector('#contact-thanks');
  if (options.reloadWhileFailing) {
    await page.reload();
    await waitUntilReady(page);
    expect(traffic.failed).toBeGreaterThan(0);
    traffic.setFault(undefined);
  }
  return { customer, anonymousId: await anonymousIdOf(traffic), orderId };
}

/** Waits until the page has sent (or tried to send) a message matching `wanted`. */
async function untilSent(traffic: CollectorTraffic, wanted: (message: SentMessage) => boolean): Promise<void> {
  await eventually(async () => traffic.attempts.some(wanted), Boolean);
  expect(traffic.attempts.some(wanted)).toBe(true);
}

async function expectEveryEventOnce(traffic: CollectorTraffic, contactId: string) {
  await untilSent(traffic, (message) => message.event === 'Touchpoint Recorded' && message.properties?.type === 'complaint');
  const sent = traffic.distinct();
  const stored = await eventually(
    () => fixture.demo.api.all<StoredEvent>(`/v1/events?contactId=${encodeURIComponent(contactId)}`),
    (events) => [...sent.keys()].every((id) => events.some((event) => event.messageId === id)),
  );
  const storedIds = stored.map((event) => event.messageId);
  expect(new Set(storedIds).size).toBe(storedIds.length);
  expect([...sent.keys()].sort()).toEqual(storedIds.filter((id) => sent.has(id)).sort());
  const names = stored.map((event) => event.event ?? event.type);
  for (const name of ['page', 'identify', 'Product Viewed', 'Product Added', 'Checkout Started', 'Order Completed', 'Touchpoint Recorded']) {
    expect(names, name).toContain(name);
  }
  return stored;
}

describe('the whole loop', () => {
  it('browse, accept consent, log in, buy, answer the survey: every event once, one merged profile, the timeline, a verified consent log', async () => {
    const context = await fixture.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const traffic = await watchCollector(context, fixture.demo.crmUrl);
    const watched = await open(context);
    const { customer, anonymousId, orderId } = await buyAsSeededCustomer(watched.page, traffic, { customer: 5 });
    await watched.page.waitForSelector('#loyalty');

    const anonymousIds = (candidate: { properties: Record<string, unknown> }) => (candidate.properties.identities as { anonymousIds?: string[] } | undefined)?.anonymousIds ?? [];
    const contact = await eventually(
      () => contactOf(customer.userId),
      (candidate) => anonymousIds(candidate).includes(anonymousId),
    );
    expect(anonymousIds(contact)).toContain(anonymousId);
    await expectEveryEventOnce(traffic, contact.id);

    const timeline = await eventually(
      () => fixture.demo.api.all<{ properties: Record<string, unknown> }>(`/v1/contacts/${contact.id}/activities`),
      (activities) => ['purchase', 'complaint', 'survey-response'].every((type) => activities.some((activity) => activity.properties.type === type && activity.properties.messageId)),
    );
    const purchase = timeline.find((activity) => activity.properties.type === 'purchase' && activity.properties.messageId);
    expect(purchase?.properties.amount).toBe(12);

    const verification = await fixture.demo.api.call<{ valid: boolean; records: number }>('GET', '/v1/consent-records/verify');
    expect(verification.valid).toBe(true);
    expect(verification.records).toBeGreaterThan(0);

    const dashboard = await watchedPage(context);
    await dashboard.page.goto(`${fixture.demo.dashboardUrl}#/customers/${encodeURIComponent(customer.userId)}`);
    await dashboard.page.waitForSelector('#customer-timeline');
    for (const type of ['purchase', 'complaint', 'survey-response']) {
      expect(await dashboard.page.locator(`#customer-timeline [data-type="${type}"]`).count(), type).toBeGreaterThan(0);
    }
    expect(await dashboard.page.textContent('#identities')).toContain(anonymousId);
    await screenshot(dashboard.page, 'dashboard-customer-after-purchase');
    await dashboard.page.goto(`${fixture.demo.dashboardUrl}#/consent`);
    await dashboard.page.waitForSelector('#consent-chain.chain--valid');
    expect(orderId).toMatch(/^GR-/);
    expect(await watched.violations()).toEqual([]);
    expect(watched.problems.errors).toEqual([]);
    expect(dashboard.problems.errors).toEqual([]);
    await context.close();
  });

  it('with the collector failing and the page reloaded mid-session, every event arrives exactly once after recovery', async () => {
    const context = await fixture.browser.newContext();
    const traffic = await watchCollector(context, fixture.demo.crmUrl);
    const watched = await open(context);
    const { customer } = await buyAsSeededCustomer(watched.page, traffic, { customer: 6, reloadWhileFailing: true });
    const contact = await contactOf(customer.userId);
    const stored = await expectEveryEventOnce(traffic, contact.id);
    // The outage made the page send some batches more than once; the CRM kept each message once.
    expect(traffic.attempts.length).toBeGreaterThan(traffic.distinct().size);
    expect(stored.filter((event) => event.event === 'Order Completed')).toHaveLength(1);
    await context.close();
  });
});
