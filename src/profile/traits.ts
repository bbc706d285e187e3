import * as z from 'zod/mini';
import type { StandardSchemaV1 } from '../core/standard-schema';
import { safeValidate } from '../core/validate';
import { forbiddenKeys } from '../core/safe-object';
import { reportIssue } from './issue';

/**
 * The trait schema used when a model is given none: any JSON object.
 *
 * @example
 * ```ts
 * import { AnyTraits } from 'guanxi/profile';
 *
 * AnyTraits.parse({ plan: 'gold', seats: 12 });
 * ```
 */
export const AnyTraits = /*@__PURE__*/ z.record(z.string(), z.unknown());
/** Traits of a model without a trait schema. *
 * @example
 * ```ts
 * import type { AnyTraits } from 'guanxi/profile';
 *
 * const traits: AnyTraits = { plan: 'gold' };
 * ```
 */
export type AnyTraits = z.infer<typeof AnyTraits>;

const maxScanDepth = 32;

/** Finds keys that could reach a prototype (`__proto__`, `constructor`, `prototype`), with their paths. */
function findForbiddenKeys(value: unknown, path: (string | number)[], found: (string | number)[][], depth: number): void {
  if (depth > maxScanDepth || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => findForbiddenKeys(item, [...path, index], found, depth + 1));
    return;
  }
  for (const key of Object.keys(value)) {
    if (forbiddenKeys.has(key)) found.push([...path, key]);
    else findForbiddenKeys((value as Record<string, unknown>)[key], [...path, key], found, depth + 1);
  }
}

/**
 * Whether `findForbiddenKeys` would find anything (same depth limit), without building paths.
 *
 * @internal
 */
export function hasForbiddenKey(value: unknown, depth: number): boolean {
  if (depth > maxScanDepth || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (const item of value) if (hasForbiddenKey(item, depth + 1)) return true;
    return false;
  }
  for (const key of Object.keys(value)) {
    if (forbiddenKeys.has(key) || hasForbiddenKey((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

/**
 * Wraps a schema so that its input is first searched for keys that could reach a
 * prototype; each is reported (code `forbidden_key`) instead of being dropped in silence.
 *
 * @internal
 */
export function rejectingForbiddenKeys<S extends z.core.$ZodType>(schema: S) {
  return z.pipe(
    z.unknown().check(
      z.check((payload) => {
        const forbidden: (string | number)[][] = [];
        findForbiddenKeys(payload.value, [], forbidden, 0);
        for (const path of forbidden) {
          payload.issues.push({ code: 'forbidden_key' as 'custom', message: `The key "${String(path[path.length - 1])}" is not allowed: it could change object prototypes`, input: undefined, path });
        }
      }),
    ),
    schema,
  );
}

/**
 * Wraps a user's trait schema — any Standard Schema: zod (classic or mini), valibot,
 * arktype — as a field of guanxi's zod/mini party schemas. Its issues keep their paths
 * under `traits`, and keys that could pollute a prototype are rejected before the user's
 * schema sees them (a schema that passes unknown keys through would otherwise copy them).
 *
 * @internal
 */
export function traitsField<T extends StandardSchemaV1>(schema: T) {
  return z.pipe(
    z.unknown(),
    z.transform((input: unknown, context): StandardSchemaV1.InferOutput<T> => {
      const forbidden: (string | number)[][] = [];
      findForbiddenKeys(input, [], forbidden, 0);
      for (const path of forbidden) {
        reportIssue(context, 'forbidden_key', `The key "${String(path[path.length - 1])}" is not allowed: it could change object prototypes`, path);
      }
      if (forbidden.length > 0) return z.NEVER;
      const result = safeValidate(schema, input, 'traits');
      if (result.success) return result.value;
      for (const issue of result.error.issues) reportIssue(context, issue.code, issue.message, issue.path);
      return z.NEVER;
    }),
  );
}
