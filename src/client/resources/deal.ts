import * as z from 'zod/mini';
import { extraProperties, isoDateText, optionalText, recordIdentityShape } from './record-fields';

/**
 * What a caller sends to create or change a deal (an opportunity): its pipeline stage,
 * amount and currency, expected close date and owner.
 *
 * @example
 * ```ts
 * import type { CrmDealInput } from 'guanxi/client';
 *
 * const input: CrmDealInput = { name: 'Annual licence', stage: 'contractsent', amount: 12000, currency: 'EUR', closeDate: '2026-06-30', ownerId: '42' };
 * ```
 */
export const CrmDealInput = /*@__PURE__*/ z.looseObject({
  /** Deal name. */
  name: optionalText,
  /** Pipeline stage id (`appointmentscheduled`, `closedwon`, …). */
  stage: optionalText,
  /** Pipeline id. */
  pipeline: optionalText,
  /** Amount in `currency`. */
  amount: z.optional(z.nullable(z.number().check(z.refine(Number.isFinite, 'Expected a finite amount')))),
  /** ISO 4217 currency code, upper case (`EUR`, `CNY`). */
  currency: z.optional(z.nullable(z.string().check(z.regex(/^[A-Z]{3}$/, 'Expected an ISO 4217 currency code such as EUR')))),
  /** Expected or actual close date (ISO 8601). */
  closeDate: z.optional(z.nullable(isoDateText)),
  /** Id of the owning user. */
  ownerId: optionalText,
  /** Other CRM properties, by the CRM's property name. */
  properties: extraProperties,
});
/** A deal to create or change. *
 * @example
 * ```ts
 * import type { CrmDealInput } from 'guanxi/client';
 *
 * const won: CrmDealInput = { stage: 'closedwon' };
 * ```
 */
export type CrmDealInput = z.infer<typeof CrmDealInput>;

/**
 * A deal as the CRM stores it. Unknown fields are preserved.
 *
 * @example
 * ```ts
 * import { validate } from 'guanxi';
 * import { CrmDeal } from 'guanxi/client';
 *
 * const deal = validate(CrmDeal, { id: '9', amount: 500, currency: 'USD' }, 'deal');
 * ```
 */
export const CrmDeal = /*@__PURE__*/ z.looseObject({ ...CrmDealInput.shape, ...recordIdentityShape });
/** A stored deal. *
 * @example
 * ```ts
 * import type { CrmDeal } from 'guanxi/client';
 *
 * const value = (deal: CrmDeal) => `${deal.amount ?? 0} ${deal.currency ?? ''}`;
 * ```
 */
export type CrmDeal = z.infer<typeof CrmDeal>;
