/**
 * The proof record schema (GDPR Art. 7(1): the controller must be able to demonstrate
 * consent). Schemas are the types; the browser path imports only the types, so zod is
 * bundled only where records are validated (the server, `verifyConsentLog`).
 */
import * as z from 'zod/mini';

const hex64 = z.string().check(z.regex(/^[0-9a-f]{64}$/, 'Expected 64 lower-case hex digits (SHA-256)'));
const purposeState = z.enum(['granted', 'denied', 'pending', 'objected']);

/**
 * Who a consent belongs to: an anonymous (device) id, a known user id, or both.
 *
 * @example
 * ```ts
 * import { ConsentSubject } from 'guanxi/consent';
 *
 * const subject: ConsentSubject = { anonymousId: 'a1b2', userId: 'customer-42' };
 * ```
 */
export const ConsentSubject = z.object({
  anonymousId: z.optional(z.string()),
  userId: z.optional(z.string()),
});
export type ConsentSubject = z.infer<typeof ConsentSubject>;

/**
 * The notice shown when a choice was made: its version, the SHA-256 of its exact text,
 * its language and where it is published.
 *
 * @example
 * ```ts
 * import type { ConsentRecordNotice } from 'guanxi/consent';
 *
 * const notice: ConsentRecordNotice = { version: '2026-03', sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', language: 'en' };
 * ```
 */
export const ConsentRecordNotice = z.object({
  version: z.string(),
  sha256: hex64,
  language: z.string(),
  url: z.optional(z.string()),
});
export type ConsentRecordNotice = z.infer<typeof ConsentRecordNotice>;

/**
 * One proof record of the hash-chained consent log: who (`subject`), when
 * (`recordedAt`), what (`purposes`, `channels`, `notice`), how (`source`, `action`,
 * `libraryVersion`) and where (`jurisdiction`), linked to the previous record by
 * `previousHash` and sealed by `hash` (SHA-256 of the canonical JSON of every other
 * field).
 *
 * @example
 * ```ts
 * import { ConsentRecord, validate } from 'guanxi';
 *
 * declare const body: unknown; // e.g. a record posted by a storefront
 * const record = validate(ConsentRecord, body, 'consent record');
 * console.log(record.source, record.purposes.map((change) => `${change.purpose}: ${change.state}`));
 * ```
 */
export const ConsentRecord = z.object({
  /** Record format version. */
  format: z.literal(1),
  /** Unique id (a UUID); also the Kantara `consentReceiptID`. */
  id: z.string().check(z.minLength(1)),
  /** Position in the log, from 0. */
  sequence: z.int().check(z.nonnegative()),
  /** When the change was made (ms since epoch). */
  recordedAt: z.int(),
  subject: ConsentSubject,
  /** Code of the jurisdiction rule in force. */
  jurisdiction: z.string(),
  /** Purpose changes: the new and previous state, and the form consent was given in. */
  purposes: z.array(
    z.object({
      purpose: z.string(),
      state: purposeState,
      previous: purposeState,
      form: z.enum(['general', 'explicit', 'separate']),
    }),
  ),
  /** Contact-channel changes. */
  channels: z.array(
    z.object({
      channel: z.enum(['email', 'sms', 'phone', 'push', 'mail']),
      state: z.enum(['granted', 'denied', 'pending']),
      previous: z.enum(['granted', 'denied', 'pending']),
    }),
  ),
  notice: ConsentRecordNotice,
  /** Where the choice came from. */
  source: z.enum(['banner', 'preference-centre', 'api', 'import', 'gpc', 'dnt', 'tcf']),
  /** The UI action, e.g. `'accept-all'`, `'reject-all'`, `'save-choices'`. */
  action: z.optional(z.string()),
  /** guanxi version that made the record. */
  libraryVersion: z.string(),
  /** Hash of the previous record, or 64 zeros for the first. */
  previousHash: hex64,
  /** SHA-256 of the canonical JSON of this record without `hash`. */
  hash: hex64,
});
export type ConsentRecord = z.infer<typeof ConsentRecord>;
