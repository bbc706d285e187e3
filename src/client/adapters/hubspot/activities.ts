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

/** Activity fields HubSpot has no property for; kept only in custom properties the caller names. */
export type HubSpotCustomActivityField = 'type' | 'channel' | 'outcome' | 'goal' | 'contactPerson' | 'campaign' | 'reference';
export type HubSpotActivityProperties = Partial<Record<HubSpotCustomActivityField, string>>;

const customFields: readonly HubSpotCustomActivityField[] = ['type', 'channel', 'outcome', 'goal', 'contactPerson', 'campaign', 'reference'];

/** The activity type each engagement object stands for. */
const typeOfKind: Readonly<Record<EngagementKind, string>> = { calls: 'call', emails: 'email', meetings: 'meeting', tasks: 'task', notes: 'note' };

/** The channel an engagement implies (read back when no channel property is kept). */
const channelOfKind: Partial<Record<EngagementKind, string>> = { calls: 'phone', emails: 'email' };

/**
 * Portable field → HubSpot property, per engagement object. A field missing here cannot
 * be stored on that object (it is rejected unless a custom property is configured).
 */
const propertyNames: Readonly<Record<EngagementKind, Readonly<Record<string, string>>>> = {
  calls: { subject: 'hs_call_title', content: 'hs_call_body', direction: 'hs_call_direction', durationSeconds: 'hs_call_duration', status: 'hs_call_status' },
  emails: { subject: 'hs_email_subject', content: 'hs_email_text', direction: 'hs_email_direction', status: 'hs_email_status' },
  meetings: { subject: 'hs_meeting_title', content: 'hs_meeting_body', status: 'hs_meeting_outcome', durationSeconds: 'hs_meeting_end_time' },
  tasks: { subject: 'hs_task_subject', content: 'hs_task_body', status: 'hs_task_status', priority: 'hs_task_priority' },
  notes: { content: 'hs_note_body' },
};

const commonProperties: Readonly<Record<string, string>> = { occurredAt: 'hs_timestamp', ownerId: 'hubspot_owner_id', createdAt: 'hs_createdate', updatedAt: 'hs_lastmodifieddate' };

/** Records an activity may belong to: field, HubSpot object, singular search pseudo-property. */
const associationTargets = [
  ['contactId', 'contacts', 'associations.contact'],
  ['companyId', 'companies', 'associations.company'],
  ['dealId', 'deals', 'associations.deal'],
  ['ticketId', 'tickets', 'associations.ticket'],
] as const;

/**
 * HubSpot-defined association type ids from each engagement object to contacts,
 * companies, deals and tickets (HubSpot's associations v4 guide, "Association type id
 * values"; e.g. call → contact 194, note → contact 202, task → contact 204).
 */
const associationTypeIds: Readonly<Record<EngagementKind, readonly [number, number, number, number]>> = {
  calls: [194, 182, 206, 220],
  emails: [198, 186, 210, 224],
  meetings: [200, 188, 212, 226],
  notes: [202, 190, 214, 228],
  tasks: [204, 192, 216, 230],
};

const recordKeys = /*@__PURE__*/ new Set(['id', 'createdAt', 'updatedAt', 'archived', 'properties', 'type', 'occurredAt', 'ownerId', 'channel']);

/** `in-progress` ↔ `IN_PROGRESS`: HubSpot's enumerations are upper snake case. */
const toEnumeration = (value: unknown): string => String(value).toUpperCase().replace(/-/g, '_');
const fromEnumeration = (value: string): string => value.toLowerCase().replace(/_/g, '-');

const emailDirections: Readonly<Record<string, string>> = { outbound: 'EMAIL', inbound: 'INCOMING_EMAIL' };

/** The engagement object an activity is stored as. */
export function kindOfActivity(type: unknown, channel: unknown, custom: HubSpotActivityProperties): EngagementKind {
  const direct = engagementKinds.find((kind) => typeOfKind[kind] === type);
  if (direct) return direct;
  if (custom.type === undefined) {
    throw new UnsupportedOperationError(
      `HubSpot stores calls, emails, meetings, tasks and notes; a '${String(type)}' touchpoint needs a custom HubSpot property to keep its type (option activityProperties.type), or log it as one of those`,
      'hubspot',
      'activities.create',
      ['type'],
    );
  }
  // Other touchpoints go to the engagement their channel suggests; their type is kept in
  // the custom property.
  return channel === 'phone' || channel === 'call-centre' ? 'calls' : channel === 'email' ? 'emails' : 'notes';
}

