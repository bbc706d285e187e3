/**
 * Touchpoints: any contact with a customer, online or not. Kept free of zod so that the
 * storefront bundle stays small; the zod/mini schema of the same shape lives in
 * `wire-schema.ts` for collectors and servers.
 */
import type { PurposeId } from '../consent/gate';

/**
 * The channels a touchpoint can happen on (the CRM literature's list: face to face in a
 * store or branch, phone and call centre, SMS, email, letter, fax, web, app, chat,
 * social, account-manager field visits, events).
 *
 * @example
 * ```ts
 * import { touchpointChannels } from 'guanxi/tracking';
 *
 * console.log(touchpointChannels.includes('call-centre')); // true
 * ```
 */
export const touchpointChannels = [
  'web',
  'app',
  'email',
  'sms',
  'push',
  'phone',
  'call-centre',
  'chat',
  'store',
  'branch',
  'field-visit',
  'event',
  'social',
  'mail',
  'fax',
  'other',
] as const;

/**
 * A touchpoint channel.
 *
 * @example
 * ```ts
 * import type { TouchpointChannel } from 'guanxi/tracking';
 *
 * const channel: TouchpointChannel = 'branch';
 * ```
 */
export type TouchpointChannel = (typeof touchpointChannels)[number];

/**
 * What kind of contact a touchpoint is. Complaints, inquiries and suggestions are
 * separate types so that analyses can count and route them apart.
 *
 * @example
 * ```ts
 * import { touchpointTypes } from 'guanxi/tracking';
 *
 * console.log(touchpointTypes.includes('complaint')); // true
 * ```
 */
export const touchpointTypes = [
  'visit',
  'purchase',
  'inquiry',
  'complaint',
  'suggestion',
  'service-request',
  'campaign-response',
  'survey-response',
  'meeting',
  'note',
  'other',
] as const;

/**
 * A touchpoint type.
 *
 * @example
 * ```ts
 * import type { TouchpointType } from 'guanxi/tracking';
 *
 * const type: TouchpointType = 'complaint';
 * ```
 */
export type TouchpointType = (typeof touchpointTypes)[number];

/**
 * Who started the contact: the customer (`inbound`) or the business (`outbound`).
 *
 * @example
 * ```ts
 * import type { TouchpointDirection } from 'guanxi/tracking';
 *
 * const direction: TouchpointDirection = 'inbound';
 * ```
 */
export type TouchpointDirection = 'inbound' | 'outbound';

/**
 * Where a request (complaint, inquiry, service request) stands. Whoever first received
 * it (`ownerId`) keeps it until it is `resolved` or `closed`.
 *
 * @example
 * ```ts
 * import type { TouchpointStatus } from 'guanxi/tracking';
 *
 * const status: TouchpointStatus = 'resolved';
 * ```
 */
export type TouchpointStatus = 'open' | 'in-progress' | 'resolved' | 'closed';

/**
 * The reserved `track` event name under which touchpoints travel on the wire.
 *
 * @example
 * ```ts
 * import { touchpointEventName } from 'guanxi/tracking';
 *
 * // A collector telling touchpoints apart from other events:
 * const isTouchpoint = (message: { type: string; event?: string }) =>
 *   message.type === 'track' && message.event === touchpointEventName;
 * ```
 */
export const touchpointEventName = 'Touchpoint Recorded';

/**
 * A contact with a customer, as passed to `tracker.touchpoint()`: when and how it
 * happened, what it was about, and what came of it. The field names are the CRM's
 * activity fields (`guanxi/client`'s `CrmActivityInput`, docs/openapi.yaml's
 * `ActivityProperties`): one vocabulary from the tracker to the CRM.
 *
 * @example
 * ```ts
 * import type { TouchpointInput } from 'guanxi/tracking';
 *
 * const complaint: TouchpointInput = {
 *   channel: 'call-centre',
 *   direction: 'inbound',
 *   type: 'complaint',
 *   subject: 'Parcel arrived damaged',
 *   ownerId: 'agent-17',
 *   status: 'open',
 *   occurredAt: '2026-03-02T09:30:00Z',
 * };
 * ```
 */
