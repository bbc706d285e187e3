import { GuanxiError, isGuanxiErrorNamed, type GuanxiErrorOptions } from '../../core/errors/guanxi-error';

/**
 * No HTTP response arrived: DNS failure, refused or reset connection, CORS rejection,
 * offline browser. Retried for idempotent calls; a create without an idempotency key is
 * not retried, because the server may have processed it.
 *
 * @example
 * ```ts
 * import { NetworkError, isNetworkError } from 'guanxi/client';
 *
 * const error = new NetworkError('GET', 'https://api.example.com/contacts');
 * console.log(isNetworkError(error), error.url); // true 'https://api.example.com/contacts'
 * ```
 */
export class NetworkError extends GuanxiError {
  override name = 'NetworkError' as const;
  /** Request method, upper case. */
  readonly method: string;
  /** Request URL, secrets redacted. */
  readonly url: string;

  constructor(method: string, url: string, options: GuanxiErrorOptions = {}) {
    super(`${method} ${url} failed: no response (network error)`, 'network_error', options);
    this.method = method;
    this.url = url;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), method: this.method, url: this.url };
  }
}

/**
 * Whether a value is a `NetworkError` (matched by name, so it works across realms).
 *
 * @example
 * ```ts
 * import { isNetworkError } from 'guanxi/client';
 *
 * console.log(isNetworkError(new Error('plain'))); // false
 * ```
 */
export function isNetworkError(value: unknown): value is NetworkError {
  return isGuanxiErrorNamed<NetworkError>(value, 'NetworkError');
}
