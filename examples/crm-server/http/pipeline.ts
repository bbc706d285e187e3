/**
 * The request pipeline every route goes through: request id, CORS (and preflights),
 * routing, authentication, rate limits, body reading and parsing, `Idempotency-Key`, and
 * the one error body. Handlers only see a parsed, authenticated request.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpProblem } from './problem';
import type { IdempotencyStore } from './idempotency';
import type { RateLimiter } from './rate-limit';
import type { RequestContext, Route, RouteResponse, RouteTable } from './route';

export interface PipelineOptions {
  readonly table: RouteTable;
  readonly apiKeys: readonly string[];
  readonly writeKeys: readonly string[];
  /** Origins that get CORS headers; `'*'` allows any origin. The set may grow while serving. */
  readonly allowedOrigins: ReadonlySet<string>;
  readonly rateLimiter: RateLimiter;
  readonly idempotency: IdempotencyStore;
  readonly newRequestId: () => string;
  /** Called with unexpected errors (500s). */
  readonly onError: (error: unknown, requestId: string) => void;
}

const defaultMaxBodyBytes = 1024 * 1024;
const allowedRequestHeaders = ['authorization', 'content-type', 'idempotency-key', 'x-api-key', 'x-request-id', 'sec-gpc'];
const exposedHeaders = ['x-request-id', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'ratelimit-policy', 'idempotent-replayed', 'location'];

/** Hashes a key so that comparisons are constant-time and the key itself is never kept in logs. */
function keyDigest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

function findKey(candidate: string, digests: readonly Buffer[]): Buffer | undefined {
  const digest = keyDigest(candidate);
  let found: Buffer | undefined;
  // Compare with every key (no early exit), so timing tells nothing about which matched.
  for (const known of digests) if (timingSafeEqual(known, digest)) found = known;
  return found;
}

