/**
 * ShopAnalytics on guanxi: the storefront consent gate (the jurisdiction's policy
 * resolved by the shop's backend, GPC honoured, every change drafted as a proof record)
 * and a tracker with a typed event catalogue. Proof records go to the shop's backend,
 * which files them with the CRM, where they are chained into the hash-chained log (the
 * CRM's consent API needs the backend's API key; the page only holds the collector's
 * write key). Merging an anonymous visitor's consent into the known customer's happens in
 * the CRM, which folds the states of all the customer's ids, the most restrictive winning.
 */
import * as z from 'zod/mini';
import { createStorefrontConsentGate, localConsentStorage, type ConsentRecordDraft, type ResolvedConsentPolicy, type StorefrontConsentGate } from 'guanxi/consent';
import { createTracker, type Tracker } from 'guanxi/tracking';
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
  /** That jurisdiction's consent policy, resolved by the backend (`resolveConsentPolicy`). */
  readonly consentPolicy: ResolvedConsentPolicy;
}

export interface ConsentMount {
  readonly consentRoot: HTMLElement;
  readonly privacyChoices: HTMLButtonElement;
}

const money = z.number().check(z.nonnegative());
const quantity = z.int().check(z.positive());
const productLine = z.object({ product_id: z.string(), sku: z.string(), name: z.string(), price: money, quantity });

/**
 * The shop's event catalogue, with the property names of Segment's e-commerce spec (v2):
 * `track()` accepts only these names, with these properties, checked at compile time and
 * at run time.
 */
export const shopEvents = {
  'Product List Viewed': z.object({ list_id: z.string(), products: z.array(z.object({ product_id: z.string() })) }),
  'Product Viewed': z.object({ product_id: z.string(), sku: z.string(), name: z.string(), price: money, currency: z.string() }),
  'Product Added': z.object({ product_id: z.string(), sku: z.string(), name: z.string(), price: money, quantity, currency: z.string() }),
  'Checkout Started': z.object({ value: money, currency: z.string(), products: z.array(productLine) }),
  'Order Completed': z.object({ order_id: z.string(), total: money, revenue: money, currency: z.string(), products: z.array(productLine) }),
  'Promotion Viewed': z.object({ promotion_id: z.string(), name: z.string() }),
  'Promotion Clicked': z.object({ promotion_id: z.string(), name: z.string() }),
  'Ad Conversion': z.object({ order_id: z.string(), value: money, currency: z.string() }),
  'Signed Out': z.object({}),
};

export const noticeText =
  'Guanxi Records uses your data to run the shop (always), to measure visits (analytics), to personalize what you see, ' +
  'to send you offers on the channels you allow (marketing), for advertising with partners, and — only if you allow it — ' +
  'to share data with third parties. You can change your choices at any time under "Privacy choices".';

const outboxKey = 'guanxi-records:consent-outbox';

interface OutboxEntry {
  readonly record: ConsentRecordDraft;
  anonymousId?: string;
  userId?: string;
}

/**
 * Proof records must reach the CRM even if the page closes or the network fails, so
 * they wait in an outbox (strictly necessary: a legal obligation) until the backend
 * confirms; the record id is the idempotency key, so a resend never files twice.
 *
 * A record made before the tracker has an anonymous id (GPC applied at page load) is
 * sent once the visitor has one. A record the backend refuses (4xx) is dropped and
 * reported, so it never holds up the records behind it.
 */
function consentOutbox(identity: () => { anonymousId: string | undefined; userId: string | undefined }) {
  const read = (): OutboxEntry[] => {
    try {
      return JSON.parse(localStorage.getItem(outboxKey) ?? '[]') as OutboxEntry[];
    } catch {
      return [];
    }
  };
  let memory: OutboxEntry[] | undefined;
  const write = (entries: OutboxEntry[]) => {
    memory = entries;
    try {
      localStorage.setItem(outboxKey, JSON.stringify(entries));
    } catch {
      // Storage blocked: the records wait in memory for this page.
    }
  };
  const entries = () => memory ?? read();
  let sending = false;
  async function drain(): Promise<void> {
    if (sending) return;
    sending = true;
    try {
      for (const entry of entries()) {
        if (!entry.record.subject.anonymousId && !entry.record.subject.userId && !entry.anonymousId && !entry.userId) {
          const ids = identity();
          if (!ids.anonymousId && !ids.userId) continue;
          entry.anonymousId = ids.anonymousId;
          entry.userId = ids.userId;
        }
        const response = await fetch('/shop/api/consent-records', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(entry),
          keepalive: true,
        }).catch(() => undefined);
        if (!response || response.status >= 500) break;
        if (!response.ok) console.warn(`consent record ${entry.record.id} refused: HTTP ${response.status}`);
        write(entries().filter((pending) => pending.record.id !== entry.record.id));
      }
    } finally {
      sending = false;
    }
  }
  return {
    add(record: ConsentRecordDraft) {
      write([...entries(), { record }]);
      void drain();
    },
    drain,
  };
}

