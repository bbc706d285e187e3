/**
 * The server's one integration point with `guanxi/profile`: validating and normalizing
 * people and organizations, the identifiers the identity graph indexes, and the
 * field-level merge with provenance. The identity graph itself lives in SQL
 * (`contacts.ts`), because it must survive restarts and serve concurrent requests.
 */
import { z } from 'zod';
import { safeValidate, type ValidationResult } from 'guanxi';

export type ContactProperties = Record<string, unknown>;

/** One identifier of the identity graph. External ids are `<system>:<id>`. */
export interface ContactIdentifier {
  readonly kind: 'userId' | 'email' | 'phone' | 'anonymousId' | 'externalId';
  readonly value: string;
}

/** Where one top-level field's current value came from. */
export interface FieldProvenance {
  readonly source: string;
  readonly observedAt: string;
}

/** A profile's properties with the provenance of each top-level field. */
export interface ProvenancedProperties {
  readonly properties: ContactProperties;
  readonly provenance: Readonly<Record<string, FieldProvenance>>;
}

/** One observation of a profile: what was seen, by which source, when. */
export interface ProfileObservation {
  readonly properties: ContactProperties;
  readonly source: string;
  readonly observedAt: string;
}

const identifier = z.string().trim().min(1).max(256);
const Email = z.object({ address: z.string().trim().toLowerCase().pipe(z.email()) }).loose();
const Phone = z
  .object({
    number: z
      .string()
      .trim()
      .transform((number) => number.replace(/[\s().-]/g, ''))
      .pipe(z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'Expected a phone number in international format (+ and 7 to 15 digits)')),
  })
  .loose();
const Identities = z
  .object({
    anonymousIds: z.array(identifier).max(1000).optional(),
    userId: identifier.optional(),
    externalIds: z.record(z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/), z.union([identifier, z.array(identifier).max(100)]).transform((ids) => (typeof ids === 'string' ? [ids] : ids))).optional(),
  })
  .loose();
const Party = z
  .object({
    identities: Identities.optional(),
    emails: z.array(Email).max(100).optional(),
    phones: z.array(Phone).max(100).optional(),
    tags: z.array(z.string().trim().min(1).max(64)).max(500).optional(),
  })
  .loose();

const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

function withoutPollutingKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPollutingKeys);
  if (typeof value !== 'object' || value === null) return value;
  const clean: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) if (!forbiddenKeys.has(key)) clean[key] = withoutPollutingKeys(inner);
  return clean;
}

/** Validates and normalizes a person (emails lower-cased, phones in E.164). */
export function parseContactProperties(input: unknown): ValidationResult<ContactProperties> {
  return safeValidate(Party, withoutPollutingKeys(input), 'contact') as ValidationResult<ContactProperties>;
}

/** Validates and normalizes an organization. */
export function parseCompanyProperties(input: unknown): ValidationResult<ContactProperties> {
  return safeValidate(Party, withoutPollutingKeys(input), 'company') as ValidationResult<ContactProperties>;
}

/** The identifiers of a (validated) person that the identity graph indexes. */
export function contactIdentifiers(properties: ContactProperties): ContactIdentifier[] {
  const found: ContactIdentifier[] = [];
  const identities = (properties['identities'] ?? {}) as { userId?: string; anonymousIds?: string[]; externalIds?: Record<string, string[]> };
  if (identities.userId) found.push({ kind: 'userId', value: identities.userId });
  for (const id of identities.anonymousIds ?? []) found.push({ kind: 'anonymousId', value: id });
  for (const [system, ids] of Object.entries(identities.externalIds ?? {})) for (const id of ids) found.push({ kind: 'externalId', value: `${system}:${id}` });
  for (const email of (properties['emails'] ?? []) as { address: string }[]) found.push({ kind: 'email', value: email.address });
  for (const phone of (properties['phones'] ?? []) as { number: string }[]) found.push({ kind: 'phone', value: phone.number });
  return found;
}

/** The properties that name a person by one identifier (for upserts by `idProperty`). */
export function propertiesForIdentifier(kind: ContactIdentifier['kind'], value: string): ContactProperties {
  switch (kind) {
    case 'userId':
      return { identities: { userId: value } };
    case 'anonymousId':
      return { identities: { anonymousIds: [value] } };
    case 'email':
      return { emails: [{ address: value }] };
    case 'phone':
      return { phones: [{ number: value }] };
    case 'externalId': {
      const [system = '', ...rest] = value.split(':');
      return { identities: { externalIds: { [system]: [rest.join(':')] } } };
    }
  }
}

