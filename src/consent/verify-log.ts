/**
 * Verification of a consent log from untrusted storage: every record is validated,
 * re-hashed and checked against its neighbours and, when given, against an anchor.
 */
import { safeValidate } from '../core/validate';
import { ConsentRecord } from './consent-record';
import { consentLogGenesisHash, consentRecordHash, type ConsentLogHead } from './proof-log';

/**
 * What `verifyConsentLog` found wrong: `malformed` (not a valid record), `altered` (a
 * record's content or hash changed, or its link to the previous record is broken),
 * `removed` (a gap in the sequence), `reordered` (records out of order or repeated),
 * `truncated` (fewer records than the anchor says, or a different head).
 *
 * @example
 * ```ts
 * import type { ConsentLogProblemKind } from 'guanxi/consent';
 *
 * const kind: ConsentLogProblemKind = 'truncated';
 * ```
 */
export type ConsentLogProblemKind = 'malformed' | 'altered' | 'removed' | 'reordered' | 'truncated';

/**
 * One problem found in a consent log.
 *
 * @example
 * ```ts
 * import type { ConsentLogProblem } from 'guanxi/consent';
 *
 * const problem: ConsentLogProblem = { kind: 'removed', index: 3, sequence: 3, message: 'Records 3 to 3 are missing' };
 * ```
 */
export interface ConsentLogProblem {
  readonly kind: ConsentLogProblemKind;
  /** Index in the array given to `verifyConsentLog`. */
  readonly index: number;
  /** The record's sequence number, when readable. */
  readonly sequence?: number;
  readonly message: string;
}

/**
 * The outcome of `verifyConsentLog`.
 *
 * @example
 * ```ts
 * import type { ConsentLogVerification } from 'guanxi/consent';
 *
 * function report(result: ConsentLogVerification): string {
 *   return result.valid ? `${result.head.length} records, chain intact` : result.problems.map((p) => p.message).join('; ');
 * }
 * ```
 */
export interface ConsentLogVerification {
  /** `true` when no problem was found. */
  readonly valid: boolean;
  /** Every problem, in log order. */
  readonly problems: readonly ConsentLogProblem[];
  /** The head of the records as given (count and last hash). */
  readonly head: ConsentLogHead;
}

/**
 * Verifies a hash-chained consent log: each record is well-formed, its hash matches
 * its content, its `sequence` follows the previous one and its `previousHash` is the
 * previous record's hash. An `anchor` (a head recorded apart from the records)
 * additionally detects records cut off the end, and a log rewritten from some point on.
 *
 * Without an anchor, losing the last records cannot be told from never having had
 * them: keep the head somewhere the records' custodian cannot rewrite.
 *
 * @param records - Records as stored, oldest first (untrusted: validated here).
 * @param anchor - A head recorded earlier; the log may have grown since.
 *
 * @example
 * ```ts
 * import { verifyConsentLog, type ConsentLogHead } from 'guanxi/consent';
 *
 * declare const stored: unknown[];
 * declare const anchor: ConsentLogHead;
 * const result = await verifyConsentLog(stored, anchor);
 * for (const problem of result.problems) console.log(problem.kind, problem.index, problem.message);
 * ```
 */
export async function verifyConsentLog(records: readonly unknown[], anchor?: ConsentLogHead): Promise<ConsentLogVerification> {
  const problems: ConsentLogProblem[] = [];
  const parsed: (ConsentRecord | undefined)[] = [];
  for (const [index, raw] of records.entries()) {
    const result = safeValidate(ConsentRecord, raw, 'consent record');
    if (!result.success) {
      problems.push({ kind: 'malformed', index, message: `Record ${index} is not a valid consent record: ${result.error.message}` });
      parsed.push(undefined);
      continue;
    }
    const record = result.value;
    parsed.push(record);
    if ((await consentRecordHash(record)) !== record.hash) {
      problems.push({ kind: 'altered', index, sequence: record.sequence, message: `Record ${index} (sequence ${record.sequence}) does not match its hash: its content was changed` });
    }
  }

  let previous: ConsentRecord | undefined;
  let expectedSequence = 0;
  for (const [index, record] of parsed.entries()) {
    if (!record) {
      previous = undefined;
      expectedSequence++;
      continue;
    }
    if (record.sequence < expectedSequence) {
      problems.push({ kind: 'reordered', index, sequence: record.sequence, message: `Record ${index} has sequence ${record.sequence} where ${expectedSequence} or later was expected: records are out of order or repeated` });
    } else if (record.sequence > expectedSequence) {
      const laterIndex = parsed.findIndex((other, at) => at > index && other !== undefined && other.sequence < record.sequence);
      if (laterIndex >= 0) {
        problems.push({ kind: 'reordered', index, sequence: record.sequence, message: `Record ${index} has sequence ${record.sequence} but a lower sequence follows at ${laterIndex}: records are out of order` });
      } else {
        problems.push({ kind: 'removed', index, sequence: record.sequence, message: `Records ${expectedSequence} to ${record.sequence - 1} are missing before record ${index}` });
      }
    } else {
      const expectedLink = record.sequence === 0 ? consentLogGenesisHash : previous?.hash;
      if (expectedLink !== undefined && record.previousHash !== expectedLink) {
        problems.push({ kind: 'altered', index, sequence: record.sequence, message: `Record ${index} (sequence ${record.sequence}) does not link to the record before it: a record was replaced or its hash changed` });
      }
    }
    previous = record;
    expectedSequence = Math.max(expectedSequence, record.sequence) + 1;
  }

  const last = parsed.length > 0 ? parsed[parsed.length - 1] : undefined;
  const head: ConsentLogHead = { length: records.length, hash: records.length === 0 ? consentLogGenesisHash : (last?.hash ?? '') };
  if (anchor) {
    if (anchor.length > records.length) {
      problems.push({ kind: 'truncated', index: records.length, message: `The anchor records ${anchor.length} records but only ${records.length} are present: the log was cut short` });
    } else {
      const atAnchor = anchor.length === 0 ? undefined : parsed[anchor.length - 1];
      const hashAtAnchor = anchor.length === 0 ? consentLogGenesisHash : atAnchor?.hash;
      if (hashAtAnchor !== anchor.hash) {
        problems.push({ kind: 'altered', index: Math.max(0, anchor.length - 1), message: `Record ${anchor.length - 1} does not carry the anchored head hash: the log was rewritten up to that point` });
      }
    }
  }
  return { valid: problems.length === 0, problems, head };
}
