/**
 * Server-side consent (Node, edge runtimes; no DOM): evaluate an incoming request
 * with the same policy engine as the browser, then filter a batch of events before
 * anything is written to the CRM.
 */
import { systemClock, type Clock } from '../core/clock';
import type { ConsentDecision, ConsentSnapshot, PurposeId, PurposeState } from './gate';
import { defaultConsentPurposes, type ConsentPurpose } from './purposes';
import { defaultJurisdictionRules, findJurisdictionRule, type JurisdictionRule } from './jurisdictions';
import { decideFromStates, evaluatePurpose, type PolicyContext } from './policy';
import { hasGlobalPrivacyControlHeader, readHeader, type ConsentRequestHeaders } from './signals';
import { decodeConsentToken, type StoredConsentState } from './stored-state';
import { ConsentError } from './errors/consent-error';
import type { ConsentSignalError } from './tcf/consent-signal-error';
import { policyUnderRule, type ResolvedConsentPolicy } from './resolved-policy';

/**
 * The default cookie carrying a register's `token()`.
 *
 * @example
 * ```ts
 * import { consentCookieName } from 'guanxi/consent';
 *
 * document.cookie = `${consentCookieName}=…; path=/; SameSite=Lax`;
 * ```
 */
export const consentCookieName = 'guanxi_consent';

/**
 * The default header carrying a register's `token()` (for API calls without cookies).
 *
 * @example
 * ```ts
 * import { consentTokenHeader } from 'guanxi/consent';
 *
 * console.log(consentTokenHeader); // 'x-guanxi-consent'
 * ```
 */
export const consentTokenHeader = 'x-guanxi-consent';

/**
 * What `evaluateConsentRequest` reads: the request headers, and optionally a token
 * already extracted by the caller (it wins over header and cookie).
 *
 * @example
 * ```ts
 * import type { ConsentRequest } from 'guanxi/consent';
 *
 * const request: ConsentRequest = { headers: { 'sec-gpc': '1', cookie: 'guanxi_consent=eyJ2IjoxfQ' } };
 * ```
 */
export interface ConsentRequest {
  readonly headers: ConsentRequestHeaders;
  readonly token?: string;
}

/**
 * Options of `evaluateConsentRequest`.
 *
 * @example
 * ```ts
 * import type { ConsentEvaluationOptions } from 'guanxi/consent';
 *
 * const options: ConsentEvaluationOptions = { noticeVersion: '2026-03', jurisdiction: (headers) => undefined };
 * ```
 */
export interface ConsentEvaluationOptions {
  /**
   * The purposes.
   * @default defaultConsentPurposes
   */
  readonly purposes?: readonly ConsentPurpose[];
  /**
   * The jurisdiction table.
   * @default defaultJurisdictionRules
   */
  readonly rules?: readonly JurisdictionRule[];
  /**
   * Rule code used when nothing else matches.
   * @default 'default'
   */
  readonly fallbackJurisdiction?: string;
  /**
   * The jurisdiction: a code, or a function of the headers. When absent, guanxi reads the
   * common CDN geolocation headers (`cf-ipcountry`; `x-vercel-ip-country` with
   * `x-vercel-ip-country-region`; `cloudfront-viewer-country` with
   * `cloudfront-viewer-country-region`), then the token's jurisdiction.
   * @default undefined
   */
  readonly jurisdiction?: string | ((headers: ConsentRequestHeaders) => string | undefined);
  /**
   * The notice version currently published; opt-in grants made under another version
   * have lapsed. When absent, each choice's own version counts as current.
   * @default undefined
   */
  readonly noticeVersion?: string;
  /**
   * Months after which a grant lapses, where the rule does not say.
   * @default 13
   */
  readonly reconsentAfterMonths?: number;
  /**
   * Honour `Sec-GPC: 1`.
   * @default true
   */
  readonly honourGlobalPrivacyControl?: boolean;
  /**
   * Purposes GPC opts out of.
   * @default the purposes that sell, share or target advertising
   */
  readonly optOutSignalPurposes?: readonly PurposeId[];
  /**
   * Cookie holding the token.
   * @default 'guanxi_consent'
   */
  readonly cookieName?: string;
  /**
   * Header holding the token.
   * @default 'x-guanxi-consent'
   */
  readonly tokenHeader?: string;
  /**
   * The clock.
   * @default systemClock
   */
  readonly clock?: Clock;
}

