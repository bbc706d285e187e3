import * as z from 'zod/mini';

/**
 * A date worth a greeting: an anniversary, a wedding day, a name day, the day someone
 * became a member. `date` is `YYYY-MM-DD`, or `--MM-DD` when the year is unknown or the
 * day recurs (ISO 8601 without year).
 *
 * @example
 * ```ts
 * import { SpecialDate } from 'guanxi/profile';
 *
 * const wedding = SpecialDate.parse({ kind: 'wedding-anniversary', date: '2015-05-20' });
 * const festival = SpecialDate.parse({ kind: 'custom', label: 'Name day', date: '--07-26' });
 * ```
 */
export const SpecialDate = /*@__PURE__*/ z.object({
  kind: z.enum(['anniversary', 'wedding-anniversary', 'name-day', 'membership', 'custom']),
  date: z.string().check(
    z.regex(/^(\d{4}|-)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'Expected YYYY-MM-DD or --MM-DD'),
  ),
  label: z.optional(z.string().check(z.trim(), z.maxLength(100))),
});
/** See the `SpecialDate` schema. *
 * @example
 * ```ts
 * import type { SpecialDate } from 'guanxi/profile';
 *
 * const joined: SpecialDate = { kind: 'membership', date: '2019-11-11' };
 * ```
 */
export type SpecialDate = z.infer<typeof SpecialDate>;
