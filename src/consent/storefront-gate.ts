/**
 * The storefront gate: the consent a page needs next to the tracker, and nothing more.
 * The server resolves the jurisdiction's policy (`resolveConsentPolicy`) and the page
 * keeps the visitor's choices under it: decides at capture time, restores and stores the
 * choice, honours Global Privacy Control, announces withdrawals (the tracker purges),
 * asks the host to erase, and drafts a proof record for every change. Chaining the
 * records into the hash-chained log is the sink's job (the server's `createConsentLog`
 * or its own store), so the page carries neither the jurisdiction table nor the log.
 * Identify/merge, prompts with re-ask periods and contact preferences stay with the
 * register (`createConsentRegister`) for pages that need them.
 */
import { systemClock, type Clock } from '../core/clock';
import { randomId } from '../core/ids';
import { sha256Hex } from '../core/hash';
import type { ConsentChange, ConsentDecision, ConsentGate, ConsentSnapshot, PurposeId, PurposeState } from './gate';
import { consentFormSatisfies } from './purposes';
import { decideFromStates, evaluatePurposeChoice, type ConsentSource, type PurposeChoice } from './policy';
import type { ConsentSubject } from './consent-record';
import type { ConsentRecordDraft } from './proof-log';
import type { ConsentErasureRequest, ConsentHow, ConsentNotice } from './register';
import type { ResolvedConsentPolicy } from './resolved-policy';
import { memoryConsentStorage, type ConsentStorage } from './storage';
import { readGlobalPrivacyControl } from './signals';
import { compactPurposeChoices, expandPurposeChoices, readConsentStateObject } from './stored-state';
import { ConsentError } from './errors/consent-error';
import { guanxiLibraryVersion } from './version';

/**
 * A change of purpose states at the storefront gate, with how it was made.
 *
 * @example
 * ```ts
 * import type { StorefrontConsentUpdate } from 'guanxi/consent';
 *
 * const update: StorefrontConsentUpdate = { purposes: { analytics: 'granted', advertising: 'denied' }, source: 'banner', action: 'save-choices' };
 * ```
 */
export interface StorefrontConsentUpdate extends ConsentHow {
  readonly purposes: Readonly<Record<PurposeId, PurposeState>>;
}

/**
 * Options of `createStorefrontConsentGate`.
 *
 * @example
 * ```ts
 * import type { ResolvedConsentPolicy, StorefrontConsentGateOptions } from 'guanxi/consent';
 *
 * declare const policy: ResolvedConsentPolicy; // fetched from the server
 * const options: StorefrontConsentGateOptions = {
 *   policy,
 *   notice: { version: '2026-03', text: 'We use…', language: 'en' },
 *   onRecord: (draft) => navigator.sendBeacon('/consent-records', JSON.stringify(draft)),
 * };
 * ```
 */
export interface StorefrontConsentGateOptions {
  /** The jurisdiction's policy, resolved on the server (`resolveConsentPolicy`, `evaluateConsentRequest(...).policy`). */
  readonly policy: ResolvedConsentPolicy;
  /** The notice shown; a grant made under another version has lapsed (re-consent). */
  readonly notice: ConsentNotice;
  /**
   * Where the visitor's choices persist (the same format as the register's, so either can read them).
   * @default memoryConsentStorage()
   */
  readonly storage?: ConsentStorage;
  /**
   * Key in the storage.
   * @default 'guanxi.consent'
   */
  readonly storageKey?: string;
  /**
   * Who the proof records and erasure requests are about: ids, or a function read at each
   * change (e.g. `() => tracker.identity()`).
   * @default {}
   */
  readonly subject?: ConsentSubject | (() => ConsentSubject);
  /**
   * The clock.
   * @default systemClock
   */
  readonly clock?: Clock;
  /**
   * Honour Global Privacy Control: opt out of the policy's `optOutSignalPurposes`, recorded with source `gpc`.
   * @default true
   */
  readonly honourGlobalPrivacyControl?: boolean;
  /**
   * Reads the GPC signal.
   * @default readGlobalPrivacyControl (navigator.globalPrivacyControl, read when called)
   */
  readonly globalPrivacyControl?: () => boolean;
  /**
   * What withdrawals ask of the host.
   * @default 'erasure'
   */
  readonly withdrawalRequest?: 'erasure' | 'suppression';
  /**
   * Receives each change's proof record, in order, to be chained into the hash-chained
   * log (e.g. by the server's `createConsentLog().append(draft)`) and kept.
   * @default undefined
   */
  readonly onRecord?: (draft: ConsentRecordDraft) => void;
  /**
   * Called after a withdrawal, once the gate's subscribers (the tracker) have purged.
   * @default undefined
   */
  readonly onErasureRequest?: (request: ConsentErasureRequest) => void;
  /**
   * Called with failures that must not interrupt the page (storage, callbacks, hashing).
   * @default undefined
   */
  readonly onError?: (error: unknown) => void;
}

