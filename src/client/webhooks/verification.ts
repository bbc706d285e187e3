/**
 * Why a webhook was rejected: a header is missing or malformed, the timestamp is outside
 * the tolerance window (a replay or a skewed clock), or the signature does not match
 * (wrong secret, or a tampered body).
 *
 * @example
 * ```ts
 * import type { WebhookRejection } from 'guanxi/client';
 *
 * const reason: WebhookRejection = 'stale_timestamp';
 * ```
 */
export type WebhookRejection = 'missing_signature' | 'malformed_signature' | 'stale_timestamp' | 'bad_signature';

/**
 * The outcome of verifying a webhook: accepted, or rejected with a reason (never an
 * exception for a bad request — an attacker's input is not an error).
 *
 * @example
 * ```ts
 * import type { WebhookVerification } from 'guanxi/client';
 *
 * const respond = (result: WebhookVerification) => (result.valid ? 204 : 401);
 * ```
 */
export type WebhookVerification = { readonly valid: true } | { readonly valid: false; readonly reason: WebhookRejection };

/**
 * The default tolerance of webhook timestamps: 5 minutes either way, as HubSpot
 * prescribes for its v3 signatures.
 *
 * @example
 * ```ts
 * import { webhookToleranceMs } from 'guanxi/client';
 *
 * console.log(webhookToleranceMs); // 300000
 * ```
 */
export const webhookToleranceMs = 5 * 60 * 1000;

export const accepted: WebhookVerification = /*@__PURE__*/ Object.freeze({ valid: true });

export function rejected(reason: WebhookRejection): WebhookVerification {
  return { valid: false, reason };
}
