import { GuanxiError, isGuanxiErrorNamed, type GuanxiErrorOptions } from '../../core/errors/guanxi-error';

/**
 * What was wrong with a consent signal: `bad_encoding` (not base64url), `truncated`
 * (a segment ends before a field it declares), `unsupported_version`, `bad_segment`
 * (unknown or repeated segment type, missing core segment), `bad_value` (a field holds
 * an impossible value, e.g. a range whose end precedes its start, or a bitfield whose
 * length does not match its declared maximum), `bad_token` (a guanxi consent token or
 * cookie that cannot be read).
 *
 * @example
 * ```ts
 * import type { ConsentSignalErrorReason } from 'guanxi/consent/tcf';
 *
 * const reason: ConsentSignalErrorReason = 'truncated';
 * ```
 */
export type ConsentSignalErrorReason =
  | 'bad_encoding'
  | 'truncated'
  | 'unsupported_version'
  | 'bad_segment'
  | 'bad_value'
  | 'bad_token';

/**
 * A consent signal from outside (an IAB TCF TC string, a consent token or cookie) that
 * cannot be read. Carries the signal kind, the reason, and where it failed (segment
 * index and bit offset for TC strings); never the whole signal.
 *
 * @example
 * ```ts
 * import { decodeConsentToken, isConsentSignalError } from 'guanxi/consent';
 *
 * try {
 *   decodeConsentToken('not a token!');
 * } catch (error) {
 *   if (isConsentSignalError(error)) console.log(error.reason); // 'bad_token'
 * }
 * ```
 */
export class ConsentSignalError extends GuanxiError {
  override name = 'ConsentSignalError' as const;
  /** The kind of signal: `'tcf'` or `'token'`. */
  readonly signal: 'tcf' | 'token';
  /** What was wrong. */
  readonly reason: ConsentSignalErrorReason;
  /** Index of the `.`-separated segment where decoding failed, when known. */
  readonly segment?: number;
  /** Bit offset inside the segment where decoding failed, when known. */
  readonly bitOffset?: number;
  /** The field being read when decoding failed, when known. */
  readonly field?: string;

  constructor(
    message: string,
    signal: 'tcf' | 'token',
    reason: ConsentSignalErrorReason,
    where: { segment?: number; bitOffset?: number; field?: string } = {},
    options: GuanxiErrorOptions = {},
  ) {
    super(message, `consent_signal_${reason}`, options);
    this.signal = signal;
    this.reason = reason;
    this.segment = where.segment;
    this.bitOffset = where.bitOffset;
    this.field = where.field;
  }

  override toJSON(): Record<string, unknown> {
    const { signal, reason, segment, bitOffset, field } = this;
    return { ...super.toJSON(), signal, reason, segment, bitOffset, field };
  }
}

/**
 * Whether a value is a `ConsentSignalError` (matched by name, so it works across realms).
 *
 * @example
 * ```ts
 * import { isConsentSignalError } from 'guanxi/consent/tcf';
 *
 * console.log(isConsentSignalError(new Error('x'))); // false
 * ```
 */
export function isConsentSignalError(value: unknown): value is ConsentSignalError {
  return isGuanxiErrorNamed<ConsentSignalError>(value, 'ConsentSignalError');
}
