/**
 * The server's one integration point with `guanxi/profile`: people and organizations
 * are validated and normalized by the library's `Person` and `Organization` schemas
 * (emails lower-cased, phones in E.164, every problem with its path), and contacts are
 * merged field by field with provenance by the library's profile records
 * (`recordObservation`, `mergeProfileRecords`): latest observation wins per field, lists are
 * unioned. The record, with the source and time of every value, is stored beside the
 * contact's properties. The identity graph itself lives in SQL (`contacts.ts`), because it
 * must survive restarts and serve concurrent requests.
 */
import { safeClone, safeValidate, type ValidationResult } from 'guanxi';
import {
  Organization,
  Person,
  createProfileRecord,
  filterProfileRecord,
  mergeProfileRecords,
  profileRecordFromJson,
  profileRecordToJson,
  profileRecordToParty,
  recordObservation,
  resolveMergeOptions,
  type ProfileRecord,
  type ProfileRecordJson,
} from 'guanxi/profile';

export type ContactProperties = Record<string, unknown>;

/** One identifier of the identity graph. External ids are `<system>:<id>`. */
export interface ContactIdentifier {
  readonly kind: 'userId' | 'email' | 'phone' | 'anonymousId' | 'externalId';
  readonly value: string;
}

/** A profile record as stored in JSON (the `provenance` column). */
export type StoredProfileRecord = ProfileRecordJson;

/** A contact's properties with the profile record they were rendered from. */
export interface ProvenancedProperties {
  readonly properties: ContactProperties;
  readonly provenance: StoredProfileRecord | Record<string, unknown>;
}

/** One observation of a person: what was seen, by which source, when (ISO 8601). */
export interface ProfileObservation {
  readonly properties: ContactProperties;
  readonly source: string;
  readonly observedAt: string;
}

const mergeOptions = resolveMergeOptions();
const personFields = new Set(Object.keys(Person.shape));
const organizationFields = new Set(Object.keys(Organization.shape));

/**
 * Validates with the library's schema and keeps the top-level fields the schema does not
 * know (a CRM keeps what it is given; `safeClone` has dropped prototype-polluting keys).
 */
function parseParty(schema: typeof Person | typeof Organization, known: ReadonlySet<string>, input: unknown, what: string): ValidationResult<ContactProperties> {
  const clean = safeClone(input);
  const result = safeValidate(schema, clean, what);
  if (!result.success) return result;
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(clean as Record<string, unknown>)) if (!known.has(key)) extra[key] = value;
  return { success: true, value: { ...(result.value as ContactProperties), ...extra } };
}

/** Validates and normalizes a person. */
export function parseContactProperties(input: unknown): ValidationResult<ContactProperties> {
  return parseParty(Person, personFields, input, 'contact');
}

/** Validates and normalizes an organization. */
export function parseCompanyProperties(input: unknown): ValidationResult<ContactProperties> {
  return parseParty(Organization, organizationFields, input, 'company');
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

/** Segment `identify` trait names that are person fields. */
const traitFields: Readonly<Record<string, string>> = {
  firstName: 'givenName',
  lastName: 'familyName',
  name: 'fullName',
  gender: 'gender',
  birthday: 'birthday',
  title: 'jobTitle',
  website: 'website',
};

/** Segment `identify` traits (flat: email, phone, firstName…) as person properties; the rest become custom traits. */
export function traitsToContactProperties(traits: Record<string, unknown>, ids: { userId?: string; anonymousId?: string }): ContactProperties {
  const properties: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(traits)) {
    if (key === 'email' && typeof value === 'string') properties['emails'] = [{ address: value }];
    else if (key === 'phone' && typeof value === 'string') properties['phones'] = [{ number: value }];
    else if (traitFields[key] !== undefined && typeof value === 'string') properties[traitFields[key]] = value;
    else custom[key] = value;
  }
  if (Object.keys(custom).length > 0) properties['traits'] = custom;
  const identities: Record<string, unknown> = {};
  if (ids.userId) identities['userId'] = ids.userId;
  if (ids.anonymousId) identities['anonymousIds'] = [ids.anonymousId];
  properties['identities'] = identities;
  return properties;
}

/** The user id of a person, if known. */
export function contactUserId(properties: ContactProperties): string | undefined {
  return (properties['identities'] as { userId?: string } | undefined)?.userId;
}

function toStored(record: ProfileRecord): StoredProfileRecord {
  return profileRecordToJson(record);
}

/** The profile record behind stored properties (rebuilt from the properties if none was stored). */
function toRecord(current: ProvenancedProperties | undefined): ProfileRecord {
  const stored = current?.provenance as Partial<StoredProfileRecord> | undefined;
  if (stored?.format === 'guanxi.profile-record/1') return profileRecordFromJson(stored);
  const record = createProfileRecord('person');
  if (current) recordObservation(record, current.properties, { source: 'import', observedAt: Date.parse(String(current.properties['lastSeenAt'] ?? '')) || 0 }, mergeOptions);
  return record;
}

function render(record: ProfileRecord): ProvenancedProperties {
  return { properties: profileRecordToParty(record), provenance: toStored(record) };
}

/** Merges one observation into a profile (the library's field-level merge with provenance). */
export function mergeContactObservation(current: ProvenancedProperties | undefined, observation: ProfileObservation): ProvenancedProperties {
  const record = toRecord(current);
  recordObservation(record, observation.properties, { source: observation.source, observedAt: Date.parse(observation.observedAt) }, mergeOptions);
  return render(record);
}

/** Merges a whole profile, with its provenance, into another: the merge of two contacts. */
export function combineContacts(survivor: ProvenancedProperties, absorbed: ProvenancedProperties): ProvenancedProperties {
  return render(mergeProfileRecords(toRecord(survivor), toRecord(absorbed), mergeOptions));
}

/**
 * An explicit edit (PATCH): the new properties replace the old. Fields whose value did not
 * change keep their provenance; changed ones are stamped with the edit.
 */
export function replaceContactProfile(current: ProvenancedProperties, next: ContactProperties, source: string, observedAt: number): ProvenancedProperties {
  const before = toRecord(current);
  const changed: Record<string, unknown> = {};
  const headOf = (path: string) => path.split('.')[0] ?? path;
  const unchanged = (key: string) => key in next && JSON.stringify(current.properties[key]) === JSON.stringify(next[key]);
  const record = filterProfileRecord(before, (entry) => unchanged(headOf(entry.path)));
  for (const [key, value] of Object.entries(next)) if (!unchanged(key) && key !== 'firstSeenAt' && key !== 'lastSeenAt') changed[key] = value;
  recordObservation(record, changed, { source, observedAt }, mergeOptions);
  return render(record);
}
