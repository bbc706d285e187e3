import { GuanxiError, isGuanxiErrorNamed, type GuanxiErrorOptions } from '../../core/errors/guanxi-error';

/**
 * Why a consent operation was refused. `unknown_purpose`: a purpose id that is not
 * configured; `purpose_always_on`: an attempt to deny a purpose that cannot be refused
 * (strictly necessary processing); `consent_form_insufficient`: a grant obtained in a
 * weaker form than the purpose requires in this jurisdiction (e.g. a general "accept
 * all" for sensitive data that needs explicit or separate consent);
 * `invalid_configuration`: purposes or jurisdiction rules that contradict themselves;
 * `unknown_jurisdiction`: a jurisdiction code with no rule and no fallback.
 *
 * @example
 * ```ts
 * import type { ConsentErrorCode } from 'guanxi/consent';
 *
 * const code: ConsentErrorCode = 'consent_form_insufficient';
 * ```
 */
export type ConsentErrorCode =
  | 'unknown_purpose'
  | 'purpose_always_on'
  | 'consent_form_insufficient'
  | 'invalid_configuration'
  | 'unknown_jurisdiction';

/**
 * Thrown when a consent operation cannot be carried out as asked: the data say which
 * purposes were involved, so a preference centre can show the right message.
 *
 * @example
 * ```ts
 * import { createConsentRegister, isConsentError } from 'guanxi/consent';
 *
 * const consent = createConsentRegister({ jurisdiction: 'EU', notice: { version: '1', text: 'We use…', language: 'en' } });
 * try {
 *   await consent.update({ purposes: { necessary: 'denied' }, source: 'preference-centre' });
 * } catch (error) {
 *   if (isConsentError(error)) console.log(error.code, error.purposes); // 'purpose_always_on', ['necessary']
 * }
 * ```
 */
export class ConsentError extends GuanxiError {
  override name = 'ConsentError' as const;
  declare readonly code: ConsentErrorCode;
  /** The purposes the refusal is about (may be empty for configuration errors). */
  readonly purposes: readonly string[];

  constructor(message: string, code: ConsentErrorCode, purposes: readonly string[] = [], options: GuanxiErrorOptions = {}) {
    super(message, code, options);
    this.purposes = purposes;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), purposes: this.purposes };
  }
}

/**
 * Whether a value is a `ConsentError` (matched by name, so it works across realms).
 *
 * @example
 * ```ts
 * import { ConsentError, isConsentError } from 'guanxi/consent';
 *
 * console.log(isConsentError(new ConsentError('no such purpose', 'unknown_purpose', ['ads']))); // true
 * ```
 */
export function isConsentError(value: unknown): value is ConsentError {
  return isGuanxiErrorNamed<ConsentError>(value, 'ConsentError');
}
