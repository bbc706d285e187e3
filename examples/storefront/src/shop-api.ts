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
  readonly orders: number;
  readonly revenue: number;
}

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

export async function loyaltyStatus(userId: string): Promise<LoyaltyStatus | undefined> {
  const response = await fetch(`/shop/api/loyalty/${encodeURIComponent(userId)}`);
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`loyalty status failed with ${response.status}`);
  return (await response.json()) as LoyaltyStatus;
}
