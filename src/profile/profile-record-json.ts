import * as z from 'zod/mini';
import { validate } from '../core/validate';
import { forbiddenKeys } from '../core/safe-object';
import { PartyKind } from './party-kind';
import { CompactProfileRecord, compact, type ProfileRecord, type ProfileRecordEntry } from './profile-record';

const safePath = /*@__PURE__*/ z.string().check(
  z.minLength(1),
  z.maxLength(300),
  z.refine((path) => !path.split('.').some((segment) => forbiddenKeys.has(segment)), 'A path segment may not be __proto__, constructor or prototype'),
);

/**
 * A profile record as JSON, for storage: every value with its provenance. Written by
 * `profileRecordToJson`, read back (validated) by `profileRecordFromJson`.
 *
 * @example
 * ```ts
 * import { ProfileRecordJson } from 'guanxi/profile';
 *
 * const stored = ProfileRecordJson.parse({
 *   format: 'guanxi.profile-record/1',
 *   kind: 'person',
 *   firstSeenAt: 0,
 *   lastSeenAt: 0,
 *   entries: [{ path: 'givenName', value: 'Ada', source: 'crm', observedAt: 0 }],
 * });
 * ```
 */
export const ProfileRecordJson = /*@__PURE__*/ z.object({
  format: z.literal('guanxi.profile-record/1'),
  kind: PartyKind,
  firstSeenAt: z.nullable(z.number()),
  lastSeenAt: z.nullable(z.number()),
  entries: z.array(
    z.object({
      path: safePath,
      key: z.optional(z.string()),
      value: z.unknown(),
      source: z.string().check(z.minLength(1), z.maxLength(100)),
      observedAt: z.number(),
    }),
  ),
});
/** See the `ProfileRecordJson` schema. *
 * @example
 * ```ts
 * import type { ProfileRecordJson } from 'guanxi/profile';
 *
 * const save = (stored: ProfileRecordJson) => JSON.stringify(stored);
 * ```
 */
export type ProfileRecordJson = z.infer<typeof ProfileRecordJson>;

/**
 * A profile record as JSON (see `ProfileRecordJson`), for storage in a database column
 * or a file.
 *
 * @example
 * ```ts
 * import { createProfileRecord, profileRecordToJson, recordObservation } from 'guanxi/profile';
 *
 * const record = createProfileRecord('person');
 * recordObservation(record, { givenName: 'Ada' }, { source: 'crm', observedAt: 0 });
 * const text = JSON.stringify(profileRecordToJson(record));
 * ```
 */
export function profileRecordToJson(record: ProfileRecord): ProfileRecordJson {
  return {
    format: 'guanxi.profile-record/1',
    kind: record.kind,
    firstSeenAt: Number.isFinite(record.firstSeenAt) ? record.firstSeenAt : null,
    lastSeenAt: Number.isFinite(record.lastSeenAt) ? record.lastSeenAt : null,
    entries: record.entries().map((entry) => ({ ...entry })),
  };
}

/**
 * Reads a stored profile record back, validating it.
 *
 * @throws ValidationError listing every problem with its path.
 *
 * @example
 * ```ts
 * import { createProfileRecord, profileRecordFromJson, profileRecordToJson } from 'guanxi/profile';
 *
 * const copy = profileRecordFromJson(JSON.parse(JSON.stringify(profileRecordToJson(createProfileRecord('person')))));
 * ```
 */
export function profileRecordFromJson(input: unknown): ProfileRecord {
  const stored = validate(ProfileRecordJson, input, 'profile record');
  const record = new CompactProfileRecord(stored.kind);
  record.firstSeenAt = stored.firstSeenAt ?? Infinity;
  record.lastSeenAt = stored.lastSeenAt ?? -Infinity;
  for (const entry of stored.entries) {
    const at = record.find(entry.path, entry.key);
    if (at === -1) record.add(entry.path, entry.key, entry.value, entry.source, entry.observedAt);
  }
  return record;
}

/**
 * A new record with only the values `keep` accepts (first and last seen are kept). Use
 * it to drop fields before re-recording them, e.g. for an explicit edit that replaces a
 * field's whole value.
 *
 * @example
 * ```ts
 * import { createProfileRecord, filterProfileRecord, recordObservation } from 'guanxi/profile';
 *
 * const record = createProfileRecord('person');
 * recordObservation(record, { givenName: 'Ada', tags: ['vip'] }, { source: 'crm', observedAt: 0 });
 * const withoutTags = filterProfileRecord(record, (entry) => entry.path !== 'tags');
 * ```
 */
export function filterProfileRecord(record: ProfileRecord, keep: (entry: ProfileRecordEntry) => boolean): ProfileRecord {
  const source = compact(record);
  const copy = new CompactProfileRecord(record.kind);
  copy.firstSeenAt = record.firstSeenAt;
  copy.lastSeenAt = record.lastSeenAt;
  for (let at = 0; at < source.slots.length; at += 4) {
    const entry = source.entryAt(at);
    if (keep(entry)) copy.add(entry.path, entry.key, entry.value, entry.source, entry.observedAt);
  }
  return copy;
}
