/**
 * The shop's own backend (served by the demo next to the pages): login, orders and the
 * loyalty badge. The backend talks to the CRM server with its API key; the page never
 * sees that key.
 */

export interface ShopCustomer {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  /** Whether the CRM already knew this customer before this login. */
  readonly returning: boolean;
}

export interface PlacedOrder {
  readonly orderId: string;
  readonly total: number;
  readonly currency: string;
  readonly items: readonly { productId: string; sku: string; title: string; price: number; quantity: number }[];
}

export interface LoyaltyStatus {
  readonly userId: string;
  /** Value tier, e.g. `'A'`. */
  readonly tier: string;
  /** Human label of the tier, e.g. `'Gold'`. */
  readonly tierLabel: string;
  /** RFM segment, e.g. `'champions'`. */
  readonly segment: string;
  readonly segmentLabel: string;
}

/** Labels of the RFM segments (ids of guanxi/scoring's standard map, and older spellings). */
export const segmentLabels: Readonly<Record<string, string>> = {
  champions: 'Champions',
  loyal: 'Loyal',
  'potential-loyalist': 'Potential loyalist',
  new: 'New customer',
  promising: 'Promising',
  'need-attention': 'Needs attention',
  'about-to-sleep': 'About to sleep',
  'at-risk': 'At risk',
  'cant-lose': "Can't lose",
  hibernating: 'Hibernating',
};

const tierLabels: Readonly<Record<string, string>> = { A: 'Gold', B: 'Silver', C: 'Bronze' };

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, {
    ...init,
    headers: { 'content-type': 'application/json', ...init?.headers },
  });
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${path} failed with ${response.status}`);
  return (await response.json()) as T;
}

export function logIn(email: string, name: string, anonymousId: string | undefined): Promise<ShopCustomer> {
  return request('/shop/api/login', { method: 'POST', body: JSON.stringify({ email, name, anonymousId }) });
}

export function placeOrder(
  items: readonly { productId: string; quantity: number }[],
  customer: { userId?: string | undefined; anonymousId?: string | undefined },
): Promise<PlacedOrder> {
  return request('/shop/api/orders', { method: 'POST', body: JSON.stringify({ items, ...customer }) });
}

/**
 * The visitor's loyalty badge, straight from the CRM's storefront endpoint
 * (`GET /v1/loyalty`), which answers with the browser-safe write key and shows only the
 * tier and segment. The write key goes in the query so the request needs no CORS preflight.
 */
export async function loyaltyStatus(userId: string, collector: { origin: string; writeKey: string }): Promise<LoyaltyStatus | undefined> {
  const url = new URL('/v1/loyalty', collector.origin);
  url.searchParams.set('userId', userId);
  url.searchParams.set('writeKey', collector.writeKey);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`loyalty badge failed with ${response.status}`);
  const badge = (await response.json()) as { known: boolean; loyaltyTier: string | null; valueTier: string | null; segment: string | null };
  if (!badge.known || !badge.valueTier || !badge.segment) return undefined;
  return {
    userId,
    tier: badge.valueTier,
    tierLabel: badge.loyaltyTier ? badge.loyaltyTier.charAt(0).toUpperCase() + badge.loyaltyTier.slice(1) : (tierLabels[badge.valueTier] ?? badge.valueTier),
    segment: badge.segment,
    segmentLabel: segmentLabels[badge.segment] ?? badge.segment,
  };
}
