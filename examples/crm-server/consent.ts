/**
 * The server's one integration point with `guanxi/consent`: the `Sec-GPC` request signal
 * (`hasGlobalPrivacyControlHeader`), combining purpose states so the most restrictive wins
 * (`combinePurposeStates`), the canonical JSON a proof record's hash is taken over
 * (`canonicalJson`), and the server-side filter that keeps events out of the CRM when a
 * purpose they need is not granted.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { canonicalJson, combinePurposeStates, consentLogGenesisHash, hasGlobalPrivacyControlHeader, type PurposeState } from 'guanxi/consent';

export { combinePurposeStates, type PurposeState };

/** Purposes a Global Privacy Control signal opts out of (CCPA/CPRA sale and sharing, targeted ads). */
export const gpcOptOutPurposes: readonly string[] = ['advertising', 'sale-sharing'];

/** The purposes that are always on. */
export const alwaysOnPurposes: readonly string[] = ['necessary'];

/** Whether the request carries `Sec-GPC: 1`. */
export function requestHasGpc(headers: IncomingHttpHeaders): boolean {
  return hasGlobalPrivacyControlHeader(headers as Record<string, string | string[] | undefined>);
}

/** SHA-256 of the canonical JSON of a record without its `hash` (it includes `previousHash`). */
export function consentRecordHash(record: Record<string, unknown>): string {
  const { hash: _hash, ...rest } = record;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

/** The `previousHash` of the first record: 64 zeros, as in the library's proof log. */
export const genesisHash = consentLogGenesisHash;

/** What the server knows of one subject's consent when an event arrives. */
export interface ConsentEvaluation {
  /** Stored states, combined over the subject's ids. */
  readonly purposes: Readonly<Record<string, PurposeState>>;
  readonly gpc: boolean;
}

/** The consent stamp trackers put on events (`context.consent`, `TrackingConsentStamp`). */
interface ConsentStamp {
  readonly purposes?: Record<string, string>;
  readonly required?: readonly string[];
}

/**
 * Why an event may not be stored, or `undefined` when it may: a purpose it requires is not
 * granted by its own stamp, is opted out by GPC, or is denied in the stored state.
 */
export function consentSuppression(message: { context?: unknown }, evaluation: ConsentEvaluation): string | undefined {
  const stamp = (typeof message.context === 'object' && message.context !== null ? (message.context as { consent?: ConsentStamp }).consent : undefined) ?? {};
  const required = Array.isArray(stamp.required) ? stamp.required.filter((purpose): purpose is string => typeof purpose === 'string') : [];
  for (const purpose of required) {
    if (alwaysOnPurposes.includes(purpose)) continue;
    if (evaluation.gpc && gpcOptOutPurposes.includes(purpose)) return `${purpose}: opted out by Global Privacy Control`;
    const stamped = stamp.purposes?.[purpose];
    if (stamped !== undefined && stamped !== 'granted') return `${purpose}: ${stamped} when captured`;
    const stored = evaluation.purposes[purpose];
    if (stored === 'denied' || stored === 'objected') return `${purpose}: ${stored}`;
  }
  return undefined;
}
