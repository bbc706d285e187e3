/**
 * The jurisdiction table: which purposes are opt-in or opt-out where, which consent
 * form sensitive and shared data need, how long a choice lasts, and how marketing
 * channels default. The table is data: applications override or extend it. Sources for
 * every shipped rule are listed on the rule and in docs/consent.md.
 */
import type { ConsentForm } from './purposes';
import type { ContactChannel } from './contact';

/**
 * How a purpose defaults where no choice has been made: `opt-in` (pending until the
 * subject agrees) or `opt-out` (allowed until the subject refuses).
 *
 * @example
 * ```ts
 * import type { ConsentDefault } from 'guanxi/consent';
 *
 * const saleOfData: ConsentDefault = 'opt-out'; // California
 * ```
 */
export type ConsentDefault = 'opt-in' | 'opt-out';

/**
 * Operations for which a jurisdiction requires a separate consent (PIPL): sharing with
 * another handler (Art. 23), public disclosure (Art. 25), sensitive personal information
 * (Art. 29) and cross-border transfer (Art. 39).
 *
 * @example
 * ```ts
 * import type { SeparateConsentOperation } from 'guanxi/consent';
 *
 * const operations: SeparateConsentOperation[] = ['sharing', 'cross-border'];
 * ```
 */
export type SeparateConsentOperation = 'sharing' | 'public-disclosure' | 'sensitive' | 'cross-border';

/**
 * One row of the jurisdiction table.
 *
 * @example
 * ```ts
 * import type { JurisdictionRule } from 'guanxi/consent';
 *
 * // Brazil's LGPD, added by an application (its sources are the application's to check).
 * const brazil: JurisdictionRule = {
 *   code: 'BR',
 *   name: 'Brazil (LGPD)',
 *   regions: ['BR'],
 *   consentDefault: 'opt-in',
 *   saleSharing: 'opt-in',
 *   sensitive: 'opt-in',
 *   legitimateInterests: true,
 *   sensitiveForm: 'explicit',
 *   separateConsentFor: [],
 *   contactChannels: { email: 'opt-in', sms: 'opt-in', phone: 'opt-in', push: 'opt-in', mail: 'opt-out' },
 *   sources: ['Lei Geral de Proteção de Dados (Lei nº 13.709/2018), Art. 7, 8, 11'],
 * };
 * ```
 */
export interface JurisdictionRule {
  /** The code stamped on snapshots and proof records, e.g. `'EU'`, `'US-CA'`, `'CN'`. */
  readonly code: string;
  /** A human name with the law, e.g. `'European Union and EEA (GDPR, ePrivacy)'`. */
  readonly name: string;
  /** ISO 3166-1 alpha-2 countries or ISO 3166-2 subdivisions (`'US-CA'`) under this rule. */
  readonly regions: readonly string[];
  /** Default for consent-based purposes that are neither sensitive nor sale/sharing/targeted ads. */
  readonly consentDefault: ConsentDefault;
  /** Default for purposes that sell or share personal data or target advertising. */
  readonly saleSharing: ConsentDefault;
  /** Default for purposes that process sensitive data. */
  readonly sensitive: ConsentDefault;
  /** Whether legitimate interests is a lawful basis here (not under PIPL: such purposes become opt-in). */
  readonly legitimateInterests: boolean;
  /** The consent form sensitive data requires (GDPR Art. 9: `explicit`; PIPL Art. 29: `separate`). */
  readonly sensitiveForm: ConsentForm;
  /** Operations that need a separate consent. */
  readonly separateConsentFor: readonly SeparateConsentOperation[];
  /** How marketing on each contact channel defaults. */
  readonly contactChannels: Readonly<Record<ContactChannel, ConsentDefault>>;
  /** Months after which a grant lapses and must be asked again; the register's option applies when absent. */
  readonly reconsentAfterMonths?: number;
  /** Months to wait before asking again someone who refused or opted out. */
  readonly reaskAfterRefusalMonths?: number;
  /** Whether the law requires honouring opt-out preference signals such as GPC (informational: guanxi honours GPC everywhere by default). */
  readonly optOutSignalRequired?: boolean;
  /** Where the rule comes from (the shipped rules' sources are in `defaultJurisdictionSources`, kept apart so browser bundles do not carry them). */
  readonly sources?: readonly string[];
}

const euRegions = [
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT',
  'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
  // EEA members outside the EU apply the GDPR through the EEA Agreement.
  'IS', 'LI', 'NO',
];

