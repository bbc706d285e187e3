import { GuanxiError } from '../core/errors/guanxi-error';
import { isSafeKey } from '../core/safe-object';
import type { ChangeRecord } from './change-record';
import { resolveMergeOptions, type ResolvedMergeOptions } from './merge-policy';
import type { PartyKind } from './party-kind';
import { canonicalJson, sameValue, type StampedValue } from './provenance';

/**
 * A profile as the merge sees it: every field with the provenance of the value that won,
 * list fields as items keyed by identity. Built from observations with
 * `recordObservation` and combined with `mergeProfileRecords`; turned into a plain party
 * object with `profileRecordToParty`.
 *
 * Field paths are top-level field names, `identities.<name>` and `traits.<key>`.
 *
 * @example
 * ```ts
 * import { createProfileRecord, recordObservation, type ProfileRecord } from 'guanxi/profile';
 *
 * const record: ProfileRecord = createProfileRecord('person');
 * recordObservation(record, { givenName: 'Ada' }, { source: 'web', observedAt: Date.now() });
 * console.log(record.fields.get('givenName')?.value); // 'Ada'
 * ```
 */
export interface ProfileRecord {
  readonly kind: PartyKind;
  /** Earliest observation time (ms since the epoch); `Infinity` while empty. */
  firstSeenAt: number;
  /** Latest observation time; `-Infinity` while empty. */
  lastSeenAt: number;
  /** Scalar fields (and lists merged as one value) by path. */
  readonly fields: Map<string, StampedValue>;
  /** Unioned list fields by path, each item by its key. */
  readonly lists: Map<string, Map<string, StampedValue>>;
}

/**
 * Where and when one observation was made.
 *
 * @example
 * ```ts
 * import type { ObservationStamp } from 'guanxi/profile';
 *
 * const stamp: ObservationStamp = { source: 'pos', observedAt: Date.parse('2026-03-01T08:00:00Z') };
 * ```
 */
export interface ObservationStamp {
  /** Where the observation came from. */
  readonly source: string;
  /** When it was made, in ms since the epoch. */
  readonly observedAt: number;
}

/**
 * An empty profile record of the given party kind.
 *
 * @example
 * ```ts
 * import { createProfileRecord } from 'guanxi/profile';
 *
 * const record = createProfileRecord('organization');
 * ```
 */
export function createProfileRecord(kind: PartyKind): ProfileRecord {
  return { kind, firstSeenAt: Infinity, lastSeenAt: -Infinity, fields: new Map(), lists: new Map() };
}

/** Fields the system sets, never taken from observations. */
const systemFields: ReadonlySet<string> = new Set(['kind', 'id', 'customerNumber', 'mergedProfileIds', 'firstSeenAt', 'lastSeenAt']);

const text = (value: unknown): string => (typeof value === 'string' ? value : canonicalJson(value));

/** The identity of a list item: two items with the same key are the same contact point, tag… */
export function listItemKey(path: string, item: unknown): string {
  if (item !== null && typeof item === 'object') {
    const fields = item as Record<string, unknown>;
    switch (path) {
      case 'emails':
        return text(fields.address);
      case 'phones':
        return text(fields.number);
      case 'handles':
        return `${text(fields.network)}:${text(fields.handle)}`;
      case 'relationships': {
        const to = (fields.to ?? {}) as Record<string, unknown>;
        return `${text(fields.type)}>${text(to.kind)}:${text(to.id)}`;
      }
      case 'addresses':
        return canonicalJson([fields.kind, fields.lines, fields.district, fields.locality, fields.region, fields.postalCode, fields.country]).toLowerCase();
      case 'specialDates':
        return `${text(fields.kind)}|${text(fields.date)}|${text(fields.label ?? '')}`;
      case 'identities.externalIds':
        return `${text(fields.system)}:${text(fields.id)}`;
    }
    return canonicalJson(item);
  }
  return typeof item === 'string' ? item : canonicalJson(item);
}

/** Keeps the greater of the current and the incoming stamped value; reports a change when the value differs. */
function absorbScalar(
  record: ProfileRecord,
  path: string,
  incoming: StampedValue,
  compare: (a: StampedValue, b: StampedValue) => number,
  changes: ChangeRecord[] | undefined,
  profileId: string,
): void {
  const current = record.fields.get(path);
  if (current !== undefined && compare(incoming, current) <= 0) return;
  record.fields.set(path, incoming);
  if (changes !== undefined && (current === undefined || !sameValue(current.value, incoming.value))) {
    changes.push({ profileId, field: path, before: current?.value, after: incoming.value, source: incoming.source, observedAt: incoming.observedAt });
  }
}

function absorbItem(
  record: ProfileRecord,
  path: string,
  key: string,
  incoming: StampedValue,
  compare: (a: StampedValue, b: StampedValue) => number,
  changes: ChangeRecord[] | undefined,
  profileId: string,
): void {
  let items = record.lists.get(path);
  if (items === undefined) {
    items = new Map();
    record.lists.set(path, items);
  }
  const current = items.get(key);
  if (current !== undefined && compare(incoming, current) <= 0) return;
  items.set(key, incoming);
  if (changes !== undefined && (current === undefined || !sameValue(current.value, incoming.value))) {
    changes.push({ profileId, field: path, key, before: current?.value, after: incoming.value, source: incoming.source, observedAt: incoming.observedAt });
  }
}

