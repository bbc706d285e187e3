/**
 * The consent register: holds the current subject's choices, applies the policy of
 * the jurisdiction in force, records every change as a proof record in a hash-chained
 * log, honours opt-out signals, and serves as the `ConsentGate` the tracker obeys.
 */
import { systemClock, type Clock } from '../core/clock';
import { randomId } from '../core/ids';
import { sha256Hex } from '../core/hash';
import type { ConsentChange, ConsentDecision, ConsentGate, ConsentSnapshot, PurposeId, PurposeState } from './gate';
import { consentFormSatisfies, defaultConsentPurposes, type ConsentForm, type ConsentPurpose } from './purposes';
import { defaultJurisdictionRules, findJurisdictionRule, type JurisdictionRule } from './jurisdictions';
import { contactChannels, type ContactChannel, type ContactPreferenceState } from './contact';
import {
  addMonths,
  combinePurposeStates,
  decideFromStates,
  evaluateContactChannel,
  evaluatePurpose,
  type ConsentSource,
  type ContactChoice,
  type PolicyContext,
  type PurposeChoice,
  type PurposeEvaluation,
  type ReconsentReason,
} from './policy';
import type { ConsentRecord, ConsentSubject } from './consent-record';
import { createConsentLog, type ConsentLog } from './proof-log';
import { memoryConsentStorage, type ConsentStorage } from './storage';
import { readDoNotTrack, readGlobalPrivacyControl } from './signals';
import { encodeConsentToken, parseConsentState, serializeConsentState, type StoredConsentState } from './stored-state';
import { ConsentError } from './errors/consent-error';
import { guanxiLibraryVersion } from './version';

/**
 * The privacy notice shown to the subject. Its text is hashed (SHA-256) into every
 * proof record, so the exact words shown can be proven later.
 *
 * @example
 * ```ts
 * import type { ConsentNotice } from 'guanxi/consent';
 *
 * const notice: ConsentNotice = { version: '2026-03', text: 'We use your data to…', language: 'en', url: 'https://shop.example/privacy' };
 * ```
 */
export interface ConsentNotice {
  readonly version: string;
  readonly text: string;
  /** BCP 47 language tag of the text shown. */
  readonly language: string;
  readonly url?: string;
}

/**
 * How a change was made, for the proof record.
 *
 * @example
 * ```ts
 * import type { ConsentHow } from 'guanxi/consent';
 *
 * const how: ConsentHow = { source: 'banner', action: 'accept-all' };
 * ```
 */
export interface ConsentHow {
  /** Where the choice came from. @default 'api' */
  readonly source?: ConsentSource;
  /** The UI action, e.g. `'accept-all'`, `'reject-all'`, `'save-choices'`, `'toggle'`. */
  readonly action?: string;
  /**
   * The form consent was obtained in, for the grants of this change.
   * @default 'general'
   */
  readonly form?: ConsentForm;
}

/**
 * A change of choices: new states per purpose and/or per contact channel.
 *
 * @example
 * ```ts
 * import type { ConsentUpdate } from 'guanxi/consent';
 *
 * const update: ConsentUpdate = { purposes: { analytics: 'granted', advertising: 'denied' }, source: 'preference-centre', action: 'save-choices' };
 * ```
 */
export interface ConsentUpdate extends ConsentHow {
  readonly purposes?: Readonly<Record<PurposeId, PurposeState>>;
  readonly channels?: Readonly<Partial<Record<ContactChannel, ContactPreferenceState>>>;
}

/**
 * What a register asks the host to do after consent is withdrawn: erase (GDPR Art. 17,
 * PIPL Art. 47) or suppress the subject's data of those purposes, e.g. through the CRM
 * client.
 *
 * @example
 * ```ts
 * import type { ConsentErasureRequest } from 'guanxi/consent';
 *
 * const request: ConsentErasureRequest = { type: 'erasure', subject: { userId: 'customer-42' }, purposes: ['marketing'], requestedAt: Date.now() };
 * ```
 */
export interface ConsentErasureRequest {
  readonly type: 'erasure' | 'suppression';
  readonly subject: ConsentSubject;
  readonly purposes: readonly PurposeId[];
  readonly requestedAt: number;
}

/**
 * A purpose as it stands for the current subject and jurisdiction: its definition, its
 * mode and required consent form here, and its state.
 *
 * @example
 * ```ts
 * import type { PurposeStatus } from 'guanxi/consent';
 *
 * function label(status: PurposeStatus): string {
 *   return `${status.purpose.title ?? status.purpose.id}: ${status.state}${status.requiredForm === 'separate' ? ' (asked separately)' : ''}`;
 * }
 * ```
 */
export interface PurposeStatus extends PurposeEvaluation {
  readonly purpose: ConsentPurpose;
}

