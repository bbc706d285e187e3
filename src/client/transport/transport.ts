import ky, { isNetworkError as isKyNetworkError, isTimeoutError as isKyTimeoutError, type KyInstance } from 'ky';
import { fullJitterDelay, parseRetryAfter } from '../../core/backoff';
import { systemClock, systemTimers, type Clock, type Timers } from '../../core/clock';
import { GuanxiError } from '../../core/errors/guanxi-error';
import { ValidationError, type ValidationIssue } from '../../core/errors/validation-error';
import { randomId, type RandomSource } from '../../core/ids';
import { AuthError } from '../errors/auth-error';
import { ConflictError } from '../errors/conflict-error';
import { HttpError, type HttpErrorDetails } from '../errors/http-error';
import { NetworkError } from '../errors/network-error';
import { NotFoundError } from '../errors/not-found-error';
import { RateLimitError } from '../errors/rate-limit-error';
import { TimeoutError } from '../errors/timeout-error';
import { redactSecrets, redactUrl, redactValue } from './redact';
import { sleep, TokenBucket, type RateLimitBucketOptions } from './token-bucket';

/**
 * Supplies access tokens on demand (OAuth access tokens, short-lived keys). Called once
 * at first use (`reason: 'initial'`) and again after the API answers 401
 * (`reason: 'refresh'`); concurrent 401s share a single refresh.
 *
 * @example
 * ```ts
 * import type { CrmTokenProvider } from 'guanxi/client';
 *
 * const provider: CrmTokenProvider = async ({ reason }) => {
 *   const response = await fetch('/oauth/token', { method: 'POST', body: reason });
 *   return ((await response.json()) as { access_token: string }).access_token;
 * };
 * ```
 */
export type CrmTokenProvider = (context: { readonly reason: 'initial' | 'refresh'; readonly signal?: AbortSignal | undefined }) => string | Promise<string>;

/**
 * How requests authenticate: a static token, or a provider of tokens. Sent as
 * `Authorization: Bearer <token>` unless `header` names another header (then the token
 * is sent as is, e.g. `X-Api-Key`).
 *
 * @example
 * ```ts
 * import type { CrmAuth } from 'guanxi/client';
 *
 * const staticToken: CrmAuth = { token: 'pat-na1-…' };
 * const apiKey: CrmAuth = { token: 'gx_live_…', header: 'X-Api-Key' };
 * ```
 */
export type CrmAuth =
  | { readonly token: string; readonly header?: string }
  | { readonly tokenProvider: CrmTokenProvider; readonly header?: string };

/**
 * Retry settings of a transport. Retries use exponential backoff with full jitter unless
 * the API says how long to wait (`Retry-After`, or the adapter's rate-limit headers).
 *
 * @example
 * ```ts
 * import type { CrmRetryOptions } from 'guanxi/client';
 *
 * const patient: CrmRetryOptions = { limit: 6, baseMs: 1000, capMs: 60_000 };
 * ```
 */
export interface CrmRetryOptions {
  /**
   * Retries per call after the first attempt (0 disables retries).
   * @default 4
   */
  readonly limit?: number;
  /**
   * Backoff scale of the first retry, in milliseconds.
   * @default 500
   */
  readonly baseMs?: number;
  /**
   * Largest backoff delay, in milliseconds.
   * @default 30000
   */
  readonly capMs?: number;
  /**
   * Longest server-requested wait (`Retry-After`, rate-limit reset) the transport accepts;
   * a longer one ends the call with a `RateLimitError`/`HttpError` naming when to retry.
   * @default 60000
   */
  readonly maxRetryAfterMs?: number;
}

/**
 * A request as hooks see it. The `headers` include authentication: hooks must not log
 * them.
 *
 * @example
 * ```ts
 * import type { CrmRequestEvent } from 'guanxi/client';
 *
 * const log = (event: CrmRequestEvent) => console.log(event.method, event.url, event.attempt);
 * ```
 */
export interface CrmRequestEvent {
  /** Request method, upper case. */
  readonly method: string;
  /** Request URL, secrets redacted. */
  readonly url: string;
  /** 1 for the first attempt of a call. */
  readonly attempt: number;
  /** The outgoing request; hooks may add headers (tracing ids). */
  readonly request: Request;
}

/**
 * A response as hooks see it (a clone: reading its body does not disturb the client).
 *
 * @example
 * ```ts
 * import type { CrmResponseEvent } from 'guanxi/client';
 *
 * const log = (event: CrmResponseEvent) => console.log(event.response.status, event.attempt);
 * ```
 */