const optInChannels = { email: 'opt-in', sms: 'opt-in', phone: 'opt-in', push: 'opt-in', mail: 'opt-in' } as const;
const usChannels = { email: 'opt-out', sms: 'opt-in', phone: 'opt-in', push: 'opt-in', mail: 'opt-out' } as const;

/**
 * The shipped jurisdiction table (EU/EEA, UK, China, California, Colorado, Virginia,
 * Connecticut, other US states) and the fallback rule `'default'`, which applies
 * opt-in everywhere. See docs/consent.md for the reasoning behind each cell.
 *
 * @example
 * ```ts
 * import { defaultJurisdictionRules } from 'guanxi/consent';
 *
 * const eu = defaultJurisdictionRules.find((rule) => rule.code === 'EU');
 * console.log(eu?.consentDefault); // 'opt-in'
 * ```
 */
export const defaultJurisdictionRules: readonly JurisdictionRule[] = /* @__PURE__ */ Object.freeze([
  {
    code: 'EU',
    name: 'European Union and EEA (GDPR, ePrivacy Directive)',
    regions: ['EU', 'EEA', ...euRegions],
    consentDefault: 'opt-in',
    saleSharing: 'opt-in',
    sensitive: 'opt-in',
    legitimateInterests: true,
    sensitiveForm: 'explicit',
    separateConsentFor: [],
    contactChannels: { email: 'opt-in', sms: 'opt-in', phone: 'opt-in', push: 'opt-in', mail: 'opt-out' },
    reconsentAfterMonths: 13,
    reaskAfterRefusalMonths: 6,
    optOutSignalRequired: false,
  },
  {
    code: 'UK',
    name: 'United Kingdom (UK GDPR, PECR)',
    regions: ['UK', 'GB'],
    consentDefault: 'opt-in',
    saleSharing: 'opt-in',
    sensitive: 'opt-in',
    legitimateInterests: true,
    sensitiveForm: 'explicit',
    separateConsentFor: [],
    contactChannels: { email: 'opt-in', sms: 'opt-in', phone: 'opt-out', push: 'opt-in', mail: 'opt-out' },
    reconsentAfterMonths: 13,
    reaskAfterRefusalMonths: 6,
    optOutSignalRequired: false,
  },
  {
    code: 'CN',
    name: "China (Personal Information Protection Law)",
    regions: ['CN'],
    consentDefault: 'opt-in',
    saleSharing: 'opt-in',
    sensitive: 'opt-in',
    legitimateInterests: false,
    sensitiveForm: 'separate',
    separateConsentFor: ['sharing', 'public-disclosure', 'sensitive', 'cross-border'],
    contactChannels: optInChannels,
    reconsentAfterMonths: 13,
    reaskAfterRefusalMonths: 12,
    optOutSignalRequired: false,
  },
  {
    code: 'US-CA',
    name: 'California (CCPA as amended by CPRA)',
    regions: ['US-CA'],
    consentDefault: 'opt-out',
    saleSharing: 'opt-out',
    // CPRA gives a right to *limit* use of sensitive data (Cal. Civ. Code §1798.121), an opt-out.
    sensitive: 'opt-out',
    legitimateInterests: true,
    sensitiveForm: 'general',
    separateConsentFor: [],
    contactChannels: usChannels,
    reconsentAfterMonths: 13,
    reaskAfterRefusalMonths: 12,
    optOutSignalRequired: true,
  },
  {
    code: 'US-CO',
    name: 'Colorado (Colorado Privacy Act)',
    regions: ['US-CO'],
    consentDefault: 'opt-out',
    saleSharing: 'opt-out',
    sensitive: 'opt-in',
    legitimateInterests: true,
    sensitiveForm: 'general',
    separateConsentFor: [],
    contactChannels: usChannels,
    reconsentAfterMonths: 13,
    reaskAfterRefusalMonths: 12,
    optOutSignalRequired: true,
  },
  {
    code: 'US-VA',
    name: 'Virginia (Consumer Data Protection Act)',
    regions: ['US-VA'],
    consentDefault: 'opt-out',
    saleSharing: 'opt-out',
    sensitive: 'opt-in',
    legitimateInterests: true,
    sensitiveForm: 'general',
    separateConsentFor: [],
    contactChannels: usChannels,
    reconsentAfterMonths: 13,
    reaskAfterRefusalMonths: 12,
    optOutSignalRequired: false,
  },
  {
    code: 'US-CT',
    name: 'Connecticut (Data Privacy Act)',
    regions: ['US-CT'],
    consentDefault: 'opt-out',
    saleSharing: 'opt-out',
    sensitive: 'opt-in',
    legitimateInterests: true,
    sensitiveForm: 'general',
    separateConsentFor: [],
    contactChannels: usChannels,
    reconsentAfterMonths: 13,
    reaskAfterRefusalMonths: 12,
    optOutSignalRequired: true,
  },
  {
    code: 'US',
    name: 'Other US states',
    regions: ['US'],
    consentDefault: 'opt-out',
    saleSharing: 'opt-out',
    // Most state privacy laws passed since 2021 require consent for sensitive data; without
    // a state-specific rule guanxi takes the stricter reading.
    sensitive: 'opt-in',
    legitimateInterests: true,
    sensitiveForm: 'general',
    separateConsentFor: [],
    contactChannels: usChannels,
    reconsentAfterMonths: 13,
    reaskAfterRefusalMonths: 12,
    optOutSignalRequired: false,
  },
  {
    code: 'default',
    name: 'Fallback (opt-in everywhere)',
    regions: [],
    consentDefault: 'opt-in',
    saleSharing: 'opt-in',
    sensitive: 'opt-in',
    legitimateInterests: true,
    sensitiveForm: 'explicit',
    separateConsentFor: [],
    contactChannels: optInChannels,
    reconsentAfterMonths: 13,
    reaskAfterRefusalMonths: 6,
    optOutSignalRequired: false,
  },
] satisfies JurisdictionRule[]);

