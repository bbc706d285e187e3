import * as z from 'zod/mini';

/**
 * What remains of an erased profile: SHA-256 digests of its identifiers (ids, customer
 * number, user id, emails, phones, anonymous and external ids) and the time of erasure —
 * nothing readable. The identity graph refuses observations carrying any of these
 * identifiers, so a later event does not re-create the person.
 *
 * Digests are of `salt + identifier key`; without a secret salt a digest of a known email
 * can be recomputed by whoever holds the address, which is what makes recognition
 * possible but also means tombstones are pseudonymous data, not anonymous data.
 *
 * @example
 * ```ts
 * import { Tombstone } from 'guanxi/profile';
 *
 * const stored = Tombstone.parse({ erasedAt: '2026-04-01T00:00:00.000Z', algorithm: 'sha-256', digests: ['a'.repeat(64)] });
 * ```
 */
export const Tombstone = /*@__PURE__*/ z.object({
  erasedAt: z.iso.datetime({ offset: true }),
  algorithm: z.literal('sha-256'),
  digests: z.array(z.string().check(z.regex(/^[0-9a-f]{64}$/, 'Expected a SHA-256 digest in lower-case hex'))),
});
/** See the `Tombstone` schema. *
 * @example
 * ```ts
 * import type { Tombstone } from 'guanxi/profile';
 *
 * const keep = (tombstone: Tombstone) => JSON.stringify(tombstone);
 * ```
 */
export type Tombstone = z.infer<typeof Tombstone>;