/** `call:123`: HubSpot ids are per engagement object, so guanxi's id names the object. */
export function activityId(kind: EngagementKind, id: unknown): string {
  return `${typeOfKind[kind]}:${String(id)}`;
}

/** The engagement object and HubSpot id of a guanxi activity id. */
export function parseActivityId(id: string): { kind: EngagementKind; id: string } {
  const separator = id.indexOf(':');
  const kind = engagementKinds.find((candidate) => typeOfKind[candidate] === id.slice(0, separator));
  const hubSpotId = id.slice(separator + 1);
  if (!kind || !/^\d+$/.test(hubSpotId)) {
    throw new ValidationError([{ path: ['id'], code: 'invalid_format', message: `HubSpot activity ids name their engagement object, e.g. 'call:123' (got '${id}')` }], 'activity id');
  }
  return { kind, id: hubSpotId };
}

function unsupported(kind: EngagementKind, field: string, operation: string): UnsupportedOperationError {
  const hint = (customFields as readonly string[]).includes(field) ? ` (name a custom HubSpot property for it in the option activityProperties.${field})` : '';
  return new UnsupportedOperationError(`HubSpot ${kind} have no property for '${field}'${hint}`, 'hubspot', `activities.${operation}`, [field]);
}

/** Milliseconds since the epoch of an ISO 8601 date or date-time (HubSpot's datetime format). */
function epochMs(value: unknown, field: string): number {
  const ms = typeof value === 'number' ? value : Date.parse(String(value));
  if (!Number.isFinite(ms)) throw new ValidationError([{ path: [field], code: 'invalid_format', message: 'Expected an ISO 8601 date or date-time' }], 'activity');
  return ms;
}

/**
 * A portable activity (or changes to one) as HubSpot properties and create-time
 * associations on one engagement object. `startMs` is the meeting's start, needed to turn
 * a duration into HubSpot's end time when a change does not include `occurredAt`.
 *
 * @throws UnsupportedOperationError for a value HubSpot has no place for.
 */
export function toEngagement(
  kind: EngagementKind,
  input: Readonly<Record<string, unknown>>,
  custom: HubSpotActivityProperties,
  operation: 'create' | 'update',
  startMs?: number,
): { properties: Record<string, string>; associations: { to: { id: string }; types: { associationCategory: 'HUBSPOT_DEFINED'; associationTypeId: number }[] }[] } {
  const map = propertyNames[kind];
  const properties: Record<string, string> = {};
  const extra = input.properties;
  if (typeof extra === 'object' && extra !== null) {
    for (const [name, value] of Object.entries(extra)) if (value !== undefined) properties[name] = toHubSpotValue(name, value);
  }
  const set = (property: string, value: unknown) => {
    properties[property] = value === null ? '' : typeof value === 'string' ? value : String(value);
  };
  if (input.occurredAt != null) {
    const at = new Date(epochMs(input.occurredAt, 'occurredAt')).toISOString();
    set('hs_timestamp', at);
    if (kind === 'meetings') set('hs_meeting_start_time', at);
  }
  if (input.ownerId !== undefined) set('hubspot_owner_id', input.ownerId);
  const type = input.type;
  if (type !== undefined) {
    const typeKind = engagementKinds.find((candidate) => typeOfKind[candidate] === type);
    if (typeKind ? typeKind !== kind : custom.type === undefined) {
      throw new UnsupportedOperationError(`A HubSpot ${typeOfKind[kind]} cannot become a ${String(type)}: log a new activity instead`, 'hubspot', `activities.${operation}`, ['type']);
    }
    if (custom.type !== undefined) set(custom.type, type);
  }
  const channel = input.channel;
  if (channel != null) {
    if (custom.channel !== undefined) set(custom.channel, channel);
    else if (channel !== channelOfKind[kind]) throw unsupported(kind, 'channel', operation);
  }
  const associations: ReturnType<typeof toEngagement>['associations'] = [];
  associationTargets.forEach(([field], index) => {
    const target = input[field];
    if (target == null) return;
    if (operation === 'update') {
      throw new UnsupportedOperationError(`HubSpot keeps an activity's ${field.slice(0, -2)} as an association; change it with HubSpot's associations API, not an update`, 'hubspot', 'activities.update', [field]);
    }
    associations.push({ to: { id: String(target) }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: associationTypeIds[kind][index] ?? 0 }] });
  });
  for (const [field, value] of Object.entries(input)) {
    if (recordKeys.has(field) || value === undefined || associationTargets.some(([name]) => name === field)) continue;
    const property = map[field];
    if (property === undefined) {
      const customProperty = custom[field as HubSpotCustomActivityField];
      if (customProperty !== undefined) set(customProperty, value);
      else if ((customFields as readonly string[]).includes(field) || field in propertyNamesOfAllKinds) {
        if (value !== null) throw unsupported(kind, field, operation);
      } else set(field, value);
      continue;
    }
    if (value === null) {
      set(property, null);
    } else if (field === 'status' || field === 'priority') {
      set(property, toEnumeration(value));
    } else if (field === 'direction') {
      set(property, kind === 'emails' ? (emailDirections[String(value)] ?? toEnumeration(value)) : toEnumeration(value));
    } else if (field === 'durationSeconds') {
      const ms = Math.round(Number(value) * 1000);
      if (kind === 'calls') set(property, ms);
      else {
        const start = input.occurredAt != null ? epochMs(input.occurredAt, 'occurredAt') : startMs;
        if (start === undefined) throw unsupported(kind, 'durationSeconds', operation);
        set(property, new Date(start + ms).toISOString());
      }
    } else {
      set(property, value);
    }
  }
  return { properties, associations };
}