/** Segment `identify` traits (flat: email, phone, firstName…) as person properties. */
export function traitsToContactProperties(traits: Record<string, unknown>, ids: { userId?: string; anonymousId?: string }): ContactProperties {
  const properties: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(traits)) {
    if (key === 'email' && typeof value === 'string') properties['emails'] = [{ address: value }];
    else if (key === 'phone' && typeof value === 'string') properties['phones'] = [{ number: value }];
    else rest[key] = value;
  }
  Object.assign(properties, rest);
  const identities: Record<string, unknown> = {};
  if (ids.userId) identities['userId'] = ids.userId;
  if (ids.anonymousId) identities['anonymousIds'] = [ids.anonymousId];
  properties['identities'] = identities;
  return properties;
}

/** The user ids of a person (more than one means two people). */
export function contactUserId(properties: ContactProperties): string | undefined {
  return (properties['identities'] as { userId?: string } | undefined)?.userId;
}

function listKey(field: string, item: unknown): string {
  if (typeof item === 'object' && item !== null) {
    if (field === 'emails') return String((item as { address?: unknown }).address);
    if (field === 'phones') return String((item as { number?: unknown }).number);
  }
  return JSON.stringify(item);
}

/** Whether observation `a` is later than `b`; ties are broken by content so the merge is commutative. */
function isLater(a: FieldProvenance, aValue: unknown, b: FieldProvenance, bValue: unknown): boolean {
  if (a.observedAt !== b.observedAt) return a.observedAt > b.observedAt;
  return JSON.stringify(aValue) > JSON.stringify(bValue);
}

function unionLists(field: string, current: unknown[], incoming: unknown[]): unknown[] {
  const byKey = new Map<string, unknown>();
  for (const item of current) byKey.set(listKey(field, item), item);
  for (const item of incoming) {
    const key = listKey(field, item);
    const existing = byKey.get(key);
    byKey.set(key, typeof existing === 'object' && existing !== null && typeof item === 'object' && item !== null ? { ...existing, ...item } : item);
  }
  return [...byKey.values()];
}

function mergeIdentities(current: Record<string, unknown>, incoming: Record<string, unknown>, incomingIsLater: boolean): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  const anonymous = unionLists('anonymousIds', (current['anonymousIds'] as unknown[]) ?? [], (incoming['anonymousIds'] as unknown[]) ?? []);
  if (anonymous.length > 0) merged['anonymousIds'] = anonymous;
  if (incoming['userId'] !== undefined && (current['userId'] === undefined || incomingIsLater)) merged['userId'] = incoming['userId'];
  const external: Record<string, unknown[]> = { ...((current['externalIds'] as Record<string, unknown[]>) ?? {}) };
  for (const [system, ids] of Object.entries((incoming['externalIds'] as Record<string, unknown[]>) ?? {})) {
    external[system] = unionLists(system, external[system] ?? [], ids);
  }
  if (Object.keys(external).length > 0) merged['externalIds'] = external;
  return merged;
}

/**
 * Merges one observation into a profile, field by field: the latest observation wins for
 * single values, lists are unioned (emails by address, phones by number), identities are
 * combined. Each field's provenance records the source and time of its value.
 */
export function mergeContactObservation(current: ProvenancedProperties | undefined, observation: ProfileObservation): ProvenancedProperties {
  const properties: Record<string, unknown> = { ...(current?.properties ?? {}) };
  const provenance: Record<string, FieldProvenance> = { ...(current?.provenance ?? {}) };
  const seen: FieldProvenance = { source: observation.source, observedAt: observation.observedAt };
  for (const [field, value] of Object.entries(observation.properties)) {
    if (value === undefined) continue;
    const before = properties[field];
    const beforeProvenance = provenance[field];
    const later = beforeProvenance === undefined || isLater(seen, value, beforeProvenance, before);
    if (field === 'identities' && typeof value === 'object' && value !== null && typeof before === 'object' && before !== null) {
      properties[field] = mergeIdentities(before as Record<string, unknown>, value as Record<string, unknown>, later);
    } else if (Array.isArray(value) && Array.isArray(before)) {
      properties[field] = unionLists(field, before, value);
    } else if (later || before === undefined) {
      properties[field] = value;
    } else {
      continue;
    }
    if (later) provenance[field] = seen;
  }
  return { properties, provenance };
}

/** Merges a whole profile (with its provenance) into another: the profile merge of two contacts. */
export function combineContacts(survivor: ProvenancedProperties, absorbed: ProvenancedProperties): ProvenancedProperties {
  let merged = survivor;
  for (const [field, value] of Object.entries(absorbed.properties)) {
    const seen = absorbed.provenance[field] ?? { source: 'merge', observedAt: '1970-01-01T00:00:00.000Z' };
    merged = mergeContactObservation(merged, { properties: { [field]: value }, source: seen.source, observedAt: seen.observedAt });
  }
  return merged;
}
