/**
 * One request to the collector, as handed to a `TrackingTransport`.
 *
 * @example
 * ```ts
 * import type { TrackingRequest } from 'guanxi/tracking';
 *
 * const request: TrackingRequest = {
 *   url: 'https://collector.example.com/v1/batch',
 *   body: '{"batch":[],"sentAt":"2026-03-02T09:30:00.000Z"}',
 *   contentType: 'text/plain;charset=UTF-8',
 *   keepalive: false,
 *   timeoutMs: 10_000,
 * };
 * ```
 */
export interface TrackingRequest {
  readonly url: string;
  /** The JSON body (`{ batch, sentAt }`). */
  readonly body: string;
  readonly contentType: string;
  /** Whether the request must outlive the page (unload path). */
  readonly keepalive: boolean;
  /** Abort after this many ms; counts as a network error (retried). */
  readonly timeoutMs: number;
}

/**
 * The collector's answer: the status and the raw `Retry-After` header, if any.
 *
 * @example
 * ```ts
 * import type { TrackingResponse } from 'guanxi/tracking';
 *
 * const slowDown: TrackingResponse = { status: 429, retryAfter: '2' };
 * ```
 */
export interface TrackingResponse {
  readonly status: number;
  readonly retryAfter?: string | null;
}

/**
 * Sends one request; resolves with the answer, rejects on network errors and timeouts.
 * The default uses `fetch`; inject your own for other runtimes or for tests.
 *
 * @example
 * ```ts
 * import { createTracker, type TrackingTransport } from 'guanxi/tracking';
 *
 * // Send through a proxy that adds an authorization header (server side only:
 * // in browsers extra headers cause a CORS preflight).
 * const viaProxy: TrackingTransport = async (request) => {
 *   const response = await fetch(request.url, {
 *     method: 'POST',
 *     body: request.body,
 *     headers: { 'content-type': 'application/json', authorization: 'Bearer …' },
 *   });
 *   return { status: response.status, retryAfter: response.headers.get('retry-after') };
 * };
 * createTracker({ endpoint: 'https://collector.example.com/v1/batch', transport: viaProxy });
 * ```
 */
export type TrackingTransport = (request: TrackingRequest) => Promise<TrackingResponse>;

/**
 * The default transport: `fetch` with `POST`, no credentials, `keepalive` on the unload
 * path and a timeout through `AbortController`.
 *
 * @example
 * ```ts
 * import { fetchTransport } from 'guanxi/tracking';
 *
 * const response = await fetchTransport({
 *   url: 'http://127.0.0.1:8080/v1/batch',
 *   body: JSON.stringify({ batch: [], sentAt: new Date().toISOString() }),
 *   contentType: 'application/json',
 *   keepalive: false,
 *   timeoutMs: 5000,
 * });
 * console.log(response.status);
 * ```
 */
export const fetchTransport: TrackingTransport = async (request) => {
  const controller = new AbortController();
  // A keepalive request may outlive the page; never abort it from here.
  const timer = request.keepalive ? undefined : setTimeout(() => controller.abort(), request.timeoutMs);
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      body: request.body,
      headers: { 'content-type': request.contentType },
      keepalive: request.keepalive,
      credentials: 'omit',
      signal: controller.signal,
    });
    // The body is never needed; release the connection.
    response.body?.cancel().catch(() => undefined);
    return { status: response.status, retryAfter: response.headers.get('retry-after') };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
};
