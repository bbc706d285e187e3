import { systemClock, type Clock } from '../../core/clock';
import { fromHex, hmacSha256, toHex, verifyHmacSha256 } from './hmac';
import { accepted, rejected, webhookToleranceMs, type WebhookVerification } from './verification';

/**
 * The header that carries guanxi's webhook signature.
 *
 * Scheme (documented in docs/client.md, "Webhook signatures"): the header value is
 * `t=<unix milliseconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`; during secret
 * rotation a sender may add several `v1=` entries (one per secret), and a receiver
 * accepts the request when any matches. Receivers reject timestamps more than 5 minutes
 * from their clock.
 *
 * @example
 * ```ts
 * import { guanxiSignatureHeader } from 'guanxi/client';
 *
 * console.log(guanxiSignatureHeader); // 'guanxi-signature'
 * ```
 */
export const guanxiSignatureHeader = 'guanxi-signature';

/**
 * What a guanxi webhook sender signs.
 *
 * @example
 * ```ts
 * import type { GuanxiSignatureInput } from 'guanxi/client';
 *
 * const input: GuanxiSignatureInput = { secrets: ['whsec_current'], body: '{"type":"contact.created"}', timestampMs: 1767225600000 };
 * ```
 */
export interface GuanxiSignatureInput {
  /** The shared secret(s); one `v1` entry per secret (several during rotation). */
  readonly secrets: readonly string[];
  /** The raw body, exactly as sent. */
  readonly body: string;
  /**
   * Signing time, in milliseconds since the epoch.
   * @default the current time
   */
  readonly timestampMs?: number | undefined;
}

/**
 * Signs a webhook body with guanxi's scheme and returns the `Guanxi-Signature` header
 * value. The reference CRM server signs its webhooks with this.
 *
 * @example
 * ```ts
 * import { guanxiSignatureHeader, signGuanxiWebhook } from 'guanxi/client';
 *
 * const body = JSON.stringify({ type: 'contact.created', id: '101' });
 * const headers = { 'content-type': 'application/json', [guanxiSignatureHeader]: await signGuanxiWebhook({ secrets: ['whsec_…'], body }) };
 * ```
 */
export async function signGuanxiWebhook(input: GuanxiSignatureInput): Promise<string> {
  const timestamp = Math.trunc(input.timestampMs ?? Date.now());
  const entries = [`t=${timestamp}`];
  for (const secret of input.secrets) entries.push(`v1=${toHex(await hmacSha256(secret, `${timestamp}.${input.body}`))}`);
  return entries.join(',');
}

/**
 * What a guanxi webhook receiver checks.
 *
 * @example
 * ```ts
 * import type { GuanxiVerificationInput } from 'guanxi/client';
 *
 * const input: GuanxiVerificationInput = { secrets: ['whsec_new', 'whsec_old'], body: '{}', header: 't=1767225600000,v1=ab12…' };
 * ```
 */
export interface GuanxiVerificationInput {
  /** Accepted secrets (the current one, plus the previous one during rotation). */
  readonly secrets: readonly string[];
  /** The raw request body, exactly as received. */
  readonly body: string;
  /** The `Guanxi-Signature` header. */
  readonly header: string | null | undefined;
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

/**
 * Verifies a guanxi webhook signature (WebCrypto; constant-time comparison).
 *
 * @example
 * ```ts
 * import { guanxiSignatureHeader, verifyGuanxiWebhook } from 'guanxi/client';
 *
 * async function handle(request: Request): Promise<Response> {
 *   const body = await request.text();
 *   const result = await verifyGuanxiWebhook({ secrets: ['whsec_…'], body, header: request.headers.get(guanxiSignatureHeader) });
 *   if (!result.valid) return new Response(result.reason, { status: 401 });
 *   return new Response(null, { status: 204 });
 * }
 * ```
 */
export async function verifyGuanxiWebhook(input: GuanxiVerificationInput): Promise<WebhookVerification> {
  if (!input.header) return rejected('missing_signature');
  let timestamp: string | undefined;
  const signatures: Uint8Array[] = [];
  for (const part of input.header.split(',')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    const name = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (name === 't') timestamp = value;
    else if (name === 'v1') {
      const bytes = fromHex(value);
      if (bytes) signatures.push(bytes);
    }
  }
  if (timestamp === undefined || !/^\d{1,16}$/.test(timestamp) || signatures.length === 0) return rejected('malformed_signature');
  const now = (input.clock ?? systemClock).now();
  if (Math.abs(now - Number(timestamp)) > (input.toleranceMs ?? webhookToleranceMs)) return rejected('stale_timestamp');
  const message = `${timestamp}.${input.body}`;
  for (const secret of input.secrets) {
    for (const signature of signatures) {
      if (await verifyHmacSha256(secret, message, signature)) return accepted;
    }
  }
  return rejected('bad_signature');
}
