import * as z from 'zod/mini';
import { forbiddenKeys } from '../core/safe-object';
import { rejectingForbiddenKeys } from './traits';

const identifierText = /*@__PURE__*/ z.string().check(z.trim(), z.minLength(1), z.maxLength(256));

/** @internal The pattern of an external system name (shared with the observation fast path). */
export const ExternalSystemPattern = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * A name of an external system whose ids a profile carries: `hubspot`, `salesforce`, a
 * store's own customer numbers (`store-42`)… Lower-case letters, digits, `.`, `_`, `-`.
 *
 * @example
 * ```ts
 * import { ExternalSystem } from 'guanxi/profile';
 *
 * ExternalSystem.parse('hubspot');
 * ```
 */
export const ExternalSystem = /*@__PURE__*/ z.string().check(
  z.regex(ExternalSystemPattern, 'Expected a system name of lower-case letters, digits, ".", "_" or "-"'),
  z.refine((name) => !forbiddenKeys.has(name), 'This system name is reserved'),
);

/**
 * The identities of a party: anonymous ids (devices, cookies), the user id of a logged-in
 * account, and ids in external systems keyed by system. An external id may be given as
 * one string or several; parsed values are always arrays. Emails and phones are
 * identities too and live in the contact points.
 *
 * @example
 * ```ts
 * import { Identities } from 'guanxi/profile';
 *
 * const ids = Identities.parse({ anonymousIds: ['a-17'], userId: 'u-1', externalIds: { hubspot: '901' } });
 * console.log(ids.externalIds?.hubspot); // ['901']
 * ```
 */
export const Identities = /*@__PURE__*/ z.object({
  anonymousIds: z.optional(z.array(identifierText).check(z.maxLength(1000))),
  userId: z.optional(identifierText),
  externalIds: z.optional(
    rejectingForbiddenKeys(z.record(
      ExternalSystem,
      z.pipe(
        z.union([identifierText, z.array(identifierText).check(z.maxLength(100))]),
        z.transform((ids: string | string[]) => (typeof ids === 'string' ? [ids] : ids)),
      ),
    )),
  ),
});
/** See the `Identities` schema. *
 * @example
 * ```ts
 * import type { Identities } from 'guanxi/profile';
 *
 * const ids: Identities = { userId: 'u-1', externalIds: { salesforce: ['003A000001'] } };
 * ```
 */
export type Identities = z.infer<typeof Identities>;

/**
 * The kinds of identifier the identity graph indexes. `registrationId` is an
 * organization's registration number (e.g. a unified social credit code).
 *
 * @example
 * ```ts
 * import { IdentifierKind } from 'guanxi/profile';
 *
 * IdentifierKind.parse('email');
 * ```
 */
export const IdentifierKind = /*@__PURE__*/ z.enum(['userId', 'externalId', 'registrationId', 'email', 'phone', 'anonymousId']);
/** See the `IdentifierKind` schema. *
 * @example
 * ```ts
 * import type { IdentifierKind } from 'guanxi/profile';
 *
 * const strong: IdentifierKind[] = ['userId', 'email'];
 * ```
 */
export type IdentifierKind = z.infer<typeof IdentifierKind>;
