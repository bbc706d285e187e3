/**
 * Purposes: what personal data is processed for, on which lawful basis, and in which
 * form consent must be given. Plain data, so applications describe their own purposes
 * next to the defaults.
 */
import type { PurposeId } from './gate';
import type { DataCategory } from '../profile/data-category';

/**
 * The six lawful bases of GDPR Art. 6(1): (a) consent, (b) contract, (c) legal
 * obligation, (d) vital interests, (e) public task, (f) legitimate interests.
 *
 * @example
 * ```ts
 * import type { LawfulBasis } from 'guanxi/consent';
 *
 * const basis: LawfulBasis = 'legitimate-interests'; // the subject may object (Art. 21)
 * ```
 */
export type LawfulBasis =
  | 'consent'
  | 'contract'
  | 'legal-obligation'
  | 'vital-interests'
  | 'public-task'
  | 'legitimate-interests';

/**
 * The form in which consent is obtained, weakest first: `general` (a clear affirmative
 * act, GDPR Art. 4(11)); `explicit` (an express statement, required for special
 * categories by GDPR Art. 9(2)(a)); `separate` (a consent asked for on its own for one
 * processing, PIPL Art. 23, 25, 29 and 39). A stronger form satisfies a weaker one:
 * guanxi treats a separate consent as also explicit, since PIPL requires it to be given
 * by a clear, specific statement.
 *
 * @example
 * ```ts
 * import type { ConsentForm } from 'guanxi/consent';
 *
 * const form: ConsentForm = 'separate';
 * ```
 */
export type ConsentForm = 'general' | 'explicit' | 'separate';


/**
 * Operations a purpose involves that jurisdiction rules treat specially: `sale` and
 * `targetedAdvertising` (the CCPA/CPRA and other US state opt-outs), `sharing` with
 * another handler (PIPL Art. 23), `publicDisclosure` (PIPL Art. 25) and `crossBorder`
 * transfer (PIPL Art. 39).
 *
 * @example
 * ```ts
 * import type { PurposeProcessing } from 'guanxi/consent';
 *
 * const processing: PurposeProcessing = { sharing: true, crossBorder: true };
 * ```
 */
export interface PurposeProcessing {
  readonly sale?: boolean;
  readonly targetedAdvertising?: boolean;
  readonly sharing?: boolean;
  readonly publicDisclosure?: boolean;
  readonly crossBorder?: boolean;
}

/**
 * One processing purpose as the controller defines it.
 *
 * @example
 * ```ts
 * import type { ConsentPurpose } from 'guanxi/consent';
 *
 * const loyaltyProfiling: ConsentPurpose = {
 *   id: 'loyalty-profiling',
 *   title: 'Loyalty tiers from your purchases',
 *   lawfulBasis: 'consent',
 *   form: 'general',
 *   categories: ['identifier', 'financial', 'behavioural'],
 * };
 * ```
 */
export interface ConsentPurpose {
  /** Stable id used by events and touchpoints (e.g. `'analytics'`). */
  readonly id: PurposeId;
  /** Short human title for preference centres. */
  readonly title?: string;
  /** What the processing does, in the words of the notice. */
  readonly description?: string;
  /** GDPR Art. 6 lawful basis. Purposes on a basis other than consent or legitimate interests are always on. */
  readonly lawfulBasis: LawfulBasis;
  /**
   * The form the controller asks consent in. A jurisdiction may require a stronger one
   * (see `requiredConsentForm`).
   * @default 'general'
   */
  readonly form?: ConsentForm;
  /**
   * Strictly necessary processing that cannot be refused (the service itself, security,
   * storing the consent choice).
   * @default false
   */
  readonly alwaysOn?: boolean;
  /**
   * Data categories the purpose processes; `sensitive` raises the consent form required.
   * @default []
   */
  readonly categories?: readonly DataCategory[];
  /**
   * Special operations the purpose involves.
   * @default {}
   */
  readonly processing?: PurposeProcessing;
}

/**
 * The purposes guanxi ships with. `necessary` is always on; the others are
 * consent-based. `advertising` (targeted ads, shared with ad platforms) and
 * `sale-sharing` (sale or sharing of personal data, CCPA/CPRA) are the purposes that
 * Global Privacy Control opts out of.
 *
 * @example
 * ```ts
 * import { defaultConsentPurposes } from 'guanxi/consent';
 *
 * console.log(defaultConsentPurposes.map((purpose) => purpose.id));
 * // ['necessary', 'analytics', 'personalization', 'marketing', 'advertising', 'sale-sharing']
 * ```
 */
export const defaultConsentPurposes: readonly ConsentPurpose[] = /* @__PURE__ */ Object.freeze([
  {
    id: 'necessary',
    title: 'Strictly necessary',
    description: 'Running the shop, keeping it secure and remembering your privacy choices.',
    lawfulBasis: 'contract',
    alwaysOn: true,
    categories: ['identifier'],
  },
  {
    id: 'analytics',
    title: 'Analytics',
    description: 'Measuring visits and how the site is used.',
    lawfulBasis: 'consent',
    categories: ['identifier', 'behavioural'],
  },
  {
    id: 'personalization',
    title: 'Personalization',
    description: 'Recommendations and content based on your activity.',
    lawfulBasis: 'consent',
    categories: ['identifier', 'behavioural', 'demographic'],
  },
  {
    id: 'marketing',
    title: 'Marketing',
    description: 'Offers and newsletters from us, on the channels you allow.',
    lawfulBasis: 'consent',
    categories: ['identifier', 'contact', 'behavioural'],
  },
  {
    id: 'advertising',
    title: 'Targeted advertising',
    description: 'Ads on other sites based on your activity here, with advertising partners.',
    lawfulBasis: 'consent',
    categories: ['identifier', 'behavioural'],
    processing: { targetedAdvertising: true, sharing: true },
  },
  {
    id: 'sale-sharing',
    title: 'Sale or sharing of personal data',
    description: 'Selling or sharing personal data with third parties.',
    lawfulBasis: 'consent',
    categories: ['identifier', 'contact', 'behavioural'],
    processing: { sale: true, sharing: true },
  },
] satisfies ConsentPurpose[]);

const formStrength: Readonly<Record<ConsentForm, number>> = { general: 0, explicit: 1, separate: 2 };

/**
 * Whether consent given in form `given` satisfies a requirement of form `required`.
 *
 * @example
 * ```ts
 * import { consentFormSatisfies } from 'guanxi/consent';
 *
 * consentFormSatisfies('separate', 'explicit'); // true
 * consentFormSatisfies('general', 'explicit'); // false
 * ```
 */
export function consentFormSatisfies(given: ConsentForm, required: ConsentForm): boolean {
  return formStrength[given] >= formStrength[required];
}

/** The stronger of two forms. */
export function strongerForm(a: ConsentForm, b: ConsentForm): ConsentForm {
  return formStrength[a] >= formStrength[b] ? a : b;
}
