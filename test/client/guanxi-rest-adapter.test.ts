/**
 * The guanxi REST adapter against a server following docs/openapi.yaml (the in-test
 * stand-in; the reference server runs the same contract in examples/crm-server's
 * tests once it is on main), plus what only guanxi REST has: consent records, event
 * batches and data-subject requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidationError } from 'guanxi';
import { createCrmClient, createGuanxiRestAdapter, isUnsupportedOperationError, type CrmClient, type CrmEvent } from 'guanxi/client';
import { contractTransportDefaults, describeAdapterContract, type ContractHarness } from './adapter-contract';
import { startGuanxiRestTestServer, type GuanxiRestTestServer } from './guanxi-rest-test-server';

async function startRestHarness(): Promise<ContractHarness & { server: GuanxiRestTestServer }> {
  const server = await startGuanxiRestTestServer();
  return {
    server,
    token: server.apiKey,
    adapter: (options = {}) => createGuanxiRestAdapter({ ...contractTransportDefaults, baseUrl: server.origin, auth: { token: server.apiKey }, writeKey: server.writeKey, ...options }),
    inject: (rule) => server.faults.push(rule),
    requests: () => server.requests,
    countContactsWithEmail: async (email) =>
      server.count('contacts', (record) => Array.isArray(record.properties.emails) && (record.properties.emails as { address: string }[]).some((entry) => entry.address === email.toLowerCase())),
    seedContacts: async (count, make) =>
      server.seed('contacts', count, (index) => {
        const contact = make(index);
        return { kind: 'person', emails: [{ address: contact.email, primary: true }], givenName: contact.firstName, familyName: contact.lastName, lifecycleStage: contact.lifecycleStage };
      }),
    serverRejectedContact: { input: { lifecycleStage: 'not-a-stage' }, field: 'lifecycleStage' },
    sampleTicket: { subject: 'Refund', priority: 'high', severity: 'major', category: 'complaint', status: 'open', ownerId: '77' },
    retriesCreates: true,
    contactCreatePath: /^\/v1\/contacts$/,
    contactReadPath: /^\/v1\/contacts\/r\d+$/,
    batchPath: /^\/v1\/contacts\/batch\/upsert$/,
    close: () => server.close(),
  };
}

describeAdapterContract('guanxi REST (spec stand-in server)', startRestHarness);

describe('guanxi REST adapter: consent, events, data-subject requests', () => {
  let harness: Awaited<ReturnType<typeof startRestHarness>>;
  let crm: CrmClient;

  beforeAll(async () => {
    harness = await startRestHarness();
    crm = createCrmClient({ adapter: harness.adapter() });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('stores and lists consent records per subject', async () => {
    const stored = await crm.consentRecords.create({ subject: { userId: 'u-1' }, purposes: { analytics: 'granted', marketing: 'denied' }, source: 'banner', notice: { version: '2026-01' } });
    expect(stored.sequence).toBe(1);
    await crm.consentRecords.create({ subject: { userId: 'u-2' }, purposes: { analytics: 'denied' }, source: 'api' });
    const mine = await crm.consentRecords.iterate({ userId: 'u-1' }).toArray({ max: 10 });
    expect(mine.map((record) => record.purposes)).toEqual([{ analytics: 'granted', marketing: 'denied' }]);
    const invalid = await crm.consentRecords.create({ subject: {}, purposes: { analytics: 'granted' }, source: 'banner' }).catch((error: unknown) => error);
    expect(isValidationError(invalid)).toBe(true);
  });

  it('sends events in batches within the limits, counts duplicates, and reports refused events by index', async () => {
    const events: CrmEvent[] = Array.from({ length: 1203 }, (_, index) => ({ type: 'track', messageId: `m-${index}`, userId: 'u-1', event: 'Viewed', properties: { index } }));
    events[5] = { type: 'track', messageId: 'm-5' } as CrmEvent;
    events[7] = { type: 'bogus' } as unknown as CrmEvent;
    const before = harness.server.requests.filter((request) => request.path === '/v1/batch').length;
    const first = await crm.events.send(events);
    expect(harness.server.requests.filter((request) => request.path === '/v1/batch').length - before).toBe(3);
    expect(first.accepted).toBe(1201);
    expect(first.rejected.map((entry) => entry.index)).toEqual([5, 7]);
    const again = await crm.events.send(events.slice(0, 10));
    expect(again.duplicates).toBe(8);
    expect(again.accepted).toBe(0);
  });

  it('opens an export and reads its data, then erases the subject', async () => {
    const contact = await crm.contacts.create({ email: 'subject@example.com', firstName: 'Sub' });
    const exported = await crm.dataSubjectRequests.create({ type: 'export', subject: { email: 'subject@example.com' } });
    expect(exported.status).toBe('completed');
    expect(((await crm.dataSubjectRequests.export(exported.id)).contact as { id: string }).id).toBe(contact.id);
    expect((await crm.dataSubjectRequests.get(exported.id)).type).toBe('export');
    const erased = await crm.dataSubjectRequests.create({ type: 'erasure', subject: { contactId: contact.id } });
    expect(erased.status).toBe('completed');
    expect(await harness.countContactsWithEmail('subject@example.com')).toBe(0);
  });

  it('translates portable field names into wire paths and rejects what the API cannot express', async () => {
    await crm.contacts.search({ filter: { and: [{ field: 'email', op: 'contains', value: 'example' }, { field: 'firstName', op: 'in', values: ['A', 'B'] }] } });
    const body = JSON.parse(harness.server.requests.at(-1)?.body ?? '{}') as { filter: unknown };
    expect(body.filter).toEqual({ and: [{ property: 'emails.address', op: 'contains', value: 'example' }, { property: 'givenName', op: 'in', value: ['A', 'B'] }] });
    const deep = { and: [{ and: [{ and: [{ and: [{ and: [{ field: 'x', op: 'exists' as const }] }] }] }] }] };
    expect(isUnsupportedOperationError(await crm.contacts.search({ filter: deep }).catch((error: unknown) => error))).toBe(true);
    const byDomain = await crm.companies.upsertMany([{ name: 'x' }], { matchBy: 'domain' }).catch((error: unknown) => error);
    expect(isUnsupportedOperationError(byDomain)).toBe(true);
  });

  it('reports that HubSpot-only limits do not apply and that HubSpot lacks guanxi-only resources', async () => {
    const { createHubSpotAdapter } = await import('guanxi/client');
    const hubspot = createCrmClient({ adapter: createHubSpotAdapter({ baseUrl: harness.server.origin, auth: { token: 'x' } }) });
    expect(isUnsupportedOperationError(await hubspot.dataSubjectRequests.create({ type: 'export', subject: { email: 'a@b.co' } }).catch((error: unknown) => error))).toBe(true);
    expect(isUnsupportedOperationError(await hubspot.consentRecords.list().catch((error: unknown) => error))).toBe(true);
  });
});
