import * as z from 'zod/mini';
import type { StandardSchemaV1 } from '../core/standard-schema';
import { partyFields } from './party-fields';
import { traitsField } from './traits';
import type { PhoneNormalizationOptions } from './normalize';

const text = /*@__PURE__*/ z.string().check(z.trim(), z.minLength(1), z.maxLength(200));

/**
 * An organization's size by head count, in the EU's bands (Recommendation 2003/361/EC):
 * micro < 10, small < 50, medium < 250, large ≥ 250.
 *
 * @example
 * ```ts
 * import { OrganizationSize } from 'guanxi/profile';
 *
 * OrganizationSize.parse('medium');
 * ```
 */
export const OrganizationSize = /*@__PURE__*/ z.enum(['micro', 'small', 'medium', 'large']);
/** See the `OrganizationSize` schema. *
 * @example
 * ```ts
 * import type { OrganizationSize } from 'guanxi/profile';
 *
 * const size: OrganizationSize = 'small';
 * ```
 */
export type OrganizationSize = z.infer<typeof OrganizationSize>;

/**
 * Builds the organization schema of a profile model.
 *
 * @internal
 */
export function buildOrganizationSchema<T extends StandardSchemaV1>(traits: T, phone: PhoneNormalizationOptions) {
  return z.object({
    kind: z.literal('organization'),
    legalName: z.optional(text),
    /** The name customers know it by. */
    tradeName: z.optional(text),
    /** Registration or organization number (e.g. a unified social credit code, a VAT id). */
    registrationId: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(64))),
    /** Industry, as a code or a name (ISIC, NAICS, GB/T 4754…). */
    industry: z.optional(text),
    size: z.optional(OrganizationSize),
    employeeCount: z.optional(z.int().check(z.minimum(0))),
    foundedOn: z.optional(z.iso.date()),
    /** Profile id of the parent organization (see also the `subsidiary` relationship). */
    parentOrganizationId: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(256))),
    ...partyFields(phone),
    traits: z.optional(traitsField(traits)),
  });
}
