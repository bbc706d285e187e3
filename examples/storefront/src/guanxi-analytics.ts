/**
 * ShopAnalytics on guanxi: provisional version until the tracker and consent entries
 * land on main — it records calls in memory so the pages can be built and viewed.
 */
import type { ShopAnalytics } from './shop-analytics';

/** What the demo server tells the page (fetched from `/shop/api/config`; CSP forbids inline config). */
export interface StorefrontConfig {
  /** Origin of the CRM server's collector, e.g. `http://127.0.0.1:4101`. */
  readonly collectorOrigin: string;
  /** The storefront's write key for the collector. */
  readonly writeKey: string;
  /** Version of the privacy notice shown in the banner. */
  readonly noticeVersion: string;
}

export interface ConsentMount {
  readonly consentRoot: HTMLElement;
  readonly privacyChoices: HTMLButtonElement;
}

export async function createShopAnalytics(_config: StorefrontConfig, _mount: ConsentMount): Promise<ShopAnalytics> {
  const calls: unknown[] = [];
  (window as unknown as { __shopCalls: unknown[] }).__shopCalls = calls;
  const record = (name: string) => (...args: unknown[]) => void calls.push([name, ...args]);
  return {
    anonymousId: () => undefined,
    pageViewed: record('pageViewed'),
    productListViewed: record('productListViewed'),
    productViewed: record('productViewed'),
    productAdded: record('productAdded'),
    checkoutStarted: record('checkoutStarted'),
    orderCompleted: record('orderCompleted'),
    identified: record('identified'),
    loggedOut: record('loggedOut'),
    contactSubmitted: record('contactSubmitted'),
    surveyAnswered: record('surveyAnswered'),
    flush: async () => undefined,
  };
}
