import { ValidationError, type ValidationIssue } from '../../core/errors/validation-error';

/**
 * Checks that every named field of `params` is a positive finite number. Hand-written
 * (not the zod schemas of parameters.ts) because predictions call it once per customer on
 * hot paths, and so that bundles using only the models do not carry zod; the issues it
 * reports match the schemas'.
 */
export function checkModelParameters<P extends object>(params: P, names: readonly string[], context: string): P {
  let issues: ValidationIssue[] | undefined;
  if (typeof params !== 'object' || params === null) {
    throw new ValidationError([{ path: [], code: 'invalid_type', message: 'Expected an object of parameters' }], context);
  }
  for (const name of names) {
    const value = (params as Record<string, unknown>)[name];
    if (typeof value === 'number' && value > 0 && value < Number.POSITIVE_INFINITY) continue;
    (issues ??= []).push(
      typeof value !== 'number' || Number.isNaN(value)
        ? { path: [name], code: 'invalid_type', message: `Expected ${name} to be a number` }
        : { path: [name], code: 'too_small', message: `Expected ${name} to be a positive finite number` },
    );
  }
  if (issues) throw new ValidationError(issues, context);
  return params;
}
