/**
 * The policy engine: pure functions from (purpose, jurisdiction rule, stored choice,
 * time, signals) to a purpose's state. The browser register and the server-side
 * evaluation share them, so both sides decide the same way.
 */
import type { PurposeId, PurposeState } from './gate';
import type { ConsentForm, ConsentPurpose } from './purposes';
import { consentFormSatisfies, strongerForm } from './purposes';
import type { ConsentDefault, JurisdictionRule } from './jurisdictions';
import type { ContactChannel, ContactPreferenceState } from './contact';

/**
 * How a purpose behaves under a rule: `always` (necessary, or a lawful basis other
 * than consent and legitimate interests), `opt-in`, `opt-out`, or
 * `legitimate-interests` (on until the subject objects, GDPR Art. 21).
 *
 * @example
 * ```ts
 * import type { PurposeMode } from 'guanxi/consent';
 *
 * const mode: PurposeMode = 'opt-in';
 * ```
 */
export type PurposeMode = 'always' | ConsentDefault | 'legitimate-interests';

/**
 * Where a consent choice came from, as recorded in proof records.
 *
 * @example
 * ```ts
 * import type { ConsentSource } from 'guanxi/consent';
 *
 * const source: ConsentSource = 'preference-centre';
 * ```
 */
export type ConsentSource = 'banner' | 'preference-centre' | 'api' | 'import' | 'gpc' | 'dnt' | 'tcf';

/**
 * A stored choice for one purpose: the state chosen and the circumstances, which
 * decide whether it still holds (notice version, age, form).
 *
 * @example
 * ```ts
 * import type { PurposeChoice } from 'guanxi/consent';
 *
 * const choice: PurposeChoice = { state: 'granted', at: Date.parse('2026-03-01'), noticeVersion: '2026-03', form: 'general', source: 'banner' };
 * ```
 */
export interface PurposeChoice {
  readonly state: PurposeState;
  /** When the choice was made (ms since epoch). */
  readonly at: number;
  /** The notice version shown when the choice was made. */
  readonly noticeVersion: string;
  /** The form the consent was given in. */
  readonly form: ConsentForm;
  readonly source: ConsentSource;
  /** A grant the subject made while a Global Privacy Control signal was on (11 CCR §7025(c)(3)): GPC does not override it. */
  readonly despiteGpc?: boolean;
}

/**
 * A stored choice for one contact channel.
 *
 * @example
 * ```ts
 * import type { ContactChoice } from 'guanxi/consent';
 *
 * const sms: ContactChoice = { state: 'denied', at: Date.now(), source: 'preference-centre' };
 * ```
 */
export interface ContactChoice {
  readonly state: ContactPreferenceState;
  readonly at: number;
  readonly source: ConsentSource;
}

/**
 * Everything the policy needs besides the purpose and the rule.
 *
 * @example
 * ```ts
 * import type { PolicyContext } from 'guanxi/consent';
 *
 * const context: PolicyContext = { now: Date.now(), noticeVersion: '2026-03', reconsentAfterMonths: 13, optOutSignal: false, optOutSignalPurposes: ['advertising', 'sale-sharing'] };
 * ```
 */
export interface PolicyContext {
  /** Current time (ms since epoch). */
  readonly now: number;
  /** The version of the notice currently shown. */
  readonly noticeVersion: string;
  /** Months after which a grant lapses when the rule does not say. */
  readonly reconsentAfterMonths: number;
  /** Whether an opt-out preference signal (GPC, or DNT when enabled) is on. */
  readonly optOutSignal: boolean;
  /** Purposes an opt-out signal opts out of. */
  readonly optOutSignalPurposes: readonly PurposeId[];
}

/**
 * Why a purpose needs asking again: the notice changed since the grant, the grant is
 * older than the re-consent period, or the grant's form is weaker than the current
 * jurisdiction requires.
 *
 * @example
 * ```ts
 * import type { ReconsentReason } from 'guanxi/consent';
 *
 * const reason: ReconsentReason = 'notice-changed';
 * ```
 */
export type ReconsentReason = 'notice-changed' | 'expired' | 'form-insufficient';

/**
 * The outcome of the policy for one purpose.
 *
 * @example
 * ```ts
 * import type { PurposeEvaluation } from 'guanxi/consent';
 *
 * const evaluation: PurposeEvaluation = { state: 'pending', mode: 'opt-in', requiredForm: 'general', reconsent: 'expired' };
 * ```
 */
export interface PurposeEvaluation {
  readonly state: PurposeState;
  readonly mode: PurposeMode;
  readonly requiredForm: ConsentForm;
  /** Set when a former grant no longer holds. */
  readonly reconsent?: ReconsentReason;
  /** Set when an opt-out signal turned a grant into a denial. */
  readonly optedOutBySignal?: boolean;
}

function hasSensitive(purpose: ConsentPurpose): boolean {
  return purpose.categories?.includes('sensitive') ?? false;
}

