import * as z from 'zod/mini';

/**
 * The two kinds of party a CRM deals with: individual customers and enterprise customers
 * are handled differently throughout CRM practice, so they are two schemas.
 *
 * @example
 * ```ts
 * import { PartyKind } from 'guanxi/profile';
 *
 * PartyKind.parse('organization');
 * ```
 */
export const PartyKind = /*@__PURE__*/ z.enum(['person', 'organization']);
/** See the `PartyKind` schema. *
 * @example
 * ```ts
 * import type { PartyKind } from 'guanxi/profile';
 *
 * const kind: PartyKind = 'person';
 * ```
 */
export type PartyKind = z.infer<typeof PartyKind>;