/**
 * The defaults of `StorefrontConsentGateOptions`.
 *
 * @example
 * ```ts
 * import { defaultStorefrontConsentGateOptions } from 'guanxi/consent';
 *
 * console.log(defaultStorefrontConsentGateOptions.storageKey); // 'guanxi.consent'
 * ```
 */
export const defaultStorefrontConsentGateOptions = /* @__PURE__ */ Object.freeze({
  storageKey: 'guanxi.consent',
  honourGlobalPrivacyControl: true,
  withdrawalRequest: 'erasure',
} as const);

/**
 * `StorefrontConsentGateOptions` with every default filled in.
 *
 * @example
 * ```ts
 * import type { ResolvedStorefrontConsentGateOptions } from 'guanxi/consent';
 *
 * declare const resolved: ResolvedStorefrontConsentGateOptions;
 * console.log(resolved.policy.jurisdiction);
 * ```
 */
export interface ResolvedStorefrontConsentGateOptions
  extends Required<Omit<StorefrontConsentGateOptions, 'onRecord' | 'onErasureRequest' | 'onError'>>,
    Pick<StorefrontConsentGateOptions, 'onRecord' | 'onErasureRequest' | 'onError'> {}

const modes = ['always', 'opt-in', 'opt-out', 'legitimate-interests'];
const forms = ['general', 'explicit', 'separate'];

/**
 * Fills in defaults and checks the policy (it usually arrives over the network): a
 * jurisdiction code, a known mode and form for every purpose, a positive re-consent
 * period, opt-out signal purposes among the purposes, and a notice with version and text.
 *
 * @throws ConsentError with code `invalid_configuration`, naming what is wrong.
 *
 * @example
 * ```ts
 * import { resolveConsentPolicy, resolveStorefrontConsentGateOptions } from 'guanxi/consent';
 *
 * const resolved = resolveStorefrontConsentGateOptions({ policy: resolveConsentPolicy('EU'), notice: { version: '1', text: 'We use…', language: 'en' } });
 * console.log(resolved.honourGlobalPrivacyControl); // true
 * ```
 */
export function resolveStorefrontConsentGateOptions(options: StorefrontConsentGateOptions): ResolvedStorefrontConsentGateOptions {
  const { policy, notice } = options;
  const problem = (what: string) => new ConsentError(`Invalid storefront consent gate option: ${what}`, 'invalid_configuration');
  if (typeof policy?.jurisdiction !== 'string' || typeof policy.purposes !== 'object' || policy.purposes === null) {
    throw problem('policy needs a jurisdiction and purposes');
  }
  for (const [id, purpose] of Object.entries(policy.purposes)) {
    if (!modes.includes(purpose?.mode) || !forms.includes(purpose.form)) throw problem(`policy.purposes.${id} needs a mode and a form`);
  }
  if (!(policy.reconsentAfterMonths > 0)) throw problem('policy.reconsentAfterMonths must be a positive number');
  if (!Array.isArray(policy.optOutSignalPurposes) || policy.optOutSignalPurposes.some((id) => !Object.hasOwn(policy.purposes, id))) {
    throw problem('policy.optOutSignalPurposes must name purposes of the policy');
  }
  if (typeof notice?.version !== 'string' || typeof notice.text !== 'string') throw problem('notice needs a version and the text shown');
  return {
    ...defaultStorefrontConsentGateOptions,
    storage: memoryConsentStorage(),
    subject: {},
    clock: systemClock,
    globalPrivacyControl: readGlobalPrivacyControl,
    // An option given as `undefined` takes its default.
    ...(Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as StorefrontConsentGateOptions),
  };
}