function absorbField(
  record: ProfileRecord,
  path: string,
  value: unknown,
  stamp: ObservationStamp,
  merge: ResolvedMergeOptions,
  changes: ChangeRecord[] | undefined,
  profileId: string,
): void {
  if (value === undefined) return;
  const policy = merge.policyOf(path);
  if (policy.union && Array.isArray(value)) {
    for (const item of value) {
      if (item === undefined) continue;
      absorbItem(record, path, listItemKey(path, item), { value: item, source: stamp.source, observedAt: stamp.observedAt }, policy.compare, changes, profileId);
    }
    return;
  }
  absorbScalar(record, path, { value, source: stamp.source, observedAt: stamp.observedAt }, policy.compare, changes, profileId);
}

function touch(record: ProfileRecord, first: number, last: number): void {
  if (first < record.firstSeenAt) record.firstSeenAt = first;
  if (last > record.lastSeenAt) record.lastSeenAt = last;
}

/**
 * Applies one observation of a party (a parsed `Person` or `Organization`, or a part of
 * one) to a record, field by field, under the merge policies. Returns the changes it
 * made. System fields (`id`, `customerNumber`, `kind`, `firstSeenAt`…) are ignored.
 *
 * @param record - The record to update (mutated).
 * @param party - Parsed, normalized party fields.
 * @param stamp - Source and time of the observation.
 * @param merge - Resolved merge options (default: `resolveMergeOptions()`).
 * @param profileId - Put on the change records.
 * @returns The change records, one per field or list item whose value changed.
 *
 * @example
 * ```ts
 * import { createProfileRecord, recordObservation } from 'guanxi/profile';
 *
 * const record = createProfileRecord('person');
 * recordObservation(record, { familyName: 'Byron' }, { source: 'web', observedAt: 1 });
 * const changes = recordObservation(record, { familyName: 'Lovelace' }, { source: 'crm', observedAt: 2 });
 * console.log(changes[0]); // { field: 'familyName', before: 'Byron', after: 'Lovelace', source: 'crm', … }
 * ```
 */
export function recordObservation(
  record: ProfileRecord,
  party: object,
  stamp: ObservationStamp,
  merge: ResolvedMergeOptions = defaultResolvedMerge(),
  profileId = '',
): ChangeRecord[] {
  const changes: ChangeRecord[] = [];
  applyObservation(record, party, stamp, merge, changes, profileId);
  return changes;
}

/**
 * The allocation-light form of `recordObservation` used by the identity graph: changes go
 * to `changes` when given.
 *
 * @internal
 */
export function applyObservation(
  record: ProfileRecord,
  party: object,
  stamp: ObservationStamp,
  merge: ResolvedMergeOptions,
  changes: ChangeRecord[] | undefined,
  profileId: string,
): void {
  touch(record, stamp.observedAt, stamp.observedAt);
  const fields = party as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (value === undefined || systemFields.has(key)) continue;
    if (key === 'identities' && value !== null && typeof value === 'object') {
      const identities = value as { anonymousIds?: unknown; userId?: unknown; externalIds?: Record<string, unknown> };
      absorbField(record, 'identities.userId', identities.userId, stamp, merge, changes, profileId);
      absorbField(record, 'identities.anonymousIds', identities.anonymousIds, stamp, merge, changes, profileId);
      const external = identities.externalIds;
      if (external !== undefined && external !== null) {
        const items: { system: string; id: string }[] = [];
        for (const system of Object.keys(external)) {
          const ids = external[system];
          for (const id of Array.isArray(ids) ? ids : [ids]) if (typeof id === 'string') items.push({ system, id });
        }
        absorbField(record, 'identities.externalIds', items, stamp, merge, changes, profileId);
      }
    } else if (key === 'traits' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const traits = value as Record<string, unknown>;
      for (const trait of Object.keys(traits)) {
        if (isSafeKey(trait)) absorbField(record, `traits.${trait}`, traits[trait], stamp, merge, changes, profileId);
      }
    } else {
      absorbField(record, key, value, stamp, merge, changes, profileId);
    }
  }
}

/**
 * Absorbs every value of `source` into `target` (mutated), keeping provenance.
 *
 * @internal
 */
export function absorbRecord(
  target: ProfileRecord,
  source: ProfileRecord,
  merge: ResolvedMergeOptions,
  changes: ChangeRecord[] | undefined,
  profileId: string,
): void {
  if (target.kind !== source.kind) {
    throw new GuanxiError(`Cannot merge a ${source.kind} into a ${target.kind}`, 'party_kind_mismatch');
  }
  touch(target, source.firstSeenAt, source.lastSeenAt);
  for (const [path, stamped] of source.fields) absorbScalar(target, path, stamped, merge.policyOf(path).compare, changes, profileId);
  for (const [path, items] of source.lists) {
    const compare = merge.policyOf(path).compare;
    for (const [key, stamped] of items) absorbItem(target, path, key, stamped, compare, changes, profileId);
  }
}

