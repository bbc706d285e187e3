/**
 * The adapter contract: one suite of behaviours every CRM adapter must show over real
 * HTTP on 127.0.0.1 — CRUD, unknown fields kept, typed errors, paging and iteration,
 * search, chunked batch upsert with per-item outcomes, retries that honour rate limits
 * and never duplicate a create, deadlines, auth refresh and cancellation. Each adapter's
 * test file calls `describeAdapterContract()` with a harness for its server.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidationError } from 'guanxi';
import {
  createCrmClient,
  isAuthError,
  isHttpError,
  isNotFoundError,
  isRateLimitError,
  isResultLimitError,
  isTimeoutError,
  type CrmActivity,
  type CrmActivityInput,
  type CrmAdapter,
  type CrmClient,
  type CrmContactInput,
  type CrmTicketInput,
  type CrmTransportOptions,
} from 'guanxi/client';
import type { FaultRule } from './support/faults';

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly idempotencyKey: string | undefined;
}

export interface ContractHarness {
  /** Creates an adapter for the server, with the given transport options on top of fast test defaults. */
  adapter(options?: Partial<Omit<CrmTransportOptions, 'baseUrl' | 'dialect'>>): CrmAdapter;
  /** Injects a one-shot fault into the next matching request. */
  inject(rule: FaultRule): void;
  /** Requests the server has seen so far (for counting attempts). */
  requests(): readonly SeenRequest[];
  /** Server-side count of live contacts with an email (case-insensitive). */
  countContactsWithEmail(email: string): Promise<number>;
  /** Puts `count` contacts in the server, without the client. */
  seedContacts(count: number, make: (index: number) => { email: string; firstName: string; lastName: string; lifecycleStage: string }): Promise<void>;
  /** The token the server accepts. */
  readonly token: string;
  /** A contact the client accepts and the server rejects with a field error on `field`. */
  readonly serverRejectedContact?: { readonly input: CrmContactInput; readonly field: string } | undefined;
  /** A ticket the server accepts (status and category vocabularies differ between CRMs). */
  readonly sampleTicket: CrmTicketInput;
  /** Whether creates are retried after ambiguous failures (idempotency keys honoured). */
  readonly retriesCreates: boolean;
  /** How the path of a contact-create request looks. */
  readonly contactCreatePath: RegExp;
  /** How the path of a contact read looks. */
  readonly contactReadPath: RegExp;
  /** Path of batch upsert requests. */
  readonly batchPath: RegExp;
  close(): Promise<void>;
}

/** Fast, deterministic transport settings for contract tests. */
export const contractTransportDefaults = {
  timeoutMs: 2000,
  totalTimeoutMs: 15_000,
  retry: { limit: 3, baseMs: 5, capMs: 40, maxRetryAfterMs: 5000 },
  rateLimits: false,
} as const satisfies Partial<CrmTransportOptions>;

