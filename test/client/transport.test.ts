/**
 * The transport over a real HTTP server on 127.0.0.1: hooks, injectable fetch, the
 * idempotency key reused across retries, Retry-After as a date, the longest accepted
 * wait, no retry of an unkeyed POST after a 5xx, auth failures without a provider, and
 * secrets kept out of errors.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidationError } from 'guanxi';
import { createCrmTransport, isAuthError, isHttpError, isNetworkError, isRateLimitError, type CrmRetryEvent } from 'guanxi/client';
import { startTestServer, type TestServer } from '../support/http-server';

let server: TestServer;
const seen: { method: string; url: string; headers: Record<string, string | string[] | undefined>; body: string }[] = [];
type Step = (attempt: number) => { status: number; body?: unknown; headers?: Record<string, string> };
let script: Step[] = [];

beforeAll(async () => {
  server = await startTestServer();
  server.handler = (request, response, body) => {
    seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: body.toString('utf8') });
    const step: Step = script.shift() ?? (() => ({ status: 200, body: { ok: true } }));
    const { status, body: payload, headers } = step(seen.length);
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(payload === undefined ? '' : JSON.stringify(payload));
  };
});

afterAll(async () => {
  await server?.close();
});

function fresh(steps: typeof script) {
  seen.length = 0;
  script = [...steps];
}

const quick = { retry: { baseMs: 1, capMs: 5 }, rateLimits: false } as const;

describe('CrmTransport', () => {
  it('sends through an injected fetch, runs every hook, and reuses one idempotency key across retries', async () => {
    fresh([() => ({ status: 503 }), () => ({ status: 502 }), () => ({ status: 201, body: { id: '1' } })]);
    const events: string[] = [];
    const retries: CrmRetryEvent[] = [];
    let fetched = 0;
    const transport = createCrmTransport({
      ...quick,
      baseUrl: `${server.origin}/api/`,
      fetch: (input, init) => {
        fetched++;
        return fetch(input, init);
      },
      hooks: {
        onRequest: [({ request, attempt }) => {
          request.headers.set('x-trace', `t${attempt}`);
          events.push(`request ${attempt}`);
        }],
        onResponse: [({ response, attempt }) => void events.push(`response ${attempt} ${response.status}`)],
        onRetry: [(event) => void retries.push(event)],
      },
    });
    const response = await transport.request({ method: 'POST', path: '/v1/contacts', json: { a: 1 }, retry: 'idempotency-key' });
    expect(response.status).toBe(201);
    expect(fetched).toBe(3);
    expect(seen.map((request) => request.url)).toEqual(['/api/v1/contacts', '/api/v1/contacts', '/api/v1/contacts']);
    const keys = new Set(seen.map((request) => request.headers['idempotency-key']));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen.map((request) => JSON.parse(request.body) as unknown)).toEqual([{ a: 1 }, { a: 1 }, { a: 1 }]);
    expect(events).toEqual(['request 1', 'response 1 503', 'request 1', 'response 1 502', 'request 1', 'response 1 201'].map((entry, index) => entry.replace(/ 1( |$)/, ` ${Math.floor(index / 2) + 1}$1`)));
    expect(retries.map((event) => event.attempt)).toEqual([2, 3]);
    expect(seen[0]?.headers['x-trace']).toBe('t1');
  });

  it('never repeats a POST without a key after a 5xx, but does after a 429 refusal', async () => {
    fresh([() => ({ status: 500 })]);
    const transport = createCrmTransport({ ...quick, baseUrl: server.origin });
    const error = await transport.request({ method: 'POST', path: '/x', json: {} }).catch((caught: unknown) => caught);
    expect(isHttpError(error) && error.status).toBe(500);
    expect(seen).toHaveLength(1);
    fresh([() => ({ status: 429, headers: { 'retry-after': '0' } }), () => ({ status: 201, body: {} })]);
    expect((await transport.request({ method: 'POST', path: '/x', json: {} })).status).toBe(201);
    expect(seen).toHaveLength(2);
  });

  it('honours Retry-After as an HTTP date, and gives up when the wait exceeds maxRetryAfterMs', async () => {
    const later = new Date(Date.now() + 1500).toUTCString();
    fresh([() => ({ status: 503, headers: { 'retry-after': later } }), () => ({ status: 200, body: {} })]);
    const transport = createCrmTransport({ ...quick, baseUrl: server.origin });
    const started = Date.now();
    await transport.request({ method: 'GET', path: '/x' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    fresh([() => ({ status: 429, headers: { 'retry-after': '120' }, body: { code: 'rate_limited', message: 'slow down' } })]);
    const error = await createCrmTransport({ ...quick, baseUrl: server.origin, retry: { maxRetryAfterMs: 10_000 } })
      .request({ method: 'GET', path: '/x' })
      .catch((caught: unknown) => caught);
    expect(isRateLimitError(error)).toBe(true);
    expect(isRateLimitError(error) && error.resetAt).toBeGreaterThan(Date.now() + 100_000);
    expect(seen).toHaveLength(1);
  });

  it('reports 401 without a token provider as AuthError after one attempt, with no secret anywhere', async () => {
    fresh([() => ({ status: 401, body: { message: 'bad key sk_secret_value_123' } })]);
    const transport = createCrmTransport({ ...quick, baseUrl: `${server.origin}/?api_key=sk_secret_value_123`, auth: { token: 'sk_secret_value_123' } });
    const error = await transport.request({ method: 'GET', path: 'x' }).catch((caught: unknown) => caught);
    expect(isAuthError(error)).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.headers.authorization).toBe('Bearer sk_secret_value_123');
    for (const text of [String((error as Error).message), JSON.stringify(error), inspect(error, { depth: 10, showHidden: true })]) {
      expect(text).not.toContain('sk_secret_value_123');
    }
  });

  it('sends the token in another header when asked (X-Api-Key)', async () => {
    fresh([]);
    await createCrmTransport({ ...quick, baseUrl: server.origin, auth: { token: 'k-1', header: 'X-Api-Key' } }).request({ method: 'GET', path: '/x' });
    expect(seen[0]?.headers['x-api-key']).toBe('k-1');
    expect(seen[0]?.headers.authorization).toBeUndefined();
  });

  it('turns field errors into a ValidationError whose cause is the HttpError', async () => {
    fresh([() => ({ status: 422, body: { error: { code: 'validation_failed', message: 'Invalid', issues: [{ path: ['properties', 'email'], code: 'invalid_format', message: 'Invalid email' }] } } })]);
    const error = await createCrmTransport({ ...quick, baseUrl: server.origin }).request({ method: 'POST', path: '/x', json: {} }).catch((caught: unknown) => caught);
    expect(isValidationError(error) && error.issues).toEqual([{ path: ['properties', 'email'], code: 'invalid_format', message: 'Invalid email' }]);
    expect(isHttpError((error as Error).cause) && ((error as Error).cause as { status: number }).status).toBe(422);
  });

  it('reports a refused connection as NetworkError, retried for reads only', async () => {
    const closed = await startTestServer();
    const origin = closed.origin;
    await closed.close();
    const transport = createCrmTransport({ ...quick, baseUrl: origin, retry: { limit: 2, baseMs: 1, capMs: 2 } });
    let retries = 0;
    const read = await createCrmTransport({ ...quick, baseUrl: origin, retry: { limit: 2, baseMs: 1, capMs: 2 }, hooks: { onRetry: [() => void retries++] } })
      .request({ method: 'GET', path: '/x' })
      .catch((caught: unknown) => caught);
    expect(isNetworkError(read)).toBe(true);
    expect(retries).toBe(2);
    const write = await transport.request({ method: 'POST', path: '/x', json: {} }).catch((caught: unknown) => caught);
    expect(isNetworkError(write)).toBe(true);
  });

  it('checks its options', () => {
    expect(() => createCrmTransport({ baseUrl: '' })).toThrow(RangeError);
    expect(() => createCrmTransport({ baseUrl: 'https://x', timeoutMs: -1 })).toThrow(/timeoutMs/);
    expect(() => createCrmTransport({ baseUrl: 'https://x', retry: { limit: Number.NaN } })).toThrow(/retry.limit/);
  });
});
