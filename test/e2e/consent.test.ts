/**
 * Consent end to end in headless Chromium against the running demo: withdrawing
 * marketing consent while events wait in the IndexedDB queue removes them before they
 * are sent, and the CRM records the withdrawal; with Global Privacy Control on, no
 * advertising or sale/sharing event leaves the page, and the CRM has the GPC proof.
 */
import { describe, expect, it } from 'vitest';
import { eventually, useRunningDemo } from './support/running-demo';
import { indexedDbContents } from './support/browser-storage';
import { watchCollector, type CollectorTraffic, type SentMessage } from './support/collector-traffic';
import { screenshot, waitUntilReady, watchedPage } from './support/watched-page';

const fixture = useRunningDemo(80);

interface StoredEvent {
  readonly messageId: string;
  readonly event: string | null;
}

interface StoredConsentRecord {
  readonly subject: { readonly anonymousId?: string; readonly userId?: string };
  readonly purposes: Record<string, string>;
  readonly source: string;
}

async function untilSent(traffic: CollectorTraffic, wanted: (message: SentMessage) => boolean): Promise<SentMessage> {
  await eventually(async () => traffic.attempts.some(wanted), Boolean);
  const found = traffic.attempts.find(wanted);
  expect(found).toBeDefined();
  return found!;
}

const isPromotion = (message: SentMessage) => message.event === 'Promotion Viewed' || message.event === 'Promotion Clicked';

describe('consent, end to end', () => {
  it('withdrawing marketing with events queued: nothing of it is sent or kept in IndexedDB, and the CRM records the withdrawal', async () => {
    const context = await fixture.browser.newContext();
    const traffic = await watchCollector(context, fixture.demo.crmUrl);
    const { page, problems } = await watchedPage(context);
    await page.goto(fixture.demo.storefrontUrl);
    await waitUntilReady(page);
    await page.click('#consent-accept');
    const first = await untilSent(traffic, isPromotion);
    const anonymousId = first.anonymousId!;

    // The collector goes down; the visitor keeps browsing and the events wait in IndexedDB.
    traffic.setFault('abort');
    const before = traffic.attempts.length;
    await page.click('#promotion');
    await page.waitForSelector('.product-detail');
    await page.click('a[href="#/"]');
    await page.waitForSelector('.product-card');
    const queuedPromotion = await eventually(
      () => indexedDbContents(page),
      (contents) => JSON.stringify(contents).includes('Promotion Viewed'),
    );
    expect(JSON.stringify(queuedPromotion)).toContain('Promotion Clicked');

    await page.click('#privacy-choices');
    await page.waitForSelector('#preference-centre[open]');
    await page.uncheck('#purpose-marketing', { force: true });
    await page.click('#save-choices');
    const afterWithdrawal = await eventually(
      () => indexedDbContents(page),
      (contents) => !JSON.stringify(contents).includes('Promotion'),
    );
    expect(JSON.stringify(afterWithdrawal)).not.toContain('Promotion Viewed');
    expect(JSON.stringify(afterWithdrawal)).not.toContain('Promotion Clicked');
    expect(JSON.stringify(afterWithdrawal)).toContain('Product Viewed');

    // Back online: what is left is delivered, and nothing of marketing from the outage.
    traffic.setFault(undefined);
    const duringOutage = traffic.attempts.slice(before);
    const outagePromotions = new Set(duringOutage.filter(isPromotion).map((message) => message.messageId));
    const productView = await untilSent(traffic, (message) => message.event === 'Product Viewed');
    const stored = await eventually(
      () => fixture.demo.api.all<StoredEvent>(`/v1/events?anonymousId=${encodeURIComponent(anonymousId)}`),
      (events) => events.some((event) => event.messageId === productView.messageId),
    );
    expect(stored.map((event) => event.messageId)).toContain(productView.messageId);
    expect(stored.filter((event) => outagePromotions.has(event.messageId))).toEqual([]);
    const promotionsAfterWithdrawal = traffic.attempts.slice(before).filter((message) => isPromotion(message) && !outagePromotions.has(message.messageId));
    expect(promotionsAfterWithdrawal).toEqual([]);
    expect(traffic.attempts.slice(before + duringOutage.length).filter(isPromotion)).toEqual([]);

    const records = await eventually(
      () => fixture.demo.api.all<StoredConsentRecord>(`/v1/consent-records?anonymousId=${encodeURIComponent(anonymousId)}`),
      (list) => list.some((record) => record.purposes.marketing === 'denied'),
    );
    const withdrawal = records.find((record) => record.purposes.marketing === 'denied');
    expect(withdrawal).toMatchObject({ source: 'preference-centre' });
    expect(records[0]).toMatchObject({ source: 'banner', purposes: { marketing: 'granted' } });
    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('with Global Privacy Control on, no advertising or sale/sharing event leaves the page', async () => {
    const context = await fixture.browser.newContext({ extraHTTPHeaders: { 'Sec-GPC': '1' }, viewport: { width: 1280, height: 900 } });
    await context.addInitScript("Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });");
    const traffic = await watchCollector(context, fixture.demo.crmUrl);
    const { page, problems } = await watchedPage(context);
    await page.goto(fixture.demo.storefrontUrl);
    await waitUntilReady(page);
    await page.click('#consent-accept');
    await page.click('#privacy-choices');
    await page.waitForSelector('#preference-centre[open]');
    expect(await page.isChecked('#purpose-advertising')).toBe(false);
    expect(await page.isChecked('#purpose-sale-sharing')).toBe(false);
    expect(await page.isChecked('#purpose-analytics')).toBe(true);
    expect(await page.textContent('[data-purpose="advertising"]')).toContain('Global Privacy Control');
    await screenshot(page, 'storefront-preference-centre-gpc', false);
    await page.click('#preference-centre button[value="cancel"]');

    await page.click('[data-add-to-cart="p-paper-cranes"]');
    await page.goto(`${fixture.demo.storefrontUrl}#/checkout`);
    await page.fill('#checkout-name', 'Grace Kim');
    await page.fill('#checkout-email', 'grace.gpc@example.com');
    await page.fill('#checkout-address', '2 Quay Street');
    await page.click('#place-order');
    await page.waitForSelector('#nps-form');
    const order = await untilSent(traffic, (message) => message.event === 'Order Completed');
    expect(traffic.attempts.filter((message) => message.event === 'Ad Conversion')).toEqual([]);

    const stored = await eventually(
      () => fixture.demo.api.all<StoredEvent>(`/v1/events?anonymousId=${encodeURIComponent(order.anonymousId ?? '')}`),
      (events) => events.some((event) => event.messageId === order.messageId),
    );
    expect(stored.some((event) => event.messageId === order.messageId)).toBe(true);
    expect(stored.filter((event) => event.event === 'Ad Conversion')).toEqual([]);
    const records = await eventually(
      () => fixture.demo.api.all<StoredConsentRecord>(`/v1/consent-records?anonymousId=${encodeURIComponent(order.anonymousId ?? '')}`),
      (list) => list.some((record) => record.source === 'gpc'),
    );
    expect(records.find((record) => record.source === 'gpc')?.purposes).toMatchObject({ advertising: 'denied', 'sale-sharing': 'denied' });
    expect(problems.errors).toEqual([]);
    await context.close();
  });
});
