/**
 * guanxi activities (touchpoints) on HubSpot's CRM v3 engagement objects: calls, emails,
 * meetings, tasks and notes. Property names, value formats and the HubSpot-defined
 * association type ids follow HubSpot's engagement guides
 * (developers.hubspot.com/docs/api/crm/{calls,email,meetings,tasks,notes}).
 */
import { ValidationError } from '../../../core/errors/validation-error';
import { UnsupportedOperationError } from '../../errors/unsupported-operation-error';
import type { CrmFilter } from '../../filter';
import { toHubSpotValue } from './properties';

/** HubSpot's engagement objects, in the order listings walk them. */
export const engagementKinds = ['calls', 'emails', 'meetings', 'tasks', 'notes'] as const;
export type EngagementKind = (typeof engagementKinds)[number];

/**
 * Custom HubSpot properties that keep the activity (touchpoint) fields HubSpot's
 * engagement objects have no property for — `type` (e.g. `complaint`), `channel`,
 * `outcome`, `goal`, `contactPerson`, `campaign`, `reference` — by guanxi field name.
 * A field without one is refused with `UnsupportedOperationError` rather than dropped.
 *
 * @example
 * ```ts
 * import { createCrmClient, createHubSpotAdapter, type HubSpotActivityProperties } from 'guanxi/client';
 *
 * const activityProperties: HubSpotActivityProperties = { type: 'guanxi_touchpoint_type', outcome: 'guanxi_outcome' };
 * const crm = createCrmClient({ adapter: createHubSpotAdapter({ auth: { token: 'pat-na1-…' }, activityProperties }) });
 * ```
 */
export type HubSpotActivityProperties = Partial<Record<'type' | 'channel' | 'outcome' | 'goal' | 'contactPerson' | 'campaign' | 'reference', string>>;
const customFields = ['type', 'channel', 'outcome', 'goal', 'contactPerson', 'campaign', 'reference'] as const;

/** The activity type of each engagement object, by index in `engagementKinds`. */
const engagementTypes = ['call', 'email', 'meeting', 'task', 'note'];
const typeOf = (kind: EngagementKind): string => engagementTypes[engagementKinds.indexOf(kind)] as string;
const kindOf = (type: unknown): EngagementKind | undefined => engagementKinds[engagementTypes.indexOf(type as string)];

/** The channel an engagement implies (read back when no channel property is kept). */
const channelOfKind: Partial<Record<EngagementKind, string>> = { calls: 'phone', emails: 'email' };

/**
 * Portable field → HubSpot property on calls, emails, meetings, tasks, notes (in that
 * order); `''` where the object has no such property.
 */
const propertyNames: Readonly<Record<string, readonly string[]>> = {
  subject: ['hs_call_title', 'hs_email_subject', 'hs_meeting_title', 'hs_task_subject', ''],
  content: ['hs_call_body', 'hs_email_text', 'hs_meeting_body', 'hs_task_body', 'hs_note_body'],
  direction: ['hs_call_direction', 'hs_email_direction', '', '', ''],
  durationSeconds: ['hs_call_duration', '', 'hs_meeting_end_time', '', ''],
  status: ['hs_call_status', 'hs_email_status', 'hs_meeting_outcome', 'hs_task_status', ''],
  priority: ['', '', '', 'hs_task_priority', ''],
};
const propertyOf = (kind: EngagementKind, field: string): string | undefined => propertyNames[field]?.[engagementKinds.indexOf(kind)];

/** The portable field an engagement property stands for, to name fields in HubSpot's errors. */
export function activityFieldOf(property: string): string | undefined {
  if (property === 'hs_timestamp' || property === 'hs_meeting_start_time') return 'occurredAt';
  return Object.keys(propertyNames).find((field) => propertyNames[field]?.includes(property));
}

/** Fields on every engagement object. */
const commonProperties: Readonly<Record<string, string>> = { occurredAt: 'hs_timestamp', ownerId: 'hubspot_owner_id', createdAt: 'hs_createdate', updatedAt: 'hs_lastmodifieddate' };

/**
 * Records an activity may belong to: field, HubSpot object, and the HubSpot-defined
 * association type ids from calls, emails, meetings, tasks and notes to it (HubSpot's
 * associations v4 guide; e.g. call → contact 194, note → contact 202).
 */
