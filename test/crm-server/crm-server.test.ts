/**
 * The reference CRM server over real HTTP on 127.0.0.1, against PGlite and (when
 * DATABASE_URL_TEST is set) PostgreSQL: CRUD, pagination, search, batches, validation,
 * auth, CORS, rate limits, idempotent creates, the collector and identity resolution,
 * consent, data-subject requests, scores and webhooks.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyGuanxiWebhook } from 'guanxi/client';
import { bgNbd, simulateCustomers } from 'guanxi/scoring';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrmServer } from '../../examples/crm-server/server';
import { allowedOrigin, apiKey, call, collectPages, createTestDatabase, engines, sendBatch, startTestCrmServer, writeKey, type TestDatabase } from './support';

describe.each(engines)('CRM server on %s', (engine) => {
  let database: TestDatabase;
  let server: CrmServer;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    server = await startTestCrmServer(database, { rateLimits: { search: { limit: 1000, windowMs: 60_000 } } });
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    await database?.dispose();
  }, 60_000);

  it('answers the health check without a key', async () => {
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: engine });
  });

  describe('auth', () => {
    it('refuses the API without a key, with a wrong key, and accepts X-Api-Key', async () => {
      const missing = await call(server, 'GET', '/v1/contacts', undefined, { authorization: '' });
      expect(missing.status).toBe(401);
      expect(missing.body.error.code).toBe('unauthorized');
      expect(missing.headers.get('www-authenticate')).toMatch(/Bearer/);
      const wrong = await call(server, 'GET', '/v1/contacts', undefined, { authorization: 'Bearer nope-nope-nope' });
      expect(wrong.status).toBe(401);
      expect(JSON.stringify(wrong.body)).not.toContain('nope-nope-nope');
      const header = await call(server, 'GET', '/v1/contacts', undefined, { authorization: '', 'x-api-key': apiKey });
      expect(header.status).toBe(200);
    });

    it('does not accept a write key for the CRM API, nor an API key as write key', async () => {
      expect((await call(server, 'GET', '/v1/contacts', undefined, { authorization: `Bearer ${writeKey}` })).status).toBe(401);
      const response = await fetch(`${server.url}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ writeKey: apiKey, batch: [{ type: 'track', event: 'x', messageId: 'auth-1', anonymousId: 'a' }] }),
      });
      expect(response.status).toBe(401);
    });

    it('answers unknown routes with 404 and wrong methods with 405 naming the allowed ones', async () => {
      const missing = await call(server, 'GET', '/v1/nothing');
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('not_found');
      const wrongMethod = await call(server, 'PUT', '/v1/contacts');
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.headers.get('allow')).toContain('GET');
      expect(wrongMethod.headers.get('allow')).toContain('POST');
    });
  });

  describe('records', () => {
    it('creates, reads, updates (merge patch) and archives a deal', async () => {
      const created = await call(server, 'POST', '/v1/deals', { properties: { name: 'Fleet renewal', stage: 'proposal', amount: 1200, currency: 'EUR', note: 'kept' } });
      expect(created.status).toBe(201);
      expect(created.body.id).toMatch(/^dl_/);
      expect(created.headers.get('location')).toBe(`/v1/deals/${created.body.id}`);
      expect(created.headers.get('x-request-id')).toMatch(/^req_/);
      expect(created.headers.get('ratelimit-limit')).toBe('1000');
      const read = await call(server, 'GET', `/v1/deals/${created.body.id}`);
      expect(read.body).toEqual(created.body);
      const updated = await call(server, 'PATCH', `/v1/deals/${created.body.id}`, { properties: { stage: 'closed-won', note: null } });
      expect(updated.status).toBe(200);
      expect(updated.body.properties).toEqual({ name: 'Fleet renewal', stage: 'closed-won', amount: 1200, currency: 'EUR' });
      expect((await call(server, 'DELETE', `/v1/deals/${created.body.id}`)).status).toBe(204);
      expect((await call(server, 'GET', `/v1/deals/${created.body.id}`)).status).toBe(404);
      const archived = await call(server, 'GET', `/v1/deals/${created.body.id}?archived=true`);
      expect(archived.body.archived).toBe(true);
      expect((await call(server, 'DELETE', `/v1/deals/${created.body.id}`)).status).toBe(204);
      const live = await collectPages<{ id: string }>((after) => call(server, 'GET', `/v1/deals${after ? `?after=${after}` : ''}`));
      expect(live.results.map((deal) => deal.id)).not.toContain(created.body.id);
      const archivedList = await call(server, 'GET', '/v1/deals?archived=true');
      expect(archivedList.body.results.map((deal: { id: string }) => deal.id)).toContain(created.body.id);
    });

    it('answers 404 for a missing record and names every problem of an invalid one', async () => {
      expect((await call(server, 'GET', '/v1/tickets/tk_missing')).status).toBe(404);
      const invalid = await call(server, 'POST', '/v1/tickets', { properties: { subject: '', status: 'lost', priority: 'whenever' } });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.code).toBe('validation_failed');
      expect(invalid.body.error.requestId).toBe(invalid.headers.get('x-request-id'));
      const paths = invalid.body.error.issues.map((issue: { path: unknown[] }) => issue.path.join('.'));
      expect(paths).toEqual(expect.arrayContaining(['properties.subject', 'properties.status', 'properties.priority']));
      for (const issue of invalid.body.error.issues) expect(issue.in).toBe('body');
      const patch = await call(server, 'PATCH', '/v1/tickets/tk_missing', { properties: { status: 'open' } });
      expect(patch.status).toBe(404);
    });

    it('rejects bodies that are not JSON, not an object, of the wrong type or too large', async () => {
      const broken = await call(server, 'POST', '/v1/companies', '{"properties": ');
      expect(broken.status).toBe(400);
      expect(broken.body.error.code).toBe('invalid_json');
      const unknownField = await call(server, 'POST', '/v1/companies', { properties: {}, extra: 1 });
      expect(unknownField.status).toBe(400);
      expect(unknownField.body.error.issues[0].code).toBe('unrecognized_keys');
      const text = await call(server, 'POST', '/v1/companies', '{"properties":{}}', { 'content-type': 'text/plain' });
      expect(text.status).toBe(415);
      const huge = await call(server, 'POST', '/v1/companies', { properties: { blob: 'x'.repeat(1_100_000) } });
      expect(huge.status).toBe(413);
      expect(huge.body.error.code).toBe('payload_too_large');
      const badLimit = await call(server, 'GET', '/v1/companies?limit=500');
      expect(badLimit.status).toBe(400);
      expect(badLimit.body.error.issues[0]).toMatchObject({ in: 'query', path: ['limit'] });
      const badCursor = await call(server, 'GET', '/v1/companies?after=garbage');
      expect(badCursor.status).toBe(400);
      expect(badCursor.body.error.issues[0]).toMatchObject({ in: 'query', path: ['after'], code: 'invalid_cursor' });
    });

    it('pages through every record exactly once with opaque cursors', async () => {
      const created: string[] = [];
      for (let i = 0; i < 23; i++) {
        const response = await call(server, 'POST', '/v1/tickets', { properties: { subject: `Printer ${i}`, status: 'new', priority: i % 2 ? 'low' : 'high' } });
        created.push(response.body.id);
      }
      const { results, pages } = await collectPages<{ id: string }>((after) => call(server, 'GET', `/v1/tickets?limit=5${after ? `&after=${after}` : ''}`));
      const ids = results.map((ticket) => ticket.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expect.arrayContaining(created));
      expect(pages).toBe(Math.ceil(ids.length / 5) + (ids.length % 5 === 0 ? 1 : 0));
      const first = await call(server, 'GET', '/v1/tickets?limit=5');
      expect(first.body.paging.next.link).toMatch(/^\/v1\/tickets\?limit=5&after=/);
      const last = await call(server, 'GET', `/v1/tickets?limit=100`);
      expect(last.body.paging).toBeUndefined();
    });
  });

  describe('search', () => {
    beforeAll(async () => {
      const people = [
        { emails: [{ address: 'li.wei@example.cn' }], city: 'Shanghai', visits: 12, vip: true, tags: ['wholesale'] },
        { emails: [{ address: 'ana@example.pt' }], city: 'Porto', visits: 3, vip: false, tags: ['retail'] },
        { emails: [{ address: 'ben@example.com' }], city: 'Shanghai', visits: 7, tags: ['retail', 'newsletter'] },
        { emails: [{ address: 'chloe@example.fr' }], city: 'Lyon', visits: 0 },
      ];
      const response = await call(server, 'POST', '/v1/contacts/batch/upsert', { inputs: people.map((properties) => ({ properties })) });
      expect(response.status).toBe(200);
    });

    const search = (body: unknown) => call(server, 'POST', '/v1/contacts/search', body);
    const emailsOf = (response: { body: { results: { properties: { emails: { address: string }[] } }[] } }) =>
      response.body.results.map((contact) => contact.properties.emails[0]?.address).sort();

    it('combines and/or with every operator', async () => {
      expect(emailsOf(await search({ filter: { property: 'city', op: 'eq', value: 'Shanghai' } }))).toEqual(['ben@example.com', 'li.wei@example.cn']);
      expect(emailsOf(await search({ filter: { and: [{ property: 'city', op: 'eq', value: 'Shanghai' }, { property: 'visits', op: 'gt', value: 10 }] } }))).toEqual(['li.wei@example.cn']);
      expect(emailsOf(await search({ filter: { or: [{ property: 'city', op: 'eq', value: 'Lyon' }, { property: 'visits', op: 'gte', value: 12 }] } }))).toEqual(['chloe@example.fr', 'li.wei@example.cn']);
      expect(emailsOf(await search({ filter: { and: [{ property: 'visits', op: 'lt', value: 7 }, { property: 'visits', op: 'lte', value: 3 }, { property: 'city', op: 'exists' }] } }))).toEqual(['ana@example.pt', 'chloe@example.fr']);
      expect(emailsOf(await search({ filter: { property: 'city', op: 'in', value: ['Porto', 'Lyon'] } }))).toEqual(['ana@example.pt', 'chloe@example.fr']);
      expect(emailsOf(await search({ filter: { and: [{ property: 'vip', op: 'exists', value: false }, { property: 'city', op: 'neq', value: 'Lyon' }] } }))).toEqual(['ben@example.com']);
      expect(emailsOf(await search({ filter: { property: 'emails.address', op: 'contains', value: 'EXAMPLE.c' } }))).toEqual(['ben@example.com', 'li.wei@example.cn']);
      expect(emailsOf(await search({ filter: { property: 'tags', op: 'eq', value: 'retail' } }))).toEqual(['ana@example.pt', 'ben@example.com']);
      expect(emailsOf(await search({ query: 'porto' }))).toEqual(['ana@example.pt']);
    });

    it('sorts and pages search results with a cursor bound to the query', async () => {
      const body = { filter: { property: 'visits', op: 'gte', value: 0 }, sort: [{ property: 'visits', direction: 'desc' }], limit: 3 };
      const first = await search(body);
      expect(first.body.results.map((contact: { properties: { visits: number } }) => contact.properties.visits)).toEqual([12, 7, 3]);
      const second = await search({ ...body, after: first.body.paging.next.after });
      expect(second.body.results.map((contact: { properties: { visits: number } }) => contact.properties.visits)).toEqual([0]);
      expect(second.body.paging).toBeUndefined();
      const misuse = await search({ sort: [{ property: 'visits' }], after: first.body.paging.next.after });
      expect(misuse.status).toBe(400);
      expect(misuse.body.error.issues[0].code).toBe('invalid_cursor');
    });

    it('names each problem of a malformed filter', async () => {
      const response = await search({ filter: { and: [{ property: 'a b', op: 'eq', value: 1 }, { property: 'x', op: 'like', value: 1 }, { property: 'y', op: 'in', value: 3 }] }, limit: 999 });
      expect(response.status).toBe(400);
      const paths = response.body.error.issues.map((issue: { path: unknown[] }) => issue.path.join('.'));
      expect(paths).toEqual(expect.arrayContaining(['limit']));
      expect(paths.some((path: string) => path.startsWith('filter'))).toBe(true);
      let deep: unknown = { property: 'x', op: 'exists' };
      for (let i = 0; i < 6; i++) deep = { and: [deep] };
      const tooDeep = await search({ filter: deep });
      expect(tooDeep.status).toBe(400);
      expect(tooDeep.body.error.issues[0].code).toBe('too_deep');
    });
  });

  describe('batches', () => {
    it('answers 207 with per-item results when some inputs fail, and 200 when all succeed', async () => {
      const response = await call(server, 'POST', '/v1/deals/batch/upsert', {
        inputs: [
          { properties: { name: 'A', stage: 'qualification' } },
          { properties: { name: 'B' } },
          { id: 'deal-ext-1', properties: { name: 'C', stage: 'proposal' } },
          { idProperty: 'email', id: 'x@example.com', properties: { name: 'D', stage: 'proposal' } },
          'not an object',
        ],
      });
      expect(response.status).toBe(207);
      expect(response.body.status).toBe('COMPLETE');
      expect(response.body.numErrors).toBe(3);
      const statuses = response.body.results.map((result: { index: number; status: string }) => [result.index, result.status]);
      expect(statuses).toEqual([[0, 'created'], [1, 'error'], [2, 'created'], [3, 'error'], [4, 'error']]);
      expect(response.body.results[1].error.issues[0].path).toEqual(['inputs', 1, 'properties', 'stage']);
      expect(response.body.results[2].id).toBe('deal-ext-1');
      const again = await call(server, 'POST', '/v1/deals/batch/upsert', { inputs: [{ id: 'deal-ext-1', properties: { stage: 'negotiation' } }] });
      expect(again.status).toBe(200);
      expect(again.body.results[0]).toMatchObject({ status: 'updated', id: 'deal-ext-1', record: { properties: { name: 'C', stage: 'negotiation' } } });
    });

    it('limits batches to 100 inputs, and reads and archives by id', async () => {
      const tooMany = await call(server, 'POST', '/v1/deals/batch/upsert', { inputs: Array.from({ length: 101 }, () => ({ properties: { name: 'x', stage: 'y' } })) });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.error.issues[0].path).toEqual(['inputs']);
      const read = await call(server, 'POST', '/v1/deals/batch/read', { inputs: [{ id: 'deal-ext-1' }, { id: 'nope' }] });
      expect(read.status).toBe(207);
      expect(read.body.results.map((result: { status: string }) => result.status)).toEqual(['found', 'error']);
      expect(read.body.results[1].error.code).toBe('not_found');
      const archived = await call(server, 'POST', '/v1/deals/batch/archive', { inputs: [{ id: 'deal-ext-1' }] });
      expect(archived.status).toBe(200);
      expect((await call(server, 'GET', '/v1/deals/deal-ext-1')).status).toBe(404);
      expect((await call(server, 'GET', '/v1/deals/deal-ext-1?archived=true')).body.archived).toBe(true);
    });

    it('upserts contacts by identifier and merges matching profiles', async () => {
      const response = await call(server, 'POST', '/v1/contacts/batch/upsert', {
        inputs: [
          { idProperty: 'email', id: 'Batch.Person@Example.com', properties: { firstName: 'Batch' } },
          { idProperty: 'email', id: 'batch.person@example.com', properties: { lastName: 'Person' } },
        ],
      });
      expect(response.status).toBe(200);
      expect(response.body.results[0].status).toBe('created');
      expect(response.body.results[1]).toMatchObject({ status: 'updated', id: response.body.results[0].id });
      expect(response.body.results[1].record.properties).toMatchObject({ firstName: 'Batch', lastName: 'Person', emails: [{ address: 'batch.person@example.com' }] });
    });
  });

  describe('idempotent creates', () => {
    it('replays the first response to a retried create and never creates twice', async () => {
      const key = `idem-${Math.random()}`;
      const body = { properties: { name: 'Idempotent Ltd', stage: 'proposal' } };
      const first = await call(server, 'POST', '/v1/deals', body, { 'idempotency-key': key });
      const second = await call(server, 'POST', '/v1/deals', body, { 'idempotency-key': key });
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      const found = await call(server, 'POST', '/v1/deals/search', { filter: { property: 'name', op: 'eq', value: 'Idempotent Ltd' } });
      expect(found.body.results).toHaveLength(1);
      const reused = await call(server, 'POST', '/v1/deals', { properties: { name: 'Other', stage: 'x' } }, { 'idempotency-key': key });
      expect(reused.status).toBe(422);
      expect(reused.body.error.code).toBe('idempotency_key_reused');
    });

    it('creates once when the same key arrives concurrently', async () => {
      const key = `idem-concurrent-${Math.random()}`;
      const body = { properties: { subject: 'Concurrent', status: 'new' } };
      const responses = await Promise.all(Array.from({ length: 5 }, () => call(server, 'POST', '/v1/tickets', body, { 'idempotency-key': key })));
      for (const response of responses) expect([201, 409]).toContain(response.status);
      const found = await call(server, 'POST', '/v1/tickets/search', { filter: { property: 'subject', op: 'eq', value: 'Concurrent' } });
      expect(found.body.results).toHaveLength(1);
    });
  });

  describe('contacts and identity resolution', () => {
    it('normalizes, merges a create that matches an existing contact, and refuses to merge two user ids', async () => {
      const first = await call(server, 'POST', '/v1/contacts', { properties: { emails: [{ address: ' Mei@Example.CN ' }], identities: { userId: 'mei-1' } } });
      expect(first.status).toBe(201);
      expect(first.body.properties.emails[0].address).toBe('mei@example.cn');
      const second = await call(server, 'POST', '/v1/contacts', { properties: { emails: [{ address: 'mei@example.cn' }], phones: [{ number: '+86 138 0013 8000' }] } });
      expect(second.status).toBe(200);
      expect(second.body.id).toBe(first.body.id);
      expect(second.body.properties.phones[0].number).toBe('+8613800138000');
      const conflict = await call(server, 'POST', '/v1/contacts', { properties: { phones: [{ number: '+8613800138000' }], identities: { userId: 'someone-else' } } });
      expect(conflict.status).toBe(409);
      expect(conflict.body.error).toMatchObject({ code: 'identity_conflict', details: { contactIds: [first.body.id] } });
    });

    it('merges an anonymous visitor into the known customer on identify, moving the timeline', async () => {
      const anonymousId = `anon-${Math.random()}`;
      const browse = await sendBatch(server, [
        { type: 'page', messageId: `${anonymousId}-p1`, anonymousId, name: 'Home', timestamp: '2026-11-01T10:00:00.000Z' },
        { type: 'track', messageId: `${anonymousId}-t1`, anonymousId, event: 'Touchpoint Recorded', timestamp: '2026-11-01T10:01:00.000Z', properties: { channel: 'web', type: 'inquiry', subject: 'Sizes?', occurredAt: '2026-11-01T10:01:00.000Z' } },
      ]);
      expect(browse.body).toMatchObject({ stored: 2, duplicates: 0 });
      const known = await call(server, 'POST', '/v1/contacts', { properties: { emails: [{ address: 'known@example.com' }], identities: { userId: 'known-1' } } });
      const identify = await sendBatch(server, [{ type: 'identify', messageId: `${anonymousId}-i1`, anonymousId, userId: 'known-1', traits: { email: 'KNOWN@example.com', firstName: 'Known' } }]);
      expect(identify.body.stored).toBe(1);
      const contact = await call(server, 'GET', `/v1/contacts/${known.body.id}`);
      expect(contact.body.properties.identities.anonymousIds).toContain(anonymousId);
      expect(contact.body.properties.givenName).toBe('Known');
      expect(contact.body.mergedIds).toHaveLength(1);
      const absorbed = await call(server, 'GET', `/v1/contacts/${contact.body.mergedIds[0]}`);
      expect(absorbed.body.id).toBe(known.body.id);
      const timeline = await call(server, 'GET', `/v1/contacts/${known.body.id}/activities`);
      expect(timeline.body.results.map((activity: { properties: { subject: string } }) => activity.properties.subject)).toEqual(['Sizes?']);
      const events = await collectPages<{ messageId: string }>((after) => call(server, 'GET', `/v1/events?contactId=${known.body.id}${after ? `&after=${after}` : ''}`));
      expect(events.results.map((event) => event.messageId).sort()).toEqual([`${anonymousId}-i1`, `${anonymousId}-p1`, `${anonymousId}-t1`]);
    });

    it('merges out-of-order observations by observation time (the library merge), whatever the arrival order', async () => {
      const userId = `late-${Math.random()}`;
      await sendBatch(server, [{ type: 'identify', messageId: `${userId}-new`, userId, timestamp: '2026-11-02T00:00:00.000Z', traits: { firstName: 'New', email: `${userId}@example.com` } }]);
      await sendBatch(server, [{ type: 'identify', messageId: `${userId}-old`, userId, timestamp: '2026-11-01T00:00:00.000Z', traits: { firstName: 'Old', lastName: 'Kept', email: `other-${userId}@example.com` } }]);
      const [event] = (await call(server, 'GET', `/v1/events?userId=${userId}&limit=1`)).body.results;
      const contact = await call(server, 'GET', `/v1/contacts/${event.contactId}`);
      expect(contact.body.properties).toMatchObject({ givenName: 'New', familyName: 'Kept', firstSeenAt: '2026-11-01T00:00:00.000Z', lastSeenAt: '2026-11-02T00:00:00.000Z' });
      expect(contact.body.properties.emails.map((email: { address: string }) => email.address).sort()).toEqual([`${userId}@example.com`, `other-${userId}@example.com`]);
      const invalid = await call(server, 'POST', '/v1/contacts', { properties: { lifecycleStage: 'not-a-stage', birthday: 'soon' } });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.issues.map((issue: { path: unknown[] }) => issue.path.join('.')).sort()).toEqual(['properties.birthday', 'properties.lifecycleStage']);
    });

    it('refuses a patch that would steal another contact\'s identifier', async () => {
      const a = await call(server, 'POST', '/v1/contacts', { properties: { emails: [{ address: 'patch-a@example.com' }] } });
      const b = await call(server, 'POST', '/v1/contacts', { properties: { emails: [{ address: 'patch-b@example.com' }] } });
      const response = await call(server, 'PATCH', `/v1/contacts/${b.body.id}`, { properties: { emails: [{ address: 'patch-a@example.com' }] } });
      expect(response.status).toBe(409);
      expect(response.body.error.details.contactIds).toEqual([a.body.id]);
    });
  });

  describe('collector', () => {
    it('stores each message once however often a batch is resent, as text/plain or JSON', async () => {
      const prefix = `dedupe-${Math.random()}`;
      const batch = Array.from({ length: 30 }, (_, i) => ({ type: 'track', event: 'Product Viewed', messageId: `${prefix}-${i}`, anonymousId: `${prefix}-visitor`, properties: { sku: `sku-${i}` } }));
      const first = await sendBatch(server, batch);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ success: true, received: 30, stored: 30, duplicates: 0, rejected: [] });
      const resent = await Promise.all([sendBatch(server, batch), sendBatch(server, batch.slice(10))]);
      expect(resent.map((response) => response.body.stored)).toEqual([0, 0]);
      const asJson = await fetch(`${server.url}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
        body: JSON.stringify({ batch: batch.slice(0, 5) }),
      });
      expect(asJson.status).toBe(200);
      expect(await asJson.json()).toMatchObject({ stored: 0, duplicates: 5 });
      const stored = await collectPages<{ messageId: string }>((after) => call(server, 'GET', `/v1/events?anonymousId=${prefix}-visitor&limit=7${after ? `&after=${after}` : ''}`));
      expect(stored.results.map((event) => event.messageId).sort()).toEqual(batch.map((message) => message.messageId).sort());
    });

    it('stores a tracked touchpoint as an activity in the shared vocabulary, reading the earlier owner as ownerId', async () => {
      const userId = `tp-${Math.random()}`;
      const known = await call(server, 'POST', '/v1/contacts', { properties: { identities: { userId } } });
      const tracked = await sendBatch(server, [
        {
          type: 'track',
          messageId: `${userId}-t1`,
          userId,
          event: 'Touchpoint Recorded',
          timestamp: '2026-11-02T09:00:00.000Z',
          properties: { channel: 'call-centre', direction: 'inbound', type: 'complaint', subject: 'Late parcel', content: 'Two weeks late', ownerId: 'agent-1', durationSeconds: 95, occurredAt: '2026-11-02T09:00:00.000Z' },
        },
        {
          type: 'track',
          messageId: `${userId}-t2`,
          userId,
          event: 'Touchpoint Recorded',
          timestamp: '2026-11-02T10:00:00.000Z',
          properties: { channel: 'store', direction: 'inbound', type: 'visit', owner: 'agent-2', occurredAt: '2026-11-02T10:00:00.000Z' },
        },
      ]);
      expect(tracked.body).toMatchObject({ stored: 2, rejected: [] });
      const timeline = await call(server, 'GET', `/v1/contacts/${known.body.id}/activities`);
      const properties = timeline.body.results.map((activity: { properties: Record<string, unknown> }) => activity.properties);
      expect(properties[1]).toMatchObject({ type: 'complaint', channel: 'call-centre', content: 'Two weeks late', ownerId: 'agent-1', durationSeconds: 95, contactId: known.body.id });
      expect(properties[0]).toMatchObject({ type: 'visit', ownerId: 'agent-2' });
      expect(properties[0]).not.toHaveProperty('owner');
      // Clients that predate the shared vocabulary sent body and durationMs.
      const legacy = await call(server, 'POST', '/v1/activities', { properties: { type: 'call', occurredAt: '2026-11-02T11:00:00Z', body: 'Voicemail', durationMs: 42_000 } });
      expect(legacy.status).toBe(201);
      expect(legacy.body.properties).toMatchObject({ content: 'Voicemail', durationSeconds: 42 });
      expect(legacy.body.properties).not.toHaveProperty('body');
      expect(legacy.body.properties).not.toHaveProperty('durationMs');
    });

    it('rejects invalid messages by index and keeps the valid ones', async () => {
      const response = await sendBatch(server, [
        { type: 'track', messageId: 'valid-1', anonymousId: 'v', event: 'Ok' },
        { type: 'track', messageId: 'invalid-1', anonymousId: 'v' },
        { type: 'shout', messageId: 'invalid-2', anonymousId: 'v' },
        { type: 'page', messageId: 'invalid-3' },
        { type: 'track', messageId: 'too-big', anonymousId: 'v', event: 'Big', properties: { blob: 'x'.repeat(40_000) } },
      ]);
      expect(response.status).toBe(200);
      expect(response.body.stored).toBe(1);
      expect(response.body.rejected.map((rejection: { index: number; messageId: string }) => [rejection.index, rejection.messageId])).toEqual([
        [1, 'invalid-1'],
        [2, 'invalid-2'],
        [3, 'invalid-3'],
        [4, 'too-big'],
      ]);
      expect(response.body.rejected[0].issues[0].path).toEqual(['batch', 1, 'event']);
      expect(response.body.rejected[3].issues[0].code).toBe('too_big');
    });

    it('answers 400 for a body without a batch, 401 without a write key, 413 over 500 KB', async () => {
      const noBatch = await fetch(`${server.url}/v1/batch?writeKey=${writeKey}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"events":[]}' });
      expect(noBatch.status).toBe(400);
      expect((await noBatch.json()).error.issues[0].path).toEqual(['batch']);
      const noKey = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ batch: [] }) });
      expect(noKey.status).toBe(401);
      const huge = await fetch(`${server.url}/v1/batch?writeKey=${writeKey}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ batch: [{ blob: 'x'.repeat(520_000) }] }) });
      expect(huge.status).toBe(413);
    });

    it('drops advertising events under Sec-GPC: 1 and events of purposes the subject denied', async () => {
      const anonymousId = `gpc-${Math.random()}`;
      const consent = (required: string[]) => ({ consent: { purposes: { analytics: 'granted', advertising: 'granted' }, takenAt: Date.now(), required } });
      const gpc = await sendBatch(
        server,
        [
          { type: 'track', event: 'Ad Clicked', messageId: `${anonymousId}-ad`, anonymousId, context: consent(['advertising']) },
          { type: 'track', event: 'Viewed', messageId: `${anonymousId}-an`, anonymousId, context: consent(['analytics']) },
        ],
        { 'sec-gpc': '1' },
      );
      expect(gpc.body).toMatchObject({ stored: 1, suppressed: 1 });
      await call(server, 'POST', '/v1/consent-records', { subject: { anonymousId }, purposes: { analytics: 'denied' }, source: 'preference-centre' });
      const after = await sendBatch(server, [{ type: 'track', event: 'Viewed', messageId: `${anonymousId}-an2`, anonymousId, context: consent(['analytics']) }]);
      expect(after.body).toMatchObject({ stored: 0, suppressed: 1 });
      const state = await call(server, 'GET', `/v1/consent-state?anonymousId=${anonymousId}`, undefined, { 'sec-gpc': '1' });
      expect(state.body).toMatchObject({ purposes: { analytics: 'denied', advertising: 'denied', necessary: 'granted' }, signals: { gpc: true } });
    });

    it('records a GPC opt-out of stored grants as proof with source gpc, once, in a chain that verifies', async () => {
      const userId = `gpc-user-${Math.random()}`;
      await call(server, 'POST', '/v1/consent-records', { subject: { userId }, purposes: { analytics: 'granted', advertising: 'granted', 'sale-sharing': 'granted' }, source: 'banner' });
      const stamp = { consent: { purposes: { analytics: 'granted', advertising: 'granted' }, takenAt: Date.now(), required: ['analytics'] } };
      for (const suffix of ['a', 'b']) {
        const sent = await sendBatch(server, [{ type: 'track', event: 'Viewed', messageId: `${userId}-${suffix}`, userId, context: stamp }], { 'sec-gpc': '1' });
        expect(sent.body).toMatchObject({ stored: 1, suppressed: 0 });
      }
      const records = await call(server, 'GET', `/v1/consent-records?userId=${encodeURIComponent(userId)}`);
      const gpcRecords = (records.body.results as { source: string; purposes: Record<string, string> }[]).filter((record) => record.source === 'gpc');
      expect(gpcRecords).toHaveLength(1);
      expect(gpcRecords[0]!.purposes).toEqual({ advertising: 'denied', 'sale-sharing': 'denied' });
      const withoutSignal = await call(server, 'GET', `/v1/consent-state?userId=${encodeURIComponent(userId)}`);
      expect(withoutSignal.body.purposes).toMatchObject({ analytics: 'granted', advertising: 'denied', 'sale-sharing': 'denied' });
      expect((await call(server, 'GET', '/v1/consent-records/verify')).body.valid).toBe(true);
    });
  });

  describe('CORS', () => {
    it('answers preflights for allowed origins only and exposes headers on responses', async () => {
      const preflight = await fetch(`${server.url}/v1/batch`, {
        method: 'OPTIONS',
        headers: { origin: allowedOrigin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, idempotency-key' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
      expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
      expect(preflight.headers.get('access-control-allow-headers')).toContain('idempotency-key');
      const denied = await fetch(`${server.url}/v1/batch`, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
      expect(denied.status).toBe(403);
      expect(denied.headers.get('access-control-allow-origin')).toBeNull();
      server.allowOrigin('http://late.example');
      const late = await fetch(`${server.url}/v1/contacts`, { method: 'OPTIONS', headers: { origin: 'http://late.example', 'access-control-request-method': 'GET' } });
      expect(late.status).toBe(204);
      expect(late.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
      const simple = await fetch(`${server.url}/v1/batch?writeKey=${writeKey}`, {
        method: 'POST',
        headers: { origin: allowedOrigin, 'content-type': 'text/plain' },
        body: JSON.stringify({ batch: [{ type: 'page', messageId: `cors-${Math.random()}`, anonymousId: 'cors' }] }),
      });
      expect(simple.status).toBe(200);
      expect(simple.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
      expect(simple.headers.get('access-control-expose-headers')).toContain('x-request-id');
    });
  });

  describe('consent records', () => {
    it('appends hash-chained records and verifies the chain', async () => {
      const first = await call(server, 'POST', '/v1/consent-records', {
        subject: { userId: 'consent-user' },
        purposes: { analytics: 'granted', marketing: 'denied' },
        source: 'banner',
        action: 'save-choices',
        notice: { version: '2026-01', sha256: 'a'.repeat(64), language: 'en' },
        jurisdiction: 'EU',
      });
      expect(first.status).toBe(201);
      const second = await call(server, 'POST', '/v1/consent-records', { subject: { userId: 'consent-user' }, purposes: { marketing: 'granted' }, source: 'preference-centre' });
      expect(second.body.sequence).toBe(first.body.sequence + 1);
      expect(second.body.previousHash).toBe(first.body.hash);
      expect(second.body.hash).toMatch(/^[0-9a-f]{64}$/);
      const verification = await call(server, 'GET', '/v1/consent-records/verify');
      expect(verification.body.valid).toBe(true);
      const listed = await call(server, 'GET', '/v1/consent-records?userId=consent-user');
      expect(listed.body.results.map((record: { id: string }) => record.id)).toEqual([first.body.id, second.body.id]);
      expect((await call(server, 'GET', `/v1/consent-records/${first.body.id}`)).body.hash).toBe(first.body.hash);
      const invalid = await call(server, 'POST', '/v1/consent-records', { subject: {}, purposes: { analytics: 'maybe' }, source: 'telepathy' });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.issues.map((issue: { path: unknown[] }) => issue.path.join('.'))).toEqual(expect.arrayContaining(['subject', 'purposes.analytics', 'source']));
    });
  });

  describe('data-subject requests', () => {
    it('exports everything about a person, then erases them for good', async () => {
      const anonymousId = `dsr-${Math.random()}`;
      await sendBatch(server, [
        { type: 'identify', messageId: `${anonymousId}-i`, anonymousId, userId: `${anonymousId}-user`, traits: { email: `${anonymousId}@example.com` } },
        { type: 'track', messageId: `${anonymousId}-o`, anonymousId, event: 'Order Completed', properties: { total: 30, currency: 'EUR' } },
      ]);
      const exportRequest = await call(server, 'POST', '/v1/data-subject-requests', { type: 'export', subject: { email: `${anonymousId.toUpperCase()}@EXAMPLE.COM` } });
      expect(exportRequest.status).toBe(201);
      expect(exportRequest.body).toMatchObject({ status: 'completed', counts: { contacts: 1, events: 2, activities: 1 } });
      const exported = await call(server, 'GET', `/v1/data-subject-requests/${exportRequest.body.id}/export`);
      expect(exported.body.contact.properties.emails[0].address).toBe(`${anonymousId}@example.com`);
      expect(exported.body.activities[0].properties.amount).toBe(30);

      const erasure = await call(server, 'POST', '/v1/data-subject-requests', { type: 'erasure', subject: { userId: `${anonymousId}-user` } });
      expect(erasure.body.status).toBe('completed');
      expect(JSON.stringify(erasure.body)).not.toContain(`${anonymousId}-user`);
      expect((await call(server, 'GET', `/v1/contacts/${exportRequest.body.contactId}`)).status).toBe(404);
      expect((await call(server, 'GET', `/v1/events?anonymousId=${anonymousId}`)).body.results).toEqual([]);
      const later = await sendBatch(server, [{ type: 'page', messageId: `${anonymousId}-later`, anonymousId }]);
      expect(later.body).toMatchObject({ stored: 0, suppressed: 1 });
      const again = await call(server, 'POST', '/v1/data-subject-requests', { type: 'export', subject: { email: `${anonymousId}@example.com` } });
      expect(again.body.status).toBe('not_found');
      const list = await call(server, 'GET', '/v1/data-subject-requests?limit=100');
      expect(list.body.results.map((request: { id: string }) => request.id)).toEqual(expect.arrayContaining([exportRequest.body.id, erasure.body.id]));
    });
  });

  describe('scores', () => {
    it('scores customers from their purchases and shows the badge to the storefront', async () => {
      const buyer = `buyer-${Math.random()}`;
      const orders = [
        ['2026-03-01T10:00:00Z', 120],
        ['2026-06-01T10:00:00Z', 80],
        ['2026-11-01T10:00:00Z', 100],
      ] as const;
      await sendBatch(
        server,
        orders.map(([timestamp, total], i) => ({ type: 'track', event: 'Order Completed', messageId: `${buyer}-${i}`, userId: buyer, timestamp, properties: { total, currency: 'EUR', order_id: `${buyer}-${i}` } })),
      );
      const [contactId] = (await call(server, 'GET', `/v1/events?userId=${buyer}`)).body.results.map((event: { contactId: string }) => event.contactId);
      const score = await call(server, 'GET', `/v1/contacts/${contactId}/scores?asOf=2026-11-20`);
      expect(score.status).toBe(200);
      expect(score.body.purchases).toMatchObject({ count: 3, frequency: 2, revenue: 300, meanRepeatValue: 90 });
      expect(score.body.rfm.segment).toEqual(expect.any(String));
      expect(['A', 'B', 'C']).toContain(score.body.valueTier);
      const overview = await call(server, 'GET', '/v1/scores/overview?asOf=2026-11-20');
      expect(overview.body.customers).toBeGreaterThanOrEqual(1);
      expect(overview.body.rfmGrid.reduce((sum: number, cell: { customers: number }) => sum + cell.customers, 0)).toBe(overview.body.customers);
      const scores = await collectPages<{ contactId: string }>((after) => call(server, 'GET', `/v1/scores?asOf=2026-11-20&limit=2${after ? `&after=${after}` : ''}`));
      expect(scores.results.map((entry) => entry.contactId)).toContain(contactId);
      const badge = await fetch(`${server.url}/v1/loyalty?userId=${buyer}&writeKey=${writeKey}`);
      expect(await badge.json()).toMatchObject({ known: true, valueTier: score.body.valueTier, segment: expect.any(String) });
      const unknown = await fetch(`${server.url}/v1/loyalty?userId=nobody-${Math.random()}&writeKey=${writeKey}`);
      expect(await unknown.json()).toEqual({ known: false, loyaltyTier: null, valueTier: null, segment: null });
    });

    it('fits BG/NBD and Gamma-Gamma once there are enough customers: P(alive), expected purchases, CLV', async () => {
      const stamp = `model-${Math.random().toString(36).slice(2, 8)}`;
      // 150 customers drawn by the library's simulator from CDNOW-like BG/NBD parameters (in days).
      const simulated = simulateCustomers(bgNbd, { r: 0.243, alpha: 4.414 * 7, a: 0.793, b: 2.426 }, {
        customers: 150,
        customerAge: (index) => 200 + ((index * 37) % 160),
        timeStep: 1,
        transactions: true,
        spend: { p: 6.25, q: 3.74, gamma: 15.44 },
        seed: 7,
      });
      const contacts = await call(server, 'POST', '/v1/contacts/batch/upsert', {
        inputs: simulated.slice(0, 100).map((customer) => ({ idProperty: 'email', id: `${stamp}-${customer.index}@example.com`, properties: {} })),
      });
      const more = await call(server, 'POST', '/v1/contacts/batch/upsert', {
        inputs: simulated.slice(100).map((customer) => ({ idProperty: 'email', id: `${stamp}-${customer.index}@example.com`, properties: {} })),
      });
      const ids: string[] = [...contacts.body.results, ...more.body.results].map((result: { id: string }) => result.id);
      const end = Date.UTC(2025, 11, 31);
      const activities = simulated.flatMap((customer) =>
        (customer.purchaseTimes ?? []).map((time, k) => ({
          properties: { type: 'purchase', channel: 'web', contactId: ids[customer.index], amount: Math.round((customer.transactionValues?.[k] ?? 10) * 100) / 100, currency: 'EUR', occurredAt: new Date(end - (customer.T - time) * 86_400_000).toISOString() },
        })),
      );
      for (let start = 0; start < activities.length; start += 100) {
        expect((await call(server, 'POST', '/v1/activities/batch/upsert', { inputs: activities.slice(start, start + 100) })).status).toBe(200);
      }
      const overview = await call(server, 'GET', '/v1/scores/overview?asOf=2025-12-31');
      expect(overview.body.model).toMatchObject({ name: 'bg-nbd', parameters: { r: expect.any(Number), alpha: expect.any(Number), a: expect.any(Number), b: expect.any(Number) } });
      expect(overview.body.clvHistogram.reduce((sum: number, bin: { customers: number }) => sum + bin.customers, 0)).toBe(overview.body.customers);
      const repeater = simulated.find((customer) => customer.x >= 3)!;
      const score = await call(server, 'GET', `/v1/contacts/${ids[repeater.index]}/scores?asOf=2025-12-31`);
      expect(score.body.purchases.frequency).toBe(repeater.x);
      expect(score.body.pAlive).toBeGreaterThan(0);
      expect(score.body.pAlive).toBeLessThanOrEqual(1);
      expect(score.body.expectedPurchases).toBeGreaterThan(0);
      expect(score.body.clv).toBeGreaterThan(0);
      const tiers = overview.body.valueTiers.map((tier: { tier: string }) => tier.tier);
      expect(tiers).toContain('A');
    });
  });

  describe('webhooks', () => {
    it('delivers events signed so that the client verifies them', async () => {
      const received: { headers: IncomingMessage['headers']; body: string }[] = [];
      const receiver = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        request.on('end', () => {
          received.push({ headers: request.headers, body });
          response.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      try {
        const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
        const subscription = await call(server, 'POST', '/v1/webhooks', { url, events: ['ticket.created'] });
        expect(subscription.status).toBe(201);
        expect(subscription.body.secret).toMatch(/^whsec_/);
        expect((await call(server, 'GET', `/v1/webhooks/${subscription.body.id}`)).body.secret).toBeUndefined();
        const ticket = await call(server, 'POST', '/v1/tickets', { properties: { subject: 'Hooked', status: 'new' } });
        for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
        expect(received).toHaveLength(1);
        const delivery = received[0]!;
        const event = JSON.parse(delivery.body);
        expect(event).toMatchObject({ type: 'ticket.created', data: { id: ticket.body.id } });
        expect(delivery.headers['guanxi-webhook-id']).toBe(event.id);
        const header = String(delivery.headers['guanxi-signature']);
        expect(await verifyGuanxiWebhook({ secrets: [subscription.body.secret], body: delivery.body, header })).toEqual({ valid: true });
        expect((await verifyGuanxiWebhook({ secrets: ['whsec_wrong'], body: delivery.body, header })).valid).toBe(false);
        expect((await verifyGuanxiWebhook({ secrets: [subscription.body.secret], body: `${delivery.body} `, header })).valid).toBe(false);
        expect((await call(server, 'DELETE', `/v1/webhooks/${subscription.body.id}`)).status).toBe(204);
        expect((await call(server, 'GET', `/v1/webhooks/${subscription.body.id}`)).status).toBe(404);
      } finally {
        await new Promise<void>((resolve) => receiver.close(() => resolve()));
      }
    });
  });
});