export interface CrmResponseEvent extends CrmRequestEvent {
  /** The response of this attempt. */
  readonly response: Response;
}

/**
 * A retry about to happen.
 *
 * @example
 * ```ts
 * import type { CrmRetryEvent } from 'guanxi/client';
 *
 * const log = (event: CrmRetryEvent) => console.warn(`retry ${event.attempt} in ${event.delayMs} ms: ${event.error.message}`);
 * ```
 */
export interface CrmRetryEvent {
  /** Request method, upper case. */
  readonly method: string;
  /** Request URL, secrets redacted. */
  readonly url: string;
  /** The attempt that is about to be made (2 for the first retry). */
  readonly attempt: number;
  /** How long the transport waits before it. */
  readonly delayMs: number;
  /** Why the previous attempt failed. */
  readonly error: GuanxiError;
}

/**
 * Functions called around every request: to trace, log or measure. `onRequest` and
 * `onResponse` run inside ky's `beforeRequest`/`afterResponse` hooks. `onError` may
 * return a replacement error.
 *
 * @example
 * ```ts
 * import type { CrmTransportHooks } from 'guanxi/client';
 *
 * const hooks: CrmTransportHooks = {
 *   onRequest: [({ request }) => request.headers.set('x-trace-id', crypto.randomUUID())],
 *   onRetry: [({ attempt, delayMs }) => console.log('retrying', attempt, delayMs)],
 * };
 * ```
 */
export interface CrmTransportHooks {
  /**
   * Before each attempt is sent.
   * @default []
   */
  readonly onRequest?: readonly ((event: CrmRequestEvent) => void | Promise<void>)[];
  /**
   * After each attempt's response arrives, whatever its status.
   * @default []
   */
  readonly onResponse?: readonly ((event: CrmResponseEvent) => void | Promise<void>)[];
  /**
   * Before each retry's wait.
   * @default []
   */
  readonly onRetry?: readonly ((event: CrmRetryEvent) => void | Promise<void>)[];
  /**
   * When a call fails for good; return an error to replace it.
   * @default []
   */
  readonly onError?: readonly ((error: GuanxiError) => GuanxiError | void | Promise<GuanxiError | void>)[];
}

/**
 * A received response, body parsed (JSON when the content type says so, else text; `undefined`
 * when empty).
 *
 * @example
 * ```ts
 * import type { CrmWireResponse } from 'guanxi/client';
 *
 * const isPartial = (response: CrmWireResponse) => response.status === 207;
 * ```
 */
export interface CrmWireResponse {
  /** HTTP status. */
  readonly status: number;
  /** Response headers. */
  readonly headers: Headers;
  /** Parsed body. */
  readonly body: unknown;
}

/**
 * What an adapter reads out of an error response: the API's code, message and request
 * id, field errors, and whether a 429 may be retried and when.
 *
 * @example
 * ```ts
 * import type { CrmErrorDescription } from 'guanxi/client';
 *
 * const daily: CrmErrorDescription = { code: 'RATE_LIMITS', rateLimit: { limit: 'DAILY', retryable: false } };
 * ```
 */
export interface CrmErrorDescription {
  /** The API's error code or category. */
  readonly code?: string | undefined;
  /** The API's human-readable message. */
  readonly message?: string | undefined;
  /** Request or correlation id. */
  readonly requestId?: string | undefined;
  /** Field errors: when present on a 400/422 the call fails with a `ValidationError`. */
  readonly issues?: readonly ValidationIssue[] | undefined;
  /** For rate-limit responses: which limit, whether to retry, and when. */
  readonly rateLimit?:
    | {
        readonly limit: string;
        readonly retryable: boolean;
        readonly retryAfterMs?: number | undefined;
        readonly resetAt?: number | undefined;
      }
    | undefined;
}

/**
 * The API-specific parts of a transport, supplied by an adapter: how to read error
 * bodies and rate-limit headers.
 *
 * @example
 * ```ts
 * import type { CrmWireDialect } from 'guanxi/client';
 *
 * const dialect: CrmWireDialect = {
 *   describeError: (response) => {
 *     const body = response.body as { error?: { code?: string; message?: string } } | undefined;
 *     return { code: body?.error?.code, message: body?.error?.message, requestId: response.headers.get('x-request-id') ?? undefined };
 *   },
 * };
 * ```
 */
