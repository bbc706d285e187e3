/**
 * `startDemo()`: the whole demonstration in one call — the CRM seeded with demo
 * customers, the storefront, the dashboard — for `npm run demo` and for tests.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCrmServer } from '../crm-server/server';
import { customerBaseReader, dashboardApi } from '../dashboard/api';
import { buildPages, repoRoot } from './build-pages';
import { cdnowAvailable, cdnowDirectory, readCdnowTransactions } from './cdnow';
import type { DemoCrm } from './crm';
import { resolveDemoOptions, type DemoOptions } from './options';
import { seedFromCdnow, seedFromSimulator, type SeedCustomer } from './seed';
import { serverCrm } from './server-crm';
import { shopBackend } from './shop-backend';
import { HttpProblem, startDemoWebServer, type JsonRoute } from './web-server';

export interface RunningDemo {
  /** The storefront, e.g. `http://127.0.0.1:4100/`. */
  readonly storefrontUrl: string;
  /** The dashboard, e.g. `http://127.0.0.1:4100/dashboard/`. */
  readonly dashboardUrl: string;
  /** The CRM server (REST API and collector), e.g. `http://127.0.0.1:4101`. */
  readonly crmUrl: string;
  /** The CRM API key the demo's backend uses (generated per run; for tests and curl). */
  readonly apiKey: string;
  /** The CRM API over fetch, with that key. */
  readonly api: ReturnType<typeof serverCrm>['api'];
  /** Where the seeded purchase histories came from: `'CDNOW'` or `'simulated'`. */
  readonly historySource: string;
  /** The seeded customers. */
  readonly customers: readonly SeedCustomer[];
  readonly crm: DemoCrm;
  /** Stops the servers and the database. */
  close(): Promise<void>;
}

async function seedCustomers(options: ReturnType<typeof resolveDemoOptions>): Promise<{ customers: SeedCustomer[]; source: string }> {
  const directory = cdnowDirectory(repoRoot);
  const useCdnow = options.history === 'cdnow' || (options.history === 'auto' && cdnowAvailable(directory));
  if (useCdnow) {
    if (!cdnowAvailable(directory)) throw new Error(`--history cdnow: no CDNOW_master.txt in ${directory}`);
    const transactions = await readCdnowTransactions(directory);
    return { customers: seedFromCdnow(transactions, { size: options.seedSize, asOfDay: options.asOfDay, seed: options.seed }), source: 'CDNOW' };
  }
  return { customers: seedFromSimulator({ size: options.seedSize, asOfDay: options.asOfDay, seed: options.seed }), source: 'simulated' };
}

/** Starts the demo; resolves when every server listens and the seed is loaded. */
export async function startDemo(demoOptions: DemoOptions = {}): Promise<RunningDemo> {
  const options = resolveDemoOptions(demoOptions);
  const log = options.log;
  const closers: (() => Promise<void>)[] = [];
  try {
    log('building the storefront and dashboard scripts…');
    await buildPages();
    const { customers, source } = await seedCustomers(options);

    // The web server first: the CRM server must know the storefront's origin for CORS.
    const started: { shop?: JsonRoute; dashboard?: JsonRoute; crm?: DemoCrm } = {};
    const whenStarted = (route: JsonRoute | undefined): JsonRoute => {
      if (!route) throw new HttpProblem(503, 'the demo is still starting');
      return route;
    };
    const web = await startDemoWebServer(
      {
        collectorOrigin: () => started.crm?.collectorOrigin ?? '',
        shopApi: (request) => whenStarted(started.shop)(request),
        dashboardApi: (request) => whenStarted(started.dashboard)(request),
        log,
      },
      options.host,
      options.port,
    );
    closers.push(() => closeServer(web.server));

    // A fresh embedded database per run unless --data-dir keeps one.
    const dataDir = options.databaseUrl ? undefined : (options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'guanxi-demo-'))));
    if (dataDir && !options.dataDir) closers.push(() => rm(dataDir, { recursive: true, force: true }));
    const apiKey = `demo-api-${randomBytes(12).toString('hex')}`;
    const writeKey = 'demo-storefront-write-key';
    log(options.databaseUrl ? 'starting the CRM server on PostgreSQL…' : 'starting the CRM server on embedded PGlite…');
    const server = await startCrmServer({
      port: options.port === 0 ? 0 : options.port + 1,
      host: options.host,
      databaseUrl: options.databaseUrl,
      dataDir,
      apiKeys: [apiKey],
      writeKeys: [writeKey],
      allowedOrigins: [web.origin],
      log: (line) => log(`crm-server: ${line}`),
    });
    closers.push(() => server.close());
    const crm = serverCrm({ url: server.url, apiKey, writeKey, log });
    log(`seeding ${customers.length} customers (${source} histories)…`);
    await crm.seed(customers);
    const reader = customerBaseReader(crm, { asOfFloor: options.asOfDay, historySource: source });
    started.shop = shopBackend(
      crm,
      { demoCustomers: async () => (await reader.current()).demoCustomers() },
      { jurisdiction: options.jurisdiction },
    );
    started.dashboard = dashboardApi(reader);
    started.crm = crm;
    const api = crm.api;
    return {
      storefrontUrl: `${web.origin}/`,
      dashboardUrl: `${web.origin}/dashboard/`,
      crmUrl: server.url,
      apiKey,
      api,
      historySource: source,
      customers,
      crm,
      close: () => closeAll(closers),
    };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

async function closeAll(closers: (() => Promise<void>)[]): Promise<void> {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  closers.length = 0;
}
