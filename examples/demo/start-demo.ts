/**
 * `startDemo()`: the whole demonstration in one call — the CRM seeded with demo
 * customers, the storefront, the dashboard — for `npm run demo` and for tests.
 */
import type { Server } from 'node:http';
import { customerBaseReader, dashboardApi } from '../dashboard/api';
import { buildPages, repoRoot } from './build-pages';
import { cdnowAvailable, cdnowDirectory, readCdnowTransactions } from './cdnow';
import type { DemoCrm } from './crm';
import { startMemoryCrm } from './memory-crm';
import { resolveDemoOptions, type DemoOptions } from './options';
import { seedFromCdnow, type SeedCustomer } from './seed';
import { shopBackend } from './shop-backend';
import { startDemoWebServer } from './web-server';

export interface RunningDemo {
  /** The storefront, e.g. `http://127.0.0.1:4100/`. */
  readonly storefrontUrl: string;
  /** The dashboard, e.g. `http://127.0.0.1:4100/dashboard/`. */
  readonly dashboardUrl: string;
  /** The CRM server (REST API and collector), e.g. `http://127.0.0.1:4101`. */
  readonly crmUrl: string;
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
  throw new Error('simulated histories need guanxi/scoring\'s simulator, which has not landed yet');
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
    const crm = await startMemoryCrm(options.host, options.port === 0 ? 0 : options.port + 1);
    closers.push(() => crm.close());
    log(`seeding ${customers.length} customers (${source} histories)…`);
    await crm.seed(customers);
    const reader = customerBaseReader(crm, {
      asOfFloor: options.asOfDay,
      historySource: source,
    });
    const web = await startDemoWebServer(
      {
        collectorOrigin: () => crm.collectorOrigin,
        shopApi: shopBackend(crm, {
          loyalty: async (userId) => (await reader.current()).loyalty(userId),
          demoCustomers: async () => (await reader.current()).demoCustomers(),
        }, { jurisdiction: options.jurisdiction }),
        dashboardApi: dashboardApi(reader),
        log,
      },
      options.host,
      options.port,
    );
    closers.push(() => closeServer(web.server));
    crm.allowOrigin(web.origin);
    return {
      storefrontUrl: `${web.origin}/`,
      dashboardUrl: `${web.origin}/dashboard/`,
      crmUrl: crm.collectorOrigin,
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