/**
 * Where each shipped rule comes from: laws, articles and guidance, by rule code. Kept
 * apart from `defaultJurisdictionRules` so that browser bundles, which need the rules,
 * do not carry the citations. docs/consent.md explains each cell.
 *
 * @example
 * ```ts
 * import { defaultJurisdictionSources } from 'guanxi/consent';
 *
 * for (const source of defaultJurisdictionSources['US-CA'] ?? []) console.log(source);
 * ```
 */
export const defaultJurisdictionSources: Readonly<Record<string, readonly string[]>> = {
  'EU': [
      'GDPR (Regulation (EU) 2016/679) Art. 6(1) lawful bases, Art. 7 conditions for consent, Art. 9(2)(a) explicit consent for special categories, Art. 21 right to object',
      'ePrivacy Directive 2002/58/EC Art. 5(3) (consent to store or read information on a device) and Art. 13(1) (consent for email, SMS and automated-call marketing)',
      'CNIL Délibération n° 2020-092 (cookie recommendation): keep consent at most 13 months; keep a refusal about 6 months before asking again',
    ],
  'UK': [
      'UK GDPR Art. 6, 7, 9 (as retained by the European Union (Withdrawal) Act 2018)',
      'Privacy and Electronic Communications Regulations 2003: reg. 6 (cookies), reg. 21 (live calls: opt-out, TPS), reg. 22 (email and SMS marketing: consent)',
    ],
  'CN': [
      'PIPL Art. 13 (lawful bases; no legitimate-interest basis), Art. 14 (informed, voluntary, explicit consent; re-consent when purpose or method changes), Art. 15 (convenient withdrawal), Art. 16 (no refusal of service)',
      'PIPL Art. 23 (separate consent to provide data to another handler), Art. 25 (to disclose publicly), Art. 28–29 (sensitive personal information), Art. 39 (cross-border transfer)',
      'Advertising Law of the PRC Art. 43 (no electronic advertising without the recipient’s consent)',
    ],
  'US-CA': [
      'Cal. Civ. Code §1798.120 (right to opt out of sale and sharing), §1798.121 (right to limit use of sensitive personal information), §1798.135 (opt-out methods; wait 12 months before asking again)',
      '11 CCR §7025 (opt-out preference signals such as Global Privacy Control must be honoured)',
      'CAN-SPAM Act, 15 U.S.C. §7704 (commercial email: opt-out)',
  'Telephone Consumer Protection Act, 47 U.S.C. §227 and 47 CFR §64.1200 (marketing calls and texts: prior express written consent)',
    ],
  'US-CO': [
      'C.R.S. §6-1-1306 (right to opt out of targeted advertising and sale; universal opt-out mechanisms)',
      'C.R.S. §6-1-1308 (consent before processing sensitive data)',
      'CAN-SPAM Act, 15 U.S.C. §7704 (commercial email: opt-out)',
  'Telephone Consumer Protection Act, 47 U.S.C. §227 and 47 CFR §64.1200 (marketing calls and texts: prior express written consent)',
    ],
  'US-VA': [
      'Va. Code §59.1-577 (right to opt out of targeted advertising and sale)',
      'Va. Code §59.1-578 (consent before processing sensitive data)',
      'CAN-SPAM Act, 15 U.S.C. §7704 (commercial email: opt-out)',
  'Telephone Consumer Protection Act, 47 U.S.C. §227 and 47 CFR §64.1200 (marketing calls and texts: prior express written consent)',
    ],
  'US-CT': [
      'Conn. Gen. Stat. §42-518 (right to opt out of targeted advertising and sale)',
      'Conn. Gen. Stat. §42-520 (consent before processing sensitive data; opt-out preference signals)',
      'CAN-SPAM Act, 15 U.S.C. §7704 (commercial email: opt-out)',
  'Telephone Consumer Protection Act, 47 U.S.C. §227 and 47 CFR §64.1200 (marketing calls and texts: prior express written consent)',
    ],
  'US': ['State comprehensive privacy laws (e.g. Texas TDPSA, Oregon OCPA): opt-out of sale and targeted advertising, consent for sensitive data', 'CAN-SPAM Act, 15 U.S.C. §7704 (commercial email: opt-out)',
  'Telephone Consumer Protection Act, 47 U.S.C. §227 and 47 CFR §64.1200 (marketing calls and texts: prior express written consent)'],
  'default': ['guanxi: the strictest common reading, used where no rule matches'],
};

