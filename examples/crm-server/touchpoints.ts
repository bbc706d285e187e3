/**
 * The server's one integration point with `guanxi/tracking`: what an activity
 * (touchpoint) looks like, and which tracked events become activities.
 */
import { z } from 'zod';
import { safeValidate, type ValidationResult } from 'guanxi';
import { touchpointEventName } from 'guanxi/tracking';
/** The Segment e-commerce event of a purchase. */
export const orderCompletedEventName = 'Order Completed';

const ActivityProperties = z
  .object({
    type: z.string().trim().min(1).max(64),
    // Sales activities logged by hand (a call, a note) may not name a channel.
    channel: z.string().trim().min(1).max(64).default('other'),
    direction: z.enum(['inbound', 'outbound']).optional(),
    // A date alone is the start of that day (UTC), so the timeline orders by one text form.
    occurredAt: z.union([z.iso.datetime({ offset: true }), z.iso.date().transform((date) => `${date}T00:00:00.000Z`)]),
    subject: z.string().max(1024).optional(),
    content: z.string().max(65_536).optional(),
    durationSeconds: z.number().finite().nonnegative().optional(),
    outcome: z.string().max(1024).optional(),
    goal: z.string().max(256).optional(),
    contactPerson: z.string().max(256).optional(),
    status: z.string().max(64).optional(),
    priority: z.string().max(64).optional(),
    campaign: z.string().max(256).optional(),
    reference: z.string().max(256).optional(),
    ownerId: z.string().max(128).optional(),
    contactId: z.string().min(1).max(256).optional(),
    companyId: z.string().min(1).max(256).optional(),
    dealId: z.string().min(1).max(256).optional(),
    ticketId: z.string().min(1).max(256).optional(),
    amount: z.number().finite().optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'Expected an ISO 4217 currency code such as "EUR"')
      .optional(),
    messageId: z.string().max(256).optional(),
  })
  .loose();

/**
 * Earlier names of touchpoint fields, still accepted: trackers sent `owner`, clients sent
 * `body` and `durationMs`. They are stored under the current names (docs/decisions.md,
 * "Client activities and tracking touchpoints").
 */
function currentNames(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const { owner, body, durationMs, ...rest } = input as Record<string, unknown>;
  if (rest['ownerId'] === undefined && owner !== undefined) rest['ownerId'] = owner;
  if (rest['content'] === undefined && body !== undefined) rest['content'] = body;
  if (rest['durationSeconds'] === undefined && durationMs !== undefined) rest['durationSeconds'] = typeof durationMs === 'number' ? durationMs / 1000 : durationMs;
  return rest;
}

/** Validates an activity's properties (earlier field names are moved to the current ones). */
export function parseActivityProperties(input: unknown): ValidationResult<Record<string, unknown>> {
  return safeValidate(ActivityProperties, currentNames(input), 'activity') as ValidationResult<Record<string, unknown>>;
}

/** A tracked `track` message, as far as activities are concerned. */
export interface TrackedEvent {
  readonly messageId: string;
  readonly event: string;
  readonly timestamp: string;
  readonly properties: Record<string, unknown>;
}

function number(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The activity a tracked event becomes, if any: touchpoints, and orders as purchases. */
export function activityFromEvent(event: TrackedEvent): Record<string, unknown> | undefined {
  if (event.event === touchpointEventName) {
    return { direction: 'inbound', occurredAt: event.timestamp, ...event.properties, messageId: event.messageId };
  }
  if (event.event === orderCompletedEventName) {
    const p = event.properties;
    const amount = number(p['total']) ?? number(p['revenue']) ?? number(p['value']);
    const currency = typeof p['currency'] === 'string' ? p['currency'].toUpperCase() : undefined;
    return {
      type: 'purchase',
      channel: 'web',
      direction: 'inbound',
      occurredAt: event.timestamp,
      ...(typeof p['order_id'] === 'string' ? { subject: `Order ${p['order_id']}`, reference: p['order_id'] } : {}),
      ...(amount === undefined ? {} : { amount }),
      ...(currency === undefined ? {} : { currency }),
      messageId: event.messageId,
    };
  }
  return undefined;
}
