import { GuanxiError } from '../core/errors/guanxi-error';
import { isSafeKey } from '../core/safe-object';
import type { ChangeRecord } from './change-record';
import { earliestObserved, resolveMergeOptions, type ResolvedFieldPolicy, type ResolvedMergeOptions } from './merge-policy';
import type { PartyKind } from './party-kind';
import { flatText } from './flat-text';
import { canonicalJson, compareObserved, compareProvenance, sameValue, type StampedValue } from './provenance';

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
 * One value of a profile record with its provenance: a scalar field (`key` absent) or
 * one item of a unioned list (`key` is the item's identity).
 *
 * @example
 * ```ts
 * import type { ProfileRecordEntry } from 'guanxi/profile';
 *
 * const entry: ProfileRecordEntry = { path: 'emails', key: 'ada@example.com', value: { address: 'ada@example.com' }, source: 'crm', observedAt: 0 };
 * ```
 */
export interface ProfileRecordEntry extends StampedValue {
  /** Field path: `'givenName'`, `'identities.userId'`, `'traits.plan'`, `'emails'`… */
  readonly path: string;
  /** The item's identity, for list fields. */
  readonly key?: string;
}

/**
 * A profile as the merge sees it: every field with the provenance of the value that won,
 * list fields as items keyed by identity. Built from observations with
 * `recordObservation` and combined with `mergeProfileRecords`; turned into a plain party
 * object with `profileRecordToParty`.
 *
 * Field paths are top-level field names, `identities.<name>` and `traits.<key>`. The
 * storage is compact (values share the stamp of the observation they came from), so
 * values are read through methods.
 *
 * @example
 * ```ts
 * import { createProfileRecord, recordObservation, type ProfileRecord } from 'guanxi/profile';
 *
 * const record: ProfileRecord = createProfileRecord('person');
 * recordObservation(record, { givenName: 'Ada' }, { source: 'web', observedAt: Date.now() });
 * console.log(record.field('givenName')?.value); // 'Ada'
 * ```
 */
export interface ProfileRecord {
  readonly kind: PartyKind;
  /** Earliest observation time (ms since the epoch); `Infinity` while empty. */
  readonly firstSeenAt: number;
  /** Latest observation time; `-Infinity` while empty. */
  readonly lastSeenAt: number;
  /** The winning value of a scalar field (or of a list merged as one value), with provenance. */
  field(path: string): StampedValue | undefined;
  /** The items of a unioned list field by key, with provenance; `undefined` when it has none. */
  items(path: string): ReadonlyMap<string, StampedValue> | undefined;
  /** Every value with its provenance. */
  entries(): ProfileRecordEntry[];
}

// Records keep their values in one flat array of quads (path, key, value, source) and
// the observation times in a parallel array of numbers, one per quad: far less memory
// than maps per field, and fast to scan for the dozen fields a profile has. Provenance is
// stored as primitives (the source is an interned string, the time an unboxed double in
// the numbers-only array), never as an object per observation: with "latest wins" nearly
// every observation becomes the provenance of some field, so a stamp object per
// observation would outlive the young generation and make the garbage collector copy and
// later mark each one (a quarter of ingestion time at 200,000 profiles). Overwriting a
// time in a double array allocates nothing. Provenance objects are built only when read.
// Past `indexThreshold` slots (a bot with thousands of anonymous ids) a map index is
// built so that adding an item stays O(1).
const slotSize = 4;
const indexThreshold = 64 * slotSize;

/** @internal */
export class CompactProfileRecord implements ProfileRecord {
  readonly kind: PartyKind;
  firstSeenAt = Infinity;
  lastSeenAt = -Infinity;
  /** path, key (undefined for scalars), value, source — repeated. */
  slots: unknown[] = [];
  /** Observation time of each slot: `times[at / slotSize]` (only numbers, so V8 stores them unboxed). */
  times: number[] = [];
  private index: Map<string, number> | undefined;

  constructor(kind: PartyKind) {
    this.kind = kind;
  }

  /** Offset of the slot for (path, key), or -1. */
  find(path: string, key: string | undefined): number {
    if (this.index !== undefined) return this.index.get(indexKey(path, key)) ?? -1;
    const slots = this.slots;
    for (let at = 0; at < slots.length; at += slotSize) {
      if (slots[at] === path && slots[at + 1] === key) return at;
    }
    return -1;
  }

  add(path: string, key: string | undefined, value: unknown, source: string, observedAt: number): void {
    const at = this.slots.length;
    this.slots.push(path, key, value, source);
    this.times.push(observedAt);
    if (this.index !== undefined) this.index.set(indexKey(path, key), at);
    else if (this.slots.length > indexThreshold) this.reindex();
  }

  /** The entry of the slot at offset `at`, provenance materialized. */
  entryAt(at: number): ProfileRecordEntry {
    const slots = this.slots;
    const key = slots[at + 1] as string | undefined;
    const observedAt = this.times[at >> 2] as number;
    return key === undefined
      ? { path: slots[at] as string, value: slots[at + 2], source: slots[at + 3] as string, observedAt }
      : { path: slots[at] as string, key, value: slots[at + 2], source: slots[at + 3] as string, observedAt };
  }

  /** Removes every slot whose path matches; returns the removed entries. */
  removeWhere(matches: (path: string) => boolean): ProfileRecordEntry[] {
    const removed: ProfileRecordEntry[] = [];
    const kept: unknown[] = [];
    const keptTimes: number[] = [];
    for (let at = 0; at < this.slots.length; at += slotSize) {
      const path = this.slots[at] as string;
      if (matches(path)) removed.push(this.entryAt(at));
      else {
        kept.push(path, this.slots[at + 1], this.slots[at + 2], this.slots[at + 3]);
        keptTimes.push(this.times[at >> 2] as number);
      }
    }
    this.slots = kept;
    this.times = keptTimes;
    this.index = undefined;
    if (kept.length > indexThreshold) this.reindex();
    return removed;
  }

  /** Rebuilds the map index after `slots` was replaced wholesale. */
  rebuildIndex(): void {
    this.index = undefined;
    if (this.slots.length > indexThreshold) this.reindex();
  }

  private reindex(): void {
    const index = new Map<string, number>();
    for (let at = 0; at < this.slots.length; at += slotSize) index.set(indexKey(this.slots[at] as string, this.slots[at + 1] as string | undefined), at);
    this.index = index;
  }

  field(path: string): StampedValue | undefined {
    const at = this.find(path, undefined);
    if (at === -1) return undefined;
    return { value: this.slots[at + 2], source: this.slots[at + 3] as string, observedAt: this.times[at >> 2] as number };
  }

  items(path: string): ReadonlyMap<string, StampedValue> | undefined {
    let items: Map<string, StampedValue> | undefined;
    for (let at = 0; at < this.slots.length; at += slotSize) {
      const key = this.slots[at + 1];
      if (this.slots[at] !== path || key === undefined) continue;
      (items ??= new Map()).set(key as string, { value: this.slots[at + 2], source: this.slots[at + 3] as string, observedAt: this.times[at >> 2] as number });
    }
    return items;
  }

  entries(): ProfileRecordEntry[] {
    const entries: ProfileRecordEntry[] = [];
    for (let at = 0; at < this.slots.length; at += slotSize) entries.push(this.entryAt(at));
    return entries;
  }
}

function indexKey(path: string, key: string | undefined): string {
  return key === undefined ? path : `${path}\u0000${key}`;
}

/** @internal */
export function compact(record: ProfileRecord): CompactProfileRecord {
  if (record instanceof CompactProfileRecord) return record;
  throw new GuanxiError('Profile records are created with createProfileRecord()', 'invalid_profile_record');
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
  return new CompactProfileRecord(kind);
}

/** Fields the system sets, never taken from observations. */
const systemFields: ReadonlySet<string> = new Set(['kind', 'id', 'customerNumber', 'mergedProfileIds', 'firstSeenAt', 'lastSeenAt']);

const text = (value: unknown): string => (typeof value === 'string' ? value : canonicalJson(value));

/**
 * The identity of a list item: two items with the same key are the same contact point,
 * tag, relationship…
 *
 * @internal
 */
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

/**
 * The order of a field's policy on (value, source, time) triples. The built-in orders are
 * compared on the primitives; a custom order gets stamp objects built for the call.
 */
function compareUnder(policy: ResolvedFieldPolicy, aValue: unknown, aSource: string, aObservedAt: number, bValue: unknown, bSource: string, bObservedAt: number): number {
  const compare = policy.compareObserved;
  if (compare === compareObserved) return compareProvenance(aValue, aSource, aObservedAt, bValue, bSource, bObservedAt);
  if (compare === earliestObserved) return compareProvenance(bValue, bSource, bObservedAt, aValue, aSource, aObservedAt);
  return compare(aValue, { source: aSource, observedAt: aObservedAt }, bValue, { source: bSource, observedAt: bObservedAt });
}

/** Keeps the greater of the current and the incoming value at (path, key); reports a change when the value differs. */
function absorbValue(
  record: CompactProfileRecord,
  path: string,
  key: string | undefined,
  value: unknown,
  source: string,
  observedAt: number,
  policy: ResolvedFieldPolicy,
  changes: ChangeRecord[] | undefined,
  profileId: string,
): void {
  const at = record.find(path, key);
  if (at === -1) {
    record.add(path, key === undefined ? undefined : flatText(key), value, source, observedAt);
    if (changes !== undefined) {
      changes.push(key === undefined
        ? { profileId, field: path, before: undefined, after: value, source, observedAt }
        : { profileId, field: path, key, before: undefined, after: value, source, observedAt });
    }
    return;
  }
  const slots = record.slots;
  const current = slots[at + 2];
  if (compareUnder(policy, value, source, observedAt, current, slots[at + 3] as string, record.times[at >> 2] as number) <= 0) return;
  slots[at + 3] = source;
  record.times[at >> 2] = observedAt;
  // An equal value keeps the object already held: the observation's copy can then be
  // collected young instead of replacing an old-generation object (most observations
  // repeat what a profile already says).
  if (sameValue(current, value)) return;
  slots[at + 2] = value;
  if (changes !== undefined) {
    changes.push(key === undefined
      ? { profileId, field: path, before: current, after: value, source, observedAt }
      : { profileId, field: path, key, before: current, after: value, source, observedAt });
  }
}

function absorbField(
  record: CompactProfileRecord,
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
      if (item !== undefined) absorbValue(record, path, listItemKey(path, item), item, stamp.source, stamp.observedAt, policy, changes, profileId);
    }
    return;
  }
  absorbValue(record, path, undefined, value, stamp.source, stamp.observedAt, policy, changes, profileId);
}