export interface CrmWireDialect {
  /** Reads an error response (status ≥ 400). */
  describeError(response: CrmWireResponse, nowMs: number): CrmErrorDescription;
  /**
   * Reads a successful response's rate-limit headers; returns how long (ms) the bucket
   * should hold further requests, when the API says the window is spent.
   */
  pacing?(response: CrmWireResponse, nowMs: number): number | undefined;
}

/**
 * Options of `createCrmTransport()`: where the API is, how to authenticate, and how
 * patient to be.
 *
 * @example
 * ```ts
 * import { createCrmTransport, type CrmTransportOptions } from 'guanxi/client';
 *
 * const options: CrmTransportOptions = { baseUrl: 'https://crm.example.com/api', auth: { token: 'k' }, timeoutMs: 5000 };
 * const transport = createCrmTransport(options);
 * ```
 */
export interface CrmTransportOptions {
  /** The API's base URL; request paths are appended to it. */
  readonly baseUrl: string;
  /**
   * The `fetch` to use (a proxy, a test double, an edge runtime's own).
   * @default globalThis.fetch, read at call time
   */
  readonly fetch?: ((input: Request, init?: RequestInit) => Promise<Response>) | undefined;
  /**
   * Authentication.
   * @default none
   */
  readonly auth?: CrmAuth | undefined;
  /**
   * Headers sent with every request.
   * @default {}
   */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /**
   * Deadline of one attempt, in milliseconds.
   * @default 10000
   */
  readonly timeoutMs?: number | undefined;
  /**
   * Deadline of a whole call — attempts, waits for rate limits and backoff included.
   * @default 60000
   */
  readonly totalTimeoutMs?: number | undefined;
  /**
   * Retry settings.
   * @default { limit: 4, baseMs: 500, capMs: 30000, maxRetryAfterMs: 60000 }
   */
  readonly retry?: CrmRetryOptions | undefined;
  /**
   * Client-side rate limits, one token bucket per name; requests use the bucket named
   * in the request, else `default`. `false` disables client-side limiting.
   * @default { default: { requestsPerSecond: 10, burst: 20 } }
   */
  readonly rateLimits?: Readonly<Record<string, RateLimitBucketOptions>> | false | undefined;
  /**
   * Hooks around requests.
   * @default {}
   */
  readonly hooks?: CrmTransportHooks | undefined;
  /**
   * The API's error and rate-limit conventions (adapters supply this).
   * @default a dialect reading `{ code, message }` or `{ error: { code, message } }` bodies
   */
  readonly dialect?: CrmWireDialect | undefined;
  /**
   * Header that carries idempotency keys.
   * @default 'Idempotency-Key'
   */
  readonly idempotencyKeyHeader?: string | undefined;
  /**
   * Makes idempotency keys.
   * @default randomId (a v4 UUID)
   */
  readonly createIdempotencyKey?: (() => string) | undefined;
  /**
   * Time source.
   * @default systemClock
   */
  readonly clock?: Clock | undefined;
  /**
   * Timers for backoff and rate-limit waits.
   * @default systemTimers
   */
  readonly timers?: Timers | undefined;
  /**
   * Randomness for jitter.
   * @default Math.random
   */
  readonly random?: RandomSource | undefined;
}

/**
 * A transport's options with every default applied.
 *
 * @example
 * ```ts
 * import { resolveCrmTransportOptions, type ResolvedCrmTransportOptions } from 'guanxi/client';
 *
 * const resolved: ResolvedCrmTransportOptions = resolveCrmTransportOptions({ baseUrl: 'https://crm.example.com' });
 * console.log(resolved.retry.limit); // 4
 * ```
 */
export interface ResolvedCrmTransportOptions {
  readonly baseUrl: string;
  readonly fetch: ((input: Request, init?: RequestInit) => Promise<Response>) | undefined;
  readonly auth: CrmAuth | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly totalTimeoutMs: number;
  readonly retry: Required<CrmRetryOptions>;
  readonly rateLimits: Readonly<Record<string, RateLimitBucketOptions>> | false;
  readonly hooks: CrmTransportHooks;
  readonly dialect: CrmWireDialect;
  readonly idempotencyKeyHeader: string;
  readonly createIdempotencyKey: () => string;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly random: RandomSource;
}