/**
 * The defaults of `ConsentEvaluationOptions`.
 *
 * @example
 * ```ts
 * import { defaultConsentEvaluationOptions } from 'guanxi/consent';
 *
 * console.log(defaultConsentEvaluationOptions.cookieName); // 'guanxi_consent'
 * ```
 */
export const defaultConsentEvaluationOptions = /* @__PURE__ */ Object.freeze({
  purposes: defaultConsentPurposes,
  rules: defaultJurisdictionRules,
  fallbackJurisdiction: 'default',
  reconsentAfterMonths: 13,
  honourGlobalPrivacyControl: true,
  cookieName: consentCookieName,
  tokenHeader: consentTokenHeader,
} as const);

/**
 * `ConsentEvaluationOptions` with defaults filled in.
 *
 * @example
 * ```ts
 * import type { ResolvedConsentEvaluationOptions } from 'guanxi/consent';
 *
 * declare const options: ResolvedConsentEvaluationOptions;
 * console.log(options.optOutSignalPurposes);
 * ```
 */
export interface ResolvedConsentEvaluationOptions
  extends Required<Omit<ConsentEvaluationOptions, 'jurisdiction' | 'noticeVersion'>>,
    Pick<ConsentEvaluationOptions, 'jurisdiction' | 'noticeVersion'> {}

/**
 * Fills in the defaults of `ConsentEvaluationOptions`.
 *
 * @throws ConsentError with code `invalid_configuration` when the fallback rule is missing.
 *
 * @example
 * ```ts
 * import { resolveConsentEvaluationOptions } from 'guanxi/consent';
 *
 * const options = resolveConsentEvaluationOptions({ noticeVersion: '2026-03' });
 * ```
 */
export function resolveConsentEvaluationOptions(options: ConsentEvaluationOptions = {}): ResolvedConsentEvaluationOptions {
  const purposes = options.purposes ?? defaultConsentEvaluationOptions.purposes;
  const rules = options.rules ?? defaultConsentEvaluationOptions.rules;
  const fallbackJurisdiction = options.fallbackJurisdiction ?? defaultConsentEvaluationOptions.fallbackJurisdiction;
  if (!rules.some((rule) => rule.code === fallbackJurisdiction)) {
    throw new ConsentError(`The fallback jurisdiction '${fallbackJurisdiction}' is not in the rules`, 'invalid_configuration');
  }
  return {
    ...options,
    purposes,
    rules,
    fallbackJurisdiction,
    reconsentAfterMonths: options.reconsentAfterMonths ?? defaultConsentEvaluationOptions.reconsentAfterMonths,
    honourGlobalPrivacyControl: options.honourGlobalPrivacyControl ?? defaultConsentEvaluationOptions.honourGlobalPrivacyControl,
    optOutSignalPurposes:
      options.optOutSignalPurposes ??
      purposes.filter((purpose) => purpose.processing?.sale || purpose.processing?.targetedAdvertising).map((purpose) => purpose.id),
    cookieName: options.cookieName ?? defaultConsentEvaluationOptions.cookieName,
    tokenHeader: options.tokenHeader ?? defaultConsentEvaluationOptions.tokenHeader,
    clock: options.clock ?? systemClock,
  };
}

/**
 * The consent that applies to one request.
 *
 * @example
 * ```ts
 * import { evaluateConsentRequest, type ConsentRequestEvaluation } from 'guanxi/consent';
 *
 * const evaluation: ConsentRequestEvaluation = evaluateConsentRequest({ headers: { 'sec-gpc': '1' } }, { jurisdiction: 'US-CA' });
 * console.log(evaluation.decide(['advertising'])); // 'denied'
 * ```
 */