const associationTargets = [
  ['contactId', 'contacts', [194, 198, 200, 204, 202]],
  ['companyId', 'companies', [182, 186, 188, 192, 190]],
  ['dealId', 'deals', [206, 210, 212, 216, 214]],
  ['ticketId', 'tickets', [220, 224, 226, 230, 228]],
] as const;

/** The HubSpot objects activities may be associated with, and the portable field of each. */
export const associationObjects = /*@__PURE__*/ associationTargets.map(([field, object]) => [field, object] as const);

/** Fields with a meaning of their own here, never taken as HubSpot property names. */
const ownFields = /*@__PURE__*/ new Set<string>(['id', 'createdAt', 'updatedAt', 'archived', 'properties', 'type', 'occurredAt', 'ownerId', 'channel', ...customFields, ...Object.keys(propertyNames)]);

/** `in-progress` ↔ `IN_PROGRESS`: HubSpot's enumerations are upper snake case. */
const toEnumeration = (value: unknown): string => String(value).toUpperCase().replace(/-/g, '_');
const emailDirections: Readonly<Record<string, string>> = { outbound: 'EMAIL', inbound: 'INCOMING_EMAIL', EMAIL: 'outbound', INCOMING_EMAIL: 'inbound' };

/** Milliseconds since the epoch of an ISO 8601 date or date-time. */
function epochMs(value: unknown, field: string): number {
  const ms = Date.parse(String(value));
  if (!Number.isFinite(ms)) throw new ValidationError([{ path: [field], code: 'invalid_format', message: 'Expected an ISO 8601 date or date-time' }], 'activity');
  return ms;
}

function unsupported(kind: EngagementKind, field: string, operation: string, message = `HubSpot ${kind} have no property for '${field}'`): UnsupportedOperationError {
  const custom = (customFields as readonly string[]).includes(field) ? ` (name a custom property in activityProperties.${field})` : '';
  return new UnsupportedOperationError(message + custom, 'hubspot', `activities.${operation}`, [field]);
}

/**
 * A portable value as a HubSpot property value on one engagement object; `startMs` is a
 * meeting's start, as its duration is stored as an end time.
 */
function toProperty(kind: EngagementKind, field: string, value: unknown, startMs: number | undefined, operation: string): string {
  if (field === 'status' || field === 'priority') return toEnumeration(value);
  if (field === 'direction') return kind === 'emails' ? (emailDirections[String(value)] ?? String(value)) : toEnumeration(value);
  if (field === 'durationSeconds') {
    const ms = Math.round(Number(value) * 1000);
    if (kind === 'calls') return String(ms);
    if (startMs === undefined) throw unsupported(kind, field, operation, `HubSpot ${kind} keep a duration as an end time, which needs the start ('occurredAt')`);
    return new Date(startMs + ms).toISOString();
  }
  return String(value);
}

/** The engagement object an activity is stored as. */
export function kindOfActivity(type: unknown, channel: unknown, custom: HubSpotActivityProperties): EngagementKind {
  const kind = kindOf(type);
  if (kind) return kind;
  if (custom.type === undefined) throw unsupported('notes', 'type', 'create', `HubSpot keeps calls, emails, meetings, tasks and notes, not '${String(type)}'`);
  // Other touchpoints go to the engagement their channel suggests; the custom property
  // keeps their type.
  return channel === 'phone' || channel === 'call-centre' ? 'calls' : channel === 'email' ? 'emails' : 'notes';
}

/** `call:123`: HubSpot ids are per engagement object, so guanxi's id names the object. */
export function activityId(kind: EngagementKind, id: unknown): string {
  return `${typeOf(kind)}:${String(id)}`;
}

/** The engagement object and HubSpot id of a guanxi activity id. */
export function parseActivityId(id: string): { kind: EngagementKind; id: string } {
  const [type, hubSpotId = ''] = id.split(':');
  const kind = kindOf(type);
  if (!kind || !/^\d+$/.test(hubSpotId)) throw new ValidationError([{ path: ['id'], code: 'invalid_format', message: `HubSpot activity ids name their object, e.g. 'call:123' (got '${id}')` }], 'activity id');
  return { kind, id: hubSpotId };
}

/** A HubSpot association of a new engagement with one record. */
interface EngagementAssociation {
  to: { id: string };
  types: { associationCategory: 'HUBSPOT_DEFINED'; associationTypeId: number }[];
}

/**
 * A portable activity (or changes to one) as HubSpot properties and create-time
 * associations on one engagement object. `startMs` is the meeting's current start, for
 * a change of duration without `occurredAt`.
 *
 * @throws UnsupportedOperationError for a value HubSpot has no place for.
 */
