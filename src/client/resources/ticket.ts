import * as z from 'zod/mini';
import { extraProperties, optionalText, recordIdentityShape } from './record-fields';

/**
 * Ticket priorities, lowest first.
 *
 * @example
 * ```ts
 * import { CrmTicketPriority } from 'guanxi/client';
 *
 * console.log(CrmTicketPriority.options); // ['low', 'medium', 'high', 'urgent']
 * ```
 */
export const CrmTicketPriority = /*@__PURE__*/ z.enum(['low', 'medium', 'high', 'urgent']);
/** A ticket priority. *
 * @example
 * ```ts
 * import type { CrmTicketPriority } from 'guanxi/client';
 *
 * const priority: CrmTicketPriority = 'high';
 * ```
 */
export type CrmTicketPriority = z.infer<typeof CrmTicketPriority>;

/**
 * What a caller sends to open or change a support ticket: subject, priority, severity,
 * category, status and owner.
 *
 * @example
 * ```ts
 * import type { CrmTicketInput } from 'guanxi/client';
 *
 * const input: CrmTicketInput = { subject: 'Refund not received', priority: 'high', severity: 'major', category: 'billing', status: 'open' };
 * ```
 */
export const CrmTicketInput = /*@__PURE__*/ z.looseObject({
  /** One-line summary. */
  subject: optionalText,
  /** Description. */
  content: optionalText,
  /** Status or pipeline stage (`open`, `waiting`, `closed`, or a HubSpot stage id). */
  status: optionalText,
  /** Priority. */
  priority: z.optional(z.nullable(CrmTicketPriority)),
  /** Severity (`minor`, `major`, `critical`, …). */
  severity: optionalText,
  /** Category (`billing`, `product`, …). */
  category: optionalText,
  /** Pipeline id. */
  pipeline: optionalText,
  /** Id of the owning user. */
  ownerId: optionalText,
  /** Other CRM properties, by the CRM's property name. */
  properties: extraProperties,
});
/** A ticket to open or change. *
 * @example
 * ```ts
 * import type { CrmTicketInput } from 'guanxi/client';
 *
 * const escalate: CrmTicketInput = { priority: 'urgent' };
 * ```
 */
export type CrmTicketInput = z.infer<typeof CrmTicketInput>;

/**
 * A ticket as the CRM stores it. Unknown fields are preserved.
 *
 * @example
 * ```ts
 * import { validate } from 'guanxi';
 * import { CrmTicket } from 'guanxi/client';
 *
 * const ticket = validate(CrmTicket, { id: '3', subject: 'Broken link', priority: 'low' }, 'ticket');
 * ```
 */
export const CrmTicket = /*@__PURE__*/ z.looseObject({ ...CrmTicketInput.shape, ...recordIdentityShape });
/** A stored ticket. *
 * @example
 * ```ts
 * import type { CrmTicket } from 'guanxi/client';
 *
 * const isUrgent = (ticket: CrmTicket) => ticket.priority === 'urgent';
 * ```
 */
export type CrmTicket = z.infer<typeof CrmTicket>;
