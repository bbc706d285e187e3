import * as z from 'zod/mini';
import type { StandardSchemaV1 } from '../core/standard-schema';
import { partyFields } from './party-fields';
import { SpecialDate } from './special-date';
import { traitsField } from './traits';
import type { PhoneNormalizationOptions } from './normalize';

const name = /*@__PURE__*/ z.string().check(z.trim(), z.minLength(1), z.maxLength(200));

/**
 * A person's gender as they state it. `undisclosed` when they chose not to say.
 *
 * @example
 * ```ts
 * import { Gender } from 'guanxi/profile';
 *
 * Gender.parse('non-binary');
 * ```
 */
export const Gender = /*@__PURE__*/ z.enum(['female', 'male', 'non-binary', 'other', 'undisclosed']);
/** See the `Gender` schema. *
 * @example
 * ```ts
 * import type { Gender } from 'guanxi/profile';
 *
 * const gender: Gender = 'female';
 * ```
 */
export type Gender = z.infer<typeof Gender>;

/**
 * A national identity document number (resident identity card, passport…). PIPL Art. 28
 * lists it as sensitive ("specific identity"), and it is classified `sensitive`.
 *
 * @example
 * ```ts
 * import { NationalId } from 'guanxi/profile';
 *
 * NationalId.parse({ scheme: 'passport', number: 'E12345678', country: 'CN' });
 * ```
 */
export const NationalId = /*@__PURE__*/ z.object({
  scheme: z.string().check(z.trim(), z.minLength(1), z.maxLength(40)),
  number: z.string().check(z.trim(), z.minLength(1), z.maxLength(64)),
  country: z.optional(z.string().check(z.regex(/^[A-Z]{2}$/, 'Expected an ISO 3166-1 alpha-2 country code'))),
});
/** See the `NationalId` schema. *
 * @example
 * ```ts
 * import type { NationalId } from 'guanxi/profile';
 *
 * const card: NationalId = { scheme: 'cn-resident-card', number: '110101199003074514', country: 'CN' };
 * ```
 */
export type NationalId = z.infer<typeof NationalId>;

// BCP 47 language tags, loosely: a 2–3 letter language, then subtags.
const languageTag = /*@__PURE__*/ z.string().check(z.regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'Expected a BCP 47 language tag'));

/**
 * Builds the person schema of a profile model: the person fields, the shared party
 * fields, and `traits` validated by the given Standard Schema.
 *
 * @internal
 */
export function buildPersonSchema<T extends StandardSchemaV1>(traits: T, phone: PhoneNormalizationOptions) {
  return z.object({
    kind: z._default(z.literal('person'), 'person'),
    givenName: z.optional(name),
    familyName: z.optional(name),
    middleName: z.optional(name),
    /** The name as the person writes it (family name first in Chinese, Japanese, Korean). */
    fullName: z.optional(name),
    nickname: z.optional(name),
    /** Form of address: Mr, Ms, Dr, 先生, 女士… */
    honorific: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(40))),
    birthday: z.optional(z.iso.date()),
    gender: z.optional(Gender),
    /** Preferred language (BCP 47, e.g. `zh`, `en`). */
    language: z.optional(languageTag),
    /** Preferred locale for formats (BCP 47, e.g. `zh-CN`, `en-GB`). */
    locale: z.optional(languageTag),
    education: z.optional(name),
    occupation: z.optional(name),
    jobTitle: z.optional(name),
    /** A band such as `"100k-200k CNY"`: bands, not amounts, keep the data proportionate. */
    incomeBand: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(40))),
    specialDates: z.optional(z.array(SpecialDate).check(z.maxLength(100))),
    nationalId: z.optional(NationalId),
    ...partyFields(phone),
    traits: z.optional(traitsField(traits)),
  });
}