export interface ConsentRequestEvaluation {
  /** Code of the rule applied. */
  readonly jurisdiction: string;
  /** Whether the request carried `Sec-GPC: 1`. */
  readonly globalPrivacyControl: boolean;
  /** Whether a consent token was found and read. */
  readonly token: 'valid' | 'absent' | 'invalid';
  /** Why the token could not be read (the request is then evaluated as if it had none). */
  readonly tokenError?: ConsentSignalError;
  /** The choices read from the token. */
  readonly choices: StoredConsentState;
  /** State per purpose. */
  readonly states: Readonly<Record<PurposeId, PurposeState>>;
  /** Purposes that GPC turned from granted to denied: record these as proof with source `gpc`. */
  readonly optedOutBySignal: readonly PurposeId[];
  /** The states as a snapshot. */
  readonly snapshot: ConsentSnapshot;
  /** The jurisdiction's policy for the configured purposes, for a page's storefront gate (`createStorefrontConsentGate`). */
  readonly policy: ResolvedConsentPolicy;
  /** Decides for a set of purposes, like a `ConsentGate`. */
  decide(purposes: readonly PurposeId[]): ConsentDecision;
}

function readCookie(headers: ConsentRequestHeaders, name: string): string | undefined {
  const cookie = readHeader(headers, 'cookie');
  if (!cookie) return undefined;
  for (const part of cookie.split(/;\s*/)) {
    const equals = part.indexOf('=');
    if (equals > 0 && part.slice(0, equals).trim() === name) {
      const value = part.slice(equals + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return value;
      }
    }
  }
  return undefined;
}

function geolocation(headers: ConsentRequestHeaders): string | undefined {
  const pairs: [string, string | undefined][] = [
    ['x-vercel-ip-country', 'x-vercel-ip-country-region'],
    ['cloudfront-viewer-country', 'cloudfront-viewer-country-region'],
    ['cf-ipcountry', undefined],
  ];
  for (const [countryHeader, regionHeader] of pairs) {
    const country = readHeader(headers, countryHeader)?.trim().toUpperCase();
    if (!country || !/^[A-Z]{2}$/.test(country) || country === 'XX') continue;
    const region = regionHeader ? readHeader(headers, regionHeader)?.trim().toUpperCase() : undefined;
    return region && /^[A-Z0-9]{1,3}$/.test(region) ? `${country}-${region}` : country;
  }
  return undefined;
}

/**
 * Evaluates the consent that applies to an incoming request: the jurisdiction (option,
 * CDN geolocation headers, or the token's), the visitor's choices from the consent
 * token (header `x-guanxi-consent` or cookie `guanxi_consent`, as written from a
 * register's `token()`), and `Sec-GPC: 1`, through the same policy as the browser. An
 * unreadable token is reported in `tokenError` and treated as absent, so defaults (and
 * opt-in pending) apply. Never throws for request content.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { evaluateConsentRequest } from 'guanxi/consent';
 *
 * createServer((request, response) => {
 *   const consent = evaluateConsentRequest({ headers: request.headers }, { noticeVersion: '2026-03' });
 *   response.end(consent.decide(['analytics']));
 * });
 * ```
 */
export function evaluateConsentRequest(request: ConsentRequest, options: ConsentEvaluationOptions = {}): ConsentRequestEvaluation {
  const resolved = resolveConsentEvaluationOptions(options);
  const headers = request.headers;
  const rawToken = request.token ?? readHeader(headers, resolved.tokenHeader) ?? readCookie(headers, resolved.cookieName);
  let choices: StoredConsentState = { purposes: {}, channels: {} };
  let token: ConsentRequestEvaluation['token'] = 'absent';
  let tokenError: ConsentSignalError | undefined;
  if (rawToken !== undefined && rawToken !== '') {
    try {
      choices = decodeConsentToken(rawToken);
      token = 'valid';
    } catch (error) {
      token = 'invalid';
      tokenError = error as ConsentSignalError;
    }
  }
  const asked = typeof resolved.jurisdiction === 'function' ? safeJurisdiction(resolved.jurisdiction, headers) : resolved.jurisdiction;
  const code = asked ?? geolocation(headers) ?? choices.jurisdiction;
  const rule = findJurisdictionRule(resolved.rules, code, resolved.fallbackJurisdiction)!;
  const globalPrivacyControl = hasGlobalPrivacyControlHeader(headers);
  const now = resolved.clock.now();
  const states: Record<PurposeId, PurposeState> = {};
  const optedOutBySignal: PurposeId[] = [];
  for (const purpose of resolved.purposes) {
    const choice = choices.purposes[purpose.id];
    const context: PolicyContext = {
      now,
      noticeVersion: resolved.noticeVersion ?? choice?.noticeVersion ?? '',
      reconsentAfterMonths: resolved.reconsentAfterMonths,
      optOutSignal: resolved.honourGlobalPrivacyControl && globalPrivacyControl,
      optOutSignalPurposes: resolved.optOutSignalPurposes,
    };
    const evaluation = evaluatePurpose(purpose, rule, choice, context);
    states[purpose.id] = evaluation.state;
    if (evaluation.optedOutBySignal) optedOutBySignal.push(purpose.id);
  }
  const snapshot: ConsentSnapshot = { purposes: states, takenAt: now, jurisdiction: rule.code };
  const evaluation: ConsentRequestEvaluation = {
    jurisdiction: rule.code,
    globalPrivacyControl,
    token,
    choices,
    states,
    optedOutBySignal,
    snapshot,
    policy: policyUnderRule(rule, resolved),
    decide: (purposes) => decideFromStates(states, purposes),
  };
  return tokenError ? { ...evaluation, tokenError } : evaluation;
}