function touch(record: CompactProfileRecord, first: number, last: number): void {
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
  applyObservation(record, party, { source: stamp.source, observedAt: stamp.observedAt }, merge, changes, profileId);
  return changes;
}

/**
 * The allocation-light form of `recordObservation` used by the identity graph: changes go
 * to `changes` when given; the record keeps `stamp`'s source and time, not the stamp.
 *
 * @internal
 */
export function applyObservation(
  target: ProfileRecord,
  party: object,
  stamp: ObservationStamp,
  merge: ResolvedMergeOptions,
  changes: ChangeRecord[] | undefined,
  profileId: string,
): void {
  const record = compact(target);
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
        if (isSafeKey(trait)) absorbField(record, merge.traitPath(trait), traits[trait], stamp, merge, changes, profileId);
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
  const into = compact(target);
  const from = compact(source);
  touch(into, from.firstSeenAt, from.lastSeenAt);
  const slots = from.slots;
  const times = from.times;
  for (let at = 0; at < slots.length; at += slotSize) {
    const path = slots[at] as string;
    absorbValue(into, path, slots[at + 1] as string | undefined, slots[at + 2], slots[at + 3] as string, times[at >> 2] as number, merge.policyOf(path), changes, profileId);
  }
}

/**
 * A copy of a record (values are immutable and shared).
 *
 * @example
 * ```ts
 * import { cloneProfileRecord, createProfileRecord } from 'guanxi/profile';
 *
 * const copy = cloneProfileRecord(createProfileRecord('person'));
 * ```
 */
