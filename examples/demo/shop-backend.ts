/**
 * The storefront's backend: page configuration, login (find or create the customer in
 * the CRM), orders (priced from the catalogue, numbered here) and the loyalty badge.
 * It holds the CRM credentials; the page only ever sees the collector's write key.
 */
import { randomUUID } from 'node:crypto';
import { catalog } from '../storefront/src/catalog';
import type { LoyaltyStatus, PlacedOrder, ShopCustomer } from '../storefront/src/shop-api';
import type { StorefrontConfig } from '../storefront/src/guanxi-analytics';
import type { DemoCrm } from './crm';
import { HttpProblem, type JsonRoute } from './web-server';

export interface LoyaltySource {
  loyalty(userId: string): Promise<LoyaltyStatus | undefined>;
  demoCustomers(): Promise<{ email: string; name: string; segmentLabel: string }[]>;
}

export const noticeVersion = '2026-01';

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function record(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpProblem(400, 'expected a JSON object');
  return body as Record<string, unknown>;
}

export function shopBackend(crm: DemoCrm, loyalty: LoyaltySource): JsonRoute {
  const orders = new Map<string, PlacedOrder>();
  let orderNumber = 10_000;

  return async ({ method, path, body }) => {
    const [resource = '', id] = path.split('/');
    if (method === 'GET' && resource === 'config') {
      const config: StorefrontConfig = { collectorOrigin: crm.collectorOrigin, writeKey: crm.writeKey, noticeVersion };
      return config;
    }
    if (method === 'POST' && resource === 'login') {
      const input = record(body);
      const email = typeof input.email === 'string' ? input.email.trim().toLowerCase() : '';
      if (!emailPattern.test(email)) throw new HttpProblem(400, 'email: expected an email address');
      const name = typeof input.name === 'string' ? input.name.trim().slice(0, 200) : '';
      const existing = await crm.findCustomerByEmail(email);
      if (existing) return { userId: existing.userId, email: existing.email, name: existing.name, returning: true } satisfies ShopCustomer;
      const created = await crm.createCustomer({ userId: `shop-${randomUUID()}`, email, name });
      return { userId: created.userId, email: created.email, name: created.name, returning: false } satisfies ShopCustomer;
    }
    if (method === 'POST' && resource === 'orders') {
      const input = record(body);
      if (!Array.isArray(input.items) || input.items.length === 0) throw new HttpProblem(400, 'items: expected a non-empty array');
      const items = input.items.map((item: unknown, index: number) => {
        const line = record(item);
        const product = catalog.find((candidate) => candidate.id === line.productId);
        if (!product) throw new HttpProblem(400, `items[${index}].productId: unknown product`);
        const quantity = line.quantity;
        if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > 99) throw new HttpProblem(400, `items[${index}].quantity: expected 1 to 99`);
        return { productId: product.id, sku: product.sku, title: product.title, price: product.price, quantity };
      });
      const total = Math.round(items.reduce((sum, item) => sum + item.price * item.quantity, 0) * 100) / 100;
      const order: PlacedOrder = { orderId: `GR-${++orderNumber}`, total, currency: 'USD', items };
      orders.set(order.orderId, order);
      return order;
    }
    if (method === 'GET' && resource === 'loyalty' && id) {
      const status = await loyalty.loyalty(decodeURIComponent(id));
      if (!status) throw new HttpProblem(404, 'no purchases yet');
      return status;
    }
    if (method === 'GET' && resource === 'demo-customers') return loyalty.demoCustomers();
    throw new HttpProblem(404, `no shop endpoint ${method} /shop/api/${path}`);
  };
}