/**
 * A copy of a record (the maps are copied; stamped values are immutable and shared).
 *
 * @example
 * ```ts
 * import { cloneProfileRecord, createProfileRecord } from 'guanxi/profile';
 *
 * const copy = cloneProfileRecord(createProfileRecord('person'));
 * ```
 */
export function cloneProfileRecord(record: ProfileRecord): ProfileRecord {
  const lists = new Map<string, Map<string, StampedValue>>();
  for (const [path, items] of record.lists) lists.set(path, new Map(items));
  return { kind: record.kind, firstSeenAt: record.firstSeenAt, lastSeenAt: record.lastSeenAt, fields: new Map(record.fields), lists };
}

let defaultMerge: ResolvedMergeOptions | undefined;
function defaultResolvedMerge(): ResolvedMergeOptions {
  defaultMerge ??= resolveMergeOptions();
  return defaultMerge;
}

/**
 * Merges two profile records into a new one, field by field under the merge policies,
 * keeping the provenance of every winning value. The merge is associative, commutative
 * and idempotent, so the same observations in any order and any grouping give the same
 * profile (provided custom `compare` policies are total orders).
 *
 * @throws GuanxiError `party_kind_mismatch` when a person meets an organization.
 *
 * @example
 * ```ts
 * import { createProfileRecord, mergeProfileRecords, recordObservation } from 'guanxi/profile';
 *
 * const web = createProfileRecord('person');
 * recordObservation(web, { emails: [{ address: 'ada@example.com' }] }, { source: 'web', observedAt: 1 });
 * const crm = createProfileRecord('person');
 * recordObservation(crm, { fullName: 'Ada Lovelace' }, { source: 'crm', observedAt: 2 });
 * const merged = mergeProfileRecords(web, crm); // email and name, each with its source
 * ```
 */
export function mergeProfileRecords(a: ProfileRecord, b: ProfileRecord, merge: ResolvedMergeOptions = defaultResolvedMerge()): ProfileRecord {
  const merged = cloneProfileRecord(a);
  absorbRecord(merged, b, merge, undefined, '');
  return merged;
}

function byRecency(a: [string, StampedValue], b: [string, StampedValue]): number {
  if (a[1].observedAt !== b[1].observedAt) return b[1].observedAt - a[1].observedAt;
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

function externalIdsBySystem(items: readonly unknown[]): Record<string, string[]> {
  const bySystem: Record<string, string[]> = {};
  for (const item of items) {
    const { system, id } = item as { system: string; id: string };
    if (typeof system !== 'string' || !isSafeKey(system)) continue;
    (bySystem[system] ??= []).push(id);
  }
  return bySystem;
}

function isoTime(ms: number): string | undefined {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/**
 * The plain party object of a record: the winning value of every field, list items
 * newest first (ties by key), external ids grouped by system, `firstSeenAt` and
 * `lastSeenAt` as ISO 8601. Keys that could pollute prototypes are never written.
 *
 * @example
 * ```ts
 * import { createProfileRecord, profileRecordToParty, recordObservation } from 'guanxi/profile';
 *
 * const record = createProfileRecord('person');
 * recordObservation(record, { givenName: 'Ada', identities: { userId: 'u-1' } }, { source: 'app', observedAt: 0 });
 * profileRecordToParty(record); // { kind: 'person', givenName: 'Ada', identities: { userId: 'u-1' }, firstSeenAt: '1970-01-01T00:00:00.000Z', … }
 * ```
 */
export function profileRecordToParty(record: ProfileRecord): Record<string, unknown> {
  const party: Record<string, unknown> = { kind: record.kind };
  const identities: Record<string, unknown> = {};
  const traits: Record<string, unknown> = {};
  const place = (path: string, value: unknown): void => {
    const dot = path.indexOf('.');
    if (dot === -1) {
      if (isSafeKey(path) && !systemFields.has(path)) party[path] = value;
      return;
    }
    const head = path.slice(0, dot);
    const rest = path.slice(dot + 1);
    if (!isSafeKey(rest)) return;
    if (head === 'traits') traits[rest] = value;
    else if (head === 'identities') identities[rest] = value;
  };
  for (const [path, stamped] of record.fields) {
    if (path === 'identities.externalIds' && Array.isArray(stamped.value)) identities.externalIds = externalIdsBySystem(stamped.value);
    else place(path, stamped.value);
  }
  for (const [path, items] of record.lists) {
    const values = [...items].sort(byRecency).map(([, stamped]) => stamped.value);
    if (path === 'identities.externalIds') {
      identities.externalIds = externalIdsBySystem(values);
    } else {
      place(path, values);
    }
  }
  if (Object.keys(identities).length > 0) party.identities = identities;
  if (Object.keys(traits).length > 0) party.traits = traits;
  const first = isoTime(record.firstSeenAt);
  const last = isoTime(record.lastSeenAt);
  if (first !== undefined) party.firstSeenAt = first;
  if (last !== undefined) party.lastSeenAt = last;
  return party;
}