/**
 * Resolves a jurisdiction's policy for the configured purposes: the rule found by
 * `findJurisdictionRule` (the fallback when `jurisdiction` matches none), applied to
 * each purpose with `purposeMode` and `requiredConsentForm`. Run it on the server, which
 * knows where the visitor is, and send the result to the page: its storefront gate
 * (`createStorefrontConsentGate`) then decides as the register would under the same rule,
 * without carrying the jurisdiction table. `evaluateConsentRequest(...).policy` is the
 * same, with the jurisdiction read from the request.
 *
 * @param jurisdiction - A rule code, country or subdivision (`'DE'`, `'US-CA'`); `undefined` selects the fallback rule.
 * @param options - Purposes, rules, fallback, re-consent period and opt-out signal purposes, as for `evaluateConsentRequest` (its `jurisdiction`, notice and header options are not used here).
 * @throws ConsentError with code `invalid_configuration` when the fallback rule is missing.
 *
 * @example
 * ```ts
 * import { resolveConsentPolicy } from 'guanxi/consent';
 *
 * const policy = resolveConsentPolicy('US-CA');
 * console.log(policy.purposes.advertising); // { mode: 'opt-out', form: 'general' }
 * // In a route: response.end(JSON.stringify(policy));
 * ```
 */
export function resolveConsentPolicy(jurisdiction: string | undefined, options: ConsentEvaluationOptions = {}): ResolvedConsentPolicy {
  const resolved = resolveConsentEvaluationOptions(options);
  return policyUnderRule(findJurisdictionRule(resolved.rules, jurisdiction, resolved.fallbackJurisdiction)!, resolved);
}

function safeJurisdiction(read: (headers: ConsentRequestHeaders) => string | undefined, headers: ConsentRequestHeaders): string | undefined {
  try {
    return read(headers);
  } catch {
    return undefined;
  }
}

/**
 * An event as the server sees it: any object; guanxi looks only at `type`, and at
 * `context.consent` where the tracker stamped the purposes the event needs
 * (`required`) and the consent snapshot taken at capture (`purposes`).
 *
 * @example
 * ```ts
 * import type { ConsentFilterableEvent } from 'guanxi/consent';
 *
 * const event: ConsentFilterableEvent = { type: 'track', context: { consent: { required: ['analytics'], purposes: { analytics: 'granted' } } } };
 * ```
 */
export interface ConsentFilterableEvent {
  readonly type?: unknown;
  readonly context?: unknown;
}

/**
 * Why an event was refused: `consent` (a purpose is denied or objected now, or was not
 * granted when the event was captured), `consent-pending` (a purpose is still
 * pending: the server cannot hold events, so they are refused).
 *
 * @example
 * ```ts
 * import type { ConsentRejection } from 'guanxi/consent';
 *
 * declare const rejected: ConsentRejection<{ type: string }>;
 * console.log(rejected.reason, rejected.purposes);
 * ```
 */