/**
 * The storefront gate: a `ConsentGate` for the tracker, with the few ways a banner
 * changes consent. See `createStorefrontConsentGate`.
 *
 * @example
 * ```ts
 * import type { StorefrontConsentGate } from 'guanxi/consent';
 *
 * declare const consent: StorefrontConsentGate;
 * document.querySelector('#accept')?.addEventListener('click', () => void consent.acceptAll({ source: 'banner' }));
 * ```
 */
export interface StorefrontConsentGate extends ConsentGate {
  /** Resolves once stored choices are restored and GPC applied. Until then every purpose that is not always on is `pending`. */
  readonly ready: Promise<void>;
  /** The policy in force. */
  readonly policy: ResolvedConsentPolicy;
  /** One purpose's state (`denied` for purposes the policy does not know). */
  state(purpose: PurposeId): PurposeState;
  /**
   * Applies a change at once (the gate and its subscribers see it synchronously), then
   * drafts its proof record and hands it to `onRecord`. Resolves with the draft, or
   * `undefined` when nothing changed.
   * @throws ConsentError (`unknown_purpose`, `purpose_always_on`, `consent_form_insufficient`) before anything changes.
   */
  update(change: StorefrontConsentUpdate): Promise<ConsentRecordDraft | undefined>;
  /**
   * Grants every purpose that is not always on and whose required form `how.form`
   * (default general) satisfies, except, while Global Privacy Control is on, the purposes
   * it opts out of (11 CCR §7025(c)(3): a generic "accept all" does not override the
   * signal; granting such a purpose on its own through `update` does, and is recorded so).
   */
  acceptAll(how?: ConsentHow): Promise<ConsentRecordDraft | undefined>;
  /** Refuses every purpose that can be refused (objection for legitimate interests). */
  rejectAll(how?: ConsentHow): Promise<ConsentRecordDraft | undefined>;
}

/**
 * Creates the storefront gate from a policy the server resolved. Nothing is read or
 * written before this is called; choices are restored at once from a synchronous
 * storage (`localConsentStorage()`), and GPC is applied before the first event is
 * decided.
 *
 * @example
 * ```ts
 * import { createStorefrontConsentGate, localConsentStorage, type ResolvedConsentPolicy } from 'guanxi/consent';
 * import { createTracker } from 'guanxi/tracking';
 *
 * const policy = (await (await fetch('/consent-policy')).json()) as ResolvedConsentPolicy;
 * const consent = createStorefrontConsentGate({
 *   policy,
 *   notice: { version: '2026-03', text: 'We use your data to…', language: 'en' },
 *   storage: localConsentStorage(),
 *   subject: () => tracker.identity(),
 *   onRecord: (draft) => void fetch('/consent-records', { method: 'POST', body: JSON.stringify(draft), keepalive: true }),
 * });
 * const tracker = createTracker({ endpoint: '/v1/batch', consent });
 * await consent.update({ purposes: { analytics: 'granted' }, source: 'banner', action: 'save-choices' });
 * ```
 */
