/**
 * Reading TC string segments bit by bit. Kept apart from the field layout so the
 * decoder reads like the specification's field tables.
 */
import { ConsentSignalError, type ConsentSignalErrorReason } from './consent-signal-error';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Throws a `ConsentSignalError` for a TC string, with a message built from where it failed. */
export function tcfFail(reason: ConsentSignalErrorReason, problem: string, segment?: number, field?: string, bitOffset?: number): never {
  const where = segment === undefined ? '' : ` segment ${segment} ${field} (bit ${bitOffset})`;
  throw new ConsentSignalError(`TC string${where}: ${problem}`, 'tcf', reason, { segment, bitOffset, field });
}

/** A cursor over the bits of one base64url segment, most significant bit first. */
export class SegmentBits {
  private readonly bits: number[] = [];
  position = 0;

  constructor(
    text: string,
    readonly segment: number,
  ) {
    // Some CMPs append '=' padding although the specification forbids it: tolerated.
    const body = text.replace(/=+$/, '');
    if (body === '') tcfFail('bad_encoding', 'empty segment', segment, '', 0);
    for (const char of body) {
      const value = alphabet.indexOf(char);
      if (value < 0) tcfFail('bad_encoding', 'not base64url', segment, '', 0);
      for (let bit = 5; bit >= 0; bit--) this.bits.push((value >> bit) & 1);
    }
  }

  get remaining(): number {
    return this.bits.length - this.position;
  }

  /** Reads an unsigned integer of `width` bits (at most 36, safe as a double). */
  int(width: number, field: string): number {
    if (this.remaining < width) this.fail('truncated', `needs ${width} bits, ${this.remaining} remain`, field);
    let value = 0;
    for (let i = 0; i < width; i++) value = value * 2 + this.bits[this.position++]!;
    return value;
  }

  bool(field: string): boolean {
    return this.int(1, field) === 1;
  }

  /** Reads `width` flags and returns the 1-based ids of those set. */
  flags(width: number, field: string): number[] {
    const ids: number[] = [];
    for (let i = 1; i <= width; i++) if (this.int(1, field)) ids.push(i);
    return ids;
  }

  /** Two letters of 6 bits each, A = 0. */
  letters(field: string): string {
    let text = '';
    for (let i = 0; i < 2; i++) {
      const value = this.int(6, field);
      if (value > 25) this.fail('bad_value', `${value} is not a letter`, field);
      text += String.fromCharCode(65 + value);
    }
    return text;
  }

  fail(reason: ConsentSignalErrorReason, problem: string, field: string): never {
    return tcfFail(reason, problem, this.segment, field, this.position);
  }
}
