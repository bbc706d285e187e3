/**
 * Starts the reference CRM server for tests on 127.0.0.1: on PGlite in a temporary data
 * directory always, and on PostgreSQL when `DATABASE_URL_TEST` names a server (CI starts
 * one). Each PostgreSQL run gets a database of its own, dropped afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startCrmServer, type CrmServer, type CrmServerOptions } from '../../examples/crm-server/server';

export type Engine = 'pglite' | 'postgres';

/** The engines to run against: PostgreSQL only when `DATABASE_URL_TEST` is set. */
export const engines: readonly Engine[] = process.env['DATABASE_URL_TEST'] ? ['pglite', 'postgres'] : ['pglite'];

export const apiKey = 'test-api-key-0123456789';
export const writeKey = 'test-write-key-0123';
export const allowedOrigin = 'http://shop.example';

/** A place to keep data: a PGlite directory or a fresh PostgreSQL database. */
export interface TestDatabase {
  readonly options: Pick<CrmServerOptions, 'dataDir' | 'databaseUrl'>;
  dispose(): Promise<void>;
}

export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'guanxi-crm-'));
    return { options: { dataDir }, dispose: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const adminUrl = process.env['DATABASE_URL_TEST'];
  if (!adminUrl) throw new Error('DATABASE_URL_TEST is not set');
  const name = `guanxi_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    options: { databaseUrl: url.toString() },
    dispose: async () => {
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

export async function startTestCrmServer(database: TestDatabase, options: Partial<CrmServerOptions> = {}): Promise<CrmServer> {
  return startCrmServer({
    port: 0,
    apiKeys: [apiKey],
    writeKeys: [writeKey],
    allowedOrigins: [allowedOrigin],
    log: () => undefined,
    ...database.options,
    ...options,
  });
}

// Response bodies are checked field by field in the tests.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface ApiResponse<T = any> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/** Calls the API with the test key; JSON in and out. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function call<T = any>(
  server: { url: string },
  method: string,
  pathAndQuery: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse<T>> {
  const response = await fetch(`${server.url}${pathAndQuery}`, {
    method,
    headers: {
      authorization: `Bearer ${apiKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

/** Sends a collector batch as `text/plain` with the write key in the body, as browsers do. */
export async function sendBatch(server: { url: string }, batch: unknown[], headers: Record<string, string> = {}): Promise<ApiResponse> {
  const response = await fetch(`${server.url}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', ...headers },
    body: JSON.stringify({ batch, writeKey, sentAt: new Date().toISOString() }),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** Follows `paging.next.after` to the end (bounded) and returns every result. */
export async function collectPages<T>(fetchPage: (after: string | undefined) => Promise<ApiResponse>, maxPages = 100): Promise<{ results: T[]; pages: number }> {
  const results: T[] = [];
  let after: string | undefined;
  for (let pages = 1; pages <= maxPages; pages++) {
    const page = await fetchPage(after);
    if (page.status !== 200) throw new Error(`page ${pages}: HTTP ${page.status} ${JSON.stringify(page.body)}`);
    results.push(...(page.body.results as T[]));
    after = page.body.paging?.next?.after;
    if (after === undefined) return { results, pages };
  }
  throw new Error(`more than ${maxPages} pages`);
}
