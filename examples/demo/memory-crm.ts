/**
 * A stand-in CRM kept in memory, used until the reference CRM server
 * (`examples/crm-server/`) is wired in: a Segment-compatible collector
 * (`POST /v1/batch`, JSON or text/plain, deduplicated by message id, CORS for the
 * storefront) and just enough identity linking to attribute anonymous events.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { scoreCustomers } from '../dashboard/scores';
import type { ConsentRecordView } from '../dashboard/src/views-model';
import type { CrmCustomer, CrmPurchase, CrmSnapshot, CrmTouchpoint, DemoCrm } from './crm';
import type { SeedCustomer } from './seed';

interface WireMessage {
  readonly type?: string;
  readonly messageId?: string;
  readonly userId?: string;
  readonly anonymousId?: string;
  readonly event?: string;
  readonly name?: string;
  readonly timestamp?: string;
  readonly properties?: Record<string, unknown>;
  readonly traits?: Record<string, unknown>;
}

export interface MemoryCrm extends DemoCrm {
  /** Every accepted message, once each (for tests). */
  readonly messages: readonly WireMessage[];
  /** Number of messages received including duplicates. */
  readonly received: () => number;
}

export async function startMemoryCrm(host: string, port: number): Promise<MemoryCrm> {
  const customers = new Map<string, CrmCustomer & { anonymousIds: Set<string> }>();
  const purchases: CrmPurchase[] = [];
  const touchpoints: CrmTouchpoint[] = [];
  const messages: WireMessage[] = [];
  const seen = new Set<string>();
  const anonymousToUser = new Map<string, string>();
  const allowedOrigins = new Set<string>();
  const consentRecords: ConsentRecordView[] = [];
  let received = 0;

  const toCustomer = (userId: string, email: string, name: string, origin: 'seed' | 'storefront') => ({
    userId,
    email,
    name,
    origin,
    anonymousIds: new Set<string>(),
    identities: [
      { kind: 'user id', value: userId },
      { kind: 'email', value: email },
    ],
    profile: { name, email },
  });

  function ingest(message: WireMessage): void {
    const userId = message.userId ?? (message.anonymousId ? anonymousToUser.get(message.anonymousId) : undefined);
    if (message.type === 'identify' && message.userId && message.anonymousId) {
      anonymousToUser.set(message.anonymousId, message.userId);
      const customer = customers.get(message.userId);
      if (customer && !customer.anonymousIds.has(message.anonymousId)) {
        customer.anonymousIds.add(message.anonymousId);
        (customer.identities as { kind: string; value: string }[]).push({ kind: 'anonymous id', value: message.anonymousId });
      }
    }
    const owner = userId ?? `anonymous:${message.anonymousId ?? 'unknown'}`;
    const at = message.timestamp ?? new Date().toISOString();
    const properties = message.properties ?? {};
    const id = `event:${message.messageId ?? String(received)}`;
    if (message.type === 'track' && message.event === 'Order Completed') {
      const amount = Number(properties.total ?? properties.revenue ?? 0);
      purchases.push({ userId: owner, at, amount, orderId: String(properties.orderId ?? properties.order_id ?? '') });
      touchpoints.push({ id, userId: owner, at, type: 'purchase', channel: 'web', title: `Order ${String(properties.orderId ?? '')}`, amount });
    } else if (message.type === 'track') {
      const type = String(properties.type ?? message.event ?? 'event').toLowerCase();
      touchpoints.push({
        id,
        userId: owner,
        at,
        type,
        channel: String(properties.channel ?? 'web'),
        title: String(properties.subject ?? message.event ?? type),
        detail: typeof properties.content === 'string' ? properties.content : undefined,
        score: typeof (properties.properties as { score?: unknown } | undefined)?.score === 'number' ? ((properties.properties as { score: number }).score) : undefined,
      });
    } else if (message.type === 'identify') {
      touchpoints.push({ id, userId: owner, at, type: 'identify', channel: 'web', title: 'Logged in' });
    }
  }

  const server: Server = createServer((request, response) => {
    const origin = request.headers.origin;
    const cors: Record<string, string> = origin && allowedOrigins.has(origin) ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {};
    if (request.method === 'OPTIONS') {
      response.writeHead(204, { ...cors, 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type, authorization', 'access-control-max-age': '600' }).end();
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url?.split('?')[0] !== '/v1/batch') {
        response.writeHead(404, cors).end();
        return;
      }
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { batch?: WireMessage[] };
        for (const message of body.batch ?? []) {
          received++;
          if (message.messageId && seen.has(message.messageId)) continue;
          if (message.messageId) seen.add(message.messageId);
          messages.push(message);
          ingest(message);
        }
        response.writeHead(200, { ...cors, 'content-type': 'application/json' }).end('{"success":true}');
      } catch {
        response.writeHead(400, { ...cors, 'content-type': 'application/json' }).end('{"error":"bad batch"}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;

  return {
    collectorOrigin: `http://${host}:${address.port}`,
    writeKey: 'demo-storefront',
    messages,
    received: () => received,
    allowOrigin: (origin) => void allowedOrigins.add(origin),
    async seed(seedCustomers: readonly SeedCustomer[]) {
      for (const seed of seedCustomers) {
        customers.set(seed.userId, toCustomer(seed.userId, seed.email, `${seed.firstName} ${seed.lastName}`, 'seed'));
        seed.purchases.forEach((purchase, index) => {
          purchases.push({ userId: seed.userId, at: purchase.at, amount: purchase.amount });
          touchpoints.push({ id: `seed:${seed.userId}:${index}`, userId: seed.userId, at: purchase.at, type: 'purchase', channel: 'web', title: `${purchase.quantity} CD${purchase.quantity === 1 ? '' : 's'}`, amount: purchase.amount });
        });
      }
    },
    async findCustomerByEmail(email) {
      return [...customers.values()].find((customer) => customer.email === email);
    },
    async createCustomer({ userId, email, name }) {
      const customer = toCustomer(userId, email, name, 'storefront');
      customers.set(userId, customer);
      return customer;
    },
    async recordConsent(proof) {
      if (consentRecords.some((record) => record.id === proof.id)) return;
      consentRecords.push({
        id: proof.id,
        at: proof.occurredAt,
        subject: [proof.subject.userId, proof.subject.anonymousId].filter(Boolean).join(' / '),
        purposes: proof.purposes,
        source: proof.source,
        action: proof.action ?? '',
        hash: '',
      });
    },
    async snapshot(asOfFloor: string): Promise<CrmSnapshot> {
      const today = new Date().toISOString().slice(0, 10);
      const asOf = asOfFloor > today ? asOfFloor : today;
      return {
        asOf,
        scores: scoreCustomers(purchases, new Date(`${asOf}T23:59:59Z`)),
        model: null,
        customers: [...customers.values()],
        purchases: [...purchases],
        touchpoints: [...touchpoints],
        consentRecords: [...consentRecords],
        consentVerification: { valid: true, records: consentRecords.length },
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
