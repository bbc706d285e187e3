/**
 * Webhook subscriptions and delivery. Each event is POSTed as JSON to every subscribed
 * URL, signed with guanxi's webhook signature (`Guanxi-Signature: t=<ms>,v1=<hex
 * HMAC-SHA256 of "t.body">`, made by `signGuanxiWebhook` from `guanxi/client`, which
 * receivers check with `verifyGuanxiWebhook`), and retried a few times with backoff
 * when the receiver fails. Delivery runs in the background; `drain()`
 * waits for what is in flight (the server's `close()` calls it).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { fullJitterDelay } from 'guanxi';
import { guanxiSignatureHeader, signGuanxiWebhook } from 'guanxi/client';
import { notFound } from './http/problem';
import { PageQuery, parseInput, parseQuery } from './http/input';
import type { Route } from './http/route';
import type { CrmServices, WebhookEventType } from './services';
import type { SqlDatabase } from './storage/database';
import { decodeCursor, encodeCursor } from './records/search';
import { invalidCursor } from './records/record-store';

const eventTypes = [
  '*',
  'contact.created', 'contact.updated', 'contact.archived', 'contact.merged',
  'company.created', 'company.updated', 'company.archived',
  'deal.created', 'deal.updated', 'deal.archived',
  'activity.created', 'activity.updated', 'activity.archived',
  'ticket.created', 'ticket.updated', 'ticket.archived',
  'consent_record.created', 'data_subject_request.completed',
] as const;

const WebhookSubscriptionInput = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    events: z.array(z.enum(eventTypes)).min(1),
    description: z.string().max(256).optional(),
  })
  .strict();

interface Subscription {
  readonly id: string;
  readonly url: string;
  readonly events: readonly string[];
  readonly secret: string;
}

export class WebhookDispatcher {
  readonly #inFlight = new Set<Promise<void>>();
  #closed = false;

  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number,
    private readonly log: (line: string) => void,
    private readonly attempts = 4,
  ) {}

  emit(type: WebhookEventType, data: unknown): void {
    if (this.#closed) return;
    const event = { id: `evt_${randomUUID()}`, type, occurredAt: new Date(this.now()).toISOString(), data };
    const delivery = this.#deliver(event).catch((error: unknown) => this.log(`webhooks: ${type} not delivered: ${String(error)}`));
    this.#inFlight.add(delivery);
    void delivery.finally(() => this.#inFlight.delete(delivery));
  }

  /** Waits for deliveries in flight, then stops accepting new ones. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  async #deliver(event: { id: string; type: string; occurredAt: string; data: unknown }): Promise<void> {
    const rows = await this.db.query<{ id: string; url: string; events: unknown; secret: string }>('SELECT id, url, events, secret FROM crm_webhooks');
    const subscriptions: Subscription[] = rows.map((row) => ({ ...row, events: (typeof row.events === 'string' ? JSON.parse(row.events) : row.events) as string[] }));
    const body = JSON.stringify(event);
    await Promise.all(
      subscriptions
        .filter((subscription) => subscription.events.includes('*') || subscription.events.includes(event.type))
        .map((subscription) => this.#post(subscription, event.id, body)),
    );
  }

  async #post(subscription: Subscription, eventId: string, body: string): Promise<void> {
    for (let attempt = 0; attempt < this.attempts; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, fullJitterDelay(attempt, { baseMs: 200, capMs: 5_000 })).unref());
      try {
        const signature = await signGuanxiWebhook({ secrets: [subscription.secret], body, timestampMs: this.now() });
        const response = await fetch(subscription.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [guanxiSignatureHeader]: signature,
            'guanxi-webhook-id': eventId,
            'user-agent': 'guanxi-crm-server',
          },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return;
      } catch {
        // Network failure or timeout: retried below.
      }
    }
    this.log(`webhooks: delivery of ${eventId} to subscription ${subscription.id} failed after ${this.attempts} attempts`);
  }
}

function subscriptionFromRow(row: Record<string, unknown>): Record<string, unknown> {
  return {
    id: row['id'],
    url: row['url'],
    events: typeof row['events'] === 'string' ? JSON.parse(row['events']) : row['events'],
    ...(row['description'] ? { description: row['description'] } : {}),
    createdAt: (row['created_at'] instanceof Date ? row['created_at'] : new Date(String(row['created_at']))).toISOString(),
  };
}

export function webhookRoutes(services: CrmServices): Route[] {
  const { db, now } = services;
  return [
    {
      method: 'GET',
      path: '/v1/webhooks',
      auth: 'api-key',
      body: 'none',
      async handle(context) {
        const query = parseQuery(PageQuery, context.query);
        const cursor = query.after === undefined ? undefined : decodeCursor(query.after, 'webhooks');
        if (query.after !== undefined && !cursor) throw invalidCursor('query');
        const rows = await db.query('SELECT id, url, events, description, created_at FROM crm_webhooks WHERE id > $1 ORDER BY id LIMIT $2', [cursor?.id ?? '', query.limit + 1]);
        const results = rows.slice(0, query.limit).map(subscriptionFromRow);
        const last = results[results.length - 1];
        if (rows.length <= query.limit || !last) return { status: 200, body: { results } };
        const after = encodeCursor({ s: 'webhooks', id: String(last['id']) });
        return { status: 200, body: { results, paging: { next: { after, link: `/v1/webhooks?limit=${query.limit}&after=${after}` } } } };
      },
    },
    {
      method: 'POST',
      path: '/v1/webhooks',
      auth: 'api-key',
      body: 'json',
      idempotent: true,
      async handle(context) {
        const input = parseInput(WebhookSubscriptionInput, context.body, 'body', 'webhook subscription');
        const at = new Date(now());
        const id = `wh_${randomUUID()}`;
        const secret = `whsec_${randomBytes(24).toString('base64')}`;
        const [row] = await db.query(
          'INSERT INTO crm_webhooks (id, url, events, description, secret, created_at) VALUES ($1, $2, $3::jsonb, $4, $5, $6) RETURNING id, url, events, description, created_at',
          [id, input.url, JSON.stringify(input.events), input.description ?? null, secret, at],
        );
        return { status: 201, body: { ...subscriptionFromRow(row ?? {}), secret }, headers: { location: `/v1/webhooks/${id}` } };
      },
    },
    {
      method: 'GET',
      path: '/v1/webhooks/{id}',
      auth: 'api-key',
      body: 'none',
      async handle(context) {
        const id = context.params['id'] ?? '';
        const [row] = await db.query('SELECT id, url, events, description, created_at FROM crm_webhooks WHERE id = $1', [id]);
        if (!row) throw notFound('webhook subscription', id);
        return { status: 200, body: subscriptionFromRow(row) };
      },
    },
    {
      method: 'DELETE',
      path: '/v1/webhooks/{id}',
      auth: 'api-key',
      body: 'none',
      async handle(context) {
        const id = context.params['id'] ?? '';
        const rows = await db.query('DELETE FROM crm_webhooks WHERE id = $1 RETURNING id', [id]);
        if (rows.length === 0) throw notFound('webhook subscription', id);
        return { status: 204 };
      },
    },
  ];
}
