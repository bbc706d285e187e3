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
 * contact: a call, email, meeting, task or note, when it happened and with whom. The
 * fields are the touchpoint's (`guanxi/tracking`'s `TouchpointInput`, docs/openapi.yaml's
 * `ActivityProperties`) plus the records it belongs to.
 *
 * @example
 * ```ts
 * import type { CrmActivityInput } from 'guanxi/client';
 *
 * const call: CrmActivityInput = { type: 'call', occurredAt: '2026-05-04T09:30:00Z', contactId: '101', direction: 'outbound', durationSeconds: 240, subject: 'Renewal' };
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
  /** The content: body, notes or a summary. */
  content: optionalText,
  /** `inbound` or `outbound`, for calls and emails. */
  direction: /*@__PURE__*/ z.optional(z.nullable(z.enum(['inbound', 'outbound']))),
  /** How long it lasted, in seconds, for calls and meetings. */
  durationSeconds: /*@__PURE__*/ z.optional(z.nullable(z.number().check(z.gte(0)))),
  /** The result, e.g. `refund issued`. */
  outcome: optionalText,
  /** The goal it was meant to reach, e.g. `retention`. */
  goal: optionalText,
  /** The customer-side contact person, for organizations. */
  contactPerson: optionalText,
  /** Status (`open`, `in-progress`, `resolved`, `closed`; for sales activities also `completed`, `scheduled`, `not-started`, …). */
  status: optionalText,
  /** Priority of a task (`low`, `medium`, `high`). */
  priority: optionalText,
  /** The campaign it belongs to or answers. */
  campaign: optionalText,
  /** An external reference such as a ticket or order number. */
  reference: optionalText,
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
  /**
   * Former name of `content`; sent as `content`.
   * @deprecated Use `content` (the touchpoint's name).
   */
  body: optionalText,
  /**
   * Former duration field, in milliseconds; sent as `durationSeconds` (÷ 1000).
   * @deprecated Use `durationSeconds` (the touchpoint's name and unit).
   */
  durationMs: /*@__PURE__*/ z.optional(z.nullable(z.number().check(z.gte(0)))),
});
/** An activity to log or change. *
 * @example
 * ```ts
 * import type { CrmActivityInput } from 'guanxi/client';
 *
 * const note: CrmActivityInput = { type: 'note', occurredAt: '2026-05-04', content: 'Prefers email' };
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

/**
 * Moves the deprecated `body` and `durationMs` of an activity input to `content` and
 * `durationSeconds` (the new names win when both are given). Internal: applied by the
 * client before an input is sent, so adapters and servers see one vocabulary.
 */
export function normalizeActivityInput(input: Record<string, unknown>): Record<string, unknown> {
  if (!('body' in input) && !('durationMs' in input)) return input;
  const { body, durationMs, ...rest } = input;
  if (rest.content === undefined && body !== undefined) rest.content = body;
  if (rest.durationSeconds === undefined && durationMs !== undefined) rest.durationSeconds = typeof durationMs === 'number' ? durationMs / 1000 : durationMs;
  return rest;
}
