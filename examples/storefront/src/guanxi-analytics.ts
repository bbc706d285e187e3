/**
 * ShopAnalytics on guanxi: a consent register (the gate, with GPC honoured and every
 * change recorded as proof) and a tracker with a typed event catalogue. Proof records go
 * to the shop's backend, which files them with the CRM (the CRM's consent API needs the
 * backend's API key; the page only holds the collector's write key).
 */
import * as z from 'zod/mini';
import { createConsentRegister, localConsentStorage, type ConsentRecord, type ConsentRegister } from 'guanxi/consent';
import { mountConsentUi } from './consent-ui';
import type { ShopAnalytics } from './shop-analytics';

/** What the demo server tells the page (fetched from `/shop/api/config`; CSP forbids inline config). */
export interface StorefrontConfig {
  /** Origin of the CRM server's collector, e.g. `http://127.0.0.1:4101`. */
  readonly collectorOrigin: string;
  /** The storefront's write key for the collector. */
  readonly writeKey: string;
  /** Version of the privacy notice shown in the banner. */
  readonly noticeVersion: string;
  /** Jurisdiction whose rules apply, e.g. `EU` (opt-in) or `US-CA` (opt-out). */
  readonly jurisdiction: string;
}

export interface ConsentMount {
  readonly consentRoot: HTMLElement;
  readonly privacyChoices: HTMLButtonElement;
}

const money = z.number().check(z.nonnegative());
const productLine = z.object({ productId: z.string(), sku: z.string(), name: z.string(), price: money, quantity: z.int().check(z.positive()) });

/** The shop's event catalogue: `track()` accepts only these names, with these properties. */
export const shopEvents = {
  'Product List Viewed': z.object({ listId: z.string(), productIds: z.array(z.string()) }),
  'Product Viewed': z.object({ productId: z.string(), sku: z.string(), name: z.string(), price: money, currency: z.string() }),
  'Product Added': z.object({ productId: z.string(), sku: z.string(), name: z.string(), price: money, quantity: z.int().check(z.positive()), currency: z.string() }),
  'Checkout Started': z.object({ value: money, currency: z.string(), products: z.array(productLine) }),
  'Order Completed': z.object({ orderId: z.string(), total: money, revenue: money, currency: z.string(), products: z.array(productLine) }),
  'Promotion Viewed': z.object({ promotionId: z.string(), name: z.string() }),
  'Promotion Clicked': z.object({ promotionId: z.string(), name: z.string() }),
  'Ad Conversion': z.object({ orderId: z.string(), value: money, currency: z.string() }),
  'Signed Out': z.object({}),
};

export const noticeText =
  'Guanxi Records uses your data to run the shop (always), to measure visits (analytics), to personalize what you see, ' +
  'to send you offers on the channels you allow (marketing), for advertising with partners, and — only if you allow it — ' +
  'to share data with third parties. You can change your choices at any time under "Privacy choices".';

const outboxKey = 'guanxi-records:consent-outbox';

/**
 * Proof records must reach the CRM even if the page closes or the network fails, so
 * they wait in an outbox (strictly necessary: a legal obligation) until the backend
 * confirms; the record id is the idempotency key, so a resend never files twice.
 */
function consentOutbox(identity: () => { anonymousId: string | undefined; userId: string | undefined }) {
  const read = (): { record: ConsentRecord; anonymousId?: string; userId?: string }[] => {
    try {
      return JSON.parse(localStorage.getItem(outboxKey) ?? '[]') as { record: ConsentRecord; anonymousId?: string; userId?: string }[];
    } catch {
      return [];
    }
  };
  const write = (entries: unknown[]) => {
    try {
      localStorage.setItem(outboxKey, JSON.stringify(entries));
    } catch {
      // Storage blocked: the record is sent from memory only.
    }
  };
  let sending = false;
  async function drain(): Promise<void> {
    if (sending) return;
    sending = true;
    try {
      for (const entry of read()) {
        const response = await fetch('/shop/api/consent-records', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(entry),
          keepalive: true,
        }).catch(() => undefined);
        if (!response?.ok) break;
        write(read().filter((pending) => pending.record.id !== entry.record.id));
      }
    } finally {
      sending = false;
    }
  }
  return {
    add(record: ConsentRecord) {
      const { anonymousId, userId } = identity();
      write([...read(), { record, anonymousId, userId }]);
      void drain();
    },
    drain,
  };
}

export async function createShopAnalytics(config: StorefrontConfig, mount: ConsentMount): Promise<ShopAnalytics> {
  // Until guanxi/tracking lands, calls are recorded in memory; consent is real.
  const calls: unknown[] = [];
  (window as unknown as { __shopCalls: unknown[] }).__shopCalls = calls;
  const anonymousId = crypto.randomUUID();
  const outbox = consentOutbox(() => ({ anonymousId, userId: undefined }));
  const consent: ConsentRegister = createConsentRegister({
    jurisdiction: config.jurisdiction,
    subject: { anonymousId },
    notice: { version: config.noticeVersion, text: noticeText, language: 'en', url: '/#/privacy' },
    storage: localConsentStorage(),
    onRecord: (record) => outbox.add(record),
  });
  await consent.ready;
  void outbox.drain();
  mountConsentUi(consent, mount);
  const record = (name: string) => (...args: unknown[]) => void calls.push([name, ...args]);
  return {
    anonymousId: () => anonymousId,
    pageViewed: record('pageViewed'),
    productListViewed: record('productListViewed'),
    promotionViewed: record('promotionViewed'),
    promotionClicked: record('promotionClicked'),
    productViewed: record('productViewed'),
    productAdded: record('productAdded'),
    checkoutStarted: record('checkoutStarted'),
    orderCompleted: record('orderCompleted'),
    identified: (customer) => {
      calls.push(['identified', customer]);
      void consent.identify(customer.userId);
    },
    loggedOut: () => {
      calls.push(['loggedOut']);
      consent.reset(anonymousId);
    },
    contactSubmitted: record('contactSubmitted'),
    surveyAnswered: record('surveyAnswered'),
    flush: () => outbox.drain(),
  };
}