/**
 * The error dialect used when an adapter supplies none: reads `{ code, message }`,
 * `{ error: { code, message, issues } }` and `{ errors: [{ path, code, message }] }` bodies and
 * the `x-request-id` header.
 *
 * @example
 * ```ts
 * import { genericWireDialect } from 'guanxi/client';
 *
 * const description = genericWireDialect.describeError({ status: 404, headers: new Headers(), body: { code: 'not_found', message: 'No such contact' } }, Date.now());
 * console.log(description.code); // 'not_found'
 * ```
 */
export const genericWireDialect: CrmWireDialect = /*@__PURE__*/ Object.freeze({
  describeError(response: CrmWireResponse): CrmErrorDescription {
    const body = (typeof response.body === 'object' && response.body !== null ? response.body : {}) as Record<string, unknown>;
    const nested = (typeof body.error === 'object' && body.error !== null ? body.error : body) as Record<string, unknown>;
    const rawIssues = Array.isArray(nested.issues) ? nested.issues : Array.isArray(nested.errors) ? nested.errors : undefined;
    const issues = rawIssues?.flatMap(toIssue);
    return {
      code: typeof nested.code === 'string' ? nested.code : undefined,
      message: typeof nested.message === 'string' ? nested.message : typeof response.body === 'string' ? response.body.slice(0, 300) : undefined,
      requestId: response.headers.get('x-request-id') ?? (typeof nested.requestId === 'string' ? nested.requestId : undefined),
      issues: issues && issues.length > 0 ? issues : undefined,
    };
  },
});

function toIssue(entry: unknown): ValidationIssue[] {
  if (typeof entry !== 'object' || entry === null) return [];
  const record = entry as Record<string, unknown>;
  const rawPath = Array.isArray(record.path) ? record.path : typeof record.path === 'string' ? record.path.split('.') : [];
  const path = rawPath.map((segment: unknown) => (typeof segment === 'number' ? segment : String(segment)));
  return [{ path, code: typeof record.code === 'string' ? record.code : 'invalid', message: typeof record.message === 'string' ? record.message : 'Invalid value' }];
}

/**
 * The transport defaults.
 *
 * @example
 * ```ts
 * import { defaultCrmTransportOptions } from 'guanxi/client';
 *
 * console.log(defaultCrmTransportOptions.timeoutMs); // 10000
 * ```
 */
export const defaultCrmTransportOptions = /*@__PURE__*/ Object.freeze({
  headers: Object.freeze({}) as Readonly<Record<string, string>>,
  timeoutMs: 10_000,
  totalTimeoutMs: 60_000,
  retry: Object.freeze({ limit: 4, baseMs: 500, capMs: 30_000, maxRetryAfterMs: 60_000 }),
  rateLimits: Object.freeze({ default: Object.freeze({ requestsPerSecond: 10, burst: 20 }) }) as Readonly<Record<string, RateLimitBucketOptions>>,
  hooks: Object.freeze({}) as CrmTransportHooks,
  idempotencyKeyHeader: 'Idempotency-Key',
});

/**
 * Applies the defaults to transport options and checks them.
 *
 * @throws RangeError when a timeout or the retry limit is negative or not finite.
 *
 * @example
 * ```ts
 * import { resolveCrmTransportOptions } from 'guanxi/client';
 *
 * const resolved = resolveCrmTransportOptions({ baseUrl: 'https://crm.example.com', retry: { limit: 0 } });
 * console.log(resolved.retry); // { limit: 0, baseMs: 500, capMs: 30000, maxRetryAfterMs: 60000 }
 * ```
 */
export function resolveCrmTransportOptions(options: CrmTransportOptions): ResolvedCrmTransportOptions {
  const retry = { ...defaultCrmTransportOptions.retry, ...definedEntries(options.retry ?? {}) };
  const resolved: ResolvedCrmTransportOptions = {
    baseUrl: options.baseUrl,
    fetch: options.fetch,
    auth: options.auth,
    headers: options.headers ?? defaultCrmTransportOptions.headers,
    timeoutMs: options.timeoutMs ?? defaultCrmTransportOptions.timeoutMs,
    totalTimeoutMs: options.totalTimeoutMs ?? defaultCrmTransportOptions.totalTimeoutMs,
    retry,
    rateLimits: options.rateLimits ?? defaultCrmTransportOptions.rateLimits,
    hooks: options.hooks ?? defaultCrmTransportOptions.hooks,
    dialect: options.dialect ?? genericWireDialect,
    idempotencyKeyHeader: options.idempotencyKeyHeader ?? defaultCrmTransportOptions.idempotencyKeyHeader,
    createIdempotencyKey: options.createIdempotencyKey ?? randomId,
    clock: options.clock ?? systemClock,
    timers: options.timers ?? systemTimers,
    random: options.random ?? Math.random,
  };
  for (const [name, value] of [
    ['timeoutMs', resolved.timeoutMs],
    ['totalTimeoutMs', resolved.totalTimeoutMs],
    ['retry.limit', retry.limit],
    ['retry.baseMs', retry.baseMs],
    ['retry.capMs', retry.capMs],
    ['retry.maxRetryAfterMs', retry.maxRetryAfterMs],
  ] as const) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`CRM transport option ${name} must be a finite number ≥ 0, got ${String(value)}`);
  }
  if (typeof resolved.baseUrl !== 'string' || resolved.baseUrl === '') throw new RangeError('CRM transport option baseUrl is required');
  return resolved;
}