/**
 * Whether the banner or preference centre should be shown: `due` when an opt-in
 * purpose has no valid choice (never asked, or a grant lapsed).
 *
 * @example
 * ```ts
 * import type { ConsentPrompt } from 'guanxi/consent';
 *
 * const prompt: ConsentPrompt = { due: true, purposes: ['analytics'], reconsent: { analytics: 'notice-changed' }, mayAskAgain: [] };
 * ```
 */
export interface ConsentPrompt {
  readonly due: boolean;
  /** Opt-in purposes without a valid choice. */
  readonly purposes: readonly PurposeId[];
  /** Purposes whose former grant lapsed, with the reason. */
  readonly reconsent: Readonly<Record<PurposeId, ReconsentReason>>;
  /** Refused purposes whose refusal is old enough (`reaskAfterRefusalMonths`) to ask again. */
  readonly mayAskAgain: readonly PurposeId[];
}

/**
 * Options of `createConsentRegister`.
 *
 * @example
 * ```ts
 * import type { ConsentRegisterOptions } from 'guanxi/consent';
 *
 * const options: ConsentRegisterOptions = {
 *   jurisdiction: 'DE',
 *   notice: { version: '2026-03', text: 'We use…', language: 'de' },
 *   honourDoNotTrack: true,
 * };
 * ```
 */
export interface ConsentRegisterOptions {
  /** The notice currently shown; changing its version makes opt-in grants lapse. */
  readonly notice: ConsentNotice;
  /**
   * Jurisdiction or region code (`'EU'`, `'DE'`, `'US-CA'`, `'CN'`); see `findJurisdictionRule`.
   * @default undefined (the fallback rule)
   */
  readonly jurisdiction?: string;
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
   * Rule code used when the jurisdiction matches no rule.
   * @default 'default'
   */
  readonly fallbackJurisdiction?: string;
  /**
   * Months after which a grant lapses, where the rule does not say.
   * @default 13
   */
  readonly reconsentAfterMonths?: number;
  /**
   * The subject whose choices the register holds.
   * @default {}
   */
  readonly subject?: ConsentSubject;
  /**
   * Where choices persist.
   * @default memoryConsentStorage()
   */
  readonly storage?: ConsentStorage;
  /**
   * Key prefix in the storage.
   * @default 'guanxi.consent'
   */
  readonly storageKey?: string;
  /**
   * The clock.
   * @default systemClock
   */
  readonly clock?: Clock;
  /**
   * The proof log.
   * @default createConsentLog()
   */
  readonly log?: ConsentLog;
  /**
   * Honour Global Privacy Control: opt out of `optOutSignalPurposes`, recorded with source `gpc`.
   * @default true
   */
  readonly honourGlobalPrivacyControl?: boolean;
  /**
   * Treat Do Not Track like GPC (source `dnt`).
   * @default false
   */
  readonly honourDoNotTrack?: boolean;
  /**
   * Purposes an opt-out signal opts out of.
   * @default the purposes that sell, share or target advertising (`sale-sharing`, `advertising`)
   */
  readonly optOutSignalPurposes?: readonly PurposeId[];
  /**
   * Reads the GPC signal.
   * @default readGlobalPrivacyControl (navigator.globalPrivacyControl, read when called)
   */
  readonly globalPrivacyControl?: () => boolean;
  /**
   * Reads the DNT signal.
   * @default readDoNotTrack
   */
  readonly doNotTrack?: () => boolean;
  /**
   * What withdrawals ask of the host.
   * @default 'erasure'
   */
  readonly withdrawalRequest?: 'erasure' | 'suppression';
  /**
   * Called with each proof record once chained (e.g. to send it to the CRM).
   * @default undefined
   */
  readonly onRecord?: (record: ConsentRecord) => void;
  /**
   * Called after a withdrawal, once the gate's subscribers (the tracker) have purged.
   * @default undefined
   */
  readonly onErasureRequest?: (request: ConsentErasureRequest) => void;
  /**
   * Called with failures that must not interrupt the page (storage, callbacks).
   * @default undefined
   */
  readonly onError?: (error: unknown) => void;
}

/**
 * The defaults of `ConsentRegisterOptions` (everything but `notice`).
 *
 * @example
 * ```ts
 * import { defaultConsentRegisterOptions } from 'guanxi/consent';
 *
 * console.log(defaultConsentRegisterOptions.reconsentAfterMonths); // 13
 * ```
 */
export const defaultConsentRegisterOptions = /* @__PURE__ */ Object.freeze({
  purposes: defaultConsentPurposes,
  rules: defaultJurisdictionRules,
  fallbackJurisdiction: 'default',
  reconsentAfterMonths: 13,
  storageKey: 'guanxi.consent',
  honourGlobalPrivacyControl: true,
  honourDoNotTrack: false,
  withdrawalRequest: 'erasure',
} as const);

