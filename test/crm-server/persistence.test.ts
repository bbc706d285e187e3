/**
 * Data survives a restart (same data directory or database), and rate limits answer 429
 * with Retry-After and the bucket's headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestDatabase, engines, sendBatch, startTestCrmServer, type TestDatabase } from './support';

describe.each(engines)('CRM server on %s across restarts', (engine) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
  }, 60_000);

  afterAll(async () => {
    await database?.dispose();
  }, 60_000);

  it('keeps records, events, the identity graph, idempotency keys and the consent chain', async () => {
    const first = await startTestCrmServer(database);
    let contactId: string;
    let dealId: string;
    try {
      const contact = await call(first, 'POST', '/v1/contacts', { properties: { emails: [{ address: 'persist@example.com' }], identities: { userId: 'persist-1' } } });
      contactId = contact.body.id;
      const deal = await call(first, 'POST', '/v1/deals', { properties: { name: 'Persisted', stage: 'proposal' } }, { 'idempotency-key': 'persist-deal' });
      dealId = deal.body.id;
      expect((await sendBatch(first, [{ type: 'track', event: 'Viewed', messageId: 'persist-m1', userId: 'persist-1' }])).body.stored).toBe(1);
      await call(first, 'POST', '/v1/consent-records', { subject: { userId: 'persist-1' }, purposes: { analytics: 'granted' }, source: 'banner' });
    } finally {
      await first.close();
    }

    const second = await startTestCrmServer(database);
    try {
      expect((await call(second, 'GET', `/v1/contacts/${contactId}`)).body.properties.emails[0].address).toBe('persist@example.com');
      const retried = await call(second, 'POST', '/v1/deals', { properties: { name: 'Persisted', stage: 'proposal' } }, { 'idempotency-key': 'persist-deal' });
      expect(retried.body.id).toBe(dealId);
      expect(retried.headers.get('idempotent-replayed')).toBe('true');
      expect((await sendBatch(second, [{ type: 'track', event: 'Viewed', messageId: 'persist-m1', userId: 'persist-1' }])).body).toMatchObject({ stored: 0, duplicates: 1 });
      const merged = await call(second, 'POST', '/v1/contacts', { properties: { emails: [{ address: 'PERSIST@example.com' }] } });
      expect(merged.body.id).toBe(contactId);
      const appended = await call(second, 'POST', '/v1/consent-records', { subject: { userId: 'persist-1' }, purposes: { analytics: 'denied' }, source: 'preference-centre' });
      expect(appended.body.sequence).toBe(1);
      expect((await call(second, 'GET', '/v1/consent-records/verify')).body).toEqual({ valid: true, records: 2 });
    } finally {
      await second.close();
    }
  }, 240_000);

  it('answers 429 with Retry-After once a bucket is empty, with separate search and api buckets', async () => {
    let now = Date.parse('2026-11-22T10:00:00Z');
    const server = await startTestCrmServer(database, { rateLimits: { api: { limit: 3, windowMs: 10_000 }, search: { limit: 1, windowMs: 10_000 } }, now: () => now });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await call(server, 'GET', '/v1/companies')).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await call(server, 'GET', '/v1/companies');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('10');
      expect(limited.headers.get('ratelimit-remaining')).toBe('0');
      expect(limited.headers.get('ratelimit-policy')).toBe('3;w=10;name="api"');
      expect(limited.body.error).toMatchObject({ code: 'rate_limited', details: { policy: 'api', limit: 3, windowSeconds: 10, retryAfterSeconds: 10 } });
      expect((await call(server, 'POST', '/v1/companies/search', {})).status).toBe(200);
      const search = await call(server, 'POST', '/v1/companies/search', {});
      expect(search.status).toBe(429);
      expect(search.body.error.details.policy).toBe('search');
      now += 10_000;
      expect((await call(server, 'GET', '/v1/companies')).status).toBe(200);
    } finally {
      await server.close();
    }
  }, 240_000);
});