export interface ConsentRejection<E> {
  readonly event: E;
  readonly index: number;
  readonly reason: 'consent' | 'consent-pending';
  /** The purposes that were not granted. */
  readonly purposes: readonly PurposeId[];
}

/**
 * Options of `filterConsentedEvents`.
 *
 * @example
 * ```ts
 * import type { ConsentFilterOptions } from 'guanxi/consent';
 *
 * const options: ConsentFilterOptions<{ event?: string }> = {
 *   purposesOf: (event) => (event.event === 'Ad Clicked' ? ['advertising'] : undefined),
 * };
 * ```
 */
export interface ConsentFilterOptions<E> {
  /**
   * The purposes an event needs; return `undefined` to fall back to
   * `context.consent.required`, then to `defaultPurposes`.
   * @default undefined
   */
  readonly purposesOf?: (event: E) => readonly PurposeId[] | undefined;
  /**
   * Purposes assumed for events that declare none.
   * @default ['analytics']
   */
  readonly defaultPurposes?: readonly PurposeId[];
}

/**
 * The result of `filterConsentedEvents`: the events that may be written, in their
 * original order, and the refused ones with reasons.
 *
 * @example
 * ```ts
 * import type { ConsentFilterResult } from 'guanxi/consent';
 *
 * declare const result: ConsentFilterResult<{ messageId: string }>;
 * console.log(result.accepted.length, result.rejected.map((r) => `${r.event.messageId}: ${r.reason}`));
 * ```
 */
export interface ConsentFilterResult<E> {
  readonly accepted: readonly E[];
  readonly rejected: readonly ConsentRejection<E>[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function stampedConsent(event: ConsentFilterableEvent): { required?: PurposeId[]; purposes?: Record<string, unknown> } {
  const consent = isRecord(event.context) ? event.context.consent : undefined;
  if (!isRecord(consent)) return {};
  const required = Array.isArray(consent.required) && consent.required.every((p) => typeof p === 'string') ? (consent.required as PurposeId[]) : undefined;
  const purposes = isRecord(consent.purposes) ? consent.purposes : undefined;
  return { ...(required ? { required } : {}), ...(purposes ? { purposes } : {}) };
}

/**
 * Filters a batch of events before anything is written: an event is accepted only when
 * every purpose it needs is granted for this request now **and** was granted in the
 * snapshot stamped on it at capture (when there is one). Use it in a collector right
 * after parsing the batch.
 *
 * @example
 * ```ts
 * import { evaluateConsentRequest, filterConsentedEvents } from 'guanxi/consent';
 *
 * declare const headers: Record<string, string>;
 * declare const batch: { type: string; messageId: string; context?: unknown }[];
 * const consent = evaluateConsentRequest({ headers }, { noticeVersion: '2026-03' });
 * const { accepted, rejected } = filterConsentedEvents(batch, consent);
 * // write `accepted`; count `rejected` by reason
 * ```
 */
export function filterConsentedEvents<E extends ConsentFilterableEvent>(
  events: readonly E[],
  evaluation: Pick<ConsentRequestEvaluation, 'decide' | 'states'>,
  options: ConsentFilterOptions<E> = {},
): ConsentFilterResult<E> {
  const accepted: E[] = [];
  const rejected: ConsentRejection<E>[] = [];
  const defaults = options.defaultPurposes ?? ['analytics'];
  events.forEach((event, index) => {
    const stamped = stampedConsent(event);
    const needed = options.purposesOf?.(event) ?? stamped.required ?? defaults;
    const notGrantedNow = needed.filter((purpose) => evaluation.states[purpose] !== 'granted');
    const notGrantedAtCapture = stamped.purposes ? needed.filter((purpose) => stamped.purposes![purpose] !== 'granted') : [];
    const decision = evaluation.decide(needed);
    if (decision === 'granted' && notGrantedAtCapture.length === 0) {
      accepted.push(event);
      return;
    }
    const purposes = [...new Set([...notGrantedNow, ...notGrantedAtCapture])];
    const reason = decision === 'pending' && notGrantedAtCapture.length === 0 ? 'consent-pending' : 'consent';
    rejected.push({ event, index, reason, purposes });
  });
  return { accepted, rejected };
}
