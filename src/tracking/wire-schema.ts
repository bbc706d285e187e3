/**
 * The wire format as zod/mini schemas: the single source of the message types, and what
 * a collector validates incoming batches with. The tracker itself imports only the
 * types from here, so no validator reaches the storefront bundle.
 */
import * as z from 'zod/mini';
import { touchpointChannels, touchpointTypes, touchpointEventName } from './touchpoint';

const nonEmpty = () => z.string().check(z.minLength(1));
const openRecord = () => z.record(z.string(), z.unknown());

/**
 * The consent snapshot stamped on an event at capture: the state of every purpose the
 * gate knows, when it was taken, and the purposes this event required.
 *
 * @example
 * ```ts
 * import { TrackingConsentStamp } from 'guanxi/tracking';
 *
 * const stamp: TrackingConsentStamp = TrackingConsentStamp.parse({
 *   purposes: { necessary: 'granted', analytics: 'granted' },
 *   takenAt: 1767225600000,
 *   required: ['analytics'],
 * });
 * ```
 */
export const TrackingConsentStamp = z.object({
  purposes: z.record(z.string(), z.enum(['granted', 'denied', 'pending', 'objected'])),
  takenAt: z.number(),
  jurisdiction: z.optional(z.string()),
  required: z.array(z.string()),
});
/** The consent snapshot on an event (`context.consent`). *
 * @example
 * ```ts
 * import type { TrackingConsentStamp } from 'guanxi/tracking';
 *
 * const stamp: TrackingConsentStamp = { purposes: { analytics: 'granted' }, takenAt: Date.now(), required: ['analytics'] };
 * ```
 */
export type TrackingConsentStamp = z.infer<typeof TrackingConsentStamp>;

/**
 * The context carried by every message: library, page, campaign (UTM parameters and ad
 * click ids), locale, timezone, user agent, session and consent. Unknown keys are kept,
 * so plugins may add their own.
 *
 * @example
 * ```ts
 * import { TrackingContext } from 'guanxi/tracking';
 *
 * const context = TrackingContext.parse({ library: { name: 'guanxi', version: '0.1.0' }, locale: 'de-DE' });
 * ```
 */
export const TrackingContext = z.looseObject({
  library: z.object({ name: z.string(), version: z.string() }),
  page: z.optional(
    z.object({
      url: z.string(),
      path: z.string(),
      referrer: z.string(),
      title: z.string(),
      search: z.string(),
    }),
  ),
  campaign: z.optional(z.record(z.string(), z.string())),
  locale: z.optional(z.string()),
  timezone: z.optional(z.string()),
  userAgent: z.optional(z.string()),
  sessionId: z.optional(z.string()),
  sessionStart: z.optional(z.boolean()),
  consent: z.optional(TrackingConsentStamp),
});
/** The context of a message. *
 * @example
 * ```ts
 * import type { TrackingContext } from 'guanxi/tracking';
 *
 * const context: TrackingContext = { library: { name: 'guanxi', version: '0.1.0' }, timezone: 'Asia/Shanghai' };
 * ```
 */
export type TrackingContext = z.infer<typeof TrackingContext>;

/**
 * One message on the wire, in the Segment HTTP Tracking API shape: `type`, `messageId`,
 * `anonymousId` and/or `userId`, `timestamp` (capture time, ISO 8601), `context`, and
 * `event`/`name`/`properties`/`traits`/`groupId`/`previousId` by type.
 *
 * @example
 * ```ts
 * import { TrackingMessage } from 'guanxi/tracking';
 *
 * const result = TrackingMessage.safeParse({
 *   type: 'track',
 *   event: 'Order Completed',
 *   messageId: 'f3b1c2d4-0000-4000-8000-000000000001',
 *   anonymousId: 'a-1',
 *   timestamp: '2026-03-02T09:30:00.000Z',
 *   context: { library: { name: 'guanxi', version: '0.1.0' } },
 *   properties: { total: 42 },
 * });
 * console.log(result.success); // true
 * ```
 */