export async function createShopAnalytics(config: StorefrontConfig, mount: ConsentMount): Promise<ShopAnalytics> {
  // Records name the tracker's ids; the tracker needs the gate, so the gate is made first
  // and the tracker looked up when a record is drafted or sent.
  const late: { tracker?: Tracker<typeof shopEvents> } = {};
  const identity = () => late.tracker?.identity() ?? { anonymousId: undefined, userId: undefined };
  const outbox = consentOutbox(identity);
  const consent: StorefrontConsentGate = createStorefrontConsentGate({
    policy: config.consentPolicy,
    notice: { version: config.noticeVersion, text: noticeText, language: 'en', url: '/#/privacy' },
    storage: localConsentStorage(),
    subject: identity,
    onRecord: (record) => outbox.add(record),
  });
  const tracker = createTracker({
    endpoint: `${config.collectorOrigin}/v1/batch`,
    writeKey: config.writeKey,
    events: shopEvents,
    consent,
    // Contact-form messages and survey answers are sent by the visitor on purpose: they are
    // handled as part of the service (necessary), like an email to the shop would be.
    purposes: { touchpoint: ['necessary'] },
    flushIntervalMs: 1000,
    onError: (error) => console.warn('guanxi tracker:', error.message),
  });
  late.tracker = tracker;
  await consent.ready;
  void outbox.drain();
  mountConsentUi(consent, mount);
  const active = tracker;

  const line = (product: { id: string; sku: string; title: string; price: number }, count: number) => ({
    product_id: product.id,
    sku: product.sku,
    name: product.title,
    price: product.price,
    quantity: count,
  });
  const promotion = (input: { promotionId: string; name: string }) => ({ promotion_id: input.promotionId, name: input.name });

  return {
    anonymousId: () => active.identity().anonymousId,
    pageViewed: (name, properties) => {
      active.page(name, properties);
      void outbox.drain();
    },
    productListViewed: (products) => {
      active.track('Product List Viewed', { list_id: 'new-and-notable', products: products.map((product) => ({ product_id: product.id })) });
    },
    // Promotions feed campaign analysis: a marketing purpose.
    promotionViewed: (input) => void active.track('Promotion Viewed', promotion(input), { purposes: ['marketing'] }),
    promotionClicked: (input) => void active.track('Promotion Clicked', promotion(input), { purposes: ['marketing'] }),
    productViewed: (product) => {
      active.track('Product Viewed', { product_id: product.id, sku: product.sku, name: product.title, price: product.price, currency: 'USD' });
    },
    productAdded: (product, count) => {
      active.track('Product Added', { ...line(product, count), currency: 'USD' });
    },
    checkoutStarted: (lines, total) => {
      active.track('Checkout Started', { value: total, currency: 'USD', products: lines.map((entry) => line(entry.product, entry.quantity)) });
    },
    orderCompleted: (order) => {
      const products = order.items.map((item) => ({ product_id: item.productId, sku: item.sku, name: item.title, price: item.price, quantity: item.quantity }));
      active.track('Order Completed', { order_id: order.orderId, total: order.total, revenue: order.total, currency: order.currency, products });
      // A conversion for advertising partners: never leaves without advertising and sale/sharing consent (GPC opts out of both).
      active.track('Ad Conversion', { order_id: order.orderId, value: order.total, currency: order.currency }, { purposes: ['advertising', 'sale-sharing'] });
    },
    // Later proof records name the user id too (the gate reads the tracker's ids).
    identified: (customer) => void active.identify(customer.userId, { email: customer.email, name: customer.name }),
    // The device's choices stay; records name the new anonymous id.
    loggedOut: () => {
      active.track('Signed Out', {});
      active.reset();
    },
    contactSubmitted: (message) => {
      active.touchpoint({
        channel: 'web',
        direction: 'inbound',
        type: message.reason,
        subject: message.subject,
        content: message.body,
        status: 'open',
        ownerId: 'customer-care',
        properties: { email: message.email },
      });
    },
    surveyAnswered: (answer) => {
      active.touchpoint({
        channel: 'web',
        direction: 'inbound',
        type: 'survey-response',
        subject: 'Net Promoter Score',
        content: answer.comment || undefined,
        reference: answer.orderId,
        properties: { survey: 'nps', score: answer.score },
      });
    },
    flush: async () => {
      await active.flush({ timeout: 10_000 });
      await outbox.drain();
    },
  };
}