export function cloneProfileRecord(record: ProfileRecord): ProfileRecord {
  const source = compact(record);
  const copy = new CompactProfileRecord(source.kind);
  copy.firstSeenAt = source.firstSeenAt;
  copy.lastSeenAt = source.lastSeenAt;
  copy.slots = source.slots.slice();
  copy.times = source.times.slice();
  if (copy.slots.length > indexThreshold) copy.rebuildIndex();
  return copy;
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

function byRecency(a: ProfileRecordEntry, b: ProfileRecordEntry): number {
  if (a.observedAt !== b.observedAt) return b.observedAt - a.observedAt;
  const ak = a.key ?? '';
  const bk = b.key ?? '';
  return ak < bk ? -1 : ak > bk ? 1 : 0;
}

function isoTime(ms: number): string | undefined {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
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
    if (path === 'identities.externalIds' && Array.isArray(value)) {
      identities.externalIds = externalIdsBySystem(value);
      return;
    }
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
  const lists = new Map<string, ProfileRecordEntry[]>();
  for (const entry of record.entries()) {
    if (entry.key === undefined) place(entry.path, entry.value);
    else {
      let items = lists.get(entry.path);
      if (items === undefined) lists.set(entry.path, (items = []));
      items.push(entry);
    }
  }
  for (const [path, items] of lists) place(path, items.sort(byRecency).map((entry) => entry.value));
  if (Object.keys(identities).length > 0) party.identities = identities;
  if (Object.keys(traits).length > 0) party.traits = traits;
  const first = isoTime(record.firstSeenAt);
  const last = isoTime(record.lastSeenAt);
  if (first !== undefined) party.firstSeenAt = first;
  if (last !== undefined) party.lastSeenAt = last;
  return party;
}

/**
 * Removes the values whose path matches from a record (mutated).
 *
 * @internal
 */
export function removeFromRecord(record: ProfileRecord, matches: (path: string) => boolean): ProfileRecordEntry[] {
  return compact(record).removeWhere(matches);
}
