import { systemClock, type Clock } from '../../core/clock';
import { fromBase64, hmacSha256, toBase64, verifyHmacSha256 } from './hmac';
import { accepted, rejected, webhookToleranceMs, type WebhookVerification } from './verification';

/**
 * What HubSpot's v3 request signature covers: the method, the full URI the request was
 * sent to, the raw body, and the `X-HubSpot-Request-Timestamp` header.
 *
 * @example
 * ```ts
 * import type { HubSpotSignatureInput } from 'guanxi/client';
 *
 * const input: HubSpotSignatureInput = {
 *   clientSecret: 'app-client-secret',
 *   method: 'POST',
 *   url: 'https://example.com/webhooks/hubspot',
 *   body: '[{"eventId":1}]',
 *   signature: 'base64-from-X-HubSpot-Signature-v3',
 *   timestamp: '1767225600000',
 * };
 * ```
 */
export interface HubSpotSignatureInput {
  /** The HubSpot app's client secret. */
  readonly clientSecret: string;
  /** Request method, e.g. `POST`. */
  readonly method: string;
  /** The full URL HubSpot called (scheme, host, path and query), as HubSpot saw it. */
  readonly url: string;
  /** The raw request body, exactly as received (before JSON parsing). */
  readonly body: string;
  /** The `X-HubSpot-Signature-v3` header. */
  readonly signature: string | null | undefined;
  /** The `X-HubSpot-Request-Timestamp` header (milliseconds since the epoch). */
  readonly timestamp: string | null | undefined;
  /**
   * Largest accepted age (and clock skew) of the timestamp, in milliseconds.
   * @default 300000 (5 minutes)
   */
  readonly toleranceMs?: number | undefined;
  /**
   * Time source.
   * @default systemClock
   */
  readonly clock?: Clock | undefined;
}

// HubSpot signs the URI with these characters decoded (its v3 validation guide).
const decodedInUri: readonly [string, string][] = [
  ['%3A', ':'], ['%2F', '/'], ['%3F', '?'], ['%40', '@'], ['%21', '!'], ['%24', '$'], ['%27', "'"],
  ['%28', '('], ['%29', ')'], ['%2A', '*'], ['%2C', ','], ['%3B', ';'],
];

function hubSpotUri(url: string): string {
  let uri = url;
  for (const [encoded, plain] of decodedInUri) uri = uri.replaceAll(encoded, plain).replaceAll(encoded.toLowerCase(), plain);
  return uri;
}

/**
 * Computes HubSpot's v3 signature — base64(HMAC-SHA256(clientSecret, method + uri + body
 * + timestamp)). For tests and for relaying; receivers use `verifyHubSpotSignature()`.
 *
 * @example
 * ```ts
 * import { signHubSpotRequest } from 'guanxi/client';
 *
 * const signature = await signHubSpotRequest({ clientSecret: 's', method: 'POST', url: 'https://example.com/hook', body: '[]', timestamp: '1767225600000' });
 * ```
 */
export async function signHubSpotRequest(input: Omit<HubSpotSignatureInput, 'signature' | 'timestamp' | 'toleranceMs' | 'clock'> & { readonly timestamp: string }): Promise<string> {
  return toBase64(await hmacSha256(input.clientSecret, `${input.method.toUpperCase()}${hubSpotUri(input.url)}${input.body}${input.timestamp}`));
}

/**
 * Verifies a HubSpot v3 webhook signature with WebCrypto (browsers, Node, edge
 * runtimes): rejects timestamps more than 5 minutes away and compares in constant time.
 *
 * @example
 * ```ts
 * import { verifyHubSpotSignature } from 'guanxi/client';
 *
 * async function handle(request: Request): Promise<Response> {
 *   const body = await request.text();
 *   const result = await verifyHubSpotSignature({
 *     clientSecret: 'app-client-secret',
 *     method: request.method,
 *     url: request.url,
 *     body,
 *     signature: request.headers.get('x-hubspot-signature-v3'),
 *     timestamp: request.headers.get('x-hubspot-request-timestamp'),
 *   });
 *   return new Response(null, { status: result.valid ? 204 : 401 });
 * }
 * ```
 */
export async function verifyHubSpotSignature(input: HubSpotSignatureInput): Promise<WebhookVerification> {
  if (!input.signature || !input.timestamp) return rejected('missing_signature');
  const timestamp = input.timestamp.trim();
  if (!/^\d{1,16}$/.test(timestamp)) return rejected('malformed_signature');
  const now = (input.clock ?? systemClock).now();
  if (Math.abs(now - Number(timestamp)) > (input.toleranceMs ?? webhookToleranceMs)) return rejected('stale_timestamp');
  const signature = fromBase64(input.signature.trim());
  if (!signature) return rejected('malformed_signature');
  const message = `${input.method.toUpperCase()}${hubSpotUri(input.url)}${input.body}${timestamp}`;
  return (await verifyHmacSha256(input.clientSecret, message, signature)) ? accepted : rejected('bad_signature');
}