function definedEntries<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}

/**
 * When a request may be retried after an ambiguous failure (network error, timeout,
 * 5xx): `'idempotent'` — repeating it has no further effect (reads, PUT, DELETE,
 * upserts, searches); `'idempotency-key'` — a create made safe by an `Idempotency-Key`
 * generated once per call and sent with every attempt; `'never'` — only refusals the
 * server did not process (429) are retried. `'auto'` picks `'idempotent'` for GET, HEAD,
 * PUT, DELETE and OPTIONS and `'never'` otherwise.
 *
 * @example
 * ```ts
 * import type { CrmRetryMode } from 'guanxi/client';
 *
 * const createSafely: CrmRetryMode = 'idempotency-key';
 * ```
 */
export type CrmRetryMode = 'auto' | 'idempotent' | 'idempotency-key' | 'never';

/**
 * One logical API call. The transport turns it into one or more attempts.
 *
 * @example
 * ```ts
 * import type { CrmTransportRequest } from 'guanxi/client';
 *
 * const create: CrmTransportRequest = { method: 'POST', path: '/v1/contacts', json: { email: 'ada@example.com' }, retry: 'idempotency-key' };
 * ```
 */
export interface CrmTransportRequest {
  /** HTTP method. */
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path appended to the base URL. */
  readonly path: string;
  /** Query parameters; `undefined` values are left out, arrays repeat the name. */
  readonly query?: Readonly<Record<string, string | number | boolean | readonly string[] | undefined>> | undefined;
  /** A JSON body. */
  readonly json?: unknown;
  /** Extra headers for this call. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Cancels the call (attempts and waits). */
  readonly signal?: AbortSignal | undefined;
  /** When the call may be retried. */
  readonly retry?: CrmRetryMode | undefined;
  /** An idempotency key chosen by the caller (otherwise generated for `'idempotency-key'`). */
  readonly idempotencyKey?: string | undefined;
  /** Which rate-limit bucket the call draws from. */
  readonly bucket?: string | undefined;
  /** Overrides the transport's per-attempt deadline. */
  readonly timeoutMs?: number | undefined;
  /** Overrides the transport's total deadline. */
  readonly totalTimeoutMs?: number | undefined;
}

const retryableStatuses: ReadonlySet<number> = /*@__PURE__*/ new Set([408, 429, 500, 502, 503, 504]);
const idempotentMethods: ReadonlySet<string> = /*@__PURE__*/ new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

interface TokenState {
  token: string | undefined;
  pending: Promise<string> | undefined;
}

/**
 * The HTTP engine under every adapter, built on ky (`ky.create`): base URL, injectable
 * `fetch`, authentication with single-flight token refresh, per-attempt and total
 * deadlines, `AbortSignal`s, hooks, retries with full-jitter backoff that honour
 * `Retry-After` and the adapter's rate-limit headers, idempotency keys for creates, and
 * client-side token buckets owned by this instance only.
 *
 * Adapter authors call `request()`; application code normally uses `createCrmClient()`.
 *
 * @example
 * ```ts
 * import { createCrmTransport } from 'guanxi/client';
 *
 * const transport = createCrmTransport({ baseUrl: 'https://crm.example.com/api', auth: { token: 'k' } });
 * const response = await transport.request({ method: 'GET', path: '/v1/contacts', query: { limit: 10 } });
 * console.log(response.status, response.body);
 * ```
 */
export class CrmTransport {
  /** The resolved options. */
  readonly options: ResolvedCrmTransportOptions;
  readonly #ky: KyInstance;
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #tokenState: TokenState = { token: undefined, pending: undefined };