export function createRequestPipeline(options: PipelineOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const apiKeyDigests = options.apiKeys.map(keyDigest);
  const writeKeyDigests = options.writeKeys.map(keyDigest);
  const isAllowedOrigin = (origin: string | undefined): origin is string =>
    origin !== undefined && (options.allowedOrigins.has('*') || options.allowedOrigins.has(origin));

  function corsHeaders(request: IncomingMessage): Record<string, string> {
    const origin = request.headers.origin;
    if (!isAllowedOrigin(origin)) return {};
    return { 'access-control-allow-origin': origin, 'access-control-expose-headers': exposedHeaders.join(', '), vary: 'Origin' };
  }

  return (request, response) => {
    const requestId = options.newRequestId();
    const baseHeaders: Record<string, string> = { 'x-request-id': requestId, ...corsHeaders(request) };
    handle(request, requestId, baseHeaders)
      .then((result) => send(response, result, baseHeaders))
      .catch((error: unknown) => {
        const problem = error instanceof HttpProblem ? error : undefined;
        if (!problem) options.onError(error, requestId);
        send(response, problemResponse(problem ?? new HttpProblem(500, 'internal_error', 'The server failed to process the request'), requestId), baseHeaders);
      });
  };

  async function handle(request: IncomingMessage, requestId: string, baseHeaders: Record<string, string>): Promise<RouteResponse> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = (request.method ?? 'GET').toUpperCase();

    if (method === 'OPTIONS') return preflight(request, url.pathname);

    let matched: ReturnType<RouteTable['match']>;
    try {
      matched = options.table.match(method, url.pathname);
    } catch {
      throw new HttpProblem(400, 'validation_failed', 'The request path is not valid percent-encoding', [{ in: 'path', path: [], code: 'invalid_path', message: 'Malformed percent-encoding' }]);
    }
    if (matched === undefined) {
      drain(request);
      throw new HttpProblem(404, 'not_found', `No route for ${method} ${url.pathname.slice(0, 200)}`);
    }
    if ('allowed' in matched) {
      drain(request);
      throw new HttpProblem(405, 'method_not_allowed', `${method} is not allowed here`, undefined, { allowed: matched.allowed }, { allow: matched.allowed.join(', ') });
    }
    const { route, params } = matched;

    const caller = authenticate(request, url, route);
    const rateHeaders = route.auth === 'api-key' ? takeRateLimit(caller, route.bucket ?? 'api') : {};
    Object.assign(baseHeaders, rateHeaders);

    const body = route.body === 'none' ? (drain(request), undefined) : await readBody(request, route);
    const finalCaller = route.auth === 'write-key' && caller === 'anonymous' ? writeKeyFromBody(body) : caller;

    const context: RequestContext = { requestId, method, path: url.pathname, params, query: url.searchParams, headers: request.headers, body, caller: finalCaller };
    const idempotencyKey = request.headers['idempotency-key'];
    if (route.idempotent && typeof idempotencyKey === 'string') {
      if (idempotencyKey.length === 0 || idempotencyKey.length > 255) {
        throw new HttpProblem(400, 'validation_failed', 'Idempotency-Key must have 1 to 255 characters', [{ in: 'header', path: ['Idempotency-Key'], code: 'too_big', message: 'Must have 1 to 255 characters' }]);
      }
      const claim = await options.idempotency.claim(finalCaller, idempotencyKey, method, url.pathname, body);
      if (claim.kind === 'replay') return claim.response;
      try {
        const result = await route.handle(context);
        await claim.finish(result);
        return result;
      } catch (error) {
        if (error instanceof HttpProblem && error.status < 500 && error.status !== 429) {
          await claim.finish(problemResponse(error, requestId));
        } else {
          await claim.release();
        }
        throw error;
      }
    }
    return route.handle(context);
  }

  function preflight(request: IncomingMessage, path: string): RouteResponse {
    drain(request);
    const allowedOrigin = isAllowedOrigin(request.headers.origin);
    const match = options.table.match('OPTIONS', path);
    if (!allowedOrigin) {
      throw new HttpProblem(403, 'forbidden', 'This origin is not allowed');
    }
    const methods = match && 'allowed' in match ? match.allowed : [];
    if (methods.length === 0) throw new HttpProblem(404, 'not_found', `No route for ${path.slice(0, 200)}`);
    const requested = String(request.headers['access-control-request-headers'] ?? '')
      .split(',')
      .map((header) => header.trim().toLowerCase())
      .filter((header) => header !== '');
    const headers = [...new Set([...allowedRequestHeaders, ...requested.filter((header) => allowedRequestHeaders.includes(header))])];
    return {
      status: 204,
      headers: {
        'access-control-allow-methods': [...methods, 'OPTIONS'].join(', '),
        'access-control-allow-headers': headers.join(', '),
        'access-control-max-age': '600',
      },
    };
  }

  function authenticate(request: IncomingMessage, url: URL, route: Route): string {
    if (route.auth === 'none') return 'anonymous';
    const authorization = request.headers.authorization ?? '';
    if (route.auth === 'api-key') {
      const bearer = /^Bearer\s+(.+)$/i.exec(authorization)?.[1];
      const header = request.headers['x-api-key'];
      const candidate = bearer ?? (typeof header === 'string' ? header : undefined);
      const found = candidate === undefined ? undefined : findKey(candidate.trim(), apiKeyDigests);
      if (!found) {
        throw new HttpProblem(401, 'unauthorized', candidate === undefined ? 'An API key is required (Authorization: Bearer <key>)' : 'The API key is not valid', undefined, undefined, {
          'www-authenticate': 'Bearer realm="guanxi"',
        });
      }
      return `key:${found.toString('hex').slice(0, 16)}`;
    }
    // Write keys: Basic auth (Segment's way), the query, or (checked after the body is read) the body.
    const basic = /^Basic\s+(.+)$/i.exec(authorization)?.[1];
    const fromBasic = basic === undefined ? undefined : Buffer.from(basic, 'base64').toString('utf8').split(':')[0];
    const candidate = fromBasic ?? url.searchParams.get('writeKey') ?? undefined;
    if (candidate === undefined) {
      if (route.body === 'none') throw unauthorizedWriteKey(false);
      return 'anonymous';
    }
    const found = findKey(candidate, writeKeyDigests);
    if (!found) throw unauthorizedWriteKey(true);
    return `write:${found.toString('hex').slice(0, 16)}`;
  }

  function writeKeyFromBody(body: unknown): string {
    const candidate = typeof body === 'object' && body !== null ? (body as { writeKey?: unknown }).writeKey : undefined;
    if (typeof candidate !== 'string') throw unauthorizedWriteKey(false);
    const found = findKey(candidate, writeKeyDigests);
    if (!found) throw unauthorizedWriteKey(true);
    return `write:${found.toString('hex').slice(0, 16)}`;
  }

  function takeRateLimit(caller: string, bucket: string): Record<string, string> {
    const decision = options.rateLimiter.take(caller, bucket);
    const headers = {
      'ratelimit-limit': String(decision.limit),
      'ratelimit-remaining': String(decision.remaining),
      'ratelimit-reset': String(decision.resetSeconds),
      'ratelimit-policy': decision.policyHeader,
    };
    if (!decision.allowed) {
      throw new HttpProblem(
        429,
        'rate_limited',
        `Rate limit of the ${bucket} bucket exceeded; retry in ${decision.resetSeconds} s`,
        undefined,
        { policy: bucket, limit: decision.limit, windowSeconds: Number(/w=(\d+)/.exec(decision.policyHeader)?.[1]), retryAfterSeconds: decision.resetSeconds },
        { ...headers, 'retry-after': String(decision.resetSeconds) },
      );
    }
    return headers;
  }
}

