/**
 * The server's integration with `guanxi/consent`. Requests are evaluated by the library's
 * policy engine (`evaluateConsentRequest`: jurisdiction rules, `Sec-GPC`), events are
 * filtered by the library's `filterConsentedEvents`, states combine with
 * `combinePurposeStates` (most restrictive wins), and proof records are hashed over the
 * library's `canonicalJson`. What the server adds is its own memory: the consent records
 * it stores, which override what a tracker stamped on an event when it was captured.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  canonicalJson,
  combinePurposeStates,
  consentLogGenesisHash,
  decideFromStates,
  evaluateConsentRequest,
  filterConsentedEvents,
  resolveConsentEvaluationOptions,
  type ConsentRequestEvaluation,
  type ConsentRequestHeaders,
  type PurposeState,
} from 'guanxi/consent';

export { combinePurposeStates, type PurposeState };

/** Purposes a Global Privacy Control signal opts out of: the library's default purposes that sell, share or target ads. */
export const gpcOptOutPurposes: readonly string[] = resolveConsentEvaluationOptions().optOutSignalPurposes;

/** The purposes that are always on (the library's `always` purposes). */
export const alwaysOnPurposes: readonly string[] = resolveConsentEvaluationOptions()
  .purposes.filter((purpose) => purpose.alwaysOn === true)
  .map((purpose) => purpose.id);

/** The request's consent as the library evaluates it: jurisdiction (option or CDN headers) and `Sec-GPC`. */
export function evaluateRequestConsent(headers: IncomingHttpHeaders, jurisdiction?: string): ConsentRequestEvaluation {
  return evaluateConsentRequest({ headers: headers as ConsentRequestHeaders }, jurisdiction === undefined ? {} : { jurisdiction });
}

/** SHA-256 of the canonical JSON of a record without its `hash` (it includes `previousHash`). */
export function consentRecordHash(record: Record<string, unknown>): string {
  const { hash: _hash, ...rest } = record;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

/** The `previousHash` of the first record: 64 zeros, as in the library's proof log. */
export const genesisHash = consentLogGenesisHash;

/** The consent stamp trackers put on events (`context.consent`, `TrackingConsentStamp`). */
interface ConsentStamp {
  readonly purposes?: Record<string, unknown>;
  readonly required?: readonly unknown[];
}

function stampOf(message: { context?: unknown }): ConsentStamp {
  const context = message.context;
  const consent = typeof context === 'object' && context !== null ? (context as { consent?: unknown }).consent : undefined;
  return typeof consent === 'object' && consent !== null ? (consent as ConsentStamp) : {};
}

const purposeStates: readonly string[] = ['granted', 'denied', 'pending', 'objected'];

/**
 * The states an event is judged by now: what the tracker saw at capture, overridden by the
 * consent records the server holds for the subject (a later withdrawal, or a choice made on
 * another device), with always-on purposes granted and GPC's opt-out applied.
 */
export function currentConsentStates(
  message: { context?: unknown },
  stored: Readonly<Record<string, PurposeState>>,
  request: Pick<ConsentRequestEvaluation, 'globalPrivacyControl'>,
): Record<string, PurposeState> {
  const states: Record<string, PurposeState> = {};
  for (const [purpose, state] of Object.entries(stampOf(message).purposes ?? {})) {
    if (typeof state === 'string' && purposeStates.includes(state)) states[purpose] = state as PurposeState;
  }
  Object.assign(states, stored);
  for (const purpose of alwaysOnPurposes) states[purpose] = 'granted';
  if (request.globalPrivacyControl) {
    for (const purpose of gpcOptOutPurposes) if (states[purpose] !== 'objected') states[purpose] = 'denied';
  }
  return states;
}

/**
 * Why an event may not be stored, or `undefined` when it may, by the library's
 * `filterConsentedEvents`: every purpose the event requires must be granted now and must
 * have been granted when it was captured. Events that declare no purposes (server-side
 * sources without a consent stamp) are not held back.
 */
export function consentSuppression(
  message: { context?: unknown },
  stored: Readonly<Record<string, PurposeState>>,
  request: Pick<ConsentRequestEvaluation, 'globalPrivacyControl'>,
): string | undefined {
  const states = currentConsentStates(message, stored, request);
  const { rejected } = filterConsentedEvents([message], { states, decide: (purposes) => decideFromStates(states, purposes) }, { defaultPurposes: [] });
  const rejection = rejected[0];
  return rejection ? `${rejection.reason}: ${rejection.purposes.join(', ')}` : undefined;
}

/**
 * The purposes a GPC request turns from granted to denied for a subject the server knows:
 * record these as a proof record with source `gpc` (as the browser register does).
 */
export function purposesOptedOutByGpc(stored: Readonly<Record<string, PurposeState>>, request: Pick<ConsentRequestEvaluation, 'globalPrivacyControl'>): string[] {
  if (!request.globalPrivacyControl) return [];
  return gpcOptOutPurposes.filter((purpose) => stored[purpose] === 'granted');
}