const propertyNamesOfAllKinds: Readonly<Record<string, true>> = /*@__PURE__*/ Object.fromEntries(
  engagementKinds.flatMap((kind) => Object.keys(propertyNames[kind])).map((field) => [field, true]),
);

/** Every property the adapter asks HubSpot for on an engagement object. */
export function engagementProperties(kind: EngagementKind, custom: HubSpotActivityProperties, extra: readonly string[] = []): string[] {
  const names = [...Object.values(commonProperties), ...Object.values(propertyNames[kind]), ...Object.values(custom), ...extra];
  if (kind === 'meetings') names.push('hs_meeting_start_time');
  return [...new Set(names)];
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

/** The HubSpot objects activities may be associated with, and the portable field of each. */
export const associationObjects: readonly (readonly [field: string, object: string])[] = /*@__PURE__*/ associationTargets.map(([field, object]) => [field, object] as const);

/** An engagement object in guanxi's portable activity shape. */
export function fromEngagement(kind: EngagementKind, object: unknown, custom: HubSpotActivityProperties, associations: Record<string, string>): Record<string, unknown> {
  if (typeof object !== 'object' || object === null) return { id: undefined };
  const source = object as { id?: unknown; properties?: Record<string, unknown> | null; createdAt?: unknown; updatedAt?: unknown; archived?: unknown };
  const wire: Record<string, unknown> = { ...(source.properties ?? {}) };
  const take = (property: string): unknown => {
    const value = wire[property];
    delete wire[property];
    return value === '' ? null : value;
  };
  const record: Record<string, unknown> = { id: activityId(kind, source.id), type: typeOfKind[kind] };
  const channel = channelOfKind[kind];
  if (channel !== undefined) record.channel = channel;
  record.occurredAt = take('hs_timestamp') ?? take('hs_createdate') ?? source.createdAt;
  const owner = take('hubspot_owner_id');
  if (owner != null) record.ownerId = owner;
  const start = kind === 'meetings' ? take('hs_meeting_start_time') : undefined;
  for (const [field, property] of Object.entries(propertyNames[kind])) {
    const raw = take(property);
    if (raw == null) continue;
    const text = String(raw);
    if (field === 'status' || field === 'priority') record[field] = fromEnumeration(text);
    else if (field === 'direction') {
      const direction = kind === 'emails' ? (text === 'EMAIL' ? 'outbound' : text === 'INCOMING_EMAIL' ? 'inbound' : undefined) : fromEnumeration(text);
      // A direction guanxi has no word for (a forwarded email) stays a HubSpot property.
      if (direction === 'inbound' || direction === 'outbound') record.direction = direction;
      else wire[property] = raw;
    } else if (field === 'durationSeconds') {
      const ms = kind === 'calls' ? Number(text) : Date.parse(text) - Date.parse(String(start ?? record.occurredAt));
      if (Number.isFinite(ms)) record.durationSeconds = ms / 1000;
    } else record[field] = raw;
  }
  for (const field of customFields) {
    const property = custom[field];
    if (property === undefined) continue;
    const value = take(property);
    if (value != null) record[field] = value;
  }
  Object.assign(record, associations);
  delete wire.hs_object_id;
  delete wire.hs_lastmodifieddate;
  if (typeof source.createdAt === 'string') record.createdAt = source.createdAt;
  if (typeof source.updatedAt === 'string') record.updatedAt = source.updatedAt;
  if (typeof source.archived === 'boolean') record.archived = source.archived;
  if (Object.keys(wire).length > 0) record.properties = wire;
  return record;
}

/**
 * Splits the engagement objects a search must query off a filter: `type` conditions
 * (`eq`, `in`) at the top level, or directly inside a top-level `and`, choose the
 * objects; the rest of the filter applies to each.
 */
export function engagementSearchPlan(filter: CrmFilter | undefined, custom: HubSpotActivityProperties): { kinds: EngagementKind[]; filter: CrmFilter | undefined } {
  const conditions = filter === undefined ? [] : 'and' in filter ? filter.and : [filter];
  let typeValues: string[] | undefined;
  const rest: CrmFilter[] = [];
  for (const condition of conditions) {
    if ('field' in condition && condition.field === 'type' && (condition.op === 'eq' || condition.op === 'in')) {
      const values = ('values' in condition ? condition.values : [condition.value]).map(String);
      typeValues = typeValues === undefined ? values : typeValues.filter((value) => values.includes(value));
    } else rest.push(condition);
  }
  if (JSON.stringify(rest).includes('"field":"type"')) {
    throw new UnsupportedOperationError("HubSpot activities are searched per engagement object: filter on 'type' only with eq or in, at the top level or in a top-level and", 'hubspot', 'activities.search', ['type']);
  }
  const engagementTypes: readonly string[] = Object.values(typeOfKind);
  let kinds: EngagementKind[] = typeValues === undefined ? [...engagementKinds] : engagementKinds.filter((kind) => typeValues.includes(typeOfKind[kind]));
  // Touchpoint types that are not engagement objects exist only where a custom property
  // keeps them (on calls, emails or notes, by channel).
  const others = typeValues?.filter((type) => !engagementTypes.includes(type)) ?? [];
  if (others.length > 0 && custom.type !== undefined) {
    if (kinds.length > 0) {
      throw new UnsupportedOperationError('Search HubSpot engagement types (call, email, meeting, task, note) and other touchpoint types separately', 'hubspot', 'activities.search', ['type']);
    }
    kinds = ['calls', 'emails', 'notes'];
    rest.push({ field: custom.type, op: 'in', values: others });
  }
  return { kinds, filter: rest.length === 0 ? undefined : rest.length === 1 ? rest[0] : { and: rest } };
}

/** The HubSpot search property and value of a portable activity field on one engagement object. */
export function engagementFilterProperty(kind: EngagementKind, field: string, custom: HubSpotActivityProperties): { name: string; value: (value: unknown) => string } {
  const association = associationTargets.find(([name]) => name === field);
  if (association) return { name: association[2], value: String };
  const common = commonProperties[field];
  if (common !== undefined) return { name: common, value: field === 'ownerId' ? String : (value) => String(epochMs(value, field)) };
  const property = propertyNames[kind][field];
  if (property === undefined) {
    const customProperty = custom[field as HubSpotCustomActivityField];
    if (customProperty !== undefined) return { name: customProperty, value: String };
    if ((customFields as readonly string[]).includes(field) || field in propertyNamesOfAllKinds) throw unsupported(kind, field, 'search');
    return { name: field, value: String };
  }
  if (field === 'status' || field === 'priority') return { name: property, value: toEnumeration };
  if (field === 'direction') return { name: property, value: (value) => (kind === 'emails' ? (emailDirections[String(value)] ?? String(value)) : toEnumeration(value)) };
  if (field === 'durationSeconds') {
    if (kind !== 'calls') throw unsupported(kind, field, 'search');
    return { name: property, value: (value) => String(Math.round(Number(value) * 1000)) };
  }
  return { name: property, value: String };
}