/**
 * `ConsentRegisterOptions` with every default filled in.
 *
 * @example
 * ```ts
 * import type { ResolvedConsentRegisterOptions } from 'guanxi/consent';
 *
 * declare const resolved: ResolvedConsentRegisterOptions;
 * console.log(resolved.optOutSignalPurposes);
 * ```
 */
export interface ResolvedConsentRegisterOptions
  extends Required<Omit<ConsentRegisterOptions, 'jurisdiction' | 'onRecord' | 'onErasureRequest' | 'onError'>>,
    Pick<ConsentRegisterOptions, 'jurisdiction' | 'onRecord' | 'onErasureRequest' | 'onError'> {}

/**
 * Fills in defaults and checks the configuration: purpose ids unique and non-empty,
 * the fallback rule present, the re-consent period positive.
 *
 * @throws ConsentError with code `invalid_configuration`.
 *
 * @example
 * ```ts
 * import { resolveConsentRegisterOptions } from 'guanxi/consent';
 *
 * const resolved = resolveConsentRegisterOptions({ notice: { version: '1', text: 'We use…', language: 'en' } });
 * console.log(resolved.optOutSignalPurposes); // ['advertising', 'sale-sharing']
 * ```
 */
export function resolveConsentRegisterOptions(options: ConsentRegisterOptions): ResolvedConsentRegisterOptions {
  const purposes = options.purposes ?? defaultConsentRegisterOptions.purposes;
  const seen = new Set<string>();
  for (const purpose of purposes) {
    if (typeof purpose.id !== 'string' || purpose.id === '') {
      throw new ConsentError('Every purpose needs a non-empty string id', 'invalid_configuration');
    }
    if (seen.has(purpose.id)) throw new ConsentError(`Purpose '${purpose.id}' is defined twice`, 'invalid_configuration', [purpose.id]);
    seen.add(purpose.id);
  }
  const rules = options.rules ?? defaultConsentRegisterOptions.rules;
  const fallbackJurisdiction = options.fallbackJurisdiction ?? defaultConsentRegisterOptions.fallbackJurisdiction;
  if (!rules.some((rule) => rule.code === fallbackJurisdiction)) {
    throw new ConsentError(`The fallback jurisdiction '${fallbackJurisdiction}' is not in the rules`, 'invalid_configuration');
  }
  const reconsentAfterMonths = options.reconsentAfterMonths ?? defaultConsentRegisterOptions.reconsentAfterMonths;
  if (!Number.isFinite(reconsentAfterMonths) || reconsentAfterMonths <= 0) {
    throw new ConsentError('reconsentAfterMonths must be a positive number', 'invalid_configuration');
  }
  if (typeof options.notice?.version !== 'string' || typeof options.notice.text !== 'string') {
    throw new ConsentError('notice needs a version and the text shown', 'invalid_configuration');
  }
  const optOutSignalPurposes =
    options.optOutSignalPurposes ??
    purposes.filter((purpose) => purpose.processing?.sale || purpose.processing?.targetedAdvertising).map((purpose) => purpose.id);
  for (const id of optOutSignalPurposes) {
    if (!seen.has(id)) throw new ConsentError(`optOutSignalPurposes names unknown purpose '${id}'`, 'invalid_configuration', [id]);
  }
  return {
    ...options,
    purposes,
    rules,
    fallbackJurisdiction,
    reconsentAfterMonths,
    subject: options.subject ?? {},
    storage: options.storage ?? memoryConsentStorage(),
    storageKey: options.storageKey ?? defaultConsentRegisterOptions.storageKey,
    clock: options.clock ?? systemClock,
    log: options.log ?? createConsentLog(),
    honourGlobalPrivacyControl: options.honourGlobalPrivacyControl ?? defaultConsentRegisterOptions.honourGlobalPrivacyControl,
    honourDoNotTrack: options.honourDoNotTrack ?? defaultConsentRegisterOptions.honourDoNotTrack,
    optOutSignalPurposes,
    globalPrivacyControl: options.globalPrivacyControl ?? readGlobalPrivacyControl,
    doNotTrack: options.doNotTrack ?? readDoNotTrack,
    withdrawalRequest: options.withdrawalRequest ?? defaultConsentRegisterOptions.withdrawalRequest,
  };
}

/**
 * A consent register: the `ConsentGate` for the current subject, plus everything to
 * change, prove and explain consent.
 *
 * @example
 * ```ts
 * import { createConsentRegister, type ConsentRegister } from 'guanxi/consent';
 *
 * const consent: ConsentRegister = createConsentRegister({ jurisdiction: 'EU', notice: { version: '1', text: 'We use…', language: 'en' } });
 * console.log(consent.decide(['analytics'])); // 'pending' until the visitor chooses
 * ```
 */
