import * as z from 'zod/mini';
import { normalizeEmail, normalizePhone, type PhoneNormalizationOptions } from './normalize';
import { reportIssue } from './issue';

/**
 * Whether the business may contact the party on a contact point: `allowed` (opted in),
 * `denied` (opted out or asked not to be contacted there) or `unspecified`. Honouring it
 * per channel is what keeps several departments from "disturbing" the same customer.
 *
 * @example
 * ```ts
 * import { ChannelPreference } from 'guanxi/profile';
 *
 * ChannelPreference.parse('denied');
 * ```
 */
export const ChannelPreference = /*@__PURE__*/ z.enum(['allowed', 'denied', 'unspecified']);
/** See the `ChannelPreference` schema. *
 * @example
 * ```ts
 * import type { ChannelPreference } from 'guanxi/profile';
 *
 * const smsPreference: ChannelPreference = 'allowed';
 * ```
 */
export type ChannelPreference = z.infer<typeof ChannelPreference>;

/** Fields every contact point has: a label, the primary and verified flags, the channel preference. */
const contactPointFields = {
  /** Free text such as "work" or "WeChat for orders". */
  label: /*@__PURE__*/ z.optional(z.string().check(z.trim(), z.maxLength(100))),
  /** The one to use first among contact points of its kind. */
  primary: /*@__PURE__*/ z.optional(z.boolean()),
  /** The party proved control of it (a confirmation link, an SMS code). */
  verified: /*@__PURE__*/ z.optional(z.boolean()),
  /** May the business contact the party on it? */
  preference: /*@__PURE__*/ z.optional(ChannelPreference),
};

/**
 * An email address, trimmed and lower-cased; an invalid address is rejected with code
 * `invalid_email` at its path.
 *
 * @example
 * ```ts
 * import { EmailAddress } from 'guanxi/profile';
 *
 * EmailAddress.parse(' Ada@Example.com '); // 'ada@example.com'
 * ```
 */
export const EmailAddress = /*@__PURE__*/ z.pipe(
  z.string(),
  z.transform((input: string, context) => {
    const result = normalizeEmail(input);
    if (result.ok) return result.value;
    reportIssue(context, result.code, result.message);
    return z.NEVER;
  }),
);

/**
 * An email contact point.
 *
 * @example
 * ```ts
 * import { EmailContact } from 'guanxi/profile';
 *
 * const email = EmailContact.parse({ address: 'Ada@Example.com', primary: true, preference: 'allowed' });
 * ```
 */
export const EmailContact = /*@__PURE__*/ z.object({
  address: EmailAddress,
  ...contactPointFields,
});
/** See the `EmailContact` schema. *
 * @example
 * ```ts
 * import type { EmailContact } from 'guanxi/profile';
 *
 * const email: EmailContact = { address: 'ada@example.com', verified: true };
 * ```
 */
export type EmailContact = z.infer<typeof EmailContact>;

/**
 * What kind of line a phone number is.
 *
 * @example
 * ```ts
 * import { PhoneKind } from 'guanxi/profile';
 *
 * PhoneKind.parse('mobile');
 * ```
 */
export const PhoneKind = /*@__PURE__*/ z.enum(['mobile', 'landline', 'fax', 'voip', 'other']);
/** See the `PhoneKind` schema. *
 * @example
 * ```ts
 * import type { PhoneKind } from 'guanxi/profile';
 *
 * const kind: PhoneKind = 'landline';
 * ```
 */
export type PhoneKind = z.infer<typeof PhoneKind>;

/**
 * A schema for a phone number string that normalizes to E.164 with the given default
 * region and rejects invalid numbers with code `invalid_phone` at its path.
 *
 * @example
 * ```ts
 * import { createPhoneNumberSchema } from 'guanxi/profile';
 *
 * const ChinesePhone = createPhoneNumberSchema({ defaultRegion: 'CN' });
 * ChinesePhone.parse('138 0013 8000'); // '+8613800138000'
 * ```
 */
export function createPhoneNumberSchema(options: PhoneNormalizationOptions = {}) {
  return z.pipe(
    z.string(),
    z.transform((input: string, context) => {
      const result = normalizePhone(input, options);
      if (result.ok) return result.value;
      reportIssue(context, result.code, result.message);
      return z.NEVER;
    }),
  );
}

/**
 * A phone contact point schema whose numbers normalize with the given default region.
 *
 * @example
 * ```ts
 * import { createPhoneContactSchema } from 'guanxi/profile';
 *
 * const PhoneContact = createPhoneContactSchema({ defaultRegion: 'US' });
 * PhoneContact.parse({ number: '(415) 555-2671', kind: 'mobile' }); // number '+14155552671'
 * ```
 */
