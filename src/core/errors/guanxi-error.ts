/**
 * Options shared by every guanxi error.
 *
 * @example
 * ```ts
 * import { GuanxiError, type GuanxiErrorOptions } from 'guanxi';
 *
 * const options: GuanxiErrorOptions = { cause: new Error('socket closed') };
 * const error = new GuanxiError('upload failed', 'upload_failed', options);
 * ```
 */
export interface GuanxiErrorOptions {
  /** The error that caused this one, kept for debugging (never serialized with secrets). */
  readonly cause?: unknown;
}

/**
 * Brand set on every guanxi error. `Symbol.for` keys are shared by every realm of the
 * same agent (iframes, duplicated bundles), so the guard below works where
 * `instanceof` does not.
 */
const guanxiErrorBrand: unique symbol = Symbol.for('guanxi.error') as never;

/**
 * The base class of every error guanxi throws or reports.
 *
 * Errors carry data (a stable `code`, plus fields on the subclasses) rather than prose
 * to parse. Use the `isGuanxiError()` guard rather than `instanceof` when errors may
 * cross realms (iframes, workers, duplicated bundles): the guard matches on `name`.
 *
 * @example
 * ```ts
 * import { GuanxiError, isGuanxiError } from 'guanxi';
 *
 * try {
 *   throw new GuanxiError('something went wrong', 'example_failure');
 * } catch (error) {
 *   if (isGuanxiError(error)) console.log(error.code); // 'example_failure'
 * }
 * ```
 */
export class GuanxiError extends Error {
  override name: string = 'GuanxiError';
  /** A stable, machine-readable identifier of the failure kind. */
  readonly code: string;
  /** Realm-independent brand read by `isGuanxiError()`. */
  declare readonly [guanxiErrorBrand]: true;

  constructor(message: string, code = 'guanxi_error', options: GuanxiErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    Object.defineProperty(this, guanxiErrorBrand, { value: true, enumerable: false });
  }

  /** A plain-object form for logs and transport; subclasses add their data fields. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message };
  }
}


/**
 * Whether a value is a guanxi error (any class of the hierarchy). Matches a
 * realm-independent brand rather than the prototype chain.
 *
 * @example
 * ```ts
 * import { GuanxiError, isGuanxiError } from 'guanxi';
 *
 * console.log(isGuanxiError(new Error('plain'))); // false
 * console.log(isGuanxiError(new GuanxiError('typed', 'example'))); // true
 * ```
 */
export function isGuanxiError(value: unknown): value is GuanxiError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[guanxiErrorBrand] === true;
}

/**
 * Whether a value is a guanxi error of the given class name (cross-realm safe).
 *
 * @internal
 */
export function isGuanxiErrorNamed<T extends GuanxiError>(value: unknown, name: string): value is T {
  return isGuanxiError(value) && value.name === name;
}
