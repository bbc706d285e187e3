/**
 * The HubSpot CRM v3 adapter against the in-repo HubSpot contract server: the shared
 * adapter contract, then HubSpot's own rules (search limits, the 10,000-result window,
 * 207 batches, rate-limit policies and separate search bucket).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidationError } from 'guanxi';
import {
  createCrmClient,
  createHubSpotAdapter,
  isRateLimitError,
  isResultLimitError,
  isUnsupportedOperationError,
  type CrmClient,
  type CrmFilter,
} from 'guanxi/client';
import { contractTransportDefaults, describeAdapterContract, type ContractHarness } from './adapter-contract';
import { startHubSpotContractServer, type HubSpotContractServer } from './hubspot-contract-server';

async function startHubSpotHarness(): Promise<ContractHarness & { server: HubSpotContractServer }> {
  const server = await startHubSpotContractServer({ tokens: ['hs-test-token'], intervalMs: 200 });
  return {
    server,
    token: 'hs-test-token',
    adapter: (options = {}) =>
      createHubSpotAdapter({
        ...contractTransportDefaults,
        baseUrl: server.origin,
        auth: { token: 'hs-test-token' },
        extraProperties: { contacts: ['loyalty_tier'] },
        ...options,
      }),
    inject: (rule) => server.faults.push(rule),
    requests: () => server.requests,
    countContactsWithEmail: async (email) => server.count('contacts', (object) => object.properties.email?.toLowerCase() === email.toLowerCase()),
    seedContacts: async (count, make) =>
      server.seed('contacts', count, (index) => {
        const contact = make(index);
        return { email: contact.email, firstname: contact.firstName, lastname: contact.lastName, lifecyclestage: contact.lifecycleStage };
      }),
    serverRejectedContact: { input: { lifecycleStage: 'not-a-stage' }, field: 'lifecycleStage' },
    sampleTicket: { subject: 'Refund', priority: 'high', category: 'BILLING_ISSUE', status: '1', ownerId: '77' },
    retriesCreates: false,
    contactCreatePath: /^\/crm\/v3\/objects\/contacts$/,
    contactReadPath: /^\/crm\/v3\/objects\/contacts\/\d+(\?|$)/,
    batchPath: /^\/crm\/v3\/objects\/contacts\/batch\//,
    close: () => server.close(),
  };
}

describeAdapterContract('HubSpot CRM v3 (contract server)', startHubSpotHarness);

describe('HubSpot adapter: HubSpot-specific rules', () => {
  let harness: Awaited<ReturnType<typeof startHubSpotHarness>>;
  let crm: CrmClient;

  beforeAll(async () => {
    harness = await startHubSpotHarness();
    crm = createCrmClient({ adapter: harness.adapter() });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('translates and/or trees to filterGroups, and rejects trees beyond 5 groups without sending', async () => {
    const before = harness.server.requests.length;
    const sixWays: CrmFilter = { or: Array.from({ length: 6 }, (_, index) => ({ field: 'lastName', op: 'eq' as const, value: String(index) })) };
    const error = await crm.contacts.search({ filter: sixWays }).catch((caught: unknown) => caught);
    expect(isUnsupportedOperationError(error)).toBe(true);
    expect(String((error as Error).message)).toContain('5 filter groups');
    // (a ∨ b) ∧ (c ∨ d) ∧ (e ∨ f) expands to 8 groups.
    const pair = (field: string): CrmFilter => ({ or: [{ field, op: 'eq', value: 'x' }, { field, op: 'eq', value: 'y' }] });
    const product = await crm.contacts.search({ filter: { and: [pair('a'), pair('b'), pair('c')] } }).catch((caught: unknown) => caught);
    expect(isUnsupportedOperationError(product)).toBe(true);
    const wide: CrmFilter = { and: Array.from({ length: 11 }, (_, index) => ({ field: `p${index}`, op: 'exists' as const })) };
    const tooWide = await crm.contacts.search({ filter: wide }).catch((caught: unknown) => caught);
    expect(isUnsupportedOperationError(tooWide) && tooWide.message).toContain('10 filters per group');
    expect(harness.server.requests.length).toBe(before);
    const accepted = await crm.contacts.search({ filter: { and: [pair('firstName'), pair('lastName')] } });
    expect(accepted.items).toEqual([]);
    const body = JSON.parse(harness.server.requests.at(-1)?.body ?? '{}') as { filterGroups: { filters: unknown[] }[] };
    expect(body.filterGroups).toHaveLength(4);
    expect(body.filterGroups.every((group) => group.filters.length === 2)).toBe(true);
  });

  it('says so with a ResultLimitError after the 10,000-result search window instead of stopping silently', async () => {
    harness.server.recordRequests = false;
    harness.server.seed('contacts', 10_050, (index) => ({ email: `window-${index}@example.com`, firstname: 'Window', lastname: String(index) }));
    let yielded = 0;
    const error = await (async () => {
      for await (const _contact of crm.contacts.iterateSearch({ filter: { field: 'firstName', op: 'eq', value: 'Window' } }, { pageSize: 200 })) yielded++;
    })().catch((caught: unknown) => caught);
    harness.server.recordRequests = true;
    expect(yielded).toBe(10_000);
    expect(isResultLimitError(error)).toBe(true);
    expect(isResultLimitError(error) && error.source).toBe('api');
    expect(isResultLimitError(error) && error.message).toContain('10050 matched');
  }, 60_000);

  it('reports a DAILY 429 as RateLimitError with the policy name, without retrying', async () => {
    harness.server.faults.push({ method: 'GET', fault: { kind: 'rate-limit', window: 'long' } });
    const before = harness.server.requests.length;
    const error = await crm.contacts.list().catch((caught: unknown) => caught);
    expect(isRateLimitError(error) && error.limit).toBe('DAILY');
    expect(isRateLimitError(error) && error.requestId).toMatch(/^corr-/);
    expect(harness.server.requests.length - before).toBe(1);
  });

  it('retries a TEN_SECONDLY_ROLLING 429 after the interval header when there is no Retry-After', async () => {
    harness.server.faults.push({ method: 'GET', fault: { kind: 'rate-limit', window: 'short' } });
    const started = Date.now();
    await crm.contacts.list({ limit: 1 });
    // The contract server announces a 200 ms interval.
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('maps batch results back to inputs although HubSpot returns them in another order, and reports 207 errors per item', async () => {
    const created = await crm.deals.create({ name: 'Batch base', amount: 1 });
    const result = await crm.deals.upsertMany(
      [
        { id: created.id, amount: 10 },
        { id: '999999999', amount: 20 },
        { amount: 30 },
      ] as never[],
      { matchBy: 'id' },
    );
    expect(result.succeeded.map((item) => [item.index, item.record.amount])).toEqual([[0, 10]]);
    expect(result.failed.map((item) => [item.index, item.failure.code])).toEqual([
      [1, 'OBJECT_NOT_FOUND'],
      [2, 'missing_match_value'],
    ]);
  });

  it('keeps separate client-side buckets for search and other calls, per adapter instance', async () => {
    // A slow refill keeps the check independent of how long the five searches take on a
    // loaded machine; the burst sizes are HubSpot's defaults.
    const rateLimits = { default: { requestsPerSecond: 0.01, burst: 10 }, search: { requestsPerSecond: 0.01, burst: 5 } };
    const adapter = createHubSpotAdapter({ baseUrl: harness.server.origin, auth: { token: harness.token }, rateLimits });
    const other = createHubSpotAdapter({ baseUrl: harness.server.origin, auth: { token: harness.token }, rateLimits });
    expect(adapter.transport.bucket('search')).not.toBe(adapter.transport.bucket('default'));
    expect(adapter.transport.bucket('search')).not.toBe(other.transport.bucket('search'));
    const client = createCrmClient({ adapter });
    await Promise.all(Array.from({ length: 5 }, () => client.contacts.search({ filter: { field: 'email', op: 'exists' } }, { limit: 1 })));
    expect(adapter.transport.bucket('search')?.available).toBeLessThan(1);
    expect(adapter.transport.bucket('default')?.available).toBeGreaterThan(9);
    expect(other.transport.bucket('search')?.available).toBe(5);
  });

  describe('activities on engagement objects', () => {
    const at = '2026-06-01T08:00:00.000Z';
    const lastBody = (pattern: RegExp) => JSON.parse([...harness.server.requests].reverse().find((request) => pattern.test(request.path))?.body ?? '{}') as Record<string, unknown>;

    it('writes HubSpot property names, units and association type ids, and names the object in the id', async () => {
      const contact = await crm.contacts.create({ email: `engage-${Math.random()}@example.com` });
      const deal = await crm.deals.create({ name: 'Engaged deal' });
      const call = await crm.activities.create({ type: 'call', occurredAt: at, subject: 'Intro', content: 'Intro call', direction: 'outbound', durationSeconds: 90, status: 'no-answer', ownerId: '42', contactId: contact.id, dealId: deal.id });
      expect(call.id).toMatch(/^call:\d+$/);
      expect(lastBody(/^\/crm\/v3\/objects\/calls$/)).toEqual({
        properties: { hs_timestamp: at, hubspot_owner_id: '42', hs_call_title: 'Intro', hs_call_body: 'Intro call', hs_call_direction: 'OUTBOUND', hs_call_duration: '90000', hs_call_status: 'NO_ANSWER' },
        associations: [
          { to: { id: contact.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 194 }] },
          { to: { id: deal.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 206 }] },
        ],
      });
      expect(await crm.activities.get(call.id)).toMatchObject({ type: 'call', channel: 'phone', status: 'no-answer', durationSeconds: 90, contactId: contact.id, dealId: deal.id });
      const meeting = await crm.activities.create({ type: 'meeting', occurredAt: at, subject: 'Demo', durationSeconds: 2700, contactId: contact.id });
      expect((lastBody(/^\/crm\/v3\/objects\/meetings$/).properties as Record<string, string>).hs_meeting_end_time).toBe('2026-06-01T08:45:00.000Z');
      const task = await crm.activities.create({ type: 'task', occurredAt: at, subject: 'Follow up', priority: 'high', status: 'not-started', contactId: contact.id });
      expect(lastBody(/^\/crm\/v3\/objects\/tasks$/)).toMatchObject({ properties: { hs_task_priority: 'HIGH', hs_task_status: 'NOT_STARTED' }, associations: [{ types: [{ associationTypeId: 204 }] }] });
      const email = await crm.activities.create({ type: 'email', occurredAt: at, subject: 'Hello', direction: 'outbound', contactId: contact.id });
      expect((lastBody(/^\/crm\/v3\/objects\/emails$/).properties as Record<string, string>).hs_email_direction).toBe('EMAIL');
      const note = await crm.activities.create({ type: 'note', occurredAt: at, content: 'Met at the fair', contactId: contact.id });
      expect(lastBody(/^\/crm\/v3\/objects\/notes$/)).toMatchObject({ associations: [{ types: [{ associationTypeId: 202 }] }] });
      expect([meeting.id, task.id, email.id, note.id].map((id) => id.split(':')[0])).toEqual(['meeting', 'task', 'email', 'note']);
      // Search results carry no associations on HubSpot: the adapter reads them in batches.
      const found = await crm.activities.search({ filter: { and: [{ field: 'contactId', op: 'eq', value: contact.id }, { field: 'type', op: 'eq', value: 'call' }] } });
      expect(found.items).toEqual([expect.objectContaining({ id: call.id, contactId: contact.id, dealId: deal.id })]);
      expect(harness.server.requests.some((request) => request.path === '/crm/v4/associations/calls/deals/batch/read')).toBe(true);
    });

    it("reports HubSpot's field errors on engagement properties under the activity's field names", async () => {
      const error = await crm.activities.create({ type: 'call', occurredAt: at, status: 'maybe' }).catch((caught: unknown) => caught);
      expect(isValidationError(error) && error.issues.map((issue) => [issue.path, issue.code])).toEqual([[['status'], 'INVALID_OPTION']]);
      const task = await crm.activities.create({ type: 'task', occurredAt: at, subject: 'Priority check' });
      const priority = await crm.activities.update(task.id, { priority: 'sky-high' }).catch((caught: unknown) => caught);
      expect(isValidationError(priority) && priority.issues[0]?.path).toEqual(['priority']);
    });

    it('rejects what HubSpot cannot keep, before sending anything', async () => {
      const before = harness.server.requests.length;
      const attempts: [Promise<unknown>, string][] = [
        [crm.activities.create({ type: 'complaint', channel: 'call-centre', occurredAt: at }), 'type'],
        [crm.activities.create({ type: 'note', occurredAt: at, subject: 'Notes have no subject' }), 'subject'],
        [crm.activities.create({ type: 'meeting', occurredAt: at, direction: 'inbound' }), 'direction'],
        [crm.activities.create({ type: 'call', occurredAt: at, goal: 'retention' }), 'goal'],
        [crm.activities.create({ type: 'email', occurredAt: at, channel: 'web' }), 'channel'],
        [crm.activities.update('call:1', { contactId: '5' }), 'contactId'],
        [crm.activities.update('call:1', { type: 'email' }), 'type'],
        [crm.activities.search({ sort: [{ field: 'occurredAt' }] }), 'sort'],
        [crm.activities.search({ filter: { or: [{ field: 'type', op: 'eq', value: 'call' }, { field: 'subject', op: 'exists' }] } }), 'type'],
        [crm.activities.upsertMany([{ type: 'call', occurredAt: at }], { matchBy: 'subject' }), 'matchBy'],
      ];
      for (const [attempt, field] of attempts) {
        const error = await attempt.catch((caught: unknown) => caught);
        expect(isUnsupportedOperationError(error), field).toBe(true);
        expect(isUnsupportedOperationError(error) && error.path).toContain(field);
      }
      const badId = await crm.activities.get('123').catch((caught: unknown) => caught);
      expect(isValidationError(badId) && badId.issues[0]?.message).toContain("'call:123'");
      expect(harness.server.requests.length).toBe(before);
    });

    it('keeps touchpoint types and fields HubSpot lacks in custom properties when told to', async () => {
      const adapter = harness.adapter();
      const custom = createCrmClient({
        adapter: createHubSpotAdapter({
          ...contractTransportDefaults,
          baseUrl: harness.server.origin,
          auth: { token: harness.token },
          activityProperties: { type: 'guanxi_type', channel: 'guanxi_channel', outcome: 'guanxi_outcome' },
        }),
      });
      expect(adapter.supports('activities')).toBe(true);
      const complaint = await custom.activities.create({ type: 'complaint', channel: 'call-centre', occurredAt: at, subject: 'Broken lid', outcome: 'refund issued' });
      expect(complaint.id).toMatch(/^call:/);
      expect(harness.server.stores.calls.get(complaint.id.slice(5))?.properties).toMatchObject({ guanxi_type: 'complaint', guanxi_channel: 'call-centre', guanxi_outcome: 'refund issued', hs_call_title: 'Broken lid' });
      expect(await custom.activities.get(complaint.id)).toMatchObject({ type: 'complaint', channel: 'call-centre', outcome: 'refund issued' });
      const visit = await custom.activities.create({ type: 'visit', channel: 'store', occurredAt: at });
      expect(visit.id).toMatch(/^note:/);
      const complaints = await custom.activities.iterateSearch({ filter: { field: 'type', op: 'eq', value: 'complaint' } }).toArray({ max: 10 });
      expect(complaints.map((activity) => activity.id)).toEqual([complaint.id]);
    });

    it('walks the engagement objects in turn, skipping empty ones, and keeps unknown HubSpot values as properties', async () => {
      const server = await startHubSpotContractServer({ tokens: ['t'] });
      try {
        const client = createCrmClient({ adapter: createHubSpotAdapter({ ...contractTransportDefaults, baseUrl: server.origin, auth: { token: 't' } }) });
        server.seed('calls', 3, (index) => ({ hs_timestamp: at, hs_call_title: `Call ${index}`, hs_call_duration: '1500' }));
        server.seed('notes', 2, (index) => ({ hs_timestamp: at, hs_note_body: `Note ${index}` }));
        server.seed('emails', 1, () => ({ hs_timestamp: at, hs_email_subject: 'Fwd: offer', hs_email_direction: 'FORWARDED_EMAIL' }));
        const first = await client.activities.list({ limit: 2 });
        expect(first.items.map((activity) => activity.type)).toEqual(['call', 'call']);
        const pages: string[][] = [];
        for await (const page of client.activities.iterate({ pageSize: 2 }).pages()) pages.push(page.items.map((activity) => activity.subject ?? activity.content ?? ''));
        // calls (2 + 1), emails (1), then meetings and tasks are empty and notes follow.
        expect(pages).toEqual([['Call 0', 'Call 1'], ['Call 2'], ['Fwd: offer'], ['Note 0', 'Note 1']]);
        const [email] = await client.activities.iterateSearch({ filter: { field: 'type', op: 'eq', value: 'email' } }).toArray({ max: 5 });
        expect(email?.direction).toBeUndefined();
        expect(email?.properties?.hs_email_direction).toBe('FORWARDED_EMAIL');
        expect((await client.activities.list({ limit: 1 })).items[0]?.durationSeconds).toBe(1.5);
        const empty = await client.activities.search({ filter: { field: 'type', op: 'eq', value: 'meeting' } });
        expect(empty).toMatchObject({ items: [], nextCursor: undefined });
      } finally {
        await server.close();
      }
    });

    it('batch-updates activities by id, per engagement object, and reports each item', async () => {
      const contact = await crm.contacts.create({ email: 'batch-activities@example.com' });
      const call = await crm.activities.create({ type: 'call', occurredAt: at, subject: 'Batch call', contactId: contact.id });
      const note = await crm.activities.create({ type: 'note', occurredAt: at, content: 'Batch note' });
      const result = await crm.activities.upsertMany([
        { id: call.id, type: 'call', occurredAt: at, subject: 'Batch call, updated' },
        { id: note.id, type: 'note', occurredAt: at, content: 'Batch note, updated' },
        { id: 'call:99999999', type: 'call', occurredAt: at },
        { type: 'note', occurredAt: at },
      ] as never[]);
      expect(result.succeeded.map((item) => [item.index, item.record.id])).toEqual([
        [0, call.id],
        [1, note.id],
      ]);
      expect(result.failed.map((item) => item.index).sort()).toEqual([2, 3]);
      // Updated activities come back with their associations, as a read gives them.
      // (`properties` keeps HubSpot's raw answer, which differs between batch and read.)
      const { properties: _batchProperties, ...updated } = result.succeeded[0]?.record ?? {};
      const { properties: _readProperties, ...read } = await crm.activities.get(call.id);
      expect(updated).toStrictEqual(read);
      expect(result.succeeded[0]?.record.contactId).toBe(contact.id);
      expect(result.succeeded[1]?.record.contactId).toBeUndefined();
      expect((await crm.activities.get(note.id)).content).toBe('Batch note, updated');
    });
  });
});
