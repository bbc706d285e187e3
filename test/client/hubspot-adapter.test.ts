/**
 * The HubSpot CRM v3 adapter against the in-repo HubSpot contract server: the shared
 * adapter contract, then HubSpot's own rules (search limits, the 10,000-result window,
 * 207 batches, rate-limit policies and separate search bucket).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    const adapter = createHubSpotAdapter({ baseUrl: harness.server.origin, auth: { token: harness.token } });
    const other = createHubSpotAdapter({ baseUrl: harness.server.origin, auth: { token: harness.token } });
    expect(adapter.transport.bucket('search')).not.toBe(adapter.transport.bucket('default'));
    expect(adapter.transport.bucket('search')).not.toBe(other.transport.bucket('search'));
    const client = createCrmClient({ adapter });
    await Promise.all(Array.from({ length: 5 }, () => client.contacts.search({ filter: { field: 'email', op: 'exists' } }, { limit: 1 })));
    expect(adapter.transport.bucket('search')?.available).toBeLessThan(1);
    expect(adapter.transport.bucket('default')?.available).toBeGreaterThan(9);
    expect(other.transport.bucket('search')?.available).toBe(5);
  });
});
