/**
 * Contacts are merged customer profiles. Every write goes through identity resolution:
 * the identifiers of the written person (user id, emails, phones, anonymous ids, external
 * ids) are looked up in the identity graph (`crm_identities`), the contacts found are
 * merged into the oldest one, and the observation is merged field by field with
 * provenance (`profiles.ts`). Two different user ids are never merged: that is an
 * identity conflict. Erased people leave hashed identifiers that stop re-creation by
 * later events.
 */
import { createHash } from 'node:crypto';
import type { SqlExecutor } from './storage/database';
import { HttpProblem } from './http/problem';
import {
  combineContacts,
  contactIdentifiers,
  contactUserId,
  mergeContactObservation,
  replaceContactProfile,
  type ContactIdentifier,
  type ContactProperties,
  type ProfileObservation,
  type ProvenancedProperties,
} from './profiles';
import { insertRecord, newRecordId, readRecord, updateRecord, type StoredRecord } from './records/record-store';

export type ContactWriteStatus = 'created' | 'updated';

export interface ContactWrite {
  readonly status: ContactWriteStatus;
  readonly stored: StoredRecord;
  /** Contacts merged into the result by this write. */
  readonly merged: readonly string[];
}

export interface ObserveOptions {
  /** Write to this contact (it must exist unless `createWithId`). */
  readonly contactId?: string;
  /** Create the contact with this id when it does not exist. */
  readonly createWithId?: string;
  /** Skip people who were erased (for events); explicit API writes may re-create them. */
  readonly respectTombstones?: boolean;
}

export function identifierHash(identifier: ContactIdentifier): string {
  return createHash('sha256').update(`${identifier.kind}:${identifier.value}`).digest('hex');
}