export function describeAdapterContract(name: string, start: () => Promise<ContractHarness>): void {
  describe(`adapter contract: ${name}`, () => {
    let harness: ContractHarness;
    let crm: CrmClient;
    const run = Math.random().toString(36).slice(2, 8);
    let serial = 0;
    const email = (label: string) => `${label}-${run}-${++serial}@example.com`;
    const countRequests = (method: string, path: RegExp) => harness.requests().filter((request) => request.method === method && path.test(request.path)).length;

    beforeAll(async () => {
      harness = await start();
      crm = createCrmClient({ adapter: harness.adapter() });
    }, 60_000);

    afterAll(async () => {
      await harness?.close();
    });

    it('creates, reads, updates, lists and deletes a contact', async () => {
      const address = email('crud');
      const created = await crm.contacts.create({ email: address, firstName: 'Ada', lastName: 'Lovelace', lifecycleStage: 'lead' });
      expect(created.id).toMatch(/\S/);
      expect(created.email).toBe(address);
      const read = await crm.contacts.get(created.id);
      expect(read).toMatchObject({ id: created.id, email: address, firstName: 'Ada', lastName: 'Lovelace', lifecycleStage: 'lead' });
      const updated = await crm.contacts.update(created.id, { lifecycleStage: 'customer' });
      expect(updated.lifecycleStage).toBe('customer');
      expect((await crm.contacts.get(created.id)).lifecycleStage).toBe('customer');
      const page = await crm.contacts.list({ limit: 5 });
      expect(page.items.length).toBeGreaterThan(0);
      expect(page.items.length).toBeLessThanOrEqual(5);
      await crm.contacts.delete(created.id);
      const missing = await crm.contacts.get(created.id).catch((error: unknown) => error);
      expect(isNotFoundError(missing)).toBe(true);
      expect(isHttpError(missing) && missing.status).toBe(404);
    });

    it('keeps properties the schema does not know', async () => {
      const created = await crm.contacts.create({ email: email('extra'), properties: { loyalty_tier: 'gold' } });
      const read = await crm.contacts.get(created.id);
      expect(read.properties?.loyalty_tier).toBe('gold');
    });

    it('round-trips deals with stage, amount, currency, close date and owner', async () => {
      const deal = await crm.deals.create({ name: `Licence ${run}`, stage: 'contractsent', amount: 12_000.5, currency: 'EUR', closeDate: '2026-06-30', ownerId: '77' });
      const read = await crm.deals.get(deal.id);
      expect(read).toMatchObject({ name: `Licence ${run}`, stage: 'contractsent', amount: 12_000.5, currency: 'EUR', ownerId: '77' });
      expect(read.closeDate?.startsWith('2026-06-30')).toBe(true);
    });

    it('round-trips tickets with priority, category, status and owner', async () => {
      const sample = { ...harness.sampleTicket, subject: `Refund ${run}` };
      const ticket = await crm.tickets.create(sample);
      const read = await crm.tickets.get(ticket.id);
      expect(read).toMatchObject(sample);
    });

    it('rejects invalid input before sending anything', async () => {
      const before = harness.requests().length;
      const error = await crm.contacts.create({ email: 'not-an-email' }).catch((caught: unknown) => caught);
      expect(isValidationError(error)).toBe(true);
      expect(isValidationError(error) && error.issues[0]?.path).toEqual(['email']);
      const dealError = await crm.deals.create({ currency: 'euro' }).catch((caught: unknown) => caught);
      expect(isValidationError(dealError) && dealError.issues[0]?.path).toEqual(['currency']);
      expect(harness.requests().length).toBe(before);
    });

    it('reports server field errors as a ValidationError naming the field', async (context) => {
      if (!harness.serverRejectedContact) context.skip();
      const { input, field } = harness.serverRejectedContact!;
      const error = await crm.contacts.create({ ...input, email: email('invalid') }).catch((caught: unknown) => caught);
      expect(isValidationError(error)).toBe(true);
      if (!isValidationError(error)) return;
      expect(error.issues.map((issue) => issue.path[0])).toContain(field);
      const cause = (error as { cause?: unknown }).cause;
      expect(isHttpError(cause) && cause.status).toBeGreaterThanOrEqual(400);
    });

    it('pages with opaque cursors, iterates every item once, and caps toArray', async () => {
      const seeded = 230;
      await harness.seedContacts(seeded, (index) => ({ email: `page-${run}-${index}@example.com`, firstName: 'Page', lastName: String(index), lifecycleStage: 'lead' }));
      const first = await crm.contacts.list({ limit: 100 });
      expect(first.items).toHaveLength(100);
      expect(typeof first.nextCursor).toBe('string');
      const second = await crm.contacts.list({ limit: 100, cursor: first.nextCursor });
      expect(second.items[0]?.id).not.toBe(first.items[0]?.id);
      const ids = new Set<string>();
      let seen = 0;
      const mine = new Set<string>();
      for await (const contact of crm.contacts.iterate({ pageSize: 100 })) {
        seen++;
        ids.add(contact.id);
        if (contact.email?.startsWith(`page-${run}-`)) mine.add(contact.email);
      }
      expect(ids.size).toBe(seen);
      expect(mine.size).toBe(seeded);
      const capped = await crm.contacts.iterate({ pageSize: 100 }).toArray({ max: 10 }).catch((error: unknown) => error);
      expect(isResultLimitError(capped) && capped.source).toBe('caller');
      const all = await crm.contacts.iterate({ pageSize: 100 }).toArray({ max: seen });
      expect(all).toHaveLength(seen);
    });

    it('searches with the portable filter tree', async () => {
      const stamp = `s${run}`;
      await harness.seedContacts(12, (index) => ({
        email: `${stamp}-${index}@${index % 2 === 0 ? 'even' : 'odd'}.example.com`,
        firstName: stamp,
        lastName: `n${index}`,
        lifecycleStage: index < 4 ? 'customer' : 'lead',
      }));
      const mine = { field: 'firstName', op: 'eq', value: stamp } as const;
      const collect = async (filter: Parameters<CrmClient['contacts']['search']>[0]['filter']) => {
        const items = await crm.contacts.iterateSearch({ filter, sort: [{ field: 'lastName' }] }, { pageSize: 5 }).toArray({ max: 100 });
        return items.map((contact) => contact.lastName).sort();
      };
      expect(await collect(mine)).toHaveLength(12);
      expect(await collect({ and: [mine, { field: 'lifecycleStage', op: 'eq', value: 'customer' }] })).toEqual(['n0', 'n1', 'n2', 'n3']);
      expect(await collect({ and: [mine, { field: 'lastName', op: 'in', values: ['n5', 'n7', 'n99'] }] })).toEqual(['n5', 'n7']);
      expect(await collect({ and: [mine, { or: [{ field: 'lastName', op: 'eq', value: 'n1' }, { field: 'lastName', op: 'eq', value: 'n2' }] }] })).toEqual(['n1', 'n2']);
      expect(await collect({ and: [mine, { field: 'email', op: 'contains', value: 'odd' }, { field: 'lifecycleStage', op: 'neq', value: 'lead' }] })).toEqual(['n1', 'n3']);
      expect(await collect({ and: [mine, { field: 'phone', op: 'exists' }] })).toEqual([]);
      expect(await collect({ and: [mine, { field: 'phone', op: 'exists', value: false }, { field: 'lastName', op: 'eq', value: 'n0' }] })).toEqual(['n0']);
    });

    it('upserts in chunks of the API limit and reports each item, partial failure included', async () => {
      const before = countRequests('POST', harness.batchPath);
      const inputs: CrmContactInput[] = Array.from({ length: 230 }, (_, index) => ({ email: `batch-${run}-${index}@example.com`, firstName: 'Batch', lastName: String(index) }));
      const rejected = harness.serverRejectedContact;
      if (rejected) inputs[117] = { ...rejected.input, email: `batch-${run}-117@example.com` };
      const result = await crm.contacts.upsertMany(inputs, { matchBy: 'email', concurrency: 2 });
      expect(countRequests('POST', harness.batchPath) - before).toBe(3);
      expect(result.succeeded.length + result.failed.length).toBe(230);
      if (rejected) {
        expect(result.failed.map((failure) => failure.index)).toEqual([117]);
        expect(result.succeeded).toHaveLength(229);
      } else {
        expect(result.succeeded).toHaveLength(230);
      }
      for (const { index, record } of result.succeeded) expect(record.email).toBe(`batch-${run}-${index}@example.com`);
      // Upserting again updates instead of duplicating.
      const again = await crm.contacts.upsertMany(inputs.slice(0, 3).map((input) => ({ ...input, lastName: 'again' })), { matchBy: 'email' });
      expect(again.succeeded).toHaveLength(3);
      expect(await harness.countContactsWithEmail(`batch-${run}-0@example.com`)).toBe(1);
    });

    it('retries an idempotent read after a 5xx', async () => {
      const created = await crm.contacts.create({ email: email('retry') });
      const before = countRequests('GET', harness.contactReadPath);
      harness.inject({ method: 'GET', path: harness.contactReadPath, fault: { kind: 'server-error', status: 503 } });
      expect((await crm.contacts.get(created.id)).id).toBe(created.id);
      expect(countRequests('GET', harness.contactReadPath) - before).toBe(2);
    });

    it('waits out a short rate limit, with and without Retry-After', async () => {
      const created = await crm.contacts.create({ email: email('rate') });
      const before = countRequests('GET', harness.contactReadPath);
      harness.inject({ method: 'GET', path: harness.contactReadPath, fault: { kind: 'rate-limit', window: 'short', retryAfterSeconds: 1 } });
      const started = Date.now();
      expect((await crm.contacts.get(created.id)).id).toBe(created.id);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      harness.inject({ method: 'GET', path: harness.contactReadPath, fault: { kind: 'rate-limit', window: 'short' } });
      expect((await crm.contacts.get(created.id)).id).toBe(created.id);
      expect(countRequests('GET', harness.contactReadPath) - before).toBe(4);
    });

    it('fails at once with a RateLimitError on a limit that does not clear soon', async () => {
      const created = await crm.contacts.create({ email: email('daily') });
      const before = countRequests('GET', harness.contactReadPath);
      harness.inject({ method: 'GET', path: harness.contactReadPath, fault: { kind: 'rate-limit', window: 'long', retryAfterSeconds: 86_400 } });
      const error = await crm.contacts.get(created.id).catch((caught: unknown) => caught);
      expect(isRateLimitError(error)).toBe(true);
      expect(isRateLimitError(error) && error.status).toBe(429);
      expect(countRequests('GET', harness.contactReadPath) - before).toBe(1);
    });

    it('retries a refused (429) create without creating twice', async () => {
      const address = email('refused');
      harness.inject({ method: 'POST', path: harness.contactCreatePath, fault: { kind: 'rate-limit', window: 'short' } });
      await crm.contacts.create({ email: address });
      expect(await harness.countContactsWithEmail(address)).toBe(1);
    });

    for (const fault of [{ kind: 'fail-after-processing', status: 500 }, { kind: 'drop-after-processing' }] as const) {
      it(`never duplicates a create when the server ${fault.kind === 'drop-after-processing' ? 'drops the connection' : 'fails'} after processing it`, async () => {
        const address = email('once');
        const before = countRequests('POST', harness.contactCreatePath);
        harness.inject({ method: 'POST', path: harness.contactCreatePath, fault });
        const outcome = await crm.contacts.create({ email: address }).then(
          (contact) => ({ ok: true as const, contact }),
          (error: unknown) => ({ ok: false as const, error }),
        );
        const attempts = harness.requests().filter((request) => request.method === 'POST' && harness.contactCreatePath.test(request.path)).slice(before);
        if (harness.retriesCreates) {
          expect(outcome.ok).toBe(true);
          expect(attempts.length).toBe(2);
          expect(attempts[0]?.idempotencyKey).toBeTruthy();
          expect(attempts[1]?.idempotencyKey).toBe(attempts[0]?.idempotencyKey);
        } else {
          expect(outcome.ok).toBe(false);
          expect(attempts.length).toBe(1);
        }
        expect(await harness.countContactsWithEmail(address)).toBe(1);
      });
    }

    it('times out a slow attempt, retries it, and enforces the total deadline', async () => {
      const created = await crm.contacts.create({ email: email('slow') });
      const quick = createCrmClient({ adapter: harness.adapter({ timeoutMs: 150, totalTimeoutMs: 5000 }) });
      harness.inject({ method: 'GET', path: harness.contactReadPath, fault: { kind: 'delay', ms: 600 } });
      expect((await quick.contacts.get(created.id)).id).toBe(created.id);
      const impatient = createCrmClient({ adapter: harness.adapter({ timeoutMs: 2000, totalTimeoutMs: 250 }) });
      harness.inject({ method: 'GET', path: harness.contactReadPath, fault: { kind: 'delay', ms: 800 } });
      const error = await impatient.contacts.get(created.id).catch((caught: unknown) => caught);
      expect(isTimeoutError(error) && error.kind).toBe('total');
    });

    it('reports bad credentials as AuthError without leaking the token', async () => {
      const secret = `sk_live_${run}_do_not_leak`;
      const client = createCrmClient({ adapter: harness.adapter({ auth: { token: secret } }) });
      const error = await client.contacts.list().catch((caught: unknown) => caught);
      expect(isAuthError(error)).toBe(true);
      expect(String((error as Error).message)).not.toContain(secret);
      expect(JSON.stringify(error)).not.toContain(secret);
      expect(inspect(error, { depth: 10, showHidden: true })).not.toContain(secret);
    });

    it('refreshes a token once for concurrent 401s and retries', async () => {
      let calls = 0;
      const fresh = harness.token;
      const client = createCrmClient({
        adapter: harness.adapter({
          auth: {
            tokenProvider: async ({ reason }) => {
              calls++;
              await new Promise((resolve) => setTimeout(resolve, 20));
              return reason === 'initial' ? 'expired-token' : fresh;
            },
          },
        }),
      });
      const pages = await Promise.all(Array.from({ length: 5 }, () => client.contacts.list({ limit: 1 })));
      expect(pages.every((page) => page.items.length === 1)).toBe(true);
      expect(calls).toBe(2);
    });

    describe('activities (touchpoints)', () => {
      const at = '2026-05-04T09:30:00.000Z';
      const logged = (contactId: string): CrmActivityInput[] => [
        { type: 'call', occurredAt: at, subject: 'Renewal call', content: 'Talked about the renewal', direction: 'outbound', durationSeconds: 240, status: 'completed', ownerId: '77', contactId },
        { type: 'email', occurredAt: at, subject: 'Your offer', content: 'Please find the offer attached', direction: 'inbound', contactId },
        { type: 'meeting', occurredAt: at, subject: 'Kick-off', content: 'Agenda: scope, dates', durationSeconds: 1800, status: 'scheduled', contactId },
        { type: 'task', occurredAt: at, subject: 'Send proposal', content: 'By Friday', status: 'not-started', priority: 'high', contactId },
        { type: 'note', occurredAt: at, content: 'Prefers email to calls', contactId },
      ];
      const withoutTime = ({ occurredAt: _occurredAt, ...rest }: CrmActivityInput) => rest;
      let contactId = '';
      const created: CrmActivity[] = [];

      beforeAll(async () => {
        contactId = (await crm.contacts.create({ email: email('touchpoints'), firstName: 'Tess' })).id;
        for (const input of logged(contactId)) created.push(await crm.activities.create(input));
      });

      it('logs calls, emails, meetings, tasks and notes and reads them back in the touchpoint vocabulary', async () => {
        expect(created.map((activity) => activity.type)).toEqual(['call', 'email', 'meeting', 'task', 'note']);
        const inputs = logged(contactId);
        for (const [index, activity] of created.entries()) {
          const input = inputs[index]!;
          const read = await crm.activities.get(activity.id);
          expect(read).toMatchObject({ id: activity.id, ...withoutTime(input) });
          expect(Date.parse(read.occurredAt)).toBe(Date.parse(at));
        }
      });

      it('accepts the deprecated body and durationMs as content and durationSeconds', async () => {
        const legacy = await crm.activities.create({ type: 'call', occurredAt: at, body: 'Left a voicemail', durationMs: 30_000, contactId });
        const read = await crm.activities.get(legacy.id);
        expect(read).toMatchObject({ content: 'Left a voicemail', durationSeconds: 30 });
        expect(read.body).toBeUndefined();
        expect(read.durationMs).toBeUndefined();
        await crm.activities.delete(legacy.id);
      });

      it('updates and deletes an activity', async () => {
        const task = await crm.activities.create({ type: 'task', occurredAt: at, subject: 'Call back', status: 'not-started', contactId });
        const updated = await crm.activities.update(task.id, { status: 'completed', subject: 'Called back' });
        expect(updated).toMatchObject({ id: task.id, type: 'task', status: 'completed', subject: 'Called back', contactId });
        const meeting = created[2]!;
        expect((await crm.activities.update(meeting.id, { durationSeconds: 3600 })).durationSeconds).toBe(3600);
        await crm.activities.delete(task.id);
        const missing = await crm.activities.get(task.id).catch((error: unknown) => error);
        expect(isNotFoundError(missing)).toBe(true);
      });

      it('lists every kind and searches by contact, by type and across types', async () => {
        const mine = new Map<string, CrmActivity>();
        for await (const activity of crm.activities.iterate({ pageSize: 2 })) if (activity.contactId === contactId) mine.set(activity.id, activity);
        expect([...mine.values()].map((activity) => activity.type).sort()).toEqual(['call', 'email', 'meeting', 'note', 'task']);
        const ofContact = { field: 'contactId', op: 'eq', value: contactId } as const;
        const search = async (filter: Parameters<CrmClient['activities']['search']>[0]['filter']) =>
          (await crm.activities.iterateSearch({ filter }, { pageSize: 2 }).toArray({ max: 50 })).map((activity) => activity.type).sort();
        expect(await search(ofContact)).toEqual(['call', 'email', 'meeting', 'note', 'task']);
        expect(await search({ and: [ofContact, { field: 'type', op: 'eq', value: 'call' }] })).toEqual(['call']);
        expect(await search({ and: [ofContact, { field: 'type', op: 'in', values: ['task', 'note'] }] })).toEqual(['note', 'task']);
        expect(await search({ and: [ofContact, { field: 'occurredAt', op: 'gte', value: '2026-05-04T00:00:00Z' }, { field: 'type', op: 'eq', value: 'email' }] })).toEqual(['email']);
        const found = await crm.activities.search({ filter: { and: [ofContact, { field: 'type', op: 'eq', value: 'meeting' }] } });
        expect(found.items[0]).toMatchObject({ id: created[2]!.id, contactId, subject: 'Kick-off' });
      });

      it('rejects invalid activities before sending anything', async () => {
        const before = harness.requests().length;
        const error = await crm.activities.create({ type: 'call', occurredAt: 'yesterday' }).catch((caught: unknown) => caught);
        expect(isValidationError(error) && error.issues[0]?.path).toEqual(['occurredAt']);
        const negative = await crm.activities.create({ type: 'call', occurredAt: at, durationSeconds: -1 }).catch((caught: unknown) => caught);
        expect(isValidationError(negative) && negative.issues[0]?.path).toEqual(['durationSeconds']);
        expect(harness.requests().length).toBe(before);
      });
    });

    it('stops when the caller aborts, including during a backoff wait', async () => {
      const created = await crm.contacts.create({ email: email('abort') });
      const controller = new AbortController();
      harness.inject({ method: 'GET', path: harness.contactReadPath, fault: { kind: 'rate-limit', window: 'short', retryAfterSeconds: 3 } });
      const pending = crm.contacts.get(created.id, { signal: controller.signal }).catch((caught: unknown) => caught);
      setTimeout(() => controller.abort(), 200);
      const error = await pending;
      expect((error as Error).name).toBe('AbortError');
    });
  });
}