function unauthorizedWriteKey(given: boolean): HttpProblem {
  return new HttpProblem(401, 'unauthorized', given ? 'The write key is not valid' : 'A write key is required (Basic auth user name, writeKey query parameter or body field)', undefined, undefined, {
    'www-authenticate': 'Basic realm="guanxi collector"',
  });
}

async function readBody(request: IncomingMessage, route: Route): Promise<unknown> {
  const limit = route.maxBodyBytes ?? defaultMaxBodyBytes;
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    drain(request);
    throw new HttpProblem(413, 'payload_too_large', `The body is larger than ${limit} bytes`, undefined, { limitBytes: limit });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  }
  if (tooLarge) throw new HttpProblem(413, 'payload_too_large', `The body is larger than ${limit} bytes`, undefined, { limitBytes: limit });
  const text = Buffer.concat(chunks).toString('utf8');
  const type = String(request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const isJson = type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
  const acceptable = isJson || (route.body === 'json-or-text' && type === 'text/plain');
  if (text.length === 0 && type === '') {
    throw new HttpProblem(400, 'validation_failed', 'A JSON body is required', [{ in: 'body', path: [], code: 'required', message: 'A JSON body is required' }]);
  }
  if (!acceptable) {
    const accepted = route.body === 'json-or-text' ? 'application/json or text/plain' : 'application/json';
    throw new HttpProblem(415, 'unsupported_media_type', `The body must be ${accepted}, not ${type === '' ? 'untyped' : type.slice(0, 100)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : 'Not JSON';
    throw new HttpProblem(400, 'invalid_json', 'The body is not valid JSON', [{ in: 'body', path: [], code: 'invalid_json', message }]);
  }
}

function drain(request: IncomingMessage): void {
  request.resume();
}

export function problemResponse(problem: HttpProblem, requestId: string): RouteResponse {
  const error: Record<string, unknown> = { status: problem.status, code: problem.code, message: problem.message, requestId };
  if (problem.issues) error['issues'] = problem.issues;
  if (problem.details) error['details'] = problem.details;
  return { status: problem.status, body: { error }, headers: problem.headers };
}

function send(response: ServerResponse, result: RouteResponse, baseHeaders: Record<string, string>): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  const headers: Record<string, string> = { ...baseHeaders, ...result.headers };
  if (result.body === undefined) {
    response.writeHead(result.status, headers).end();
    return;
  }
  const text = JSON.stringify(result.body);
  headers['content-type'] = 'application/json; charset=utf-8';
  headers['content-length'] = String(Buffer.byteLength(text));
  response.writeHead(result.status, headers).end(text);
}
