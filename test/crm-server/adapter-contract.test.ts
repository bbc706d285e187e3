/**
 * The client's adapter contract (test/client/adapter-contract.ts) against the reference
 * CRM server: the guanxi REST adapter talks to the real server on 127.0.0.1 through a
 * small proxy that records requests and injects the contract's faults (5xx, 429 with and
 * without Retry-After, failures and dropped connections after processing, slow answers).
 * A retried create is checked on the server side: the contact exists once.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGuanxiRestAdapter } from 'guanxi/client';
import { contractTransportDefaults, describeAdapterContract, type ContractHarness, type SeenRequest } from '../client/adapter-contract';
import { FaultQueue, delay, sendJson, type ContractFault } from '../client/support/faults';
import type { CrmServer } from '../../examples/crm-server/server';
import { apiKey, call, createTestDatabase, engines, startTestCrmServer, writeKey } from './support';

interface FaultProxy {
  readonly url: string;
  readonly faults: FaultQueue;
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

function errorBody(status: number, code: string, message: string, details?: Record<string, unknown>) {
  return { error: { status, code, message, requestId: `req_proxy_${Math.random().toString(36).slice(2)}`, ...(details ? { details } : {}) } };
}

/** Forwards to `target`, recording each request and applying one-shot faults. */
async function startFaultProxy(target: string): Promise<FaultProxy> {
  const faults = new FaultQueue();
  const seen: SeenRequest[] = [];
  const forward = (request: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const headers = { ...request.headers };
      delete headers.host;
      const upstream = httpRequest(`${target}${request.url ?? '/'}`, { method: request.method, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const out: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers)) if (value !== undefined && name !== 'connection' && name !== 'keep-alive' && name !== 'transfer-encoding') out[name] = String(value);
          resolve({ status: response.statusCode ?? 502, headers: out, body: Buffer.concat(chunks) });
        });
        response.on('error', reject);
      });
      upstream.on('error', reject);
      upstream.end(body);
    });

  const handle = async (request: IncomingMessage, response: ServerResponse, body: Buffer) => {
    const method = request.method ?? 'GET';
    const path = new URL(request.url ?? '/', 'http://proxy').pathname;
    const key = request.headers['idempotency-key'];
    seen.push({ method, path, idempotencyKey: typeof key === 'string' ? key : undefined });
    const fault: ContractFault | undefined = faults.take(method, path);
    if (fault?.kind === 'delay') await delay(fault.ms);
    if (fault?.kind === 'server-error') return sendJson(response, fault.status, errorBody(fault.status, 'internal_error', 'Injected failure'));
    if (fault?.kind === 'rate-limit') {
      const retryAfter = fault.retryAfterSeconds ?? (fault.window === 'long' ? 86_400 : 0);
      return sendJson(response, 429, errorBody(429, 'rate_limited', 'Too many requests', { policy: 'api', limit: 1000, windowSeconds: 10, retryAfterSeconds: retryAfter }), {
        'retry-after': String(retryAfter),
        'ratelimit-limit': '1000',
        'ratelimit-remaining': '0',
        'ratelimit-reset': String(retryAfter),
        'ratelimit-policy': '1000;w=10;name="api"',
      });
    }
    const answer = await forward(request, body);
    if (fault?.kind === 'fail-after-processing') return sendJson(response, fault.status, errorBody(fault.status, 'internal_error', 'Injected failure after processing'));
    if (fault?.kind === 'drop-after-processing') {
      response.socket?.destroy();
      return;
    }
    if (response.destroyed) return;
    response.writeHead(answer.status, answer.headers).end(answer.body);
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      handle(request, response, Buffer.concat(chunks)).catch((error: unknown) => {
        if (!response.headersSent && !response.destroyed) sendJson(response, 502, errorBody(502, 'internal_error', String(error)));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    faults,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

for (const engine of engines) {
  describeAdapterContract(`guanxi REST (reference CRM server on ${engine})`, async (): Promise<ContractHarness> => {
    const database = await createTestDatabase(engine);
    const server: CrmServer = await startTestCrmServer(database, { rateLimits: { api: { limit: 100_000, windowMs: 10_000 }, search: { limit: 100_000, windowMs: 10_000 } } });
    const proxy = await startFaultProxy(server.url);
    return {
      token: apiKey,
      // A real database on a shared machine answers a 100-contact batch in about a second, and
      // concurrent batches queue on the identity graph: attempts get more time than against
      // the in-memory stand-in (the timeout test sets its own).
      adapter: (options = {}) => createGuanxiRestAdapter({ ...contractTransportDefaults, timeoutMs: 15_000, totalTimeoutMs: 60_000, baseUrl: proxy.url, auth: { token: apiKey }, writeKey, ...options }),
      inject: (rule) => proxy.faults.push(rule),
      requests: () => proxy.seen,
      countContactsWithEmail: async (email) => {
        const found = await call(server, 'POST', '/v1/contacts/search', { filter: { property: 'emails.address', op: 'eq', value: email.toLowerCase() }, limit: 200 });
        if (found.status !== 200) throw new Error(`search failed: ${JSON.stringify(found.body)}`);
        return found.body.results.length as number;
      },
      seedContacts: async (count, make) => {
        for (let start = 0; start < count; start += 100) {
          const inputs = Array.from({ length: Math.min(100, count - start) }, (_, offset) => {
            const contact = make(start + offset);
            return { properties: { kind: 'person', emails: [{ address: contact.email, primary: true }], givenName: contact.firstName, familyName: contact.lastName, lifecycleStage: contact.lifecycleStage } };
          });
          const response = await call(server, 'POST', '/v1/contacts/batch/upsert', { inputs });
          if (response.status !== 200) throw new Error(`seeding failed: ${JSON.stringify(response.body)}`);
        }
      },
      serverRejectedContact: { input: { lifecycleStage: 'not-a-stage' }, field: 'lifecycleStage' },
      sampleTicket: { subject: 'Refund', priority: 'high', severity: 'major', category: 'complaint', status: 'open', ownerId: '77' },
      retriesCreates: true,
      contactCreatePath: /^\/v1\/contacts$/,
      contactReadPath: /^\/v1\/contacts\/ct_[a-z0-9]+$/,
      batchPath: /^\/v1\/contacts\/batch\/upsert$/,
      close: async () => {
        await proxy.close();
        await server.close();
        await database.dispose();
      },
    };
  });
}
