import { isGuanxiErrorNamed } from '../../core/errors/guanxi-error';
import { HttpError } from './http-error';

/**
 * The record (or route) does not exist: HTTP 404. Never retried.
 *
 * @example
 * ```ts
 * import { NotFoundError } from 'guanxi/client';
 *
 * const error = new NotFoundError('No such contact', { status: 404, method: 'GET', url: 'https://api.example.com/contacts/1' });
 * console.log(error.status); // 404
 * ```
 */
export class NotFoundError extends HttpError {
  override name = 'NotFoundError' as const;
}

/**
 * Whether a value is a `NotFoundError` (matched by name, so it works across realms).
 *
 * @example
 * ```ts
 * import { isNotFoundError } from 'guanxi/client';
 *
 * console.log(isNotFoundError(new Error('plain'))); // false
 * ```
 */
export function isNotFoundError(value: unknown): value is NotFoundError {
  return isGuanxiErrorNamed<NotFoundError>(value, 'NotFoundError');
}
