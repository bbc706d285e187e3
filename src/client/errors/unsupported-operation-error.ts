import { GuanxiError, isGuanxiErrorNamed, type GuanxiErrorOptions } from '../../core/errors/guanxi-error';

/**
 * An adapter cannot do what was asked: a resource or operation the CRM does not have
 * (HubSpot has no data-subject request endpoint), or a search filter it cannot express
 * (too many filter groups, an operator it lacks). `path` points into the filter tree when
 * the filter is the problem. Thrown before any request is sent.
 *
 * @example
 * ```ts
 * import { UnsupportedOperationError, isUnsupportedOperationError } from 'guanxi/client';
 *
 * const error = new UnsupportedOperationError('HubSpot search allows at most 5 filter groups', 'hubspot', 'search', ['or']);
 * console.log(isUnsupportedOperationError(error), error.adapter); // true 'hubspot'
 * ```
 */
export class UnsupportedOperationError extends GuanxiError {
  override name = 'UnsupportedOperationError' as const;
  /** The adapter's name. */
  readonly adapter: string;
  /** The operation, e.g. `'search'`, `'dataSubjectRequests.create'`. */
  readonly operation: string;
  /** Path into the filter tree of the part that cannot be translated; `[]` otherwise. */
  readonly path: readonly (string | number)[];

  constructor(message: string, adapter: string, operation: string, path: readonly (string | number)[] = [], options: GuanxiErrorOptions = {}) {
    super(message, 'unsupported_operation', options);
    this.adapter = adapter;
    this.operation = operation;
    this.path = path;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), adapter: this.adapter, operation: this.operation, path: this.path };
  }
}

/**
 * Whether a value is an `UnsupportedOperationError` (matched by name, so it works across
 * realms).
 *
 * @example
 * ```ts
 * import { isUnsupportedOperationError } from 'guanxi/client';
 *
 * console.log(isUnsupportedOperationError(new Error('plain'))); // false
 * ```
 */
export function isUnsupportedOperationError(value: unknown): value is UnsupportedOperationError {
  return isGuanxiErrorNamed<UnsupportedOperationError>(value, 'UnsupportedOperationError');
}
