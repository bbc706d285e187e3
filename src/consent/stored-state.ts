/**
 * The stored form of a subject's choices (in a `ConsentStorage`) and its compact token
 * form (a cookie or header value the server evaluates). Both are read defensively:
 * storage and cookies are untrusted, so unreadable entries are dropped one by one.
 */
import type { PurposeId, PurposeState } from './gate';
import type { ConsentForm } from './purposes';
import type { ConsentSource, ContactChoice, PurposeChoice } from './policy';
import { isContactChannel, type ContactChannel, type ContactPreferenceState } from './contact';
import { isSafeKey } from '../core/safe-object';
import { ConsentSignalError } from './tcf/consent-signal-error';

/**
 * A subject's choices: per purpose and per contact channel.
 *
 * @example
 * ```ts
 * import type { StoredConsentState } from 'guanxi/consent';
 *
 * const state: StoredConsentState = {
 *   purposes: { analytics: { state: 'granted', at: Date.now(), noticeVersion: '1', form: 'general', source: 'banner' } },
 *   channels: { email: { state: 'denied', at: Date.now(), source: 'preference-centre' } },
 * };
 * ```
 */
export interface StoredConsentState {
  readonly purposes: Readonly<Record<PurposeId, PurposeChoice>>;
  readonly channels: Readonly<Partial<Record<ContactChannel, ContactChoice>>>;
  /** The jurisdiction code in force when the state was last written, if known. */
  readonly jurisdiction?: string;
}

const states: Readonly<Record<string, PurposeState>> = { g: 'granted', d: 'denied', p: 'pending', o: 'objected' };
const stateLetters: Readonly<Record<PurposeState, string>> = { granted: 'g', denied: 'd', pending: 'p', objected: 'o' };
const forms: readonly ConsentForm[] = ['general', 'explicit', 'separate'];
const sources: readonly ConsentSource[] = ['banner', 'preference-centre', 'api', 'import', 'gpc', 'dnt', 'tcf'];

export type CompactPurpose = [string, number, string, number, number, 0 | 1];
type CompactChannel = [string, number, number];
interface CompactState {
  v: 1;
  j?: string;
  p: Record<string, CompactPurpose>;
  c: Record<string, CompactChannel>;
}

/** The compact form of purpose choices (the `p` member of a stored state). */
export function compactPurposeChoices(purposes: Readonly<Record<PurposeId, PurposeChoice>>): Record<string, CompactPurpose> {
  const p: Record<string, CompactPurpose> = {};
  for (const [id, choice] of Object.entries(purposes)) {
    p[id] = [stateLetters[choice.state], choice.at, choice.noticeVersion, forms.indexOf(choice.form), sources.indexOf(choice.source), choice.despiteGpc ? 1 : 0];
  }
  return p;
}

function compact(state: StoredConsentState): CompactState {
  const c: Record<string, CompactChannel> = {};
  for (const [channel, choice] of Object.entries(state.channels)) {
    if (choice) c[channel] = [stateLetters[choice.state], choice.at, sources.indexOf(choice.source)];
  }
  const p = compactPurposeChoices(state.purposes);
  return state.jurisdiction === undefined ? { v: 1, p, c } : { v: 1, j: state.jurisdiction, p, c };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the purpose choices of a stored state (its `p` member), dropping unreadable entries one by one. */
export function expandPurposeChoices(value: unknown): Record<PurposeId, PurposeChoice> {
  const purposes: Record<PurposeId, PurposeChoice> = {};
  if (!isRecord(value)) return purposes;
  for (const [id, raw] of Object.entries(value)) {
    if (!isSafeKey(id) || !Array.isArray(raw)) continue;
    const [letter, at, noticeVersion, form, source, despiteGpc] = raw as unknown[];
    const state = typeof letter === 'string' ? states[letter] : undefined;
    if (!state || typeof at !== 'number' || !Number.isFinite(at) || typeof noticeVersion !== 'string') continue;
    const choice: PurposeChoice = {
      state,
      at,
      noticeVersion,
      form: forms[typeof form === 'number' ? form : 0] ?? 'general',
      source: sources[typeof source === 'number' ? source : 2] ?? 'api',
    };
    purposes[id] = despiteGpc === 1 ? { ...choice, despiteGpc: true } : choice;
  }
  return purposes;
}

/** The stored state's JSON object, if the text is a guanxi consent state (version 1). */
export function readConsentStateObject(text: string | null | undefined): Record<string, unknown> | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) && value.v === 1 ? value : undefined;
  } catch {
    return undefined;
  }
}

function expand(value: Record<string, unknown>): StoredConsentState {
  const purposes = expandPurposeChoices(value.p);
  const channels: Partial<Record<ContactChannel, ContactChoice>> = {};
  if (isRecord(value.c)) {
    for (const [channel, raw] of Object.entries(value.c)) {
      if (!isContactChannel(channel) || !Array.isArray(raw)) continue;
      const [letter, at, source] = raw as unknown[];
      const state = typeof letter === 'string' ? states[letter] : undefined;
      if (state !== 'granted' && state !== 'denied' && state !== 'pending') continue;
      if (typeof at !== 'number' || !Number.isFinite(at)) continue;
      channels[channel] = { state: state as ContactPreferenceState, at, source: sources[typeof source === 'number' ? source : 2] ?? 'api' };
    }
  }
  return typeof value.j === 'string' ? { purposes, channels, jurisdiction: value.j } : { purposes, channels };
}

/** Serializes a subject's choices for a `ConsentStorage`. */
export function serializeConsentState(state: StoredConsentState): string {
  return JSON.stringify(compact(state));
}

/** Reads stored choices; `undefined` when the text is not a guanxi consent state. */
export function parseConsentState(text: string | null | undefined): StoredConsentState | undefined {
  const value = readConsentStateObject(text);
  return value && expand(value);
}

function toBase64Url(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/**
 * Encodes a subject's choices as a compact base64url token for a cookie or header, so
 * the server can evaluate requests with the same policy. The token is not signed: it
 * carries the visitor's own choices, which the visitor may change anyway; the proof of
 * consent is the hash-chained log, not the token.
 *
 * @example
 * ```ts
 * import { decodeConsentToken, encodeConsentToken } from 'guanxi/consent';
 *
 * const token = encodeConsentToken({ purposes: { analytics: { state: 'granted', at: 0, noticeVersion: '1', form: 'general', source: 'banner' } }, channels: {} });
 * decodeConsentToken(token).purposes.analytics?.state; // 'granted'
 * ```
 */
export function encodeConsentToken(state: StoredConsentState): string {
  return toBase64Url(serializeConsentState(state));
}

/**
 * Decodes a consent token made by `encodeConsentToken` (or a register's `token()`).
 *
 * @throws ConsentSignalError with reason `bad_token` when the token cannot be read.
 *
 * @example
 * ```ts
 * import { decodeConsentToken, isConsentSignalError } from 'guanxi/consent';
 *
 * try {
 *   decodeConsentToken('%%%');
 * } catch (error) {
 *   if (isConsentSignalError(error)) console.log(error.reason); // 'bad_token'
 * }
 * ```
 */
export function decodeConsentToken(token: string): StoredConsentState {
  let state: StoredConsentState | undefined;
  try {
    state = parseConsentState(fromBase64Url(token.trim()));
  } catch (cause) {
    throw new ConsentSignalError('The consent token is not base64url-encoded UTF-8 JSON', 'token', 'bad_token', {}, { cause });
  }
  if (!state) throw new ConsentSignalError('The consent token is not a guanxi consent state (version 1)', 'token', 'bad_token');
  return state;
}
