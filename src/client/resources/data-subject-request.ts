import * as z from 'zod/mini';
import { objectOf } from './record-fields';

/**
 * A data subject's request: an export of their data (GDPR Art. 15/20, PIPL Art. 45) or
 * its erasure (GDPR Art. 17, PIPL Art. 47), naming the subject by any identifier.
 *
 * @example
 * ```ts
 * import type { CrmDataSubjectRequestInput } from 'guanxi/client';
 *
 * const erase: CrmDataSubjectRequestInput = { type: 'erasure', subject: { email: 'ada@example.com' }, reason: 'Customer asked by email on 2026-05-04' };
 * ```
 */
export const CrmDataSubjectRequestInput = /*@__PURE__*/ z.object({
  type: z.enum(['export', 'erasure']),
  subject: z
    .object({
      contactId: z.optional(z.string()),
      email: z.optional(z.string()),
      userId: z.optional(z.string()),
      phone: z.optional(z.string()),
      anonymousId: z.optional(z.string()),
    })
    .check(z.refine((subject) => Object.values(subject).some((value) => typeof value === 'string' && value !== ''), 'Name the subject by at least one identifier')),
  reason: z.optional(z.string().check(z.maxLength(1024))),
});
/** A data-subject request to open. *
 * @example
 * ```ts
 * import type { CrmDataSubjectRequestInput } from 'guanxi/client';
 *
 * const exportMine: CrmDataSubjectRequestInput = { type: 'export', subject: { userId: 'u-42' } };
 * ```
 */
export type CrmDataSubjectRequestInput = z.infer<typeof CrmDataSubjectRequestInput>;

/**
 * A data-subject request as the CRM reports it: its status, when it completed and what it
 * counted. Unknown fields are kept.
 *
 * @example
 * ```ts
 * import { validate } from 'guanxi';
 * import { CrmDataSubjectRequest } from 'guanxi/client';
 *
 * const request = validate(CrmDataSubjectRequest, { id: 'dsr_1', type: 'export', status: 'completed', subject: { userId: 'u-42' }, createdAt: '2026-05-04T10:00:00Z' }, 'request');
 * ```
 */
export const CrmDataSubjectRequest = /*@__PURE__*/ z.looseObject({
  id: z.string(),
  type: z.enum(['export', 'erasure']),
  /** `completed`, `not_found` (nothing matched), or a CRM's own in-progress states. */
  status: z.string(),
  subject: objectOf(z.unknown()),
  contactId: z.optional(z.nullable(z.string())),
  reason: z.optional(z.string()),
  createdAt: z.string(),
  completedAt: z.optional(z.nullable(z.string())),
  counts: z.optional(objectOf(z.number())),
});
/** A data-subject request. *
 * @example
 * ```ts
 * import type { CrmDataSubjectRequest } from 'guanxi/client';
 *
 * const done = (request: CrmDataSubjectRequest) => request.status === 'completed';
 * ```
 */
export type CrmDataSubjectRequest = z.infer<typeof CrmDataSubjectRequest>;
