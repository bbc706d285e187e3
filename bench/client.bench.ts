/**
 * guanxi/client over real HTTP on 127.0.0.1: iterating 50,000 contacts (time, rate and
 * heap after forced GCs at each 10,000) through both adapters, and a 2,000-contact
 * batch upsert (chunks of 100, two in flight). The servers are the in-repo contract
 * servers in the same process, so figures include their work too.
 *
 * Run: `npm run bench -- client` (bench/index.ts passes --expose-gc).
 */
import { createCrmClient, createGuanxiRestAdapter, createHubSpotAdapter, type CrmClient } from 'guanxi/client';
import { startHubSpotContractServer } from '../test/client/hubspot-contract-server';
import { startGuanxiRestTestServer } from '../test/client/guanxi-rest-test-server';

const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = (): number => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

async function iterate(label: string, crm: CrmClient, total: number): Promise<void> {
  const samples: string[] = [];
  const started = performance.now();
  let count = 0;
  for await (const _contact of crm.contacts.iterate({ pageSize: 100 })) {
    count++;
    if (count % 10_000 === 0) samples.push(heapMb().toFixed(1));
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`${label}: iterated ${count}/${total} contacts in ${seconds.toFixed(2)} s (${Math.round(count / seconds)} contacts/s); heap MB at each 10k: ${samples.join(' / ')}`);
}

async function upsert(label: string, crm: CrmClient, count: number): Promise<void> {
  const rows = Array.from({ length: count }, (_, index) => ({ email: `upsert-${index}@example.com`, firstName: 'Bench', lastName: String(index), lifecycleStage: 'lead' }));
  const started = performance.now();
  const result = await crm.contacts.upsertMany(rows, { matchBy: 'email', concurrency: 2 });
  const seconds = (performance.now() - started) / 1000;
  console.log(`${label}: upserted ${result.succeeded.length}/${count} contacts (${result.failed.length} failed) in ${seconds.toFixed(2)} s (${Math.round(count / seconds)} contacts/s)`);
}

const total = 50_000;
if (!gc) console.log('(run with --expose-gc for heap figures)');

const hubspot = await startHubSpotContractServer({ tokens: ['bench'] });
hubspot.recordRequests = false;
hubspot.seed('contacts', total, (index) => ({ email: `bench-${index}@example.com`, firstname: 'Bench', lastname: String(index), lifecyclestage: 'lead' }));
const viaHubSpot = createCrmClient({ adapter: createHubSpotAdapter({ baseUrl: hubspot.origin, auth: { token: 'bench' }, rateLimits: false }) });
await iterate('HubSpot adapter', viaHubSpot, total);
await hubspot.close();

// Upserts on an empty server: the contract servers look identifiers up linearly.
const hubspotForUpserts = await startHubSpotContractServer({ tokens: ['bench'] });
hubspotForUpserts.recordRequests = false;
await upsert('HubSpot adapter', createCrmClient({ adapter: createHubSpotAdapter({ baseUrl: hubspotForUpserts.origin, auth: { token: 'bench' }, rateLimits: false }) }), 2_000);
await hubspotForUpserts.close();

const rest = await startGuanxiRestTestServer();
rest.recordRequests = false;
rest.seed('contacts', total, (index) => ({ kind: 'person', emails: [{ address: `bench-${index}@example.com`, primary: true }], givenName: 'Bench', familyName: String(index), lifecycleStage: 'lead' }));
const viaRest = createCrmClient({ adapter: createGuanxiRestAdapter({ baseUrl: rest.origin, auth: { token: rest.apiKey }, rateLimits: false }) });
await iterate('guanxi REST adapter (stand-in server)', viaRest, total);
await rest.close();

const restForUpserts = await startGuanxiRestTestServer();
restForUpserts.recordRequests = false;
await upsert('guanxi REST adapter (stand-in server)', createCrmClient({ adapter: createGuanxiRestAdapter({ baseUrl: restForUpserts.origin, auth: { token: restForUpserts.apiKey }, rateLimits: false }) }), 2_000);
await restForUpserts.close();
