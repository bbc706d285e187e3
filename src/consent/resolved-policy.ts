/**
 * A jurisdiction's policy resolved for a set of purposes: what the storefront gate needs
 * of the policy engine, as plain data. The server (which knows the visitor's location)
 * resolves it from the jurisdiction table and hands it to the page, so the page carries
 * neither the table nor the engine.
 */
import type { PurposeId } from './gate';
import type { ConsentForm } from './purposes';
import { purposeMode, requiredConsentForm, type PurposeMode } from './policy';
import type { JurisdictionRule } from './jurisdictions';
import type { ResolvedConsentEvaluationOptions } from './server';

/**
 * One purpose under a resolved policy: how it behaves (`mode`) and the weakest consent
 * form that counts (`form`).
 *
 * @example
 * ```ts
 * import type { ResolvedPurposePolicy } from 'guanxi/consent';
 *
 * const sharingInChina: ResolvedPurposePolicy = { mode: 'opt-in', form: 'separate' };
 * ```
 */
export interface ResolvedPurposePolicy {
  readonly mode: PurposeMode;
  readonly form: ConsentForm;
}

/**
 * A jurisdiction's rules applied to the configured purposes: everything the storefront
 * gate (`createStorefrontConsentGate`) needs to decide, as JSON-safe data. Made by
 * `resolveConsentPolicy` (or `evaluateConsentRequest(...).policy`) on the server.
 *
 * @example
 * ```ts
 * import type { ResolvedConsentPolicy } from 'guanxi/consent';
 *
 * const policy: ResolvedConsentPolicy = {
 *   jurisdiction: 'EU',
 *   purposes: { necessary: { mode: 'always', form: 'general' }, analytics: { mode: 'opt-in', form: 'general' } },
 *   reconsentAfterMonths: 13,
 *   optOutSignalPurposes: [],
 * };
 * ```
 */
export interface ResolvedConsentPolicy {
  /** Code of the jurisdiction rule applied (stamped on snapshots and proof records). */
  readonly jurisdiction: string;
  /** Every configured purpose with its mode and required form. */
  readonly purposes: Readonly<Record<PurposeId, ResolvedPurposePolicy>>;
  /** Months after which an opt-in grant lapses (the rule's period, else the configured one). */
  readonly reconsentAfterMonths: number;
  /** Purposes an opt-out preference signal (Global Privacy Control) opts out of. */
  readonly optOutSignalPurposes: readonly PurposeId[];
}

/** Applies one jurisdiction rule to the configured purposes (see `resolveConsentPolicy`). */
export function policyUnderRule(
  rule: JurisdictionRule,
  options: Pick<ResolvedConsentEvaluationOptions, 'purposes' | 'reconsentAfterMonths' | 'optOutSignalPurposes'>,
): ResolvedConsentPolicy {
  const purposes: Record<PurposeId, ResolvedPurposePolicy> = {};
  for (const purpose of options.purposes) purposes[purpose.id] = { mode: purposeMode(purpose, rule), form: requiredConsentForm(purpose, rule) };
  return {
    jurisdiction: rule.code,
    purposes,
    reconsentAfterMonths: rule.reconsentAfterMonths ?? options.reconsentAfterMonths,
    optOutSignalPurposes: [...options.optOutSignalPurposes],
  };
}