/**
 * How a purpose behaves under a jurisdiction rule (see `PurposeMode`). Sensitive data
 * follows `rule.sensitive`, sale/sharing and targeted advertising follow
 * `rule.saleSharing`, other consent-based purposes `rule.consentDefault`; when several
 * apply, opt-in wins. Where legitimate interests is no lawful basis (PIPL), such
 * purposes are opt-in.
 *
 * @example
 * ```ts
 * import { defaultConsentPurposes, defaultJurisdictionRules, findJurisdictionRule, purposeMode } from 'guanxi/consent';
 *
 * const california = findJurisdictionRule(defaultJurisdictionRules, 'US-CA')!;
 * const advertising = defaultConsentPurposes.find((purpose) => purpose.id === 'advertising')!;
 * purposeMode(advertising, california); // 'opt-out'
 * ```
 */
export function purposeMode(purpose: ConsentPurpose, rule: JurisdictionRule): PurposeMode {
  if (purpose.alwaysOn) return 'always';
  if (purpose.lawfulBasis === 'legitimate-interests') return rule.legitimateInterests ? 'legitimate-interests' : 'opt-in';
  if (purpose.lawfulBasis !== 'consent') return 'always';
  const modes: ConsentDefault[] = [];
  if (hasSensitive(purpose)) modes.push(rule.sensitive);
  if (purpose.processing?.sale || purpose.processing?.targetedAdvertising) modes.push(rule.saleSharing);
  if (modes.length === 0) modes.push(rule.consentDefault);
  return modes.includes('opt-in') ? 'opt-in' : 'opt-out';
}

/**
 * The weakest consent form that satisfies both the purpose's own form and the
 * jurisdiction: `rule.sensitiveForm` for sensitive data, `separate` for each operation
 * listed in `rule.separateConsentFor`.
 *
 * @example
 * ```ts
 * import { defaultConsentPurposes, defaultJurisdictionRules, findJurisdictionRule, requiredConsentForm } from 'guanxi/consent';
 *
 * const china = findJurisdictionRule(defaultJurisdictionRules, 'CN')!;
 * const sharing = defaultConsentPurposes.find((purpose) => purpose.id === 'sale-sharing')!;
 * requiredConsentForm(sharing, china); // 'separate'
 * ```
 */
export function requiredConsentForm(purpose: ConsentPurpose, rule: JurisdictionRule): ConsentForm {
  let form: ConsentForm = purpose.form ?? 'general';
  const processing = purpose.processing ?? {};
  const separate = rule.separateConsentFor;
  if (hasSensitive(purpose)) {
    form = strongerForm(form, rule.sensitiveForm);
    if (separate.includes('sensitive')) form = 'separate';
  }
  if ((processing.sharing || processing.sale) && separate.includes('sharing')) form = 'separate';
  if (processing.publicDisclosure && separate.includes('public-disclosure')) form = 'separate';
  if (processing.crossBorder && separate.includes('cross-border')) form = 'separate';
  return form;
}

/**
 * The state of a purpose nobody has chosen for: granted for `always`, `opt-out` and
 * `legitimate-interests`, pending for `opt-in`.
 *
 * @example
 * ```ts
 * import { defaultPurposeState } from 'guanxi/consent';
 *
 * defaultPurposeState('opt-in'); // 'pending'
 * ```
 */
export function defaultPurposeState(mode: PurposeMode): PurposeState {
  return mode === 'opt-in' ? 'pending' : 'granted';
}

const restrictiveness: Readonly<Record<PurposeState, number>> = { granted: 0, pending: 1, objected: 2, denied: 3 };

/**
 * Combines two states for the same purpose, the most restrictive winning
 * (denied > objected > pending > granted). Used when an anonymous visitor becomes a
 * known customer: a refusal given on any device or session is never lost.
 *
 * @example
 * ```ts
 * import { combinePurposeStates } from 'guanxi/consent';
 *
 * combinePurposeStates('granted', 'denied'); // 'denied'
 * combinePurposeStates('granted', 'pending'); // 'pending'
 * ```
 */
export function combinePurposeStates(a: PurposeState, b: PurposeState): PurposeState {
  return restrictiveness[a] >= restrictiveness[b] ? a : b;
}

/** Adds calendar months in UTC (13 months after 31 January is the last day of February a year later). */
export function addMonths(at: number, months: number): number {
  const date = new Date(at);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return date.getTime();
}