  constructor(options: CrmTransportOptions) {
    this.options = resolveCrmTransportOptions(options);
    const { hooks } = this.options;
    const userFetch = this.options.fetch;
    this.#ky = ky.create({
      prefix: this.options.baseUrl,
      // Read the global fetch at call time: polyfills and test servers installed after
      // import are honoured, and nothing is touched at import.
      fetch: (input, init) => (userFetch ? userFetch(input as Request, init) : globalThis.fetch(input, init)),
      retry: 0,
      throwHttpErrors: false,
      timeout: false,
      hooks: {
        beforeRequest: [
          async ({ request, options }) => {
            const attempt = (options.context as { attempt?: number }).attempt ?? 1;
            for (const hook of hooks.onRequest ?? []) await hook({ method: request.method, url: redactUrl(request.url), attempt, request });
          },
        ],
        afterResponse: [
          async ({ request, options, response }) => {
            const attempt = (options.context as { attempt?: number }).attempt ?? 1;
            for (const hook of hooks.onResponse ?? []) {
              await hook({ method: request.method, url: redactUrl(request.url), attempt, request, response: response.clone() });
            }
          },
        ],
      },
    });
  }

  /**
   * Sends one logical call and returns the successful (2xx) response, or throws the
   * typed error of its final failure: `HttpError` and subclasses, `ValidationError`
   * (field errors), `NetworkError`, `TimeoutError`, or the signal's abort reason.
   */
  async request(call: CrmTransportRequest): Promise<CrmWireResponse> {
    try {
      return await this.#send(call);
    } catch (error) {
      let final = error;
      if (error instanceof GuanxiError) {
        for (const hook of this.options.hooks.onError ?? []) {
          const replacement = await hook(final as GuanxiError);
          if (replacement) final = replacement;
        }
      }
      throw final;
    }
  }

  /** The bucket behind a name (created on first use), or `undefined` when limiting is off. */
  bucket(name = 'default'): TokenBucket | undefined {
    const limits = this.options.rateLimits;
    if (limits === false) return undefined;
    let bucket = this.#buckets.get(name);
    if (!bucket) {
      const settings = limits[name] ?? limits.default;
      if (!settings) return undefined;
      bucket = new TokenBucket(settings, this.options.clock, this.options.timers);
      this.#buckets.set(name, bucket);
    }
    return bucket;
  }

  async #send(call: CrmTransportRequest): Promise<CrmWireResponse> {
    const { clock, timers, retry } = this.options;
    const method = call.method;
    const url = redactUrl(this.#absoluteUrl(call));
    const mode = call.retry === undefined || call.retry === 'auto' ? (idempotentMethods.has(method) ? 'idempotent' : 'never') : call.retry;
    const idempotencyKey = call.idempotencyKey ?? (mode === 'idempotency-key' ? this.options.createIdempotencyKey() : undefined);
    const mayRepeat = mode === 'idempotent' || (mode === 'idempotency-key' && idempotencyKey !== undefined);
    const totalTimeoutMs = call.totalTimeoutMs ?? this.options.totalTimeoutMs;
    const deadline = clock.now() + totalTimeoutMs;

    // One controller per call carries the total deadline, so every wait (rate-limit
    // bucket, backoff, token refresh, the attempt itself) stops at the same moment.
    const deadlineController = new AbortController();
    const deadlineError = new TimeoutError(method, url, 'total', totalTimeoutMs);
    const deadlineTimer = timers.setTimeout(() => deadlineController.abort(deadlineError), totalTimeoutMs);
    const signal = call.signal ? AbortSignal.any([call.signal, deadlineController.signal]) : deadlineController.signal;
    const bucket = this.bucket(call.bucket);
    let refreshedAuth = false;
    let attempt = 0;
    try {
      for (;;) {
        attempt += 1;
        signal.throwIfAborted();
        await bucket?.take(signal);
        const token = await this.#currentToken(signal);
        const remaining = deadline - clock.now();
        if (remaining <= 0) throw deadlineError;
        const configuredTimeoutMs = call.timeoutMs ?? this.options.timeoutMs;
        const attemptTimeoutMs = Math.min(configuredTimeoutMs, remaining);
        let failure: GuanxiError;
        let delayMs: number | undefined;
        let response: Response;
        try {
          response = await this.#ky(call.path.replace(/^\//, ''), {
            method,
            headers: this.#headers(call, token, idempotencyKey),
            searchParams: toSearchParams(call.query),
            json: call.json,
            signal,
            timeout: attemptTimeoutMs,
            context: { attempt },
          });
        } catch (error) {
          if (signal.aborted) throw signal.reason;
          // An attempt cut short by the call's deadline is the deadline's timeout.
          if (isKyTimeoutError(error) && attemptTimeoutMs < configuredTimeoutMs) throw deadlineError;
          if (isKyTimeoutError(error)) failure = new TimeoutError(method, url, 'attempt', attemptTimeoutMs);
          else if (isKyNetworkError(error) || error instanceof TypeError) failure = new NetworkError(method, url, { cause: rootCause(error) });
          else throw error;
          if (!mayRepeat || attempt > retry.limit) throw failure;
          delayMs = this.#backoff(attempt);
          await this.#waitBeforeRetry(method, url, attempt, delayMs, failure, deadline, signal);
          continue;
        }
        const wire: CrmWireResponse = { status: response.status, headers: response.headers, body: await readBody(response) };
        const now = clock.now();
        if (response.ok) {
          const pauseMs = this.options.dialect.pacing?.(wire, now);
          if (pauseMs !== undefined && pauseMs > 0) bucket?.pauseUntil(now + pauseMs);
          return wire;
        }
        if (response.status === 401 && this.options.auth && 'tokenProvider' in this.options.auth && !refreshedAuth && token !== undefined) {
          refreshedAuth = true;
          await this.#refreshToken(token, signal);
          attempt -= 1;
          continue;
        }
        const description = this.options.dialect.describeError(wire, now);
        failure = this.#httpFailure(method, url, wire, description, now);
        const retryAfterMs = description.rateLimit?.retryAfterMs ?? parseRetryAfter(response.headers.get('retry-after'), now);
        if (response.status === 429) {
          if (description.rateLimit?.retryable === false) throw failure;
          delayMs = retryAfterMs ?? this.#backoff(attempt);
          // A 429 is a refusal: the server did not process the request, so even a
          // create without an idempotency key may be repeated.
          if (retryAfterMs !== undefined) bucket?.pauseUntil(now + retryAfterMs);
        } else if (retryableStatuses.has(response.status) && mayRepeat) {
          delayMs = retryAfterMs ?? this.#backoff(attempt);
        } else {
          throw failure;
        }
        if (attempt > retry.limit || delayMs > retry.maxRetryAfterMs || now + delayMs >= deadline) throw failure;
        await this.#waitBeforeRetry(method, url, attempt, delayMs, failure, deadline, signal);
      }
    } catch (error) {
      if (signal.aborted && error === signal.reason) throw signal.reason;
      throw error;
    } finally {
      timers.clearTimeout(deadlineTimer);
    }
  }

  #backoff(attempt: number): number {
    return fullJitterDelay(attempt, { baseMs: this.options.retry.baseMs, capMs: this.options.retry.capMs }, this.options.random);
  }

  async #waitBeforeRetry(method: string, url: string, attempt: number, delayMs: number, error: GuanxiError, deadline: number, signal: AbortSignal): Promise<void> {
    if (this.options.clock.now() + delayMs >= deadline) throw error;
    for (const hook of this.options.hooks.onRetry ?? []) await hook({ method, url, attempt: attempt + 1, delayMs, error });
    await sleep(delayMs, this.options.timers, signal);
  }

  #httpFailure(method: string, url: string, wire: CrmWireResponse, description: CrmErrorDescription, now: number): GuanxiError {
    const secrets = this.#secrets();
    const serverMessage = description.message === undefined ? '' : `: ${redactSecrets(description.message, secrets)}`;
    const message = `${method} ${url} failed with HTTP ${wire.status}${serverMessage}`;
    const details: HttpErrorDetails = {
      status: wire.status,
      method,
      url,
      code: description.code,
      requestId: description.requestId,
      body: redactValue(wire.body, secrets),
    };
    const status = wire.status;
    if (status === 429) {
      const rateLimit = description.rateLimit;
      const retryAfterMs = rateLimit?.retryAfterMs ?? parseRetryAfter(wire.headers.get('retry-after'), now);
      const resetAt = rateLimit?.resetAt ?? (retryAfterMs === undefined ? undefined : now + retryAfterMs);
      return new RateLimitError(message, { ...details, limit: rateLimit?.limit ?? 'unknown', resetAt });
    }
    if (status === 401 || status === 403) return new AuthError(message, details);
    if (status === 404) return new NotFoundError(message, details);
    if (status === 409) return new ConflictError(message, details);
    const http = new HttpError(message, details);
    if ((status === 400 || status === 422) && description.issues && description.issues.length > 0) {
      return new ValidationError(description.issues, `request (${method} ${url}, HTTP ${status})`, { cause: http });
    }
    return http;
  }

  #secrets(): string[] {
    const auth = this.options.auth;
    const secrets: string[] = [];
    if (auth && 'token' in auth) secrets.push(auth.token);
    if (this.#tokenState.token) secrets.push(this.#tokenState.token);
    return secrets;
  }

  #headers(call: CrmTransportRequest, token: string | undefined, idempotencyKey: string | undefined): Headers {
    const headers = new Headers(this.options.headers);
    for (const [name, value] of Object.entries(call.headers ?? {})) headers.set(name, value);
    headers.set('accept', 'application/json');
    if (token !== undefined) {
      const header = this.options.auth?.header ?? 'authorization';
      headers.set(header, header.toLowerCase() === 'authorization' ? `Bearer ${token}` : token);
    }
    if (idempotencyKey !== undefined) headers.set(this.options.idempotencyKeyHeader, idempotencyKey);
    return headers;
  }

  #absoluteUrl(call: CrmTransportRequest): string {
    const base = this.options.baseUrl.replace(/\/+$/, '');
    const query = toSearchParams(call.query)?.toString();
    return `${base}/${call.path.replace(/^\/+/, '')}${query ? `?${query}` : ''}`;
  }

  async #currentToken(signal: AbortSignal): Promise<string | undefined> {
    const auth = this.options.auth;
    if (!auth) return undefined;
    if ('token' in auth) return auth.token;
    const state = this.#tokenState;
    if (state.pending) return abortable(state.pending, signal);
    if (state.token !== undefined) return state.token;
    return abortable(this.#startTokenRequest('initial', signal), signal);
  }

  async #refreshToken(staleToken: string, signal: AbortSignal): Promise<void> {
    const state = this.#tokenState;
    if (state.pending) {
      await abortable(state.pending, signal);
      return;
    }
    // Another call already refreshed while this one was in flight: use its token.
    if (state.token !== undefined && state.token !== staleToken) return;
    await abortable(this.#startTokenRequest('refresh', signal), signal);
  }

  #startTokenRequest(reason: 'initial' | 'refresh', signal: AbortSignal): Promise<string> {
    const auth = this.options.auth as { tokenProvider: CrmTokenProvider };
    const state = this.#tokenState;
    const pending = (async () => {
      try {
        const token = await auth.tokenProvider({ reason, signal });
        if (typeof token !== 'string' || token === '') throw new GuanxiError('The token provider returned no token', 'token_provider_failed');
        state.token = token;
        return token;
      } finally {
        state.pending = undefined;
      }
    })();
    state.pending = pending;
    return pending;
  }
}

