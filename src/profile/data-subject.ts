import { isSafeKey } from '../core/safe-object';
import type { ChangeRecord } from './change-record';
import type { DataCategory } from './data-category';
import type { ProfileRecord } from './profile-record';
import { profileRecordToParty, removeFromRecord } from './profile-record';

/** Anything that can tell the category of a field path (a profile model). */
interface CategoryLookup {
  categoryOf(path: string): DataCategory | undefined;
}

/**
 * Where one exported value came from.
 *
 * @example
 * ```ts
 * import type { ProvenanceEntry } from 'guanxi/profile';
 *
 * const entry: ProvenanceEntry = { field: 'emails', key: 'ada@example.com', category: 'contact', source: 'crm', observedAt: '2026-03-01T08:00:00.000Z' };
 * ```
 */
export interface ProvenanceEntry {
  /** Field path. */
  readonly field: string;
  /** Item key for list fields. */
  readonly key?: string;
  /** The field's data category. */
  readonly category: DataCategory | undefined;
  /** Source of the value. */
  readonly source: string;
  /** When it was observed (ISO 8601). */
  readonly observedAt: string;
}

/**
 * A profile exported for the data subject (GDPR Art. 20 portability, PIPL Art. 45 copy
 * and transfer): the profile as plain JSON, where and when every value was observed, the
 * data category of every field, and optionally the change history.
 *
 * @example
 * ```ts
 * import { createIdentityGraph, type ProfileExport } from 'guanxi/profile';
 *
 * const graph = createIdentityGraph();
 * const save = (data: ProfileExport) => JSON.stringify(data, null, 2);
 * ```
 */
export interface ProfileExport {
  /** Format marker, so a reader knows how to interpret the file. */
  readonly format: 'guanxi.profile-export/1';
  /** When the export was made (ISO 8601). */
  readonly exportedAt: string;
  /** The profile's fields. */
  readonly profile: Readonly<Record<string, unknown>>;
  /** Category of every exported top-level field (and `traits.<key>`). */
  readonly categories: Readonly<Record<string, DataCategory | undefined>>;
  /** Provenance of every value. */
  readonly provenance: readonly ProvenanceEntry[];
  /** Change records, oldest first, when kept and requested. */
  readonly history?: readonly ChangeRecord[];
}

/**
 * The provenance of every value of a record, with data categories.
 *
 * @example
 * ```ts
 * import { createProfileRecord, defaultProfileModel, profileProvenance, recordObservation } from 'guanxi/profile';
 *
 * const record = createProfileRecord('person');
 * recordObservation(record, { givenName: 'Ada' }, { source: 'crm', observedAt: 0 });
 * profileProvenance(record, defaultProfileModel); // [{ field: 'givenName', category: 'identifier', source: 'crm', observedAt: '1970-01-01T00:00:00.000Z' }]
 * ```
 */
export function profileProvenance(record: ProfileRecord, model: CategoryLookup): ProvenanceEntry[] {
  const entries: ProvenanceEntry[] = record.entries().map((entry) => {
    const base = { field: entry.path, category: model.categoryOf(entry.path), source: entry.source, observedAt: new Date(entry.observedAt).toISOString() };
    return entry.key === undefined ? base : { ...base, key: entry.key };
  });
  return entries.sort((a, b) => (a.field === b.field ? ((a.key ?? '') < (b.key ?? '') ? -1 : 1) : a.field < b.field ? -1 : 1));
}

/**
 * Builds the portability export of a record (see `ProfileExport`). `system` adds the
 * graph's fields (`id`, `customerNumber`, `mergedProfileIds`).
 *
 * @example
 * ```ts
 * import { createProfileRecord, defaultProfileModel, exportProfileRecord, recordObservation } from 'guanxi/profile';
 *
 * const record = createProfileRecord('person');
 * recordObservation(record, { givenName: 'Ada', emails: [{ address: 'ada@example.com' }] }, { source: 'crm', observedAt: 0 });
 * const data = exportProfileRecord(record, defaultProfileModel, { exportedAt: Date.now() });
 * console.log(data.categories.emails); // 'contact'
 * ```
 */
