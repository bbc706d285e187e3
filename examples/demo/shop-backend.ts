/**
 * The storefront's backend: page configuration, login (find or create the customer in
 * the CRM), orders (priced from the catalogue, numbered here) and consent proof records.
 * (The loyalty badge comes from the CRM's own storefront endpoint.) It holds the CRM
 * credentials; the page only ever sees the collector's write key.
 */
import { randomUUID } from 'node:crypto';
import { resolveConsentPolicy } from 'guanxi/consent';
import { catalog } from '../storefront/src/catalog';
import type { PlacedOrder, ShopCustomer } from '../storefront/src/shop-api';
import type { StorefrontConfig } from '../storefront/src/guanxi-analytics';
import type { ConsentProof, DemoCrm } from './crm';
import { HttpProblem, type JsonRoute } from './web-server';

export interface DemoCustomerSource {
  demoCustomers(): Promise<{ email: string; name: string; segmentLabel: string }[]>;
}

export const noticeVersion = '2026-01';

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function record(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpProblem(400, 'expected a JSON object');
  return body as Record<string, unknown>;
}

const consentSources = new Set(['banner', 'preference-centre', 'api', 'import', 'gpc', 'dnt', 'tcf']);

/**
 * A proof record drafted by guanxi's storefront consent gate (or a register's record:
 * `{ record, anonymousId, userId }`) as the CRM files it, chaining it into its log. The
 * record lists each purpose's change; the CRM keeps
 * the resulting state per purpose (and per contact channel). A source the CRM API does
 * not name is filed as `api` with the original source kept in the action.
 */
export function consentProofOf(input: Record<string, unknown>): ConsentProof {
  const proof = input.record;
  if (typeof proof !== 'object' || proof === null) throw new HttpProblem(400, 'record: expected a consent proof record');
  const r = proof as Record<string, unknown>;
  if (typeof r.id !== 'string' || r.id === '') throw new HttpProblem(400, 'record.id: expected a string');
  if (!Array.isArray(r.purposes)) throw new HttpProblem(400, 'record.purposes: expected an array');
  const purposes: Record<string, string> = {};
  for (const [index, entry] of (r.purposes as unknown[]).entries()) {
    const change = entry as { purpose?: unknown; state?: unknown };
    if (typeof change?.purpose !== 'string' || !['granted', 'denied', 'pending', 'objected'].includes(String(change.state))) {
      throw new HttpProblem(400, `record.purposes[${index}]: expected { purpose, state }`);
    }
    purposes[change.purpose] = String(change.state);
  }
  if (Object.keys(purposes).length === 0) throw new HttpProblem(400, 'record.purposes: no purpose changed');
  const channels: Record<string, string> = {};
  for (const entry of Array.isArray(r.channels) ? (r.channels as unknown[]) : []) {
    const change = entry as { channel?: unknown; state?: unknown };
    if (typeof change?.channel === 'string' && typeof change.state === 'string') channels[change.channel] = change.state;
  }
  const subject = (r.subject ?? {}) as { userId?: unknown; anonymousId?: unknown };
  const userId = typeof subject.userId === 'string' ? subject.userId : typeof input.userId === 'string' ? input.userId : undefined;
  const anonymousId = typeof subject.anonymousId === 'string' ? subject.anonymousId : typeof input.anonymousId === 'string' ? input.anonymousId : undefined;
  if (!userId && !anonymousId) throw new HttpProblem(400, 'record.subject: expected a user id or an anonymous id');
  const source = String(r.source ?? 'api');
  const notice = r.notice as { version?: unknown; sha256?: unknown; language?: unknown; url?: unknown } | undefined;
  return {
    id: r.id,
    subject: { ...(userId ? { userId } : {}), ...(anonymousId ? { anonymousId } : {}) },
    purposes,
    ...(Object.keys(channels).length > 0 ? { channels } : {}),
    source: consentSources.has(source) ? source : 'api',
    action: consentSources.has(source) ? (typeof r.action === 'string' ? r.action : undefined) : `${source}${typeof r.action === 'string' ? `:${r.action}` : ''}`,
    notice:
      notice && typeof notice.version === 'string'
        ? {
            version: notice.version,
            ...(typeof notice.sha256 === 'string' ? { sha256: notice.sha256 } : {}),
            ...(typeof notice.language === 'string' ? { language: notice.language } : {}),
            ...(typeof notice.url === 'string' ? { url: notice.url } : {}),
          }
        : undefined,
    jurisdiction: typeof r.jurisdiction === 'string' ? r.jurisdiction : undefined,
    occurredAt: new Date(typeof r.recordedAt === 'number' ? r.recordedAt : Date.now()).toISOString(),
    libraryVersion: typeof r.libraryVersion === 'string' ? r.libraryVersion : undefined,
  };
}

export function shopBackend(crm: DemoCrm, loyalty: DemoCustomerSource, settings: { jurisdiction: string }): JsonRoute {
  const orders = new Map<string, PlacedOrder>();
  let orderNumber = 10_000;

  return async ({ method, path, body }) => {
    const [resource = ''] = path.split('/');
    if (method === 'GET' && resource === 'config') {
      // The page's consent gate gets the jurisdiction's policy resolved here, not the table.
      // (A shop behind a CDN would read the visitor's country from the request:
      // `evaluateConsentRequest({ headers }).policy`.)
      const config: StorefrontConfig = {
        collectorOrigin: crm.collectorOrigin,
        writeKey: crm.writeKey,
        noticeVersion,
        jurisdiction: settings.jurisdiction,
        consentPolicy: resolveConsentPolicy(settings.jurisdiction),
      };
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
    if (method === 'GET' && resource === 'demo-customers') return loyalty.demoCustomers();
    if (method === 'POST' && resource === 'consent-records') {
      await crm.recordConsent(consentProofOf(record(body)));
      return { filed: true };
    }
    throw new HttpProblem(404, `no shop endpoint ${method} /shop/api/${path}`);
  };
}
