import * as z from 'zod/mini';
import { extraProperties, optionalText, recordIdentityShape } from './record-fields';

/**
 * What a caller sends to create or change a contact (a person). Unknown fields are kept
 * and passed to the adapter; CRM properties without a dedicated field go in
 * `properties`.
 *
 * @example
 * ```ts
 * import { CrmContactInput } from 'guanxi/client';
 *
 * const input: CrmContactInput = { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', properties: { favourite_engine: 'analytical' } };
 * ```
 */
export const CrmContactInput = /*@__PURE__*/ z.looseObject({
  /** Primary email address. */
  email: z.optional(z.nullable(z.email())),
  /** Given name. */
  firstName: optionalText,
  /** Family name. */
  lastName: optionalText,
  /** Phone number, preferably E.164. */
  phone: optionalText,
  /** Employer's name as typed. */
  companyName: optionalText,
  /** Id of the owning user (sales rep). */
  ownerId: optionalText,
  /** Lifecycle stage (`lead`, `customer`, …). */
  lifecycleStage: optionalText,
  /** Other CRM properties, by the CRM's property name. */
  properties: extraProperties,
});
/** A contact to create or change. *
 * @example
 * ```ts
 * import type { CrmContactInput } from 'guanxi/client';
 *
 * const patch: CrmContactInput = { phone: '+44 20 7946 0018' };
 * ```
 */
export type CrmContactInput = z.infer<typeof CrmContactInput>;

/**
 * A contact as the CRM stores it: the input fields plus id and timestamps. Fields the
 * schema does not know are preserved.
 *
 * @example
 * ```ts
 * import { validate } from 'guanxi';
 * import { CrmContact } from 'guanxi/client';
 *
 * const contact = validate(CrmContact, { id: '101', email: 'ada@example.com', loyaltyTier: 'gold' }, 'contact');
 * console.log(contact.loyaltyTier); // 'gold' (unknown fields are kept)
 * ```
 */
export const CrmContact = /*@__PURE__*/ z.looseObject({ ...CrmContactInput.shape, ...recordIdentityShape });
/** A stored contact. *
 * @example
 * ```ts
 * import type { CrmContact } from 'guanxi/client';
 *
 * const greet = (contact: CrmContact) => `Hello ${contact.firstName ?? 'there'}`;
 * ```
 */
export type CrmContact = z.infer<typeof CrmContact>;
