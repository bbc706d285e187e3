/**
 * What the shop tells the CRM, in the shop's words. The views call these methods; the
 * implementation (`guanxi-analytics.ts`) turns them into guanxi events and touchpoints.
 */
import type { CartLine } from './cart';
import type { Product } from './catalog';
import type { PlacedOrder, ShopCustomer } from './shop-api';

export type ContactReason = 'inquiry' | 'complaint' | 'suggestion';

export interface ShopAnalytics {
  /** The tracker's anonymous id, when identifier storage is allowed. */
  anonymousId(): string | undefined;
  pageViewed(name: string, properties?: Record<string, unknown>): void;
  productListViewed(products: readonly Product[]): void;
  /** A promotion was shown (a marketing purpose: it feeds campaign analysis). */
  promotionViewed(promotion: { promotionId: string; name: string }): void;
  promotionClicked(promotion: { promotionId: string; name: string }): void;
  productViewed(product: Product): void;
  productAdded(product: Product, quantity: number): void;
  checkoutStarted(lines: readonly CartLine[], total: number): void;
  orderCompleted(order: PlacedOrder): void;
  /** The visitor logged in: the anonymous profile becomes known. */
  identified(customer: ShopCustomer): void;
  loggedOut(): void;
  /** The contact form: an inquiry, complaint or suggestion touchpoint. */
  contactSubmitted(message: { reason: ContactReason; subject: string; body: string; email: string }): void;
  /** The NPS question after checkout (0–10). */
  surveyAnswered(answer: { orderId: string; score: number; comment: string }): void;
  /** Sends what is queued now (used before leaving a page in tests and by the unload path). */
  flush(): Promise<void>;
}
