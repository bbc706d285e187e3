/**
 * examples/custom-adapter.ts runs: a plugin author's adapter over a real TinyCRM-like
 * server on 127.0.0.1 gets the client's validation, paging, iteration, per-item batch
 * outcomes, idempotent creates and clear refusals of filters it cannot express.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrmClient, isNotFoundError, isUnsupportedOperationError, type CrmClient } from 'guanxi/client';
import { TinyCrmAdapter } from '../../examples/custom-adapter';

interface Person {
  id: string;
  email?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  extra?: Record<string, string>;
}

let server: Server;
let crm: CrmClient;
const people = new Map<string, Person>();
const replays = new Map<string, Person>();
let nextId = 1;
let failNextCreateAfterStoring = false;

function page(list: Person[], token: string | null, size: number) {
  const start = Number(token ?? 0);
  const end = start + size;
  return { data: list.slice(start, end), ...(end < list.length ? { next_page_token: String(end) } : {}) };
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const body = chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
      const send = (status: number, payload?: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(payload === undefined ? '' : JSON.stringify(payload));
      };
      const parts = url.pathname.split('/').filter(Boolean);
      const size = Number(url.searchParams.get('page_size') ?? 50);
      if (request.method === 'GET' && parts.length === 1) return send(200, page([...people.values()], url.searchParams.get('page_token'), size));
      if (request.method === 'POST' && parts.length === 1) {
        const key = String(request.headers['idempotency-key'] ?? '');
        const known = replays.get(key);
        if (known) return send(201, known);
        const person = { ...(body as Partial<Person>), id: String(nextId++) };
        people.set(person.id, person);
        if (key) replays.set(key, person);
        if (failNextCreateAfterStoring) {
          failNextCreateAfterStoring = false;
          return send(503, { message: 'try again', request_id: 'rq1' });
        }
        return send(201, person);
      }
      if (parts[1] === 'query') {
        const where = body.where as { field: keyof Person; value: string }[];
        const matches = [...people.values()].filter((person) => where.every((condition) => person[condition.field] === condition.value));
        return send(200, page(matches, (body.page_token as string | undefined) ?? null, Number(body.page_size ?? 50)));
      }
      if (parts[1] === 'by-email' && request.method === 'PUT') {
        const email = decodeURIComponent(parts[2] ?? '');
        if (!email.includes('@')) return send(400, { message: 'bad email', request_id: 'rq2' });
        const existing = [...people.values()].find((person) => person.email === email);
        const person = { ...existing, ...(body as Partial<Person>), email, id: existing?.id ?? String(nextId++) };
        people.set(person.id, person);
        return send(200, person);
      }
      const person = people.get(parts[1] ?? '');
      if (!person) return send(404, { message: 'no such person', request_id: 'rq3' });
      if (request.method === 'GET') return send(200, person);
      if (request.method === 'PATCH') {
        Object.assign(person, body);
        return send(200, person);
      }
      if (request.method === 'DELETE') {
        people.delete(person.id);
        return send(204);
      }
      return send(405, { message: 'no' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  crm = createCrmClient({ adapter: new TinyCrmAdapter({ baseUrl: origin, auth: { token: 'tiny' }, retry: { baseMs: 1, capMs: 5 }, rateLimits: false }) });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('examples/custom-adapter.ts (TinyCRM)', () => {
  it('creates, reads, updates and deletes with the portable shape', async () => {
    const ada = await crm.contacts.create({ email: 'ada@example.com', firstName: 'Ada', properties: { tier: 'gold' } });
    expect(await crm.contacts.get(ada.id)).toMatchObject({ email: 'ada@example.com', firstName: 'Ada', properties: { tier: 'gold' } });
    expect((await crm.contacts.update(ada.id, { lastName: 'Lovelace' })).lastName).toBe('Lovelace');
    await crm.contacts.delete(ada.id);
    expect(isNotFoundError(await crm.contacts.get(ada.id).catch((error: unknown) => error))).toBe(true);
  });

  it('retries a create that failed after storing without creating twice (idempotency key)', async () => {
    const before = people.size;
    failNextCreateAfterStoring = true;
    await crm.contacts.create({ email: 'once@example.com' });
    expect(people.size).toBe(before + 1);
  });

  it('pages and iterates; upserts report each item; unsupported filters are refused before sending', async () => {
    const result = await crm.contacts.upsertMany(
      [...Array.from({ length: 60 }, (_, index) => ({ email: `p${index}@example.com`, firstName: 'P' })), { email: 'broken', firstName: 'X' }, { firstName: 'No email' }],
      { matchBy: 'email' },
    );
    expect(result.succeeded).toHaveLength(60);
    expect(result.failed.map((failure) => [failure.index, failure.failure.code])).toEqual([
      [60, 'validation_failed'],
      [61, 'missing_email'],
    ]);
    const everyone = await crm.contacts.iterate({ pageSize: 7 }).toArray({ max: 1000 });
    expect(everyone.filter((contact) => contact.firstName === 'P')).toHaveLength(60);
    const found = await crm.contacts.iterateSearch({ filter: { and: [{ field: 'firstName', op: 'eq', value: 'P' }, { field: 'email', op: 'eq', value: 'p7@example.com' }] } }).toArray({ max: 10 });
    expect(found.map((contact) => contact.email)).toEqual(['p7@example.com']);
    const refused = await crm.contacts.search({ filter: { or: [{ field: 'email', op: 'eq', value: 'a' }, { field: 'email', op: 'eq', value: 'b' }] } }).catch((error: unknown) => error);
    expect(isUnsupportedOperationError(refused) && refused.path).toEqual([]);
    expect(isUnsupportedOperationError(await crm.deals.list().catch((error: unknown) => error))).toBe(true);
  });
});
