import type { StandardSchemaV1 } from './standard-schema';
import { ValidationError, type ValidationIssue } from './errors/validation-error';

/**
 * The outcome of validating a value without throwing: either the parsed value or every
 * issue found.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { safeValidate, type ValidationResult } from 'guanxi';
 *
 * const result: ValidationResult<number> = safeValidate(z.number(), '12');
 * console.log(result.success); // false
 * ```
 */
export type ValidationResult<T> =
  | { readonly success: true; readonly value: T }
  | { readonly success: false; readonly error: ValidationError };

/**
 * Validates `input` against any Standard Schema (zod classic or mini, valibot, arktype…)
 * and returns a result instead of throwing. The schema's own issue objects are mapped
 * to guanxi `ValidationIssue`s, so no validator-specific error escapes.
 *
 * Asynchronous schemas are rejected with a `ValidationError` (code `async_schema`):
 * guanxi validates on hot paths and never awaits a validator.
 *
 * @param schema - A Standard Schema (every zod v4 schema is one).
 * @param input - The untrusted value.
 * @param context - A noun for the error message, e.g. `'person'`.
 * @returns The parsed value (with the schema's transforms applied) or the error.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { safeValidate } from 'guanxi';
 *
 * const result = safeValidate(z.object({ email: z.email() }), { email: 'nope' }, 'contact');
 * if (!result.success) console.log(result.error.issues[0]?.path); // ['email']
 * ```
 */
export function safeValidate<S extends StandardSchemaV1>(
  schema: S,
  input: unknown,
  context?: string,
): ValidationResult<StandardSchemaV1.InferOutput<S>> {
  let outcome: StandardSchemaV1.Result<unknown> | Promise<StandardSchemaV1.Result<unknown>>;
  try {
    outcome = schema['~standard'].validate(input);
  } catch (cause) {
    const issue: ValidationIssue = { path: [], code: 'validator_threw', message: 'The schema threw while validating' };
    return { success: false, error: new ValidationError([issue], context, { cause }) };
  }
  if (outcome instanceof Promise) {
    outcome.catch(() => undefined);
    const issue: ValidationIssue = { path: [], code: 'async_schema', message: 'Asynchronous schemas are not supported here' };
    return { success: false, error: new ValidationError([issue], context) };
  }
  if (outcome.issues) {
    return { success: false, error: new ValidationError(outcome.issues.map(toValidationIssue), context) };
  }
  return { success: true, value: outcome.value as StandardSchemaV1.InferOutput<S> };
}

/**
 * Validates `input` against a Standard Schema and returns the parsed value, or throws a
 * `ValidationError` listing every issue with its path.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { validate } from 'guanxi';
 *
 * const age = validate(z.number().int().min(0), 42, 'age'); // 42
 * ```
 */
export function validate<S extends StandardSchemaV1>(
  schema: S,
  input: unknown,
  context?: string,
): StandardSchemaV1.InferOutput<S> {
  const result = safeValidate(schema, input, context);
  if (!result.success) throw result.error;
  return result.value;
}

/** Maps one Standard Schema issue (zod's carry a `code`) to a guanxi issue. */
export function toValidationIssue(issue: StandardSchemaV1.Issue): ValidationIssue {
  const path = (issue.path ?? []).map((segment) => {
    const key = typeof segment === 'object' && segment !== null ? segment.key : segment;
    return typeof key === 'number' ? key : String(key);
  });
  const code = (issue as { code?: unknown }).code;
  return { path, code: typeof code === 'string' ? code : 'invalid', message: issue.message };
}
