import { isGuanxiErrorNamed } from '../../core/errors/guanxi-error';
import { HttpError } from './http-error';

/**
 * The request conflicts with the record's current state (HTTP 409), e.g. a create whose unique field already exists. Never retried.
 *
 * @example
 * ```ts
 * import { ConflictError } from 'guanxi/client';
 *
 * const error = new ConflictError('A contact with this email exists', { status: 409, method: 'GET', url: 'https://api.example.com/contacts/1' });
 * console.log(error.status); // 409
 * ```
 */
export class ConflictError extends HttpError {
  override name = 'ConflictError' as const;
}

/**
 * Whether a value is a `ConflictError` (matched by name, so it works across realms).
 *
 * @example
 * ```ts
 * import { isConflictError } from 'guanxi/client';
 *
 * console.log(isConflictError(new Error('plain'))); // false
 * ```
 */
export function isConflictError(value: unknown): value is ConflictError {
  return isGuanxiErrorNamed<ConflictError>(value, 'ConflictError');
}