/**
 * Decides one purpose's state: the stored choice if it still holds, otherwise the
 * jurisdiction's default; a grant lapses when the notice version changed, when it is
 * older than the re-consent period, or when its form is weaker than now required. A
 * refusal never lapses into a grant. An opt-out signal then turns grants of the
 * signalled purposes into denials, unless the subject granted while the signal was on.
 *
 * @example
 * ```ts
 * import { defaultConsentPurposes, defaultJurisdictionRules, evaluatePurpose, findJurisdictionRule } from 'guanxi/consent';
 *
 * const eu = findJurisdictionRule(defaultJurisdictionRules, 'EU')!;
 * const analytics = defaultConsentPurposes.find((purpose) => purpose.id === 'analytics')!;
 * const now = Date.parse('2026-06-01T00:00:00Z');
 * const choice = { state: 'granted', at: Date.parse('2026-01-01T00:00:00Z'), noticeVersion: 'v1', form: 'general', source: 'banner' } as const;
 * evaluatePurpose(analytics, eu, choice, { now, noticeVersion: 'v2', reconsentAfterMonths: 13, optOutSignal: false, optOutSignalPurposes: [] });
 * // { state: 'pending', mode: 'opt-in', requiredForm: 'general', reconsent: 'notice-changed' }
 * ```
 */
export function evaluatePurpose(
  purpose: ConsentPurpose,
  rule: JurisdictionRule,
  choice: PurposeChoice | undefined,
  context: PolicyContext,
): PurposeEvaluation {
  const months = rule.reconsentAfterMonths ?? context.reconsentAfterMonths;
  return evaluatePurposeChoice(purpose.id, purposeMode(purpose, rule), requiredConsentForm(purpose, rule), choice, { ...context, reconsentAfterMonths: months });
}

/**
 * `evaluatePurpose` once the jurisdiction is applied: the purpose's mode and required
 * form are given (by a resolved policy, or computed from the rule), and
 * `context.reconsentAfterMonths` is the period in force. The storefront gate and the
 * register decide through this one function.
 */
export function evaluatePurposeChoice(
  id: PurposeId,
  mode: PurposeMode,
  requiredForm: ConsentForm,
  choice: PurposeChoice | undefined,
  context: PolicyContext,
): PurposeEvaluation {
  if (mode === 'always') return { state: 'granted', mode, requiredForm };
  let state = defaultPurposeState(mode);
  let reconsent: ReconsentReason | undefined;
  if (choice && choice.state !== 'pending') {
    if (choice.state === 'granted') {
      // Only an opt-in grant can lapse: where the default is already "granted" there is
      // nothing to ask again.
      if (mode === 'opt-in') {
        if (choice.noticeVersion !== context.noticeVersion) reconsent = 'notice-changed';
        else if (context.now >= addMonths(choice.at, context.reconsentAfterMonths)) reconsent = 'expired';
        else if (!consentFormSatisfies(choice.form, requiredForm)) reconsent = 'form-insufficient';
      }
      if (reconsent === undefined) state = 'granted';
    } else {
      state = choice.state;
    }
  }
  const base: PurposeEvaluation = reconsent ? { state, mode, requiredForm, reconsent } : { state, mode, requiredForm };
  if (
    state === 'granted' &&
    context.optOutSignal &&
    context.optOutSignalPurposes.includes(id) &&
    !(choice?.state === 'granted' && choice.despiteGpc && reconsent === undefined)
  ) {
    return { ...base, state: 'denied', optedOutBySignal: true };
  }
  return base;
}

/**
 * Decides one contact channel's state from the stored choice and the rule's default.
 *
 * @example
 * ```ts
 * import { defaultJurisdictionRules, evaluateContactChannel, findJurisdictionRule } from 'guanxi/consent';
 *
 * const us = findJurisdictionRule(defaultJurisdictionRules, 'US')!;
 * evaluateContactChannel('email', us, undefined); // 'granted' (CAN-SPAM: opt-out)
 * evaluateContactChannel('sms', us, undefined); // 'pending' (TCPA: prior consent)
 * ```
 */
export function evaluateContactChannel(
  channel: ContactChannel,
  rule: JurisdictionRule,
  choice: ContactChoice | undefined,
): ContactPreferenceState {
  if (choice && choice.state !== 'pending') return choice.state;
  return rule.contactChannels[channel] === 'opt-out' ? 'granted' : 'pending';
}

/**
 * What a gate decides for a set of purpose states: denied when any is denied or
 * objected, pending when any is pending, granted otherwise. Unknown purposes count as
 * denied, so a misspelt purpose never lets an event through.
 *
 * @example
 * ```ts
 * import { decideFromStates } from 'guanxi/consent';
 *
 * decideFromStates({ analytics: 'granted', marketing: 'pending' }, ['analytics', 'marketing']); // 'pending'
 * decideFromStates({ analytics: 'granted' }, ['ads']); // 'denied'
 * ```
 */
export function decideFromStates(
  states: Readonly<Record<PurposeId, PurposeState>>,
  purposes: readonly PurposeId[],
): 'granted' | 'denied' | 'pending' {
  let pending = false;
  for (const purpose of purposes) {
    const state = Object.prototype.hasOwnProperty.call(states, purpose) ? states[purpose] : undefined;
    if (state === undefined || state === 'denied' || state === 'objected') return 'denied';
    if (state === 'pending') pending = true;
  }
  return pending ? 'pending' : 'granted';
}
