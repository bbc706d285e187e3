import type { CrmObjectType } from '../../adapter';

/**
 * Portable fields ↔ guanxi REST `properties`. Deals, tickets and activities use the
 * same names as the portable model (except ticket `content` ↔ `description`); contacts
 * and companies are `guanxi/profile` parties, whose emails and phones are lists of
 * contact points.
 */

const recordKeys = /*@__PURE__*/ new Set(['id', 'createdAt', 'updatedAt', 'archived', 'archivedAt', 'properties']);

/** Filter and sort paths on the wire for portable field names. */
const wirePaths: Readonly<Record<CrmObjectType, Readonly<Record<string, string>>>> = {
  contacts: { email: 'emails.address', phone: 'phones.number', firstName: 'givenName', lastName: 'familyName', companyName: 'traits.companyName' },
  companies: { name: 'tradeName', domain: 'website' },
  deals: {},
  tickets: { content: 'description' },
  activities: {},
};

/** The wire property path of a portable field (other names pass through). */
export function guanxiRestPath(type: CrmObjectType, field: string): string {
  if (field === 'id' || field === 'createdAt' || field === 'updatedAt') return field;
  return wirePaths[type][field] ?? field;
}

/** The portable field a wire property path stands for, if it is a mapped one. */
export function portableField(type: CrmObjectType, path: string): string | undefined {
  for (const [field, wire] of Object.entries(wirePaths[type])) if (wire === path || wire.split('.')[0] === path) return field;
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function primaryOf(list: unknown, key: string): unknown {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const entries = list.filter(isRecord);
  const primary = entries.find((entry) => entry.primary === true) ?? entries[0];
  return primary?.[key];
}

function domainOf(website: unknown): string | undefined {
  if (typeof website !== 'string') return undefined;
  try {
    return new URL(website).hostname.replace(/^www\./, '');
  } catch {
    return undefined;
  }
}

/**
 * Portable input (fields, `properties` and unknown keys) as guanxi REST `properties`.
 * `merge` is the JSON Merge Patch semantics of PATCH: `null` removes a property.
 */
export function toGuanxiRestProperties(type: CrmObjectType, input: Readonly<Record<string, unknown>>, mode: 'create' | 'merge'): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  if (isRecord(input.properties)) Object.assign(properties, input.properties);
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) if (!recordKeys.has(key) && value !== undefined) rest[key] = value;
  if (type === 'contacts') {
    const { email, phone, firstName, lastName, companyName, ...others } = rest;
    Object.assign(properties, others);
    if (email !== undefined) properties.emails = email === null ? null : [{ address: email, primary: true }];
    if (phone !== undefined) properties.phones = phone === null ? null : [{ number: phone, primary: true }];
    if (firstName !== undefined) properties.givenName = firstName;
    if (lastName !== undefined) properties.familyName = lastName;
    if (companyName !== undefined) properties.traits = { ...(isRecord(properties.traits) ? properties.traits : {}), companyName };
    if (mode === 'create') properties.kind ??= 'person';
  } else if (type === 'companies') {
    const { name, domain, ...others } = rest;
    Object.assign(properties, others);
    if (name !== undefined) properties.tradeName = name;
    if (domain !== undefined) properties.website = domain === null ? null : /^https?:\/\//.test(String(domain)) ? domain : `https://${String(domain)}`;
    if (mode === 'create') properties.kind ??= 'organization';
  } else if (type === 'tickets') {
    const { content, ...others } = rest;
    Object.assign(properties, others);
    if (content !== undefined) properties.description = content;
  } else {
    Object.assign(properties, rest);
  }
  if (mode === 'create') for (const [key, value] of Object.entries(properties)) if (value === null) delete properties[key];
  return properties;
}

const activityFields = [
  'type', 'channel', 'occurredAt', 'subject', 'content', 'direction', 'durationSeconds', 'outcome', 'goal', 'contactPerson', 'status', 'priority',
  'campaign', 'reference', 'contactId', 'companyId', 'dealId', 'ticketId', 'ownerId',
];

/** A guanxi REST record (`{ id, properties, createdAt, updatedAt, archived }`) in the portable shape. */
export function fromGuanxiRestRecord(type: CrmObjectType, record: unknown): Record<string, unknown> {
  if (!isRecord(record)) return { id: undefined };
  const wire = isRecord(record.properties) ? { ...record.properties } : {};
  const portable: Record<string, unknown> = { id: record.id };
  for (const key of ['createdAt', 'updatedAt', 'archived', 'mergedIds'] as const) if (record[key] !== undefined && record[key] !== null) portable[key] = record[key];
  if (type === 'contacts') {
    portable.email = primaryOf(wire.emails, 'address') ?? null;
    portable.phone = primaryOf(wire.phones, 'number') ?? null;
    portable.firstName = wire.givenName ?? null;
    portable.lastName = wire.familyName ?? null;
    if (isRecord(wire.traits) && typeof wire.traits.companyName === 'string') portable.companyName = wire.traits.companyName;
    for (const key of ['ownerId', 'lifecycleStage'] as const) if (wire[key] !== undefined) portable[key] = wire[key];
    delete wire.givenName;
    delete wire.familyName;
    delete wire.ownerId;
    delete wire.lifecycleStage;
    delete wire.kind;
  } else if (type === 'companies') {
    portable.name = wire.tradeName ?? wire.legalName ?? null;
    portable.domain = domainOf(wire.website) ?? null;
    for (const key of ['industry', 'ownerId'] as const) if (wire[key] !== undefined) portable[key] = wire[key];
    delete wire.tradeName;
    delete wire.industry;
    delete wire.ownerId;
    delete wire.kind;
  } else {
    const named = type === 'deals'
      ? ['name', 'stage', 'pipeline', 'amount', 'currency', 'closeDate', 'ownerId']
      : type === 'tickets'
        ? ['subject', 'status', 'priority', 'severity', 'category', 'ownerId']
        : activityFields;
    if (type === 'activities') {
      // Activities stored under the names used before the touchpoint vocabulary was
      // shared (`body`, `durationMs`, a tracked touchpoint's `owner`) read as the current ones.
      if (wire.content === undefined && wire.body !== undefined) wire.content = wire.body;
      if (wire.durationSeconds === undefined && typeof wire.durationMs === 'number') wire.durationSeconds = wire.durationMs / 1000;
      if (wire.ownerId === undefined && wire.owner !== undefined) wire.ownerId = wire.owner;
      delete wire.body;
      delete wire.durationMs;
      delete wire.owner;
    }
    for (const key of named) {
      if (wire[key] !== undefined) {
        portable[key] = wire[key];
        delete wire[key];
      }
    }
    if (type === 'tickets' && wire.description !== undefined) {
      portable.content = wire.description;
      delete wire.description;
    }
  }
  if (Object.keys(wire).length > 0) portable.properties = wire;
  return portable;
}