/** Serializes writes to the identity graph (held until the transaction ends). */
export async function lockIdentityGraph(tx: SqlExecutor): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(7483921)`);
}

export async function isErased(tx: SqlExecutor, identifiers: readonly ContactIdentifier[]): Promise<boolean> {
  if (identifiers.length === 0) return false;
  const rows = await tx.query(
    `SELECT 1 FROM crm_tombstones t JOIN jsonb_to_recordset($1::jsonb) AS x(kind text, value_hash text) ON t.kind = x.kind AND t.value_hash = x.value_hash LIMIT 1`,
    [JSON.stringify(identifiers.map((identifier) => ({ kind: identifier.kind, value_hash: identifierHash(identifier) })))],
  );
  return rows.length > 0;
}

async function contactsOwning(tx: SqlExecutor, identifiers: readonly ContactIdentifier[]): Promise<string[]> {
  if (identifiers.length === 0) return [];
  const rows = await tx.query<{ contact_id: string }>(
    `SELECT DISTINCT i.contact_id FROM crm_identities i JOIN jsonb_to_recordset($1::jsonb) AS x(kind text, value text) ON i.kind = x.kind AND i.value = x.value ORDER BY i.contact_id`,
    [JSON.stringify(identifiers)],
  );
  return rows.map((row) => row.contact_id);
}

async function indexIdentifiers(tx: SqlExecutor, contactId: string, properties: ContactProperties): Promise<void> {
  const identifiers = contactIdentifiers(properties);
  if (identifiers.length === 0) return;
  await tx.query(
    `INSERT INTO crm_identities (kind, value, contact_id) SELECT kind, value, $2 FROM jsonb_to_recordset($1::jsonb) AS x(kind text, value text)
     ON CONFLICT (kind, value) DO UPDATE SET contact_id = EXCLUDED.contact_id`,
    [JSON.stringify(identifiers), contactId],
  );
}

function identityConflict(contactIds: readonly string[]): HttpProblem {
  return new HttpProblem(409, 'identity_conflict', 'The identifiers belong to contacts with different user ids; they are not merged', undefined, { contactIds });
}

/** Moves everything that points at `from` to `to` (records, events, consent records, aliases). */
async function repointContact(tx: SqlExecutor, from: string, to: string): Promise<void> {
  await tx.query(
    `UPDATE crm_records SET properties = jsonb_set(properties, '{contactId}', to_jsonb($2::text)) WHERE type <> 'contact' AND properties->>'contactId' = $1`,
    [from, to],
  );
  await tx.query('UPDATE crm_events SET contact_id = $2 WHERE contact_id = $1', [from, to]);
  await tx.query('UPDATE crm_consent_records SET contact_id = $2 WHERE contact_id = $1', [from, to]);
  await tx.query('UPDATE crm_contact_aliases SET contact_id = $2 WHERE contact_id = $1', [from, to]);
  await tx.query('INSERT INTO crm_contact_aliases (merged_id, contact_id) VALUES ($1, $2) ON CONFLICT (merged_id) DO UPDATE SET contact_id = EXCLUDED.contact_id', [from, to]);
  await tx.query('UPDATE crm_identities SET contact_id = $2 WHERE contact_id = $1', [from, to]);
}

/**
 * Resolves the identity of an observed person and writes it: creates a contact, or merges
 * into the one (or several) it matches. Call inside a transaction.
 */
export async function observeContact(tx: SqlExecutor, observation: ProfileObservation, now: Date, options: ObserveOptions = {}): Promise<ContactWrite | undefined> {
  await lockIdentityGraph(tx);
  const identifiers = contactIdentifiers(observation.properties);
  if (options.respectTombstones && (await isErased(tx, identifiers))) return undefined;

  const explicit = options.contactId ?? options.createWithId;
  let target: StoredRecord | undefined;
  if (explicit !== undefined) {
    target = await readRecord(tx, 'contact', explicit);
    if (!target && options.createWithId === undefined) throw new HttpProblem(404, 'not_found', `No contact with id ${JSON.stringify(explicit)}`);
  }
  const owners = (await contactsOwning(tx, identifiers)).filter((id) => id !== target?.record.id);
  const others: StoredRecord[] = [];
  for (const id of owners) {
    const stored = await readRecord(tx, 'contact', id);
    if (stored) others.push(stored);
  }

  if (!target && others.length === 0) {
    const merged = mergeContactObservation(undefined, observation);
    const id = options.createWithId ?? newRecordId('ct', now.getTime());
    const stored = await insertRecord(tx, 'contact', id, merged.properties, now, merged.provenance);
    await indexIdentifiers(tx, id, merged.properties);
    return { status: 'created', stored, merged: [] };
  }

  // The survivor: the contact written to, else the oldest known customer (a user id), else the oldest.
  const candidates = target ? [target, ...others] : [...others].sort((a, b) => Number(contactUserId(b.record.properties) !== undefined) - Number(contactUserId(a.record.properties) !== undefined));
  const [first, ...rest] = candidates;
  if (!first) throw new Error('unreachable: no contact to merge into');
  const userIds = new Set<string>();
  for (const stored of [first, ...rest]) {
    const userId = contactUserId(stored.record.properties);
    if (userId !== undefined) userIds.add(userId);
  }
  const observedUserId = contactUserId(observation.properties);
  if (observedUserId !== undefined) userIds.add(observedUserId);
  if (userIds.size > 1) throw identityConflict([first, ...rest].map((stored) => stored.record.id));

  let profile: ProvenancedProperties = { properties: first.record.properties, provenance: first.provenance };
  const mergedIds = new Set(first.record.mergedIds ?? []);
  for (const other of rest) {
    profile = combineContacts(profile, { properties: other.record.properties, provenance: other.provenance });
    await tx.query(`DELETE FROM crm_records WHERE type = 'contact' AND id = $1`, [other.record.id]);
    await repointContact(tx, other.record.id, first.record.id);
    mergedIds.add(other.record.id);
    for (const id of other.record.mergedIds ?? []) mergedIds.add(id);
  }
  profile = mergeContactObservation(profile, observation);
  // A customer who comes back (or is named again) is live again.
  const stored = await updateRecord(tx, 'contact', first.record.id, profile.properties, now, {
    provenance: profile.provenance,
    mergedIds: [...mergedIds],
    unarchive: true,
  });
  await indexIdentifiers(tx, first.record.id, profile.properties);
  return { status: 'updated', stored, merged: rest.map((other) => other.record.id) };
}

/**
 * Replaces a contact's properties (PATCH): re-indexes its identifiers. An identifier that
 * already names another contact is a conflict, not a silent merge.
 */
export async function replaceContactProperties(tx: SqlExecutor, id: string, properties: ContactProperties, now: Date): Promise<StoredRecord> {
  await lockIdentityGraph(tx);
  const current = await readRecord(tx, 'contact', id);
  if (!current) throw new HttpProblem(404, 'not_found', `No contact with id ${JSON.stringify(id)}`);
  const owners = (await contactsOwning(tx, contactIdentifiers(properties))).filter((owner) => owner !== current.record.id);
  if (owners.length > 0) {
    throw new HttpProblem(409, 'conflict', 'An identifier in the update already belongs to another contact', undefined, { contactIds: owners });
  }
  const profile = replaceContactProfile({ properties: current.record.properties, provenance: current.provenance }, properties, 'api', now.getTime());
  await tx.query('DELETE FROM crm_identities WHERE contact_id = $1', [current.record.id]);
  const stored = await updateRecord(tx, 'contact', current.record.id, profile.properties, now, { provenance: profile.provenance });
  await indexIdentifiers(tx, current.record.id, profile.properties);
  return stored;
}