export interface TouchpointInput {
  /** Where the contact happened. */
  readonly channel: TouchpointChannel;
  /** Who started it. @default 'inbound' */
  readonly direction?: TouchpointDirection;
  /** What kind of contact it was. */
  readonly type: TouchpointType;
  /** A short subject line. */
  readonly subject?: string;
  /** The content or a summary of it (mind what you store: this travels to the collector). */
  readonly content?: string;
  /** The result of the contact, e.g. `'refund issued'`, `'appointment booked'`. */
  readonly outcome?: string;
  /** The goal the contact was meant to reach, e.g. `'retention'`, `'upsell'`. */
  readonly goal?: string;
  /** The customer-side contact person (name or id), for organizations. */
  readonly contactPerson?: string;
  /** The staff member or team (its id) that owns the request until it is resolved. */
  readonly ownerId?: string;
  /**
   * Former name of `ownerId`; sent as `ownerId`.
   * @deprecated Use `ownerId` (the name every CRM record uses).
   */
  readonly owner?: string;
  /** Where a request stands. */
  readonly status?: TouchpointStatus;
  /** When it happened: a `Date`, an ISO 8601 string or ms since the epoch. @default the capture time */
  readonly occurredAt?: Date | string | number;
  /** How long it lasted, in seconds. */
  readonly durationSeconds?: number;
  /** The campaign it belongs to or answers. */
  readonly campaign?: string;
  /** An external reference such as a ticket or order number. */
  readonly reference?: string;
  /** Further properties of your own. */
  readonly properties?: Readonly<Record<string, unknown>>;
  /** Purposes this touchpoint is processed for; overrides the tracker's default for touchpoints. */
  readonly purposes?: readonly PurposeId[];
}

/** The properties of a touchpoint on the wire (see docs/wire-format.md). */
export interface TouchpointProperties {
  readonly channel: TouchpointChannel;
  readonly direction: TouchpointDirection;
  readonly type: TouchpointType;
  readonly occurredAt: string;
  readonly subject?: string;
  readonly content?: string;
  readonly outcome?: string;
  readonly goal?: string;
  readonly contactPerson?: string;
  readonly ownerId?: string;
  readonly status?: TouchpointStatus;
  readonly durationSeconds?: number;
  readonly campaign?: string;
  readonly reference?: string;
  readonly properties?: Readonly<Record<string, unknown>>;
}

const textFields = ['subject', 'content', 'outcome', 'goal', 'contactPerson', 'ownerId', 'campaign', 'reference'] as const;

/**
 * Checks a touchpoint by hand (no validator in the storefront bundle) and returns the
 * wire properties and the occurrence time, or the list of problems. A malformed
 * touchpoint must never reach the collector, where it would fail its whole batch: text
 * fields are turned into strings, everything else is checked.
 */
export function toTouchpointProperties(
  input: TouchpointInput,
  nowMs: number,
): { properties: TouchpointProperties; occurredAtMs: number } | { issues: { path: string[]; message: string }[] } {
  const issues: { path: string[]; message: string }[] = [];
  const check = (ok: boolean, field: string, expected: string) => ok || issues.push({ path: [field], message: `Expected ${expected}` });
  const { occurredAt, durationSeconds, properties, owner, ...rest } = (typeof input === 'object' && input) || ({} as TouchpointInput);
  const wire: Record<string, unknown> = { direction: 'inbound', ownerId: owner, ...rest };
  const enumerations: [string, readonly string[]][] = [
    ['channel', touchpointChannels],
    ['type', touchpointTypes],
    ['direction', ['inbound', 'outbound']],
    ['status', ['open', 'in-progress', 'resolved', 'closed']],
  ];
  for (const [field, allowed] of enumerations) {
    check(allowed.includes(wire[field] as string) || (field === 'status' && wire[field] === undefined), field, `one of ${allowed.join(', ')}`);
  }
  for (const field of textFields) if (wire[field] !== undefined) wire[field] = String(wire[field]);
  check(durationSeconds === undefined || (typeof durationSeconds === 'number' && durationSeconds >= 0), 'durationSeconds', 'a non-negative number');
  const occurredAtMs = occurredAt === undefined ? nowMs : new Date(occurredAt).getTime();
  check(Number.isFinite(occurredAtMs), 'occurredAt', 'a Date, an ISO 8601 string or ms since the epoch');
  check(properties === undefined || (typeof properties === 'object' && properties !== null), 'properties', 'an object');
  if (issues.length > 0) return { issues };
  delete wire.purposes;
  Object.assign(wire, { occurredAt: new Date(occurredAtMs).toISOString(), durationSeconds, properties });
  for (const field of ['durationSeconds', 'properties', 'ownerId']) if (wire[field] === undefined) delete wire[field];
  return { properties: wire as unknown as TouchpointProperties, occurredAtMs };
}