export interface ConsentRegister extends ConsentGate {
  /** Resolves once stored choices are restored and opt-out signals applied. Until then every purpose that is not always on is `pending`. */
  readonly ready: Promise<void>;
  /** The proof log. */
  readonly log: ConsentLog;
  /** The jurisdiction rule in force. */
  readonly jurisdiction: JurisdictionRule;
  /** The current subject. */
  readonly subject: ConsentSubject;
  /** One purpose's state (`denied` for unknown purposes). */
  state(purpose: PurposeId): PurposeState;
  /** Every purpose with its mode, required form and state, for a preference centre. */
  purposes(): readonly PurposeStatus[];
  /**
   * Applies a change at once (the gate and its subscribers see it synchronously), then
   * records its proof. Resolves with the proof record, or `undefined` when nothing changed.
   * @throws ConsentError (`unknown_purpose`, `purpose_always_on`, `consent_form_insufficient`) before anything changes.
   */
  update(change: ConsentUpdate): Promise<ConsentRecord | undefined>;
  /** Grants purposes. */
  grant(purposes: readonly PurposeId[], how?: ConsentHow): Promise<ConsentRecord | undefined>;
  /** Denies (withdraws) purposes. */
  deny(purposes: readonly PurposeId[], how?: ConsentHow): Promise<ConsentRecord | undefined>;
  /** Records an objection to legitimate-interest processing (GDPR Art. 21). */
  object(purposes: readonly PurposeId[], how?: ConsentHow): Promise<ConsentRecord | undefined>;
  /**
   * Grants every purpose whose required form `how.form` (default general) satisfies;
   * purposes needing explicit or separate consent are left as they are, and so, while
   * Global Privacy Control is on, are the purposes it opts out of (a generic "accept all"
   * does not override the signal; granting such a purpose on its own does, and is recorded so).
   */
  acceptAll(how?: ConsentHow): Promise<ConsentRecord | undefined>;
  /** Refuses every purpose that can be refused (objection for legitimate interests). */
  rejectAll(how?: ConsentHow): Promise<ConsentRecord | undefined>;
  /** Whether a banner or preference centre should be shown. */
  prompt(): ConsentPrompt;
  /** One contact channel's state. */
  contactPreference(channel: ContactChannel): ContactPreferenceState;
  /** Whether a marketing touchpoint may contact the subject on `channel`: the purpose (default `marketing`) and the channel are both granted. */
  mayContact(channel: ContactChannel, purpose?: PurposeId): boolean;
  /** The subject became known: combines the anonymous and the known user's choices, the most restrictive winning, and records the result. */
  identify(userId: string): Promise<void>;
  /** Forgets the known user (log-out); the device's own choices stay. */
  reset(anonymousId?: string): void;
  /** Changes the jurisdiction in force (e.g. once geolocation answers). */
  setJurisdiction(code: string | undefined): void;
  /** Changes the notice; a new version makes opt-in grants lapse. */
  setNotice(notice: ConsentNotice): void;
  /** Reads GPC/DNT again and applies them (e.g. after the page regains focus). */
  applySignals(): Promise<ConsentRecord | undefined>;
  /** The current choices as a token for a cookie or header (see `evaluateConsentRequest`). */
  token(): string;
}

interface Draft {
  readonly purposes: ConsentRecord['purposes'];
  readonly channels: ConsentRecord['channels'];
  readonly how: ConsentHow;
}

/**
 * Creates a consent register. Nothing is read or written until this is called; stored
 * choices are restored at once from a synchronous storage, otherwise by `ready`.
 *
 * @example
 * ```ts
 * import { createConsentRegister, localConsentStorage } from 'guanxi/consent';
 *
 * const consent = createConsentRegister({
 *   jurisdiction: 'EU',
 *   notice: { version: '2026-03', text: 'We use your data to…', language: 'en', url: 'https://shop.example/privacy' },
 *   storage: localConsentStorage(),
 *   onRecord: (record) => navigator.sendBeacon('/consent', JSON.stringify(record)),
 * });
 * consent.subscribe((change) => console.log('withdrawn', change.withdrawn));
 * await consent.update({ purposes: { analytics: 'granted', marketing: 'denied' }, source: 'banner', action: 'save-choices' });
 * ```
 */