export function toEngagement(
  kind: EngagementKind,
  input: Readonly<Record<string, unknown>>,
  custom: HubSpotActivityProperties,
  operation: 'create' | 'update',
  startMs?: number,
): { properties: Record<string, string>; associations: EngagementAssociation[] } {
  const index = engagementKinds.indexOf(kind);
  const properties: Record<string, string> = {};
  const associations: EngagementAssociation[] = [];
  const start = input.occurredAt == null ? startMs : epochMs(input.occurredAt, 'occurredAt');
  if (input.occurredAt != null) {
    properties.hs_timestamp = new Date(start as number).toISOString();
    if (kind === 'meetings') properties.hs_meeting_start_time = properties.hs_timestamp;
  }
  const typeKind = kindOf(input.type);
  if (input.type !== undefined && (typeKind ? typeKind !== kind : custom.type === undefined)) {
    throw unsupported(kind, 'type', operation, `A HubSpot ${typeOf(kind)} cannot become a ${String(input.type)}`);
  }
  for (const [field, object, typeIds] of associationTargets) {
    const target = input[field];
    if (target == null) continue;
    if (operation === 'update') throw unsupported(kind, field, operation, `HubSpot keeps the ${object} of an activity as associations; change them with HubSpot's associations API`);
    associations.push({ to: { id: String(target) }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeIds[index] as number }] });
  }
  for (const [field, value] of Object.entries(input)) {
    if (value === undefined || ['id', 'createdAt', 'updatedAt', 'archived', 'occurredAt'].includes(field) || associationTargets.some(([name]) => name === field)) continue;
    if (field === 'properties') {
      if (typeof value === 'object' && value !== null) for (const [name, raw] of Object.entries(value)) if (raw !== undefined) properties[name] = toHubSpotValue(name, raw);
      continue;
    }
    const property = field === 'ownerId' ? 'hubspot_owner_id' : (propertyOf(kind, field) || custom[field as keyof HubSpotActivityProperties]);
    if (property) properties[property] = value === null ? '' : custom[field as keyof HubSpotActivityProperties] === property ? String(value) : toProperty(kind, field, value, start, operation);
    // The object's own channel and type need no property.
    else if (field === 'channel' ? value !== null && value !== channelOfKind[kind] : field !== 'type' && ownFields.has(field) && value !== null) throw unsupported(kind, field, operation);
    else if (!ownFields.has(field)) properties[field] = toHubSpotValue(field, value);
  }
  return { properties, associations };
}

/** Every property the adapter asks HubSpot for on an engagement object. */
export function engagementProperties(kind: EngagementKind, custom: HubSpotActivityProperties, extra: readonly string[]): string[] {
  const names = [...Object.values(commonProperties), ...Object.keys(propertyNames).map((field) => propertyOf(kind, field)), ...Object.values(custom), ...extra];
  if (kind === 'meetings') names.push('hs_meeting_start_time');
  return [...new Set(names.filter((name): name is string => !!name))];
}

/** The association ids of a v3 object read with `?associations=…`. */
export function associationsOf(object: unknown): Record<string, string> {
  const found: Record<string, string> = {};
  const groups = (object as { associations?: Record<string, { results?: { id?: unknown }[] }> } | null)?.associations;
  for (const [field, target] of associationTargets) {
    const id = groups?.[target]?.results?.[0]?.id;
    if (id !== undefined) found[field] = String(id);
  }
  return found;
}

