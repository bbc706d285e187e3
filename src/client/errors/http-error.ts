import { GuanxiError, isGuanxiError, type GuanxiErrorOptions } from '../../core/errors/guanxi-error';

/**
 * The names of the HTTP error family: `HttpError` and its subclasses.
 *
 * @example
 * ```ts
 * import type { HttpErrorName } from 'guanxi/client';
 *
 * const name: HttpErrorName = 'RateLimitError';
 * ```
 */
export type HttpErrorName = 'HttpError' | 'AuthError' | 'NotFoundError' | 'ConflictError' | 'RateLimitError';

const httpErrorNames: ReadonlySet<string> = /*@__PURE__*/ new Set<HttpErrorName>(['HttpError', 'AuthError', 'NotFoundError', 'ConflictError', 'RateLimitError']);

/**
 * What an `HttpError` records about the failed exchange. URLs are stored with secrets
 * redacted; request headers are never stored.
 *
 * @example
 * ```ts
 * import { HttpError, type HttpErrorDetails } from 'guanxi/client';
 *
 * const details: HttpErrorDetails = { status: 503, method: 'GET', url: 'https://api.example.com/contacts' };
 * const error = new HttpError('The CRM is unavailable', details);
 * ```
 */
export interface HttpErrorDetails {
  /** HTTP status code of the response. */
  readonly status: number;
  /** Request method, upper case. */
  readonly method: string;
  /** Request URL with credentials in the query string and user info replaced by `[redacted]`. */
  readonly url: string;
  /** The API's own error code (HubSpot's `category`, guanxi REST's `code`), when it sent one. */
  readonly code?: string | undefined;
  /** The API's request or correlation id, for support tickets. */
  readonly requestId?: string | undefined;
  /** The parsed response body (JSON when the response was JSON, otherwise text). */
  readonly body?: unknown;
}

/**
 * A CRM API answered with an HTTP error status. Subclasses name the kinds callers handle
 * differently (`AuthError`, `NotFoundError`, `ConflictError`, `RateLimitError`); field
 * errors (400/422 naming fields) are reported as the package's `ValidationError`, with
 * the `HttpError` as its `cause`.
 *
 * Neither the message nor `toJSON()` contains tokens, auth headers or credentials from
 * the URL.
 *
 * @example
 * ```ts
 * import { createCrmClient, createGuanxiRestAdapter, isHttpError } from 'guanxi/client';
 *
 * const crm = createCrmClient({ adapter: createGuanxiRestAdapter({ baseUrl: 'https://crm.example.com', auth: { token: 'k' } }) });
 * try {
 *   await crm.contacts.get('c_1');
 * } catch (error) {
 *   if (isHttpError(error)) console.log(error.status, error.requestId);
 * }
 * ```
 */
export class HttpError extends GuanxiError {
  override name: HttpErrorName = 'HttpError';
  /** HTTP status code of the response. */
  readonly status: number;
  /** Request method, upper case. */
  readonly method: string;
  /** Request URL, secrets redacted. */
  readonly url: string;
  /** The API's request or correlation id, when it sent one. */
  readonly requestId: string | undefined;
  /** The parsed response body. */
  readonly body: unknown;

  constructor(message: string, details: HttpErrorDetails, options: GuanxiErrorOptions = {}) {
    super(message, details.code ?? `http_${details.status}`, options);
    this.status = details.status;
    this.method = details.method;
    this.url = details.url;
    this.requestId = details.requestId;
    this.body = details.body;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      status: this.status,
      method: this.method,
      url: this.url,
      requestId: this.requestId,
      body: this.body,
    };
  }
}

/**
 * Whether a value is an `HttpError` or one of its subclasses (matched by name, so it
 * works across realms).
 *
 * @example
 * ```ts
 * import { isHttpError } from 'guanxi/client';
 *
 * console.log(isHttpError(new Error('plain'))); // false
 * ```
 */
export function isHttpError(value: unknown): value is HttpError {
  return isGuanxiError(value) && httpErrorNames.has(value.name);
}