export function createConsentRegister(options: ConsentRegisterOptions): ConsentRegister {
  const resolved = resolveConsentRegisterOptions(options);
  const { purposes: definitions, clock, log, storage } = resolved;
  const byId = new Map(definitions.map((purpose) => [purpose.id, purpose] as const));
  const listeners = new Set<(change: ConsentChange) => void>();

  let subject: ConsentSubject = { ...resolved.subject };
  let rule = ruleFor(resolved.jurisdiction);
  let notice = resolved.notice;
  let noticeHash: Promise<string> | undefined;
  let choices: StoredConsentState = { purposes: {}, channels: {} };
  let restoring = 0;
  let cache: { states: Record<PurposeId, PurposeState>; evaluations: Map<PurposeId, PurposeEvaluation>; validUntil: number } | undefined;
  let lastStates = currentStates();
  let recording: Promise<unknown> = Promise.resolve();

  function ruleFor(code: string | undefined): JurisdictionRule {
    const found = findJurisdictionRule(resolved.rules, code, resolved.fallbackJurisdiction);
    if (!found) throw new ConsentError(`No rule for jurisdiction '${String(code)}' and no fallback`, 'unknown_jurisdiction');
    return found;
  }

  function report(error: unknown): void {
    try {
      resolved.onError?.(error);
    } catch {
      // A failing error callback must not break consent handling.
    }
  }

  function policyContext(now: number): PolicyContext {
    return {
      now,
      noticeVersion: notice.version,
      reconsentAfterMonths: resolved.reconsentAfterMonths,
      // Signals are applied as recorded choices (with proof), not silently here.
      optOutSignal: false,
      optOutSignalPurposes: resolved.optOutSignalPurposes,
    };
  }

  function evaluateAll(): NonNullable<typeof cache> {
    const now = clock.now();
    if (cache && now < cache.validUntil) return cache;
    const context = policyContext(now);
    const states: Record<PurposeId, PurposeState> = {};
    const evaluations = new Map<PurposeId, PurposeEvaluation>();
    let validUntil = Number.POSITIVE_INFINITY;
    for (const purpose of definitions) {
      const choice = choices.purposes[purpose.id];
      const evaluation = evaluatePurpose(purpose, rule, choice, context);
      evaluations.set(purpose.id, evaluation);
      // While stored choices are being restored nothing but always-on processing may run.
      states[purpose.id] = restoring > 0 && evaluation.mode !== 'always' ? 'pending' : evaluation.state;
      if (choice?.state === 'granted' && evaluation.state === 'granted' && evaluation.mode === 'opt-in') {
        validUntil = Math.min(validUntil, addMonths(choice.at, rule.reconsentAfterMonths ?? resolved.reconsentAfterMonths));
      }
    }
    cache = { states, evaluations, validUntil };
    return cache;
  }

  function currentStates(): Record<PurposeId, PurposeState> {
    return evaluateAll().states;
  }

  function snapshot(): ConsentSnapshot {
    return { purposes: { ...currentStates() }, takenAt: clock.now(), jurisdiction: rule.code };
  }

  function invalidate(): void {
    cache = undefined;
  }

  function emitIfChanged(): void {
    const next = currentStates();
    const granted: PurposeId[] = [];
    const withdrawn: PurposeId[] = [];
    let changed = false;
    for (const id of Object.keys(next)) {
      const before = lastStates[id];
      const after = next[id]!;
      if (before === after) continue;
      changed = true;
      if (after === 'granted') granted.push(id);
      else if ((after === 'denied' || after === 'objected') && (before === 'granted' || before === 'pending')) withdrawn.push(id);
    }
    lastStates = { ...next };
    if (!changed) return;
    const change: ConsentChange = { granted, withdrawn, snapshot: snapshot() };
    for (const listener of [...listeners]) {
      try {
        listener(change);
      } catch (error) {
        report(error);
      }
    }
    if (withdrawn.length > 0 && resolved.onErasureRequest) {
      try {
        resolved.onErasureRequest({ type: resolved.withdrawalRequest, subject: { ...subject }, purposes: withdrawn, requestedAt: clock.now() });
      } catch (error) {
        report(error);
      }
    }
  }

  function storageKeys(): string[] {
    const keys: string[] = [];
    if (subject.userId !== undefined) keys.push(`${resolved.storageKey}:user:${subject.userId}`);
    if (subject.anonymousId !== undefined) keys.push(`${resolved.storageKey}:anonymous:${subject.anonymousId}`);
    keys.push(resolved.storageKey);
    return keys;
  }

  function persist(): void {
    const text = serializeConsentState({ ...choices, jurisdiction: rule.code });
    for (const key of storageKeys()) {
      try {
        const written = storage.write(key, text);
        if (written instanceof Promise) written.catch(report);
      } catch (error) {
        report(error);
      }
    }
  }

  function hashNotice(): Promise<string> {
    noticeHash ??= sha256Hex(notice.text);
    return noticeHash;
  }

  function record(draft: Draft): Promise<ConsentRecord> {
    const recordedAt = clock.now();
    const recordedNotice = notice;
    const recordedSubject = { ...subject };
    const jurisdiction = rule.code;
    const hash = hashNotice();
    const appended = recording.then(async () => {
      const sha256 = await hash;
      const result = await log.append({
        id: randomId(),
        recordedAt,
        subject: recordedSubject,
        jurisdiction,
        purposes: draft.purposes,
        channels: draft.channels,
        notice: recordedNotice.url === undefined
          ? { version: recordedNotice.version, sha256, language: recordedNotice.language }
          : { version: recordedNotice.version, sha256, language: recordedNotice.language, url: recordedNotice.url },
        source: draft.how.source ?? 'api',
        ...(draft.how.action === undefined ? {} : { action: draft.how.action }),
        libraryVersion: guanxiLibraryVersion,
      });
      try {
        resolved.onRecord?.(result);
      } catch (error) {
        report(error);
      }
      return result;
    });
    recording = appended.catch(() => undefined);
    return appended;
  }

  function signalOn(): boolean {
    try {
      return (resolved.honourGlobalPrivacyControl && resolved.globalPrivacyControl()) || false;
    } catch {
      return false;
    }
  }

  function applyChange(change: ConsentUpdate): Promise<ConsentRecord | undefined> {
    const how: ConsentHow = { source: change.source ?? 'api', action: change.action, form: change.form ?? 'general' };
    const form = how.form ?? 'general';
    const evaluations = evaluateAll().evaluations;
    const requested = Object.entries(change.purposes ?? {});
    const unknown = requested.filter(([id]) => !byId.has(id)).map(([id]) => id);
    if (unknown.length > 0) throw new ConsentError(`Unknown purpose(s): ${unknown.join(', ')}`, 'unknown_purpose', unknown);
    const alwaysOn = requested.filter(([id, state]) => state !== 'granted' && evaluations.get(id)?.mode === 'always').map(([id]) => id);
    if (alwaysOn.length > 0) {
      throw new ConsentError(`Purpose(s) ${alwaysOn.join(', ')} cannot be refused: they are always on`, 'purpose_always_on', alwaysOn);
    }
    const weak = requested
      .filter(([id, state]) => state === 'granted' && !consentFormSatisfies(form, evaluations.get(id)!.requiredForm))
      .map(([id]) => id);
    if (weak.length > 0) {
      const needs = weak.map((id) => `${id} needs ${evaluations.get(id)!.requiredForm}`).join(', ');
      throw new ConsentError(`Consent given in ${form} form is not enough here: ${needs} consent`, 'consent_form_insufficient', weak);
    }
    const badChannels = Object.keys(change.channels ?? {}).filter((channel) => !(contactChannels as readonly string[]).includes(channel));
    if (badChannels.length > 0) throw new ConsentError(`Unknown contact channel(s): ${badChannels.join(', ')}`, 'invalid_configuration');

    const now = clock.now();
    const states = currentStates();
    const gpc = signalOn();
    const nextPurposes: Record<PurposeId, PurposeChoice> = { ...choices.purposes };
    const purposeChanges: ConsentRecord['purposes'][number][] = [];
    for (const [id, state] of requested) {
      if (evaluations.get(id)?.mode === 'always') continue;
      const previousChoice = choices.purposes[id];
      const previous = states[id] ?? 'pending';
      const renewed = state === 'granted' && (previousChoice?.noticeVersion !== notice.version || previousChoice.form !== form);
      if (state === previous && !renewed && previousChoice?.state === state) continue;
      const choice: PurposeChoice = { state, at: now, noticeVersion: notice.version, form, source: how.source ?? 'api' };
      nextPurposes[id] =
        state === 'granted' && gpc && how.source !== 'gpc' && resolved.optOutSignalPurposes.includes(id) ? { ...choice, despiteGpc: true } : choice;
      purposeChanges.push({ purpose: id, state, previous, form });
    }
    const nextChannels: Partial<Record<ContactChannel, ContactChoice>> = { ...choices.channels };
    const channelChanges: ConsentRecord['channels'][number][] = [];
    for (const [channel, state] of Object.entries(change.channels ?? {}) as [ContactChannel, ContactPreferenceState][]) {
      const previous = evaluateContactChannel(channel, rule, choices.channels[channel]);
      if (previous === state && choices.channels[channel]?.state === state) continue;
      nextChannels[channel] = { state, at: now, source: how.source ?? 'api' };
      channelChanges.push({ channel, state, previous });
    }
    if (purposeChanges.length === 0 && channelChanges.length === 0) return Promise.resolve(undefined);
    choices = { purposes: nextPurposes, channels: nextChannels };
    invalidate();
    persist();
    emitIfChanged();
    return record({ purposes: purposeChanges, channels: channelChanges, how });
  }

  function applySignals(): Promise<ConsentRecord | undefined> {
    let source: ConsentSource | undefined;
    if (signalOn()) source = 'gpc';
    else if (resolved.honourDoNotTrack && safeRead(resolved.doNotTrack)) source = 'dnt';
    if (!source) return Promise.resolve(undefined);
    const evaluations = evaluateAll().evaluations;
    const optOut: Record<PurposeId, PurposeState> = {};
    for (const id of resolved.optOutSignalPurposes) {
      const choice = choices.purposes[id];
      const evaluation = evaluations.get(id);
      if (!evaluation || evaluation.mode === 'always' || evaluation.state === 'denied' || evaluation.state === 'objected') continue;
      if (choice?.state === 'granted' && choice.despiteGpc && evaluation.state === 'granted') continue;
      optOut[id] = 'denied';
    }
    if (Object.keys(optOut).length === 0) return Promise.resolve(undefined);
    return applyChange({ purposes: optOut, source, action: 'signal' });
  }

  function restore(keys: string[], combine: boolean): Promise<void> | undefined {
    // combine: most restrictive wins (a visitor becoming known). Otherwise choices made
    // while the storage was being read are newer than the stored ones and win.
    const readings = keys.map((key) => {
      try {
        return storage.read(key);
      } catch (error) {
        report(error);
        return undefined;
      }
    });
    const finish = (texts: (string | null | undefined)[]): void => {
      const found = texts.map(parseConsentState).filter((state): state is StoredConsentState => state !== undefined);
      let stored: StoredConsentState = { purposes: {}, channels: {} };
      for (const state of found) stored = combineStoredStates(stored, state);
      choices = combine
        ? combineStoredStates(choices, stored)
        : { purposes: { ...stored.purposes, ...choices.purposes }, channels: { ...stored.channels, ...choices.channels } };
      restoring--;
      invalidate();
    };
    restoring++;
    invalidate();
    if (readings.some((reading) => reading instanceof Promise)) {
      return Promise.all(readings.map((reading) => Promise.resolve(reading).catch((error: unknown) => (report(error), undefined)))).then(finish);
    }
    finish(readings as (string | null | undefined)[]);
    return undefined;
  }

  function afterRestore(before: Record<PurposeId, PurposeState>, action: string): Promise<void> {
    // A merge that changed what applies is itself a change to prove.
    const after = currentStates();
    const merged = Object.keys(after).filter((id) => after[id] !== before[id] && choices.purposes[id] !== undefined);
    const proven =
      action === 'identify' && merged.length > 0
        ? record({
            purposes: merged.map((id) => ({ purpose: id, state: after[id]!, previous: before[id]!, form: choices.purposes[id]!.form })),
            channels: [],
            how: { source: 'api', action: 'identify-merge' },
          }).then(() => undefined)
        : Promise.resolve();
    persist();
    emitIfChanged();
    return Promise.all([proven, applySignals()]).then(() => undefined);
  }

  // Restore the device's (or given subject's) choices: at once from a synchronous storage.
  // Signals apply synchronously too, so no advertising event slips through before `ready`.
  const restored = restore(storageKeys(), false);
  const ready: Promise<void> = (
    restored
      ? restored.then(() => {
          emitIfChanged();
          return applySignals();
        })
      : (emitIfChanged(), applySignals())
  )
    .then(() => undefined)
    .catch(report);

  const register: ConsentRegister = {
    ready,
    log,
    get jurisdiction() {
      return rule;
    },
    get subject() {
      return { ...subject };
    },
    decide(purposes: readonly PurposeId[]): ConsentDecision {
      return decideFromStates(currentStates(), purposes);
    },
    snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    state(purpose) {
      // Own keys only: a purpose named like an Object.prototype member ('constructor') is unknown, not a function.
      const states = currentStates();
      return Object.prototype.hasOwnProperty.call(states, purpose) ? (states[purpose] ?? 'denied') : 'denied';
    },
    purposes() {
      const { states, evaluations } = evaluateAll();
      return definitions.map((purpose) => {
        const status: PurposeStatus = { ...evaluations.get(purpose.id)!, state: states[purpose.id]!, purpose };
        // Signals are applied as recorded choices: say so, for the preference centre.
        const source = choices.purposes[purpose.id]?.source;
        return status.state === 'denied' && (source === 'gpc' || source === 'dnt') ? { ...status, optedOutBySignal: true } : status;
      });
    },
    update: (change) => {
      try {
        return applyChange(change);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    grant: (ids, how = {}) => register.update({ ...how, purposes: Object.fromEntries(ids.map((id) => [id, 'granted'])) }),
    deny: (ids, how = {}) => register.update({ ...how, purposes: Object.fromEntries(ids.map((id) => [id, 'denied'])) }),
    object: (ids, how = {}) => register.update({ ...how, purposes: Object.fromEntries(ids.map((id) => [id, 'objected'])) }),
    acceptAll(how = {}) {
      const form = how.form ?? 'general';
      // A generic "accept all" is not a choice against Global Privacy Control: while the
      // signal is on, the purposes it opts out of stay out (11 CCR §7025(c)(3)); granting
      // one of them on its own (`grant`, `update`) overrides the signal, recorded so.
      const signalled = signalOn() ? resolved.optOutSignalPurposes : [];
      const ids = register
        .purposes()
        .filter((status) => status.mode !== 'always' && consentFormSatisfies(form, status.requiredForm) && !signalled.includes(status.purpose.id))
        .map((status) => status.purpose.id);
      return register.grant(ids, { action: 'accept-all', ...how });
    },
    rejectAll(how = {}) {
      const change: Record<PurposeId, PurposeState> = {};
      for (const status of register.purposes()) {
        if (status.mode === 'always') continue;
        change[status.purpose.id] = status.mode === 'legitimate-interests' ? 'objected' : 'denied';
      }
      return register.update({ action: 'reject-all', ...how, purposes: change });
    },
    prompt() {
      const { evaluations } = evaluateAll();
      const now = clock.now();
      const due: PurposeId[] = [];
      const reconsent: Record<PurposeId, ReconsentReason> = {};
      const mayAskAgain: PurposeId[] = [];
      for (const purpose of definitions) {
        const evaluation = evaluations.get(purpose.id)!;
        const choice = choices.purposes[purpose.id];
        if (evaluation.reconsent) reconsent[purpose.id] = evaluation.reconsent;
        if (evaluation.mode === 'opt-in' && evaluation.state === 'pending') due.push(purpose.id);
        if (
          (evaluation.state === 'denied' || evaluation.state === 'objected') &&
          choice &&
          choice.source !== 'gpc' &&
          now >= addMonths(choice.at, rule.reaskAfterRefusalMonths ?? 12)
        ) {
          mayAskAgain.push(purpose.id);
        }
      }
      return { due: due.length > 0, purposes: due, reconsent, mayAskAgain };
    },
    contactPreference(channel) {
      return evaluateContactChannel(channel, rule, choices.channels[channel]);
    },
    mayContact(channel, purpose = 'marketing') {
      return register.state(purpose) === 'granted' && register.contactPreference(channel) === 'granted';
    },
    identify(userId) {
      if (subject.userId === userId) return Promise.resolve();
      const before = { ...currentStates() };
      subject = { ...subject, userId };
      const pending = restore([`${resolved.storageKey}:user:${userId}`], true);
      return (pending ?? Promise.resolve()).then(() => afterRestore(before, 'identify'));
    },
    reset(anonymousId) {
      subject = anonymousId === undefined ? { ...(subject.anonymousId === undefined ? {} : { anonymousId: subject.anonymousId }) } : { anonymousId };
      persist();
    },
    setJurisdiction(code) {
      rule = ruleFor(code);
      invalidate();
      emitIfChanged();
    },
    setNotice(next) {
      if (next.text !== notice.text) noticeHash = undefined;
      notice = next;
      invalidate();
      emitIfChanged();
    },
    applySignals,
    token() {
      return encodeConsentToken({ ...choices, jurisdiction: rule.code });
    },
  };
  return register;
}

function safeRead(read: () => boolean): boolean {
  try {
    return read();
  } catch {
    return false;
  }
}

/**
 * Combines two subjects' stored choices, the most restrictive state winning per
 * purpose and per channel (on equal states the newer choice is kept).
 *
 * @example
 * ```ts
 * import { combineStoredStates } from 'guanxi/consent';
 *
 * const anonymous = { purposes: { marketing: { state: 'granted', at: 2, noticeVersion: '1', form: 'general', source: 'banner' } }, channels: {} } as const;
 * const known = { purposes: { marketing: { state: 'denied', at: 1, noticeVersion: '1', form: 'general', source: 'preference-centre' } }, channels: {} } as const;
 * combineStoredStates(anonymous, known).purposes.marketing?.state; // 'denied'
 * ```
 */
export function combineStoredStates(a: StoredConsentState, b: StoredConsentState): StoredConsentState {
  const purposes: Record<PurposeId, PurposeChoice> = { ...a.purposes };
  for (const [id, choice] of Object.entries(b.purposes)) {
    const other = purposes[id];
    purposes[id] = other === undefined ? choice : pickRestrictive(other, choice);
  }
  const channels: Partial<Record<ContactChannel, ContactChoice>> = { ...a.channels };
  for (const [channel, choice] of Object.entries(b.channels) as [ContactChannel, ContactChoice | undefined][]) {
    if (!choice) continue;
    const other = channels[channel];
    channels[channel] = other === undefined ? choice : pickRestrictive(other, choice);
  }
  return { purposes, channels };
}

function pickRestrictive<T extends { readonly state: PurposeState; readonly at: number }>(a: T, b: T): T {
  const winner = combinePurposeStates(a.state, b.state);
  if (a.state === b.state) return a.at >= b.at ? a : b;
  return winner === a.state ? a : b;
}

