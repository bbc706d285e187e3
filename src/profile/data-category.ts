import * as z from 'zod/mini';

/**
 * The data categories every profile field belongs to. Consent, export and redaction act
 * on categories rather than on field names, so a new field only needs a category to be
 * handled everywhere.
 *
 * - `identifier` — ids and names that single out a person: profile id, customer number,
 *   user id, anonymous ids, external ids, names, registration numbers.
 * - `contact` — ways to reach the party: emails, phones, postal addresses, social and
 *   messaging handles, website.
 * - `demographic` — who the party is: birthday, gender, language, locale, education,
 *   occupation, special dates, relationships; for organizations, firmographics.
 * - `financial` — income band and other money facts about the party.
 * - `behavioural` — what the party did and how the business treats them: lifecycle
 *   stage, tier, tags, acquisition source, owner, first and last seen.
 * - `sensitive` — data whose processing needs separate consent: PIPL Art. 28 (biometrics,
 *   religion, specific identity such as national id numbers, health, financial accounts,
 *   location tracking, data of minors under 14) and GDPR Art. 9 (racial or ethnic origin,
 *   political opinions, religious or philosophical beliefs, trade-union membership,
 *   genetic, biometric, health, sex life or sexual orientation).
 *
 * @example
 * ```ts
 * import { DataCategory } from 'guanxi/profile';
 *
 * const category: DataCategory = DataCategory.parse('contact');
 * ```
 */
export const DataCategory = /*@__PURE__*/ z.enum(['identifier', 'contact', 'demographic', 'financial', 'behavioural', 'sensitive']);
/** One of the six data categories (see the `DataCategory` schema). *
 * @example
 * ```ts
 * import type { DataCategory } from 'guanxi/profile';
 *
 * const redactable: DataCategory[] = ['financial', 'sensitive'];
 * ```
 */
export type DataCategory = z.infer<typeof DataCategory>;

/**
 * Every data category, in a stable order.
 *
 * @example
 * ```ts
 * import { dataCategories } from 'guanxi/profile';
 *
 * for (const category of dataCategories) console.log(category);
 * ```
 */
export const dataCategories: readonly DataCategory[] = Object.freeze([
  'identifier',
  'contact',
  'demographic',
  'financial',
  'behavioural',
  'sensitive',
]);

/**
 * The kinds of sensitive personal data, each with the legal provisions that make it
 * sensitive. A trait classified `sensitive` may name its kind so that consent can ask for
 * the right separate consent.
 *
 * @example
 * ```ts
 * import { SensitiveDataKind } from 'guanxi/profile';
 *
 * const kind = SensitiveDataKind.parse('health');
 * ```
 */
export const SensitiveDataKind = /*@__PURE__*/ z.enum([
  'biometric',
  'genetic',
  'health',
  'religion-or-belief',
  'racial-or-ethnic-origin',
  'political-opinion',
  'trade-union-membership',
  'sex-life-or-orientation',
  'specific-identity',
  'financial-account',
  'location-tracking',
  'minor',
]);
/** A kind of sensitive data (see the `SensitiveDataKind` schema). *
 * @example
 * ```ts
 * import type { SensitiveDataKind } from 'guanxi/profile';
 *
 * const kind: SensitiveDataKind = 'biometric';
 * ```
 */
export type SensitiveDataKind = z.infer<typeof SensitiveDataKind>;

/**
 * Where each sensitive kind comes from in law: PIPL Art. 28 (China) and GDPR Art. 9 (EU).
 * An empty list means the regulation does not name the kind as special.
 *
 * @example
 * ```ts
 * import { sensitiveDataLaw } from 'guanxi/profile';
 *
 * console.log(sensitiveDataLaw['financial-account']); // { pipl: 'Art. 28', gdpr: undefined }
 * ```
 */
export const sensitiveDataLaw: Readonly<Record<SensitiveDataKind, { readonly pipl: string | undefined; readonly gdpr: string | undefined }>> =
  Object.freeze({
    biometric: { pipl: 'Art. 28', gdpr: 'Art. 9(1)' },
    genetic: { pipl: undefined, gdpr: 'Art. 9(1)' },
    health: { pipl: 'Art. 28', gdpr: 'Art. 9(1)' },
    'religion-or-belief': { pipl: 'Art. 28', gdpr: 'Art. 9(1)' },
    'racial-or-ethnic-origin': { pipl: undefined, gdpr: 'Art. 9(1)' },
    'political-opinion': { pipl: undefined, gdpr: 'Art. 9(1)' },
    'trade-union-membership': { pipl: undefined, gdpr: 'Art. 9(1)' },
    'sex-life-or-orientation': { pipl: undefined, gdpr: 'Art. 9(1)' },
    'specific-identity': { pipl: 'Art. 28', gdpr: undefined },
    'financial-account': { pipl: 'Art. 28', gdpr: undefined },
    'location-tracking': { pipl: 'Art. 28', gdpr: undefined },
    minor: { pipl: 'Art. 28, 31', gdpr: undefined },
  });

/**
 * The category of every built-in profile field, keyed by its top-level field name (for
 * nested objects such as `identities`, by `identities.<name>`). Custom traits are
 * classified by the profile model (`traitCategories`), see `dataCategoryOfField`.
 *
 * @example
 * ```ts
 * import { profileFieldCategories } from 'guanxi/profile';
 *
 * console.log(profileFieldCategories.emails); // 'contact'
 * console.log(profileFieldCategories.nationalId); // 'sensitive'
 * ```
 */
export const profileFieldCategories: Readonly<Record<string, DataCategory>> = Object.freeze({
  // Both parties
  id: 'identifier',
  kind: 'identifier',
  customerNumber: 'identifier',
  mergedProfileIds: 'identifier',
  'identities.anonymousIds': 'identifier',
  'identities.userId': 'identifier',
  'identities.externalIds': 'identifier',
  emails: 'contact',
  phones: 'contact',
  addresses: 'contact',
  handles: 'contact',
  website: 'contact',
  relationships: 'demographic',
  ownerId: 'behavioural',
  lifecycleStage: 'behavioural',
  tier: 'behavioural',
  tags: 'behavioural',
  source: 'behavioural',
  firstSeenAt: 'behavioural',
  lastSeenAt: 'behavioural',
  // Person
  givenName: 'identifier',
  familyName: 'identifier',
  middleName: 'identifier',
  fullName: 'identifier',
  nickname: 'identifier',
  honorific: 'demographic',
  birthday: 'demographic',
  gender: 'demographic',
  language: 'demographic',
  locale: 'demographic',
  education: 'demographic',
  occupation: 'demographic',
  jobTitle: 'demographic',
  specialDates: 'demographic',
  incomeBand: 'financial',
  nationalId: 'sensitive',
  // Organization
  legalName: 'identifier',
  tradeName: 'identifier',
  registrationId: 'identifier',
  industry: 'demographic',
  size: 'demographic',
  employeeCount: 'demographic',
  foundedOn: 'demographic',
  parentOrganizationId: 'demographic',
});