export function createStorefrontConsentGate(options: StorefrontConsentGateOptions): StorefrontConsentGate {
  const resolved = resolveStorefrontConsentGateOptions(options);
  const { policy, notice, clock, storage, storageKey } = resolved;
  const ids = Object.keys(policy.purposes);
  const listeners = new Set<(change: ConsentChange) => void>();
  let choices: Record<PurposeId, PurposeChoice> = {};
  // The stored state as read: what the gate does not manage (a register's contact
  // preferences) is written back as it was, never dropped.
  let stored: Record<string, unknown> | undefined;
  let restoring = true;
  let lastStates: Record<PurposeId, PurposeState>;
  let noticeHash: Promise<string> | undefined;
  let recording: Promise<unknown> = Promise.resolve();

  const report = (error: unknown) => {
    try {
      resolved.onError?.(error);
    } catch {
      // A failing error callback must not break consent handling.
    }
  };
  const safely = (run: () => void) => {
    try {
      run();
    } catch (error) {
      report(error);
    }
  };
  const subject = (): ConsentSubject => {
    try {
      const given = resolved.subject;
      const ids = typeof given === 'function' ? given() : given;
      // Only the ids, without `undefined` members: the record is hashed as canonical JSON.
      return JSON.parse(JSON.stringify({ anonymousId: ids.anonymousId, userId: ids.userId })) as ConsentSubject;
    } catch (error) {
      report(error);
      return {};
    }
  };
  const gpcOn = () => {
    try {
      return resolved.honourGlobalPrivacyControl && resolved.globalPrivacyControl();
    } catch {
      return false;
    }
  };

  function states(): Record<PurposeId, PurposeState> {
    const context = { now: clock.now(), noticeVersion: notice.version, reconsentAfterMonths: policy.reconsentAfterMonths, optOutSignal: false, optOutSignalPurposes: [] };
    const result: Record<PurposeId, PurposeState> = {};
    for (const id of ids) {
      const { mode, form } = policy.purposes[id]!;
      // While stored choices are being read nothing but always-on processing may run.
      result[id] = restoring && mode !== 'always' ? 'pending' : evaluatePurposeChoice(id, mode, form, choices[id], context).state;
    }
    return result;
  }

  const snapshot = (): ConsentSnapshot => ({ purposes: states(), takenAt: clock.now(), jurisdiction: policy.jurisdiction });

  function emitIfChanged(): void {
    const next = states();
    const before = lastStates;
    lastStates = next;
    const changed = ids.filter((id) => next[id] !== before[id]);
    if (changed.length === 0) return;
    const granted = changed.filter((id) => next[id] === 'granted');
    const withdrawn = changed.filter((id) => next[id] !== 'pending' && before[id] !== 'objected' && before[id] !== 'denied' && next[id] !== 'granted');
    const change: ConsentChange = { granted, withdrawn, snapshot: snapshot() };
    for (const listener of [...listeners]) safely(() => listener(change));
    if (withdrawn.length > 0 && resolved.onErasureRequest) {
      safely(() => resolved.onErasureRequest!({ type: resolved.withdrawalRequest, subject: subject(), purposes: withdrawn, requestedAt: clock.now() }));
    }
  }

  function record(purposes: ConsentRecordDraft['purposes'], how: ConsentHow): Promise<ConsentRecordDraft> {
    // When and under which notice are taken now; who, once the notice hash is ready. A
    // `subject` function reading the tracker (made after the gate) then works even for the
    // GPC record drafted while the gate is created.
    const draft = {
      id: randomId(),
      recordedAt: clock.now(),
      jurisdiction: policy.jurisdiction,
      purposes,
      channels: [],
      source: how.source ?? 'api',
      ...(how.action === undefined ? {} : { action: how.action }),
      libraryVersion: guanxiLibraryVersion,
    };
    const shown = { version: notice.version, language: notice.language, ...(notice.url === undefined ? {} : { url: notice.url }) };
    noticeHash ??= sha256Hex(notice.text);
    const drafted = recording.then(async (): Promise<ConsentRecordDraft> => {
      const sha256 = await noticeHash!;
      const result = { ...draft, subject: subject(), notice: { ...shown, sha256 } };
      safely(() => resolved.onRecord?.(result));
      return result;
    });
    recording = drafted.catch(report);
    return drafted;
  }

  function apply(change: StorefrontConsentUpdate): Promise<ConsentRecordDraft | undefined> {
    const form = change.form ?? 'general';
    const source: ConsentSource = change.source ?? 'api';
    const requested = Object.entries(change.purposes);
    const refuse = (code: 'unknown_purpose' | 'purpose_always_on' | 'consent_form_insufficient', what: string, test: (id: PurposeId, state: PurposeState) => boolean) => {
      const found = requested.filter(([id, state]) => test(id, state)).map(([id]) => id);
      if (found.length > 0) throw new ConsentError(`${what}: ${found.join(', ')}`, code, found);
    };
    refuse('unknown_purpose', 'Unknown purpose(s)', (id) => !Object.hasOwn(policy.purposes, id));
    refuse('purpose_always_on', 'Always-on purpose(s) cannot be refused', (id, state) => state !== 'granted' && policy.purposes[id]!.mode === 'always');
    refuse('consent_form_insufficient', `Consent given in ${form} form is not enough for`, (id, state) => state === 'granted' && !consentFormSatisfies(form, policy.purposes[id]!.form));

    const now = clock.now();
    const current = states();
    const gpc = gpcOn();
    const changes: ConsentRecordDraft['purposes'][number][] = [];
    const next = { ...choices };
    for (const [id, state] of requested) {
      if (policy.purposes[id]!.mode === 'always') continue;
      const previousChoice = choices[id];
      const previous = current[id]!;
      const renewed = state === 'granted' && (previousChoice?.noticeVersion !== notice.version || previousChoice.form !== form);
      if (state === previous && !renewed && previousChoice?.state === state) continue;
      // A grant the visitor gives while GPC is on overrides the signal for that purpose
      // (11 CCR §7025(c)(3)), and is stored and recorded as such.
      const despiteGpc = state === 'granted' && gpc && source !== 'gpc' && policy.optOutSignalPurposes.includes(id);
      next[id] = { state, at: now, noticeVersion: notice.version, form, source, ...(despiteGpc ? { despiteGpc } : {}) };
      changes.push({ purpose: id, state, previous, form });
    }
    if (changes.length === 0) return Promise.resolve(undefined);
    choices = next;
    safely(() => {
      const written = storage.write(storageKey, JSON.stringify({ ...stored, v: 1, j: policy.jurisdiction, p: compactPurposeChoices(choices) }));
      if (written instanceof Promise) written.catch(report);
    });
    emitIfChanged();
    return record(changes, { ...change, source });
  }

  const update = (change: StorefrontConsentUpdate) => {
    try {
      return apply(change);
    } catch (error) {
      return Promise.reject(error);
    }
  };

  function applySignal(): Promise<unknown> {
    if (!gpcOn()) return Promise.resolve();
    const current = states();
    const optOut: Record<PurposeId, PurposeState> = {};
    for (const id of policy.optOutSignalPurposes) {
      const choice = choices[id];
      if (policy.purposes[id]!.mode === 'always' || current[id] === 'denied' || current[id] === 'objected') continue;
      if (choice?.despiteGpc && current[id] === 'granted') continue;
      optOut[id] = 'denied';
    }
    return update({ purposes: optOut, source: 'gpc', action: 'signal' });
  }

  function restored(text: string | null | undefined): Promise<unknown> {
    stored = readConsentStateObject(text);
    choices = { ...expandPurposeChoices(stored?.p), ...choices };
    restoring = false;
    emitIfChanged();
    return applySignal();
  }

  lastStates = states();
  let reading: ReturnType<ConsentStorage['read']>;
  try {
    reading = storage.read(storageKey);
  } catch (error) {
    report(error);
  }
  // A synchronous storage (localStorage) is read and GPC applied before the first event is decided.
  const ready = (reading instanceof Promise ? reading.then(restored, (error: unknown) => (report(error), restored(undefined))) : restored(reading)).then(() => undefined, report);

  const gate: StorefrontConsentGate = {
    ready,
    policy,
    decide: (purposes): ConsentDecision => decideFromStates(states(), purposes),
    snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    state(purpose) {
      const current = states();
      return Object.hasOwn(current, purpose) ? current[purpose]! : 'denied';
    },
    update,
    acceptAll(how = {}) {
      const form = how.form ?? 'general';
      const gpc = gpcOn();
      const grants: Record<PurposeId, PurposeState> = {};
      for (const id of ids) {
        const purpose = policy.purposes[id]!;
        if (purpose.mode === 'always' || !consentFormSatisfies(form, purpose.form) || (gpc && policy.optOutSignalPurposes.includes(id))) continue;
        grants[id] = 'granted';
      }
      return update({ action: 'accept-all', ...how, purposes: grants });
    },
    rejectAll(how = {}) {
      const refusals: Record<PurposeId, PurposeState> = {};
      for (const id of ids) {
        const { mode } = policy.purposes[id]!;
        if (mode !== 'always') refusals[id] = mode === 'legitimate-interests' ? 'objected' : 'denied';
      }
      return update({ action: 'reject-all', ...how, purposes: refusals });
    },
  };
  return gate;
}
