import { isGuanxiErrorNamed } from '../../core/errors/guanxi-error';
import { HttpError } from './http-error';

/**
 * The API refused the credentials (401) or the permission (403). With a token provider, a 401 is retried once after a single refresh before this is thrown.
 *
 * @example
 * ```ts
 * import { AuthError } from 'guanxi/client';
 *
 * const error = new AuthError('Unauthorized', { status: 401, method: 'GET', url: 'https://api.example.com/contacts/1' });
 * console.log(error.status); // 401
 * ```
 */
export class AuthError extends HttpError {
  override name = 'AuthError' as const;
}

/**
 * Whether a value is a `AuthError` (matched by name, so it works across realms).
 *
 * @example
 * ```ts
 * import { isAuthError } from 'guanxi/client';
 *
 * console.log(isAuthError(new Error('plain'))); // false
 * ```
 */
export function isAuthError(value: unknown): value is AuthError {
  return isGuanxiErrorNamed<AuthError>(value, 'AuthError');
}
