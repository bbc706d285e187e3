import * as z from 'zod/mini';
import { extraProperties, optionalText, recordIdentityShape } from './record-fields';

/**
 * What a caller sends to create or change a company (an organization).
 *
 * @example
 * ```ts
 * import type { CrmCompanyInput } from 'guanxi/client';
 *
 * const input: CrmCompanyInput = { name: 'Analytical Engines Ltd', domain: 'engines.example' };
 * ```
 */
export const CrmCompanyInput = /*@__PURE__*/ z.looseObject({
  /** Legal or trading name. */
  name: optionalText,
  /** Primary web domain, e.g. `example.com`. */
  domain: optionalText,
  /** Industry. */
  industry: optionalText,
  /** Id of the owning user. */
  ownerId: optionalText,
  /** Other CRM properties, by the CRM's property name. */
  properties: extraProperties,
});
/** A company to create or change. *
 * @example
 * ```ts
 * import type { CrmCompanyInput } from 'guanxi/client';
 *
 * const patch: CrmCompanyInput = { industry: 'Manufacturing' };
 * ```
 */
export type CrmCompanyInput = z.infer<typeof CrmCompanyInput>;

/**
 * A company as the CRM stores it. Unknown fields are preserved.
 *
 * @example
 * ```ts
 * import { validate } from 'guanxi';
 * import { CrmCompany } from 'guanxi/client';
 *
 * const company = validate(CrmCompany, { id: '7', name: 'Engines Ltd' }, 'company');
 * ```
 */
export const CrmCompany = /*@__PURE__*/ z.looseObject({ ...CrmCompanyInput.shape, ...recordIdentityShape });
/** A stored company. *
 * @example
 * ```ts
 * import type { CrmCompany } from 'guanxi/client';
 *
 * const label = (company: CrmCompany) => company.name ?? company.domain ?? company.id;
 * ```
 */
export type CrmCompany = z.infer<typeof CrmCompany>;