export function createPhoneContactSchema(options: PhoneNormalizationOptions = {}) {
  return z.object({
    number: createPhoneNumberSchema(options),
    kind: z.optional(PhoneKind),
    extension: z.optional(z.string().check(z.trim(), z.maxLength(20))),
    ...contactPointFields,
  });
}

/**
 * A phone contact point; numbers must be international (`+…`) because no default region
 * is set. Use `createPhoneContactSchema` or `createProfileModel({ defaultRegion })` for
 * national numbers.
 *
 * @example
 * ```ts
 * import { PhoneContact } from 'guanxi/profile';
 *
 * PhoneContact.parse({ number: '+86 138 0013 8000', kind: 'mobile', preference: 'denied' });
 * ```
 */
export const PhoneContact = /*@__PURE__*/ createPhoneContactSchema();
/** See the `PhoneContact` schema. *
 * @example
 * ```ts
 * import type { PhoneContact } from 'guanxi/profile';
 *
 * const phone: PhoneContact = { number: '+8613800138000', primary: true };
 * ```
 */
export type PhoneContact = z.infer<typeof PhoneContact>;

/**
 * What a postal address is used for.
 *
 * @example
 * ```ts
 * import { AddressKind } from 'guanxi/profile';
 *
 * AddressKind.parse('shipping');
 * ```
 */
export const AddressKind = /*@__PURE__*/ z.enum(['billing', 'shipping', 'home', 'work', 'other']);
/** See the `AddressKind` schema. *
 * @example
 * ```ts
 * import type { AddressKind } from 'guanxi/profile';
 *
 * const kind: AddressKind = 'billing';
 * ```
 */
export type AddressKind = z.infer<typeof AddressKind>;

const shortText = /*@__PURE__*/ z.string().check(z.trim(), z.minLength(1), z.maxLength(200));

/**
 * A postal address. `country` is an ISO 3166-1 alpha-2 code, upper-cased.
 *
 * @example
 * ```ts
 * import { PostalAddress } from 'guanxi/profile';
 *
 * const home = PostalAddress.parse({
 *   kind: 'home',
 *   lines: ['88 Century Avenue', 'Apt 1201'],
 *   locality: 'Shanghai',
 *   postalCode: '200120',
 *   country: 'cn',
 * }); // country 'CN'
 * ```
 */
export const PostalAddress = /*@__PURE__*/ z.object({
  kind: AddressKind,
  lines: z.array(shortText).check(z.minLength(1), z.maxLength(6)),
  district: z.optional(shortText),
  locality: z.optional(shortText),
  region: z.optional(shortText),
  postalCode: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(20))),
  country: z.pipe(
    z.string().check(z.trim(), z.regex(/^[A-Za-z]{2}$/, 'Expected an ISO 3166-1 alpha-2 country code')),
    z.transform((code: string) => code.toUpperCase()),
  ),
  ...contactPointFields,
});
/** See the `PostalAddress` schema. *
 * @example
 * ```ts
 * import type { PostalAddress } from 'guanxi/profile';
 *
 * const office: PostalAddress = { kind: 'work', lines: ['1 Infinite Loop'], locality: 'Cupertino', country: 'US' };
 * ```
 */
export type PostalAddress = z.infer<typeof PostalAddress>;

/**
 * Whether a handle belongs to a social network or a messaging service.
 *
 * @example
 * ```ts
 * import { HandleKind } from 'guanxi/profile';
 *
 * HandleKind.parse('messaging');
 * ```
 */
export const HandleKind = /*@__PURE__*/ z.enum(['social', 'messaging']);
/** See the `HandleKind` schema. *
 * @example
 * ```ts
 * import type { HandleKind } from 'guanxi/profile';
 *
 * const kind: HandleKind = 'social';
 * ```
 */
export type HandleKind = z.infer<typeof HandleKind>;

/**
 * A social or messaging handle: WeChat, Weibo, WhatsApp, LINE, LinkedIn, X… `network` is
 * lower-cased so that `WeChat` and `wechat` are the same service.
 *
 * @example
 * ```ts
 * import { SocialHandle } from 'guanxi/profile';
 *
 * const wechat = SocialHandle.parse({ network: 'WeChat', handle: 'ada_l', kind: 'messaging', preference: 'allowed' });
 * ```
 */
export const SocialHandle = /*@__PURE__*/ z.object({
  network: z.pipe(
    z.string().check(z.trim(), z.minLength(1), z.maxLength(40)),
    z.transform((network: string) => network.toLowerCase()),
  ),
  handle: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  kind: z.optional(HandleKind),
  ...contactPointFields,
});
/** See the `SocialHandle` schema. *
 * @example
 * ```ts
 * import type { SocialHandle } from 'guanxi/profile';
 *
 * const line: SocialHandle = { network: 'line', handle: 'ada', kind: 'messaging' };
 * ```
 */
export type SocialHandle = z.infer<typeof SocialHandle>;