/** An engagement object in guanxi's portable activity shape. */
export function fromEngagement(kind: EngagementKind, object: unknown, custom: HubSpotActivityProperties, associations: Record<string, string>): Record<string, unknown> {
  // Not an object: an id-less record, which the client's validation reports.
  if (typeof object !== 'object' || object === null) return {};
  const source = object as { id?: unknown; properties?: Record<string, unknown> | null; createdAt?: unknown; updatedAt?: unknown; archived?: unknown };
  const wire: Record<string, unknown> = { ...source.properties };
  const take = (property: string): unknown => {
    const value = wire[property];
    delete wire[property];
    return value === '' ? null : value;
  };
  const record: Record<string, unknown> = { id: source.id === undefined ? undefined : activityId(kind, source.id), type: typeOf(kind), channel: channelOfKind[kind] };
  record.occurredAt = take('hs_timestamp') ?? take('hs_createdate') ?? source.createdAt;
  record.ownerId = take('hubspot_owner_id') ?? undefined;
  const start = kind === 'meetings' ? (take('hs_meeting_start_time') ?? record.occurredAt) : undefined;
  for (const field of Object.keys(propertyNames)) {
    const property = propertyOf(kind, field);
    const raw = property ? take(property) : undefined;
    if (raw == null) continue;
    const text = String(raw);
    if (field === 'status' || field === 'priority') record[field] = text.toLowerCase().replace(/_/g, '-');
    else if (field === 'direction') {
      const direction = kind === 'emails' ? emailDirections[text] : text.toLowerCase();
      // A direction guanxi has no word for (a forwarded email) stays a HubSpot property.
      if (direction === 'inbound' || direction === 'outbound') record.direction = direction;
      else wire[property as string] = raw;
    } else if (field === 'durationSeconds') {
      const ms = kind === 'calls' ? Number(text) : Date.parse(text) - Date.parse(String(start));
      if (Number.isFinite(ms)) record.durationSeconds = ms / 1000;
    } else record[field] = raw;
  }
  for (const field of customFields) {
    const value = custom[field] === undefined ? undefined : take(custom[field]);
    if (value != null) record[field] = value;
  }
  Object.assign(record, associations);
  for (const property of ['hs_object_id', 'hs_lastmodifieddate']) delete wire[property];
  for (const key of ['createdAt', 'updatedAt', 'archived'] as const) if (source[key] !== undefined) record[key] = source[key];
  if (Object.keys(wire).length > 0) record.properties = wire;
  for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
  return record;
}

/**
 * Splits the engagement objects a search must query off a filter: `type` conditions
 * (`eq`, `in`) at the top level, or directly inside a top-level `and`, choose the
 * objects; the rest of the filter applies to each.
 */
export function engagementSearchPlan(filter: CrmFilter | undefined, custom: HubSpotActivityProperties): { kinds: EngagementKind[]; filter: CrmFilter | undefined } {
  let types: string[] | undefined;
  const rest: CrmFilter[] = [];
  for (const condition of filter === undefined ? [] : 'and' in filter ? filter.and : [filter]) {
    if ('field' in condition && condition.field === 'type' && (condition.op === 'eq' || condition.op === 'in')) {
      const values = ('values' in condition ? condition.values : [condition.value]).map(String);
      types = types === undefined ? values : types.filter((value) => values.includes(value));
    } else rest.push(condition);
  }
  if (JSON.stringify(rest).includes('"field":"type"')) {
    throw unsupported('notes', 'type', 'search', "HubSpot searches activities per engagement object: filter on 'type' with eq or in, at the top level or in a top-level and");
  }
  let kinds = types === undefined ? [...engagementKinds] : engagementKinds.filter((kind) => types.includes(typeOf(kind)));
  // Touchpoint types that are not engagement objects exist only where a custom property
  // keeps them (on calls, emails or notes, by channel).
  const others = types?.filter((type) => !kindOf(type)) ?? [];
  if (others.length > 0 && custom.type !== undefined) {
    if (kinds.length > 0) throw unsupported('notes', 'type', 'search', 'Search HubSpot engagement types (call, email, meeting, task, note) and other touchpoint types apart');
    kinds = ['calls', 'emails', 'notes'];
    rest.push({ field: custom.type, op: 'in', values: others });
  }
  return { kinds, filter: rest.length > 1 ? { and: rest } : rest[0] };
}

/** The HubSpot search property, and value format, of a portable activity field on one engagement object. */
export function engagementFilterProperty(kind: EngagementKind, field: string, custom: HubSpotActivityProperties): { name: string; value: (value: unknown) => string } {
  const association = associationTargets.find(([name]) => name === field);
  // `associations.contact` and friends: HubSpot's search pseudo-properties for associated records.
  if (association) return { name: `associations.${association[1].replace(/ies$/, 'y').replace(/s$/, '')}`, value: String };
  const common = commonProperties[field];
  if (common) return { name: common, value: field === 'ownerId' ? String : (value) => String(epochMs(value, field)) };
  const property = propertyOf(kind, field) || (field === 'durationSeconds' && kind !== 'calls' ? '' : custom[field as keyof HubSpotActivityProperties]);
  if (property) return { name: property, value: custom[field as keyof HubSpotActivityProperties] === property ? String : (value) => toProperty(kind, field, value, undefined, 'search') };
  if (ownFields.has(field)) throw unsupported(kind, field, 'search');
  return { name: field, value: String };
}
