import type { CrmObjectType } from '../../adapter';

/**
 * How guanxi's portable fields map to HubSpot property names, per object type. Values
 * that are numbers in guanxi (deal `amount`) are strings in HubSpot; ticket priorities
 * are upper case there.
 *
 * @example
 * ```ts
 * import { hubSpotPropertyNames } from 'guanxi/client';
 *
 * console.log(hubSpotPropertyNames.contacts.firstName); // 'firstname'
 * ```
 */
export const hubSpotPropertyNames: Readonly<Record<Exclude<CrmObjectType, 'activities'>, Readonly<Record<string, string>>>> = /*@__PURE__*/ Object.freeze({
  contacts: Object.freeze({
    email: 'email',
    firstName: 'firstname',
    lastName: 'lastname',
    phone: 'phone',
    companyName: 'company',
    ownerId: 'hubspot_owner_id',
    lifecycleStage: 'lifecyclestage',
    createdAt: 'createdate',
    updatedAt: 'lastmodifieddate',
  }),
  companies: Object.freeze({
    name: 'name',
    domain: 'domain',
    industry: 'industry',
    ownerId: 'hubspot_owner_id',
    createdAt: 'createdate',
    updatedAt: 'hs_lastmodifieddate',
  }),
  deals: Object.freeze({
    name: 'dealname',
    stage: 'dealstage',
    pipeline: 'pipeline',
    amount: 'amount',
    currency: 'deal_currency_code',
    closeDate: 'closedate',
    ownerId: 'hubspot_owner_id',
    createdAt: 'createdate',
    updatedAt: 'hs_lastmodifieddate',
  }),
  tickets: Object.freeze({
    subject: 'subject',
    content: 'content',
    status: 'hs_pipeline_stage',
    priority: 'hs_ticket_priority',
    severity: 'severity',
    category: 'hs_ticket_category',
    pipeline: 'hs_pipeline',
    ownerId: 'hubspot_owner_id',
    createdAt: 'createdate',
    updatedAt: 'hs_lastmodifieddate',
  }),
});

const recordKeys = /*@__PURE__*/ new Set(['id', 'createdAt', 'updatedAt', 'archived', 'properties']);
const numericFields = /*@__PURE__*/ new Set(['amount']);
const upperCaseFields = /*@__PURE__*/ new Set(['priority']);

/** The property map of a type (throws for types HubSpot's objects API is not used for). */
export function propertyMapOf(type: CrmObjectType): Readonly<Record<string, string>> {
  if (type === 'activities') throw new RangeError('activities have no HubSpot property map');
  return hubSpotPropertyNames[type];
}

/** A HubSpot property name for a portable field (unknown fields are taken as property names). */
export function hubSpotProperty(type: CrmObjectType, field: string): string {
  return propertyMapOf(type)[field] ?? field;
}

/** A portable value as a HubSpot property value: strings, `''` to clear. */
export function toHubSpotValue(field: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (upperCaseFields.has(field) && typeof value === 'string') return value.toUpperCase();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Portable input fields (and its `properties`) as a HubSpot `properties` object. */
export function toHubSpotProperties(type: CrmObjectType, input: Readonly<Record<string, unknown>>): Record<string, string> {
  const map = propertyMapOf(type);
  const properties: Record<string, string> = {};
  const extra = input.properties;
  if (typeof extra === 'object' && extra !== null) {
    for (const [name, value] of Object.entries(extra)) {
      if (value !== undefined) properties[name] = toHubSpotValue(name, value);
    }
  }
  for (const [field, value] of Object.entries(input)) {
    if (recordKeys.has(field) || value === undefined) continue;
    properties[map[field] ?? field] = toHubSpotValue(field, value);
  }
  return properties;
}

/**
 * A HubSpot object (`{ id, properties, createdAt, updatedAt, archived }`) in guanxi's
 * portable shape: mapped properties become fields, the others stay in `properties`.
 */
export function fromHubSpotObject(type: CrmObjectType, object: unknown): Record<string, unknown> {
  if (typeof object !== 'object' || object === null) return { id: undefined };
  const source = object as { id?: unknown; properties?: unknown; createdAt?: unknown; updatedAt?: unknown; archived?: unknown };
  const map = propertyMapOf(type);
  const reverse = new Map(Object.entries(map).map(([field, property]) => [property, field]));
  const record: Record<string, unknown> = { id: source.id };
  const extra: Record<string, unknown> = {};
  const properties = typeof source.properties === 'object' && source.properties !== null ? (source.properties as Record<string, unknown>) : {};
  for (const [property, raw] of Object.entries(properties)) {
    const field = reverse.get(property);
    if (field === undefined) {
      if (property !== 'hs_object_id') extra[property] = raw;
      continue;
    }
    if (field === 'createdAt' || field === 'updatedAt') continue;
    record[field] = fromHubSpotValue(field, raw);
  }
  if (typeof source.createdAt === 'string') record.createdAt = source.createdAt;
  if (typeof source.updatedAt === 'string') record.updatedAt = source.updatedAt;
  if (typeof source.archived === 'boolean') record.archived = source.archived;
  if (Object.keys(extra).length > 0) record.properties = extra;
  return record;
}

function fromHubSpotValue(field: string, raw: unknown): unknown {
  if (raw === null || raw === undefined || raw === '') return null;
  if (numericFields.has(field)) {
    const number = Number(raw);
    return Number.isFinite(number) ? number : null;
  }
  if (upperCaseFields.has(field) && typeof raw === 'string') return raw.toLowerCase();
  return raw;
}

/** Every property name the adapter asks HubSpot for, for a type. */
export function requestedProperties(type: CrmObjectType, extra: readonly string[] = []): string[] {
  return [...new Set([...Object.values(propertyMapOf(type)), ...extra])];
}
