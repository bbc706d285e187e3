/** Score routes: per contact, all customers, dashboard aggregates, and the storefront badge. */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { HttpProblem, notFound } from './http/problem';
import { PageQuery, parseQuery } from './http/input';
import type { Route } from './http/route';
import type { CrmServices } from './services';
import type { SqlExecutor } from './storage/database';
import { readRecord, invalidCursor } from './records/record-store';
import { decodeCursor, encodeCursor } from './records/search';
import { scoreCustomers, summarizeScores, type CustomerScore, type Purchase } from './scores';

const AsOfQuery = z.object({ asOf: z.iso.date().optional() });

async function loadPurchases(db: SqlExecutor): Promise<Purchase[]> {
  const rows = await db.query<{ contact_id: string; occurred_at: string; amount: number | string | null }>(
    `SELECT properties->>'contactId' AS contact_id, properties->>'occurredAt' AS occurred_at, (properties->>'amount')::float8 AS amount
     FROM crm_records WHERE type = 'activity' AND archived_at IS NULL AND properties->>'type' = 'purchase' AND properties ? 'contactId'`,
  );
  return rows.map((row) => ({ contactId: row.contact_id, occurredAt: row.occurred_at, amount: Number(row.amount ?? 0) }));
}

export function scoreRoutes(services: CrmServices): Route[] {
  const { db, now } = services;
  const today = () => new Date(now()).toISOString().slice(0, 10);
  // Scores (and model fits) are kept until the purchases or the day change.
  let cached: { key: string; value: ReturnType<typeof scoreCustomers> } | undefined;
  const scored = async (asOf: string): Promise<ReturnType<typeof scoreCustomers>> => {
    const purchases = await loadPurchases(db);
    const key = createHash('sha256')
      .update(asOf)
      .update(JSON.stringify(purchases.map((purchase) => [purchase.contactId, purchase.occurredAt, purchase.amount]).sort()))
      .digest('hex');
    if (cached?.key !== key) cached = { key, value: scoreCustomers(purchases, asOf) };
    return cached.value;
  };
  const allScores = async (asOf: string): Promise<CustomerScore[]> => (await scored(asOf)).scores;

  return [
    {
      method: 'GET',
      path: '/v1/contacts/{id}/scores',
      auth: 'api-key',
      body: 'none',
      async handle(context) {
        const { asOf = today() } = parseQuery(AsOfQuery, context.query);
        const id = context.params['id'] ?? '';
        const contact = await readRecord(db, 'contact', id);
        if (!contact) throw notFound('contact', id);
        const score = (await allScores(asOf)).find((candidate) => candidate.contactId === contact.record.id);
        if (!score) throw new HttpProblem(404, 'not_found', `Contact ${JSON.stringify(id)} has no purchases before ${asOf}`);
        return { status: 200, body: score };
      },
    },
    {
      method: 'GET',
      path: '/v1/scores',
      auth: 'api-key',
      body: 'none',
      async handle(context) {
        const query = parseQuery(PageQuery.extend({ asOf: z.iso.date().optional(), segment: z.string().min(1).max(64).optional(), valueTier: z.enum(['A', 'B', 'C']).optional() }), context.query);
        const asOf = query.asOf ?? today();
        const signature = `scores:${asOf}:${query.segment ?? ''}:${query.valueTier ?? ''}`;
        const cursor = query.after === undefined ? undefined : decodeCursor(query.after, signature);
        if (query.after !== undefined && !cursor) throw invalidCursor('query');
        const matching = (await allScores(asOf)).filter(
          (score) => (query.segment === undefined || score.rfm.segment === query.segment) && (query.valueTier === undefined || score.valueTier === query.valueTier) && (!cursor || score.contactId > cursor.id),
        );
        const results = matching.slice(0, query.limit);
        const last = results[results.length - 1];
        if (matching.length <= query.limit || !last) return { status: 200, body: { results } };
        return { status: 200, body: { results, paging: { next: { after: encodeCursor({ s: signature, id: last.contactId }) } } } };
      },
    },
    {
      method: 'GET',
      path: '/v1/scores/overview',
      auth: 'api-key',
      body: 'none',
      async handle(context) {
        const { asOf = today() } = parseQuery(AsOfQuery, context.query);
        const { scores, model } = await scored(asOf);
        return { status: 200, body: summarizeScores(scores, asOf, model) };
      },
    },
    {
      method: 'GET',
      path: '/v1/loyalty',
      auth: 'write-key',
      body: 'none',
      async handle(context) {
        if (!services.publicLoyalty) throw new HttpProblem(404, 'not_found', 'The loyalty badge is not enabled on this server');
        const query = parseQuery(z.object({ userId: z.string().min(1).max(256).optional(), anonymousId: z.string().min(1).max(256).optional(), writeKey: z.string().optional() }), context.query);
        if (query.userId === undefined && query.anonymousId === undefined) {
          throw new HttpProblem(400, 'validation_failed', 'userId or anonymousId is required', [{ in: 'query', path: ['userId'], code: 'required', message: 'userId or anonymousId is required' }]);
        }
        let contactId: string | undefined;
        for (const [kind, value] of [['userId', query.userId], ['anonymousId', query.anonymousId]] as const) {
          if (value === undefined || contactId !== undefined) continue;
          const [row] = await db.query<{ contact_id: string }>('SELECT contact_id FROM crm_identities WHERE kind = $1 AND value = $2', [kind, value]);
          contactId = row?.contact_id;
        }
        const score = contactId === undefined ? undefined : (await allScores(today())).find((candidate) => candidate.contactId === contactId);
        return {
          status: 200,
          body: score ? { known: true, loyaltyTier: score.loyaltyTier, valueTier: score.valueTier, segment: score.rfm.segment } : { known: contactId !== undefined, loyaltyTier: null, valueTier: null, segment: null },
        };
      },
    },
  ];
}
