/**
 * The reference CRM server: the guanxi REST API (docs/openapi.yaml) on Node's http
 * module, storing everything in PGlite (embedded) or PostgreSQL.
 *
 * ```ts
 * const server = await startCrmServer({ port: 0, apiKeys: ['dev-api-key-1'], writeKeys: ['dev-write-key'] });
 * console.log(server.url);
 * await server.close();
 * ```
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { createRequestPipeline } from './http/pipeline';
import { IdempotencyStore } from './http/idempotency';
import { RateLimiter } from './http/rate-limit';
import { RouteTable, type Route } from './http/route';
import { openPgliteDatabase, openPostgresDatabase, type SqlDatabase } from './storage/database';
import { migrateCrmDatabase } from './storage/schema';
import { resolveCrmServerOptions, type CrmServerOptions } from './options';
import type { CrmServices } from './services';
import { recordRoutes } from './records/record-routes';
import { collectorRoutes } from './collector';
import { consentRoutes } from './consent-routes';
import { dataSubjectRoutes } from './data-subject-requests';
import { scoreRoutes } from './score-routes';
import { WebhookDispatcher, webhookRoutes } from './webhooks';

export type { CrmServerOptions } from './options';

/** A running server. */
export interface CrmServer {
  /** Base URL, e.g. `http://127.0.0.1:4000`. */
  readonly url: string;
  /** `'pglite'` or `'postgres'`. */
  readonly database: 'pglite' | 'postgres';
  /** Adds an origin that gets CORS headers (e.g. a storefront started after the server). */
  allowOrigin(origin: string): void;
  /** Stops listening, waits for webhook deliveries in flight, and closes the database. */
  close(): Promise<void>;
}

/** Every route the server serves (the spec test compares them with docs/openapi.yaml). */
export function crmRoutes(services: CrmServices): Route[] {
  return [
    {
      method: 'GET',
      path: '/health',
      auth: 'none',
      body: 'none',
      async handle() {
        await services.db.query('SELECT 1');
        return { status: 200, body: { status: 'ok', database: services.db.engine } };
      },
    },
    ...collectorRoutes(services),
    ...recordRoutes(services),
    ...consentRoutes(services),
    ...dataSubjectRoutes(services),
    ...scoreRoutes(services),
    ...webhookRoutes(services),
  ];
}

/** Opens the database, creates missing tables, optionally seeds, and starts listening. */
export async function startCrmServer(options: CrmServerOptions): Promise<CrmServer> {
  const resolved = resolveCrmServerOptions(options);
  const db: SqlDatabase = resolved.databaseUrl ? await openPostgresDatabase(resolved.databaseUrl) : await openPgliteDatabase(resolved.dataDir);
  try {
    await migrateCrmDatabase(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  const webhooks = new WebhookDispatcher(db, resolved.now, resolved.log);
  const services: CrmServices = {
    db,
    now: resolved.now,
    emit: (type, data) => webhooks.emit(type, data),
    publicLoyalty: resolved.publicLoyalty,
  };
  const allowedOrigins = new Set(resolved.allowedOrigins);
  const listener = createRequestPipeline({
    table: new RouteTable(crmRoutes(services)),
    apiKeys: resolved.apiKeys,
    writeKeys: resolved.writeKeys,
    allowedOrigins,
    rateLimiter: new RateLimiter({ api: resolved.rateLimits.api, search: resolved.rateLimits.search }, resolved.now),
    idempotency: new IdempotencyStore(db, resolved.now),
    newRequestId: () => `req_${randomUUID()}`,
    onError: (error, requestId) => resolved.log(`crm-server: ${requestId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  });
  const server = createServer(listener);
  server.keepAliveTimeout = 5_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(resolved.port, resolved.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await db.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await webhooks.close();
      await db.close();
    })());
  if (resolved.seed) {
    try {
      await resolved.seed({ url, apiKey: resolved.apiKeys[0] ?? '', writeKey: resolved.writeKeys[0] });
    } catch (error) {
      await close();
      throw error;
    }
  }
  return { url, database: db.engine, allowOrigin: (origin) => void allowedOrigins.add(origin), close };
}
