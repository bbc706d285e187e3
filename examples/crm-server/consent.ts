/**
 * The server's one integration point with `guanxi/consent`: the hash of a proof record,
 * combining purpose states (the most restrictive wins), and the server-side evaluation of
 * an incoming request — `Sec-GPC: 1` opts out of advertising and sale/sharing — that
 * filters events before anything is stored.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export type PurposeState = 'granted' | 'denied' | 'pending' | 'objected';

/** Purposes a Global Privacy Control signal opts out of (CCPA/CPRA sale and sharing, targeted ads). */
export const gpcOptOutPurposes: readonly string[] = ['advertising', 'sale-sharing'];

/** The purposes that are always on. */
export const alwaysOnPurposes: readonly string[] = ['necessary'];

/** Whether the request carries `Sec-GPC: 1`. */
export function requestHasGpc(headers: IncomingHttpHeaders): boolean {
  const value = headers['sec-gpc'];
  return (Array.isArray(value) ? value[0] : value)?.trim() === '1';
}

const restrictiveness: Readonly<Record<PurposeState, number>> = { granted: 0, pending: 1, denied: 2, objected: 3 };

/** The more restrictive of two states (used when anonymous and known subjects combine). */
export function combinePurposeStates(a: PurposeState, b: PurposeState): PurposeState {
  return restrictiveness[a] >= restrictiveness[b] ? a : b;
}

/** JSON with sorted keys, the input of a record's hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 of the canonical JSON of a record without its `hash` (it includes `previousHash`). */
export function consentRecordHash(record: Record<string, unknown>): string {
  const { hash: _hash, ...rest } = record;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

export const genesisHash = '0'.repeat(64);

/** What the server knows of one subject's consent when an event arrives. */
export interface ConsentEvaluation {
  /** Stored states, combined over the subject's ids. */
  readonly purposes: Readonly<Record<string, PurposeState>>;
  readonly gpc: boolean;
}

/** The consent stamp trackers put on events (`context.consent`). */
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
