import { GuanxiError, isGuanxiErrorNamed, type GuanxiErrorOptions } from './guanxi-error';

/**
 * One problem found while validating input: where it is (`path`), what kind of problem
 * (`code`) and a human-readable `message`.
 *
 * @example
 * ```ts
 * import type { ValidationIssue } from 'guanxi';
 *
 * const issue: ValidationIssue = { path: ['phones', 1, 'number'], code: 'invalid_phone', message: 'Not a phone number' };
 * ```
 */
export interface ValidationIssue {
  /** Path from the validated value's root to the offending field; `[]` for the root. */
  readonly path: readonly (string | number)[];
  /** Machine-readable problem kind, e.g. `invalid_type`, `too_small`, `invalid_phone`. */
  readonly code: string;
  /** Human-readable description; never contains the offending value when it may be secret. */
  readonly message: string;
}

/**
 * Thrown (or reported) when input fails validation. Lists every issue with its path;
 * the validator's own error objects never leak.
 *
 * @example
 * ```ts
 * import { ValidationError, isValidationError } from 'guanxi';
 *
 * const error = new ValidationError([{ path: ['emails', 0, 'address'], code: 'invalid_email', message: 'Invalid email' }]);
 * if (isValidationError(error)) console.log(error.issues[0]?.path); // ['emails', 0, 'address']
 * ```
 */
export class ValidationError extends GuanxiError {
  override name = 'ValidationError' as const;
  /** Every problem found, in document order. */
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[], context?: string, options: GuanxiErrorOptions = {}) {
    super(formatIssues(issues, context), 'validation_failed', options);
    this.issues = issues;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** Formats a path such as `['emails', 0, 'address']` as `emails[0].address`. *
 * @example
 * ```ts
 * import { formatPath } from 'guanxi';
 *
 * formatPath(['emails', 0, 'address']); // 'emails[0].address'
 * ```
 */
export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)';
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}

function formatIssues(issues: readonly ValidationIssue[], context?: string): string {
  const head = context ? `Invalid ${context}` : 'Invalid input';
  const shown = issues.slice(0, 5).map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  const more = issues.length > 5 ? `; and ${issues.length - 5} more` : '';
  return `${head}: ${shown.join('; ')}${more}`;
}

/**
 * Whether a value is a `ValidationError`, matched by `name` so it works across realms.
 *
 * @example
 * ```ts
 * import { isValidationError } from 'guanxi';
 *
 * console.log(isValidationError(new Error('x'))); // false
 * ```
 */
export function isValidationError(value: unknown): value is ValidationError {
  return isGuanxiErrorNamed<ValidationError>(value, 'ValidationError');
}
