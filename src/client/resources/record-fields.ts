import * as z from 'zod/mini';

/**
 * Fields shared by every stored CRM record. Internal building blocks of the resource
 * schemas.
 */
export const recordIdentityShape = {
  /** The CRM's id of the record (opaque; HubSpot ids are numeric strings). */
  id: /*@__PURE__*/ z.string().check(z.minLength(1)),
  /** When the record was created (ISO 8601), when the API reports it. */
  createdAt: /*@__PURE__*/ z.optional(z.string()),
  /** When the record last changed (ISO 8601), when the API reports it. */
  updatedAt: /*@__PURE__*/ z.optional(z.string()),
  /** Whether the record is archived (soft-deleted). */
  archived: /*@__PURE__*/ z.optional(z.boolean()),
};

// Objects keyed by arbitrary strings are built on the object schema every resource uses
// anyway (a catch-all object) rather than `z.record`, which would add ~0.7 KB min+gzip of
// zod to each client bundle for the same check: an object (not an array) whose values
// match, with issues at `[key]`.
/** An object with any string keys whose values all match `value` (`Record<string, T>`). */
/* @__NO_SIDE_EFFECTS__ */
export function objectOf<T extends z.core.SomeType>(value: T) {
  return z.catchall(z.object({}), value);
}

/**
 * The schema of changes to a record: every field of `input` optional. Built from
 * `looseObject` and `optional`, which every bundle has, rather than `z.partial` (~0.45 KB
 * min+gzip more for the same schema).
 */
/* @__NO_SIDE_EFFECTS__ */
export function patchOf(input: z.ZodMiniObject): z.ZodMiniObject {
  return z.looseObject(Object.fromEntries(Object.entries(input.shape).map(([field, schema]) => [field, z.optional(schema)])));
}

/** CRM properties without a dedicated field, by the CRM's own property name. */
export const extraProperties = /*@__PURE__*/ z.optional(objectOf(z.unknown()));

export const optionalText = /*@__PURE__*/ z.optional(z.nullable(z.string()));

/** An ISO 8601 calendar date or date-time, e.g. `2026-03-31` or `2026-03-31T12:00:00Z`. */
export const isoDateText = /*@__PURE__*/ z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/, 'Expected an ISO 8601 date or date-time'));