export const TrackingMessage = z
  .looseObject({
    type: z.enum(['identify', 'track', 'page', 'screen', 'group', 'alias']),
    messageId: nonEmpty(),
    anonymousId: z.optional(nonEmpty()),
    userId: z.optional(nonEmpty()),
    timestamp: z.iso.datetime({ offset: true }),
    context: TrackingContext,
    event: z.optional(nonEmpty()),
    name: z.optional(z.string()),
    properties: z.optional(openRecord()),
    traits: z.optional(openRecord()),
    groupId: z.optional(nonEmpty()),
    previousId: z.optional(nonEmpty()),
  })
  .check(
    z.refine((message) => message.anonymousId !== undefined || message.userId !== undefined, {
      message: 'A message needs an anonymousId or a userId',
      path: ['userId'],
    }),
    z.refine((message) => message.type !== 'track' || message.event !== undefined, {
      message: 'A track message needs an event name',
      path: ['event'],
    }),
    z.refine((message) => message.type !== 'group' || message.groupId !== undefined, {
      message: 'A group message needs a groupId',
      path: ['groupId'],
    }),
    z.refine((message) => message.type !== 'alias' || message.previousId !== undefined, {
      message: 'An alias message needs a previousId',
      path: ['previousId'],
    }),
  );
/** One message on the wire. *
 * @example
 * ```ts
 * import type { TrackingMessage } from 'guanxi/tracking';
 *
 * function eventName(message: TrackingMessage): string | undefined {
 *   return message.type === 'track' ? message.event : undefined;
 * }
 * ```
 */
export type TrackingMessage = z.infer<typeof TrackingMessage>;

/**
 * The body of `POST /v1/batch`: the messages and the send time (`sentAt`, used by
 * collectors to correct client clock skew), plus an optional `writeKey`.
 *
 * @example
 * ```ts
 * import { TrackingBatch, validate } from 'guanxi';
 *
 * // In a collector:
 * declare const body: string;
 * const batch = validate(TrackingBatch, JSON.parse(body), 'tracking batch');
 * for (const message of batch.batch) console.log(message.messageId);
 * ```
 */
export const TrackingBatch = z.object({
  batch: z.array(TrackingMessage),
  sentAt: z.iso.datetime({ offset: true }),
  writeKey: z.optional(z.string()),
});
/** The body of `POST /v1/batch`. *
 * @example
 * ```ts
 * import type { TrackingBatch } from 'guanxi/tracking';
 *
 * const empty: TrackingBatch = { batch: [], sentAt: new Date().toISOString() };
 * ```
 */
export type TrackingBatch = z.infer<typeof TrackingBatch>;

/**
 * The documented schema of a touchpoint's `properties` on the wire (a `track` message
 * whose `event` is `touchpointEventName`).
 *
 * @example
 * ```ts
 * import { TouchpointRecord, touchpointEventName, type TrackingMessage } from 'guanxi/tracking';
 *
 * declare const message: TrackingMessage;
 * if (message.event === touchpointEventName) {
 *   const touchpoint = TouchpointRecord.parse(message.properties);
 *   if (touchpoint.type === 'complaint') console.log('route to', touchpoint.ownerId);
 * }
 * ```
 */
export const TouchpointRecord = z.object({
  channel: z.enum(touchpointChannels),
  direction: z.enum(['inbound', 'outbound']),
  type: z.enum(touchpointTypes),
  occurredAt: z.iso.datetime({ offset: true }),
  subject: z.optional(z.string()),
  content: z.optional(z.string()),
  outcome: z.optional(z.string()),
  goal: z.optional(z.string()),
  contactPerson: z.optional(z.string()),
  ownerId: z.optional(z.string()),
  /** @deprecated Former name of `ownerId`, sent by earlier trackers; collectors read it as `ownerId`. */
  owner: z.optional(z.string()),
  status: z.optional(z.enum(['open', 'in-progress', 'resolved', 'closed'])),
  durationSeconds: z.optional(z.number().check(z.nonnegative())),
  campaign: z.optional(z.string()),
  reference: z.optional(z.string()),
  properties: z.optional(openRecord()),
});
/** A touchpoint as recorded on the wire. *
 * @example
 * ```ts
 * import type { TouchpointRecord } from 'guanxi/tracking';
 *
 * const visit: TouchpointRecord = { channel: 'store', direction: 'inbound', type: 'visit', occurredAt: '2026-03-02T09:30:00.000Z' };
 * ```
 */
export type TouchpointRecord = z.infer<typeof TouchpointRecord>;

/**
 * Whether a wire message is a touchpoint.
 *
 * @example
 * ```ts
 * import { isTouchpointMessage, type TrackingMessage } from 'guanxi/tracking';
 *
 * declare const messages: TrackingMessage[];
 * const touchpoints = messages.filter(isTouchpointMessage);
 * ```
 */
export function isTouchpointMessage(message: Pick<TrackingMessage, 'type' | 'event'>): boolean {
  return message.type === 'track' && message.event === touchpointEventName;
}
