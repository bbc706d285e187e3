import * as z from 'zod/mini';
import { objectOf } from './record-fields';

/**
 * The state of one purpose in a consent record.
 *
 * @example
 * ```ts
 * import { CrmConsentState } from 'guanxi/client';
 *
 * console.log(CrmConsentState.options); // ['granted', 'denied', 'pending', 'objected']
 * ```
 */
export const CrmConsentState = /*@__PURE__*/ z.enum(['granted', 'denied', 'pending', 'objected']);
/** A purpose's consent state. *
 * @example
 * ```ts
 * import type { CrmConsentState } from 'guanxi/client';
 *
 * const state: CrmConsentState = 'granted';
 * ```
 */
export type CrmConsentState = z.infer<typeof CrmConsentState>;

/**
 * Proof of one consent change (GDPR Art. 7(1): the controller must be able to
 * demonstrate consent): whose, which purposes in which state, how it was given, under
 * which notice and jurisdiction, and when.
 *
 * @example
 * ```ts
 * import type { CrmConsentRecordInput } from 'guanxi/client';
 *
 * const record: CrmConsentRecordInput = {
 *   subject: { userId: 'u-42' },
 *   purposes: { analytics: 'granted', marketing: 'denied' },
 *   source: 'banner',
 *   action: 'save-choices',
 *   notice: { version: '2026-01' },
 *   jurisdiction: 'EU',
 * };
 * ```
 */
export const CrmConsentRecordInput = /*@__PURE__*/ z.looseObject({
  /** Who: at least one of contact id, user id, anonymous id. */
  subject: z
    .object({
      contactId: z.optional(z.string()),
      userId: z.optional(z.string()),
      anonymousId: z.optional(z.string()),
    })
    .check(z.refine((subject) => Object.values(subject).some((value) => typeof value === 'string' && value !== ''), 'Name the subject by contactId, userId or anonymousId')),
  /** State per purpose id. */
  purposes: objectOf(CrmConsentState),
  /** Where the choice was made. */
  source: z.enum(['banner', 'preference-centre', 'api', 'import', 'gpc']),
  /** The UI action, e.g. `accept-all`. */
  action: z.optional(z.string()),
  /** The notice shown. */
  notice: z.optional(z.looseObject({ version: z.string(), textSha256: z.optional(z.string()), language: z.optional(z.string()), url: z.optional(z.string()) })),
  /** Jurisdiction, e.g. `EU`, `UK`, `CN`, `US-CA`. */
  jurisdiction: z.optional(z.string()),
  /** When the subject acted (ISO 8601). */
  occurredAt: z.optional(z.string()),
});
/** A consent record to store. *
 * @example
 * ```ts
 * import type { CrmConsentRecordInput } from 'guanxi/client';
 *
 * const optOut: CrmConsentRecordInput = { subject: { anonymousId: 'a-1' }, purposes: { advertising: 'denied' }, source: 'gpc' };
 * ```
 */
export type CrmConsentRecordInput = z.infer<typeof CrmConsentRecordInput>;

/**
 * A stored consent record: the input plus its place in the server's hash-chained log.
 *
 * @example
 * ```ts
 * import { validate } from 'guanxi';
 * import { CrmConsentRecord } from 'guanxi/client';
 *
 * const record = validate(CrmConsentRecord, {
 *   id: 'cr_1', sequence: 1, hash: 'ab', previousHash: '00', recordedAt: '2026-01-01T00:00:00Z',
 *   subject: { userId: 'u-42' }, purposes: { analytics: 'granted' }, source: 'api',
 * }, 'consent record');
 * ```
 */
export const CrmConsentRecord = /*@__PURE__*/ z.looseObject({
  ...CrmConsentRecordInput.shape,
  id: z.string(),
  sequence: z.optional(z.number()),
  hash: z.optional(z.string()),
  previousHash: z.optional(z.string()),
  recordedAt: z.optional(z.string()),
  contactId: z.optional(z.nullable(z.string())),
});
/** A stored consent record. *
 * @example
 * ```ts
 * import type { CrmConsentRecord } from 'guanxi/client';
 *
 * const granted = (record: CrmConsentRecord, purpose: string) => record.purposes[purpose] === 'granted';
 * ```
 */
export type CrmConsentRecord = z.infer<typeof CrmConsentRecord>;
