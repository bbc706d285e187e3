import * as z from 'zod/mini';
import { EmailContact, PostalAddress, SocialHandle, createPhoneContactSchema } from './contact-point';
import { Identities } from './identity';
import { ProfileLifecycleStage } from './lifecycle';
import { Relationship } from './relationship';
import type { PhoneNormalizationOptions } from './normalize';

/** A tag: trimmed, 1–64 characters. */
export const Tag = /*@__PURE__*/ z.string().check(z.trim(), z.minLength(1), z.maxLength(64));

const id = /*@__PURE__*/ z.string().check(z.trim(), z.minLength(1), z.maxLength(256));
const text = /*@__PURE__*/ z.string().check(z.trim(), z.minLength(1), z.maxLength(200));

/**
 * The fields persons and organizations share: system fields, identities, contact
 * points, relationships and the CRM fields. Built per model because phone numbers depend
 * on the default region.
 *
 * @internal
 */
export function partyFields(phone: PhoneNormalizationOptions) {
  return {
    /** Profile id assigned by the identity graph. */
    id: z.optional(id),
    /** Customer number issued on first contact. */
    customerNumber: z.optional(id),
    /** Ids of profiles merged into this one (duplicates found later). */
    mergedProfileIds: z.optional(z.array(id)),
    identities: z.optional(Identities),
    emails: z.optional(z.array(EmailContact).check(z.maxLength(100))),
    phones: z.optional(z.array(createPhoneContactSchema(phone)).check(z.maxLength(100))),
    addresses: z.optional(z.array(PostalAddress).check(z.maxLength(100))),
    handles: z.optional(z.array(SocialHandle).check(z.maxLength(100))),
    website: z.optional(z.httpUrl()),
    relationships: z.optional(z.array(Relationship).check(z.maxLength(1000))),
    /** The account manager (a user id of the business) who owns the relationship; absent in the pool. */
    ownerId: z.optional(id),
    lifecycleStage: z.optional(ProfileLifecycleStage),
    tier: z.optional(text),
    tags: z.optional(z.array(Tag).check(z.maxLength(500))),
    /** Where the party came from (first touch): a campaign, a store, a fair, a referral. */
    source: z.optional(text),
    /** First observation of the party (ISO 8601). */
    firstSeenAt: z.optional(z.iso.datetime({ offset: true })),
    /** Latest observation of the party (ISO 8601). */
    lastSeenAt: z.optional(z.iso.datetime({ offset: true })),
  };
}
