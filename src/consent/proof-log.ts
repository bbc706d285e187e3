/**
 * The append-only, hash-chained consent log. Each record carries the hash of the one
 * before it and its own position, so altering, removing or reordering a record breaks
 * the chain; a recorded head (length and last hash) kept apart from the records also
 * reveals a log cut short.
 */
import { sha256Hex } from '../core/hash';
import type { ConsentRecord } from './consent-record';

/**
 * The hash that the first record of a log links to.
 *
 * @example
 * ```ts
 * import { consentLogGenesisHash } from 'guanxi/consent';
 *
 * console.log(consentLogGenesisHash.length); // 64
 * ```
 */
export const consentLogGenesisHash = '0'.repeat(64);

/**
 * A record before it is chained: everything but `format`, `sequence`, `previousHash` and `hash`.
 *
 * @example
 * ```ts
 * import type { ConsentRecordDraft } from 'guanxi/consent';
 *
 * const draft: ConsentRecordDraft = {
 *   id: crypto.randomUUID(),
 *   recordedAt: Date.now(),
 *   subject: { userId: 'customer-42' },
 *   jurisdiction: 'EU',
 *   purposes: [{ purpose: 'marketing', state: 'granted', previous: 'pending', form: 'general' }],
 *   channels: [],
 *   notice: { version: '2026-03', sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', language: 'en' },
 *   source: 'import',
 *   libraryVersion: '0.1.0',
 * };
 * ```
 */
export type ConsentRecordDraft = Omit<ConsentRecord, 'format' | 'sequence' | 'previousHash' | 'hash'>;

/**
 * The head of a log: how many records it holds and the hash of the last. Keep it apart
 * from the records (another table, a signed receipt, an external timestamp) so a log
 * cut short can be told from a complete one.
 *
 * @example
 * ```ts
 * import type { ConsentLogHead } from 'guanxi/consent';
 *
 * const anchor: ConsentLogHead = { length: 0, hash: '0'.repeat(64) };
 * ```
 */
export interface ConsentLogHead {
  readonly length: number;
  readonly hash: string;
}

/**
 * JSON with object keys sorted at every level and `undefined` members left out, so the
 * same record always hashes to the same value in every runtime.
 *
 * @example
 * ```ts
 * import { canonicalJson } from 'guanxi/consent';
 *
 * canonicalJson({ b: 1, a: [true, { d: null, c: 'x' }] }); // '{"a":[true,{"c":"x","d":null}],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const entries = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

/**
 * The hash a record should carry: SHA-256 (hex) of the canonical JSON of every field but `hash`.
 *
 * @example
 * ```ts
 * import { consentRecordHash, type ConsentRecord } from 'guanxi/consent';
 *
 * declare const record: ConsentRecord;
 * const intact = (await consentRecordHash(record)) === record.hash;
 * ```
 */
export async function consentRecordHash(record: Omit<ConsentRecord, 'hash'> & { hash?: string }): Promise<string> {
  const { hash: _hash, ...rest } = record;
  return sha256Hex(canonicalJson(rest));
}

/**
 * An append-only consent log held in memory.
 *
 * @example
 * ```ts
 * import { createConsentLog } from 'guanxi/consent';
 *
 * const log = createConsentLog();
 * console.log(log.head()); // { length: 0, hash: '000…0' }
 * ```
 */
export interface ConsentLog {
  /** Chains and appends a record; appends run one at a time in call order. */
  append(draft: ConsentRecordDraft): Promise<ConsentRecord>;
  /** The records appended so far, oldest first. */
  records(): readonly ConsentRecord[];
  /** Length and last hash, to keep as an anchor against truncation. */
  head(): ConsentLogHead;
  /** Resolves when every append started so far has finished. */
  settled(): Promise<void>;
}

/**
 * Options of `createConsentLog`.
 *
 * @example
 * ```ts
 * import type { ConsentLogOptions } from 'guanxi/consent';
 *
 * const options: ConsentLogOptions = { onAppend: (record) => console.log('recorded', record.id) };
 * ```
 */
export interface ConsentLogOptions {
  /**
   * Records to continue from (e.g. loaded from a database); verify them first with
   * `verifyConsentLog`.
   * @default []
   */
  readonly records?: readonly ConsentRecord[];
  /**
   * Called after each append with the chained record and the new head, e.g. to store both.
   * @default undefined
   */
  readonly onAppend?: (record: ConsentRecord, head: ConsentLogHead) => void;
}

/**
 * Creates an append-only, hash-chained consent log in memory. Persist records through
 * `onAppend`; the log never rewrites or deletes a record.
 *
 * @example
 * ```ts
 * import { createConsentLog, verifyConsentLog } from 'guanxi/consent';
 *
 * const log = createConsentLog();
 * await log.append({
 *   id: crypto.randomUUID(),
 *   recordedAt: Date.now(),
 *   subject: { anonymousId: 'device-1' },
 *   jurisdiction: 'EU',
 *   purposes: [{ purpose: 'analytics', state: 'granted', previous: 'pending', form: 'general' }],
 *   channels: [],
 *   notice: { version: '1', sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', language: 'en' },
 *   source: 'banner',
 *   action: 'accept-all',
 *   libraryVersion: '0.1.0',
 * });
 * const result = await verifyConsentLog(log.records(), log.head());
 * console.log(result.valid); // true
 * ```
 */
export function createConsentLog(options: ConsentLogOptions = {}): ConsentLog {
  const records: ConsentRecord[] = [...(options.records ?? [])];
  let tail: Promise<unknown> = Promise.resolve();
  const head = (): ConsentLogHead => ({
    length: records.length,
    hash: records.length === 0 ? consentLogGenesisHash : records[records.length - 1]!.hash,
  });
  return {
    append(draft) {
      const appended = tail.then(async () => {
        const unsealed = { ...draft, format: 1 as const, sequence: records.length, previousHash: head().hash };
        const record: ConsentRecord = { ...unsealed, hash: await consentRecordHash(unsealed) };
        records.push(record);
        options.onAppend?.(record, head());
        return record;
      });
      tail = appended.catch(() => undefined);
      return appended;
    },
    records: () => records.slice(),
    head,
    settled: () => tail.then(() => undefined),
  };
}