export function exportProfileRecord(
  record: ProfileRecord,
  model: CategoryLookup,
  options: { readonly exportedAt: number; readonly system?: Readonly<Record<string, unknown>>; readonly history?: readonly ChangeRecord[] },
): ProfileExport {
  const profile = { ...profileRecordToParty(record), ...(options.system ?? {}) };
  const categories: Record<string, DataCategory | undefined> = {};
  for (const field of Object.keys(profile)) {
    if (field === 'traits') {
      for (const trait of Object.keys(profile.traits as object)) categories[`traits.${trait}`] = model.categoryOf(`traits.${trait}`);
    } else if (field === 'identities') {
      for (const name of Object.keys(profile.identities as object)) categories[`identities.${name}`] = model.categoryOf(`identities.${name}`);
    } else {
      categories[field] = model.categoryOf(field);
    }
  }
  const result: ProfileExport = {
    format: 'guanxi.profile-export/1',
    exportedAt: new Date(options.exportedAt).toISOString(),
    profile,
    categories,
    provenance: profileProvenance(record, model),
    ...(options.history === undefined ? {} : { history: options.history }),
  };
  return result;
}

/** Fields that address the profile itself; redaction keeps them (erasure removes them). */
const addressingFields: ReadonlySet<string> = new Set(['kind', 'id', 'customerNumber', 'mergedProfileIds']);

/**
 * A copy of a party without the fields of the given data categories (custom traits by
 * their configured category; `identities` field by field). The profile's own `id`,
 * `customerNumber` and `kind` are kept so the redacted copy still says whose it is.
 *
 * @example
 * ```ts
 * import { defaultProfileModel, redactParty } from 'guanxi/profile';
 *
 * const party = { kind: 'person', givenName: 'Ada', birthday: '1815-12-10', incomeBand: '100k+', emails: [{ address: 'ada@example.com' }] };
 * redactParty(party, ['financial', 'demographic'], defaultProfileModel); // { kind: 'person', givenName: 'Ada', emails: [...] }
 * ```
 */
export function redactParty<P extends object>(party: P, categories: readonly DataCategory[], model: CategoryLookup): Partial<P> {
  const drop = new Set(categories);
  const source = party as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const field of Object.keys(source)) {
    if (!isSafeKey(field)) continue;
    const value = source[field];
    if (addressingFields.has(field)) {
      copy[field] = value;
    } else if ((field === 'traits' || field === 'identities') && value !== null && typeof value === 'object') {
      const kept: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        const category = model.categoryOf(`${field}.${key}`);
        if (isSafeKey(key) && (category === undefined || !drop.has(category))) kept[key] = (value as Record<string, unknown>)[key];
      }
      if (Object.keys(kept).length > 0) copy[field] = kept;
    } else {
      const category = model.categoryOf(field);
      if (category === undefined || !drop.has(category)) copy[field] = value;
    }
  }
  return copy as Partial<P>;
}

/**
 * Removes the values of the given categories from a record (mutated) and returns a
 * change record (`after: undefined`) for each removed value.
 *
 * @internal
 */
export function redactRecord(record: ProfileRecord, categories: readonly DataCategory[], model: CategoryLookup, profileId: string, stamp: { readonly source: string; readonly observedAt: number }): ChangeRecord[] {
  const drop = new Set(categories);
  const removed = removeFromRecord(record, (path) => {
    const category = model.categoryOf(path);
    return category !== undefined && drop.has(category);
  });
  const changes = removed.map((entry): ChangeRecord => {
    const change = { profileId, field: entry.path, before: entry.value, after: undefined, source: stamp.source, observedAt: stamp.observedAt };
    return entry.key === undefined ? change : { ...change, key: entry.key };
  });
  return changes;
}