/**
 * Creates a `CrmTransport` (see there).
 *
 * @example
 * ```ts
 * import { createCrmTransport } from 'guanxi/client';
 *
 * const transport = createCrmTransport({
 *   baseUrl: 'https://api.hubapi.com',
 *   auth: { tokenProvider: async () => 'fresh-access-token' },
 *   totalTimeoutMs: 20_000,
 * });
 * ```
 */
export function createCrmTransport(options: CrmTransportOptions): CrmTransport {
  return new CrmTransport(options);
}

function toSearchParams(query: CrmTransportRequest['query']): URLSearchParams | undefined {
  if (!query) return undefined;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value as readonly string[]) params.append(name, item);
    else params.append(name, String(value));
  }
  return params;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  const type = response.headers.get('content-type') ?? '';
  if (/[/+]json\b/i.test(type) || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function rootCause(error: unknown): unknown {
  // ky's errors hold the Request (with its Authorization header): keep only the
  // underlying network failure so no secret is reachable from the error's cause.
  if (error instanceof Error && isKyNetworkError(error)) return sanitizeCause(error.cause);
  return sanitizeCause(error);
}

function sanitizeCause(cause: unknown): unknown {
  if (cause instanceof Error) {
    const plain = new Error(cause.message);
    plain.name = cause.name;
    const code = (cause as { code?: unknown }).code ?? ((cause.cause as { code?: unknown } | undefined)?.code);
    if (typeof code === 'string') (plain as Error & { code?: string }).code = code;
    return plain;
  }
  return undefined;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}
