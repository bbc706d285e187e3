import * as z from 'zod/mini';
import { touchpointChannels, touchpointTypes } from '../../tracking/touchpoint';
import { extraProperties, isoDateText, optionalText, recordIdentityShape } from './record-fields';

// Touchpoint types and channels come from guanxi/tracking (one vocabulary for what the
// tracker records and what the CRM stores); the client adds the sales activities every
// CRM logs (calls, emails, tasks). Tracking keeps them as plain arrays so the storefront
// bundle carries no zod; the client wraps them in schemas.
/**
 * The kinds of activity (touchpoint) a CRM logs: the touchpoint types of
 * `guanxi/tracking` (visits, purchases, inquiries, complaints, suggestions, service
 * requests, campaign and survey responses, meetings, notes, other) and the sales
 * activities every CRM has (calls, emails, tasks).
 *
 * @example
 * ```ts
 * import { CrmActivityType } from 'guanxi/client';
 *
 * console.log(CrmActivityType.options.includes('meeting')); // true
 * ```
 */
export const CrmActivityType = /*@__PURE__*/ z.enum([...new Set([...touchpointTypes, 'call', 'email', 'meeting', 'task', 'note'] as const)]);
/** An activity kind. *
 * @example
 * ```ts
 * import type { CrmActivityType } from 'guanxi/client';
 *
 * const kind: CrmActivityType = 'call';
 * ```
 */
export type CrmActivityType = z.infer<typeof CrmActivityType>;

/**
 * What a caller sends to log an activity — a touchpoint between the company and a
 * contact: a call, email, meeting, task or note, when it happened and with whom.
 *
 * @example
 * ```ts
 * import type { CrmActivityInput } from 'guanxi/client';
 *
 * const call: CrmActivityInput = { type: 'call', occurredAt: '2026-05-04T09:30:00Z', contactId: '101', direction: 'outbound', durationMs: 240_000, subject: 'Renewal' };
 * ```
 */
export const CrmActivityInput = /*@__PURE__*/ z.looseObject({
  /** Kind of activity. */
  type: CrmActivityType,
  /** Channel, from `guanxi/tracking`'s touchpoint channels (`web`, `email`, `phone`, `store`, …). */
  channel: /*@__PURE__*/ z.optional(z.nullable(z.enum(touchpointChannels))),
  /** When it happened (ISO 8601); for tasks, when it is due. */
  occurredAt: isoDateText,
  /** Subject line or title. */
  subject: optionalText,
  /** Body, notes or transcript summary. */
  body: optionalText,
  /** `inbound` or `outbound`, for calls and emails. */
  direction: z.optional(z.nullable(z.enum(['inbound', 'outbound']))),
  /** Duration in milliseconds, for calls and meetings. */
  durationMs: z.optional(z.nullable(z.number().check(z.gte(0)))),
  /** The result, e.g. `refund issued`. */
  outcome: optionalText,
  /** The goal it was meant to reach, e.g. `retention`. */
  goal: optionalText,
  /** The customer-side contact person, for organizations. */
  contactPerson: optionalText,
  /** Status (`completed`, `scheduled`, `open`, `resolved`, …). */
  status: optionalText,
  /** The contact involved. */
  contactId: optionalText,
  /** The company involved. */
  companyId: optionalText,
  /** The deal it belongs to. */
  dealId: optionalText,
  /** The ticket it belongs to. */
  ticketId: optionalText,
  /** Id of the user who owns it. */
  ownerId: optionalText,
  /** Other CRM properties. */
  properties: extraProperties,
});
/** An activity to log or change. *
 * @example
 * ```ts
 * import type { CrmActivityInput } from 'guanxi/client';
 *
 * const note: CrmActivityInput = { type: 'note', occurredAt: '2026-05-04', body: 'Prefers email' };
 * ```
 */
export type CrmActivityInput = z.infer<typeof CrmActivityInput>;

/**
 * A logged activity. Unknown fields are preserved.
 *
 * @example
 * ```ts
 * import { validate } from 'guanxi';
 * import { CrmActivity } from 'guanxi/client';
 *
 * const activity = validate(CrmActivity, { id: 'a1', type: 'email', occurredAt: '2026-05-04T10:00:00Z' }, 'activity');
 * ```
 */
export const CrmActivity = /*@__PURE__*/ z.looseObject({
  ...CrmActivityInput.shape,
  // Stored activities may be of kinds and channels newer than this client: read any.
  type: z.string().check(z.minLength(1)),
  channel: optionalText,
  ...recordIdentityShape,
});
/** A logged activity. *
 * @example
 * ```ts
 * import type { CrmActivity } from 'guanxi/client';
 *
 * const when = (activity: CrmActivity) => new Date(activity.occurredAt);
 * ```
 */
export type CrmActivity = z.infer<typeof CrmActivity>;