/**
 * Merges a table of overrides into a base table: a rule with the same `code` replaces
 * the base rule field by field; a new code is appended.
 *
 * @example
 * ```ts
 * import { defaultJurisdictionRules, mergeJurisdictionRules } from 'guanxi/consent';
 *
 * // Treat every US state like California.
 * const rules = mergeJurisdictionRules(defaultJurisdictionRules, [{ code: 'US', sensitive: 'opt-out' }]);
 * ```
 */
export function mergeJurisdictionRules(
  base: readonly JurisdictionRule[],
  overrides: readonly (Partial<JurisdictionRule> & { readonly code: string })[],
): JurisdictionRule[] {
  const merged = base.map((rule) => ({ ...rule }));
  for (const override of overrides) {
    const index = merged.findIndex((rule) => rule.code === override.code);
    if (index >= 0) merged[index] = { ...merged[index]!, ...override };
    else merged.push({ ...defaultRuleShape(override.code), ...override });
  }
  return merged;
}

function defaultRuleShape(code: string): JurisdictionRule {
  const fallback = defaultJurisdictionRules[defaultJurisdictionRules.length - 1]!;
  return { ...fallback, code, name: code, regions: [code] };
}

/**
 * Finds the rule for a jurisdiction or region code: an exact rule code (`'EU'`,
 * `'US-CA'`), then a region listed by a rule (`'DE'` → EU, `'GB'` → UK), then for a
 * US subdivision without its own rule the `'US'` rule, then the rule named by
 * `fallback`.
 *
 * @param code - A rule code, an ISO 3166-1 alpha-2 country or an ISO 3166-2 subdivision; case-insensitive. `undefined` selects the fallback.
 * @returns The rule, or `undefined` when neither the code nor the fallback is in the table.
 *
 * @example
 * ```ts
 * import { defaultJurisdictionRules, findJurisdictionRule } from 'guanxi/consent';
 *
 * findJurisdictionRule(defaultJurisdictionRules, 'de')?.code; // 'EU'
 * findJurisdictionRule(defaultJurisdictionRules, 'US-TX')?.code; // 'US'
 * findJurisdictionRule(defaultJurisdictionRules, 'JP')?.code; // 'default'
 * ```
 */
export function findJurisdictionRule(
  rules: readonly JurisdictionRule[],
  code: string | undefined,
  fallback = 'default',
): JurisdictionRule | undefined {
  const wanted = code?.trim().toUpperCase();
  if (wanted) {
    const exact = rules.find((rule) => rule.code.toUpperCase() === wanted);
    if (exact) return exact;
    const byRegion = rules.find((rule) => rule.regions.some((region) => region.toUpperCase() === wanted));
    if (byRegion) return byRegion;
    const country = wanted.split('-')[0];
    if (country && country !== wanted) {
      const byCountry = rules.find((rule) => rule.code.toUpperCase() === country || rule.regions.some((region) => region.toUpperCase() === country));
      if (byCountry) return byCountry;
    }
  }
  return rules.find((rule) => rule.code === fallback);
}
