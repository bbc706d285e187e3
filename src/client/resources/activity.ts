import * as z from 'zod/mini';
import { extraProperties, isoDateText, optionalText, recordIdentityShape } from './record-fields';

// The touchpoint kinds of src/tracking had not landed when this was written; this schema
// duplicates the CRM-side touchpoint fields and is to be merged with the tracking
// touchpoint schema (see docs/decisions.md, "Client activities and tracking touchpoints").

/**
 * The kinds of activity (touchpoint) a CRM logs: the sales activities every CRM has
 * (calls, emails, meetings, tasks, notes) and the touchpoints guanxi tracks (visits,
 * purchases, inquiries, complaints, suggestions, service requests, campaign and survey
 * responses).
 *
 * @example
 * ```ts
 * import { CrmActivityType } from 'guanxi/client';
 *
 * console.log(CrmActivityType.options.includes('meeting')); // true
 * ```
 */
export const CrmActivityType = /*@__PURE__*/ z.enum([
  'call',
  'email',
  'meeting',
  'task',
  'note',
  'visit',
  'purchase',
  'inquiry',
  'complaint',
  'suggestion',
  'service-request',
  'campaign-response',
  'survey-response',
]);
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
  /** Channel: `web`, `app`, `email`, `sms`, `phone`, `chat`, `store`, `field-visit`, `event`, `social`, `mail`, `other`. */
  channel: optionalText,
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
  /** Status (`completed`, `scheduled`, `not_started`, …). */
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
  // Stored activities may be of kinds newer than this client: read any kind.
  type: z.string().check(z.minLength(1)),
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
