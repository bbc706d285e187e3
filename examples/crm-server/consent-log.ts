/**
 * The server's consent log: append-only proof records in one hash chain (GDPR Art. 7(1)),
 * their verification, and a subject's current state folded from its records.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SqlExecutor } from './storage/database';
import { combinePurposeStates, consentRecordHash, genesisHash, type PurposeState } from './consent';

const purposeState = z.enum(['granted', 'denied', 'pending', 'objected']);

export const ConsentRecordInput = z
  .object({
    subject: z
      .object({ contactId: z.string().min(1).max(256).optional(), userId: z.string().min(1).max(256).optional(), anonymousId: z.string().min(1).max(256).optional() })
      .strict()
      .refine((subject) => Object.keys(subject).length > 0, 'Name the subject by contactId, userId or anonymousId'),
    purposes: z
      .record(z.string().min(1).max(64), purposeState)
      .refine((purposes) => Object.keys(purposes).length > 0, 'At least one purpose'),
    source: z.enum(['banner', 'preference-centre', 'api', 'import', 'gpc', 'dnt', 'tcf']),
    channels: z.record(z.enum(['email', 'sms', 'phone', 'push', 'mail']), z.enum(['granted', 'denied', 'pending'])).optional(),
    action: z.string().max(128).optional(),
    notice: z
      .object({
        version: z.string().min(1).max(64),
        sha256: z
          .string()
          .regex(/^[0-9a-f]{64}$/, 'Expected 64 lower-case hex digits (SHA-256)')
          .optional(),
        language: z.string().max(35).optional(),
        url: z.string().max(2048).optional(),
      })
      .strict()
      .optional(),
    jurisdiction: z.string().min(1).max(16).optional(),
    occurredAt: z.iso.datetime({ offset: true }).optional(),
    libraryVersion: z.string().max(64).optional(),
  })
  .loose();
export type ConsentRecordInput = z.infer<typeof ConsentRecordInput>;

export type StoredConsentRecord = ConsentRecordInput & {
  readonly id: string;
  readonly sequence: number;
  readonly previousHash: string;
  readonly hash: string;
  readonly recordedAt: string;
  readonly occurredAt: string;
  readonly contactId: string | null;
};

/** Serializes appends so sequence numbers and hashes form one chain. */
async function lockConsentLog(tx: SqlExecutor): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(7483922)');
}

/** Appends a record; call inside a transaction. */
export async function appendConsentRecord(tx: SqlExecutor, input: ConsentRecordInput, contactId: string | null, now: Date): Promise<StoredConsentRecord> {
  await lockConsentLog(tx);
  const [head] = await tx.query<{ sequence: number; hash: string }>('SELECT sequence, hash FROM crm_consent_records ORDER BY sequence DESC LIMIT 1');
  const unhashed = {
    ...input,
    id: `cr_${randomUUID()}`,
    sequence: head ? Number(head.sequence) + 1 : 0,
    previousHash: head?.hash ?? genesisHash,
    recordedAt: now.toISOString(),
    occurredAt: input.occurredAt ?? now.toISOString(),
  };
  // The contact id is not part of the proof: it moves when contacts merge.
  const proof = { ...unhashed, hash: consentRecordHash(unhashed) };
  const record: StoredConsentRecord = { ...proof, contactId };
  await tx.query(
    `INSERT INTO crm_consent_records (sequence, id, contact_id, user_id, anonymous_id, record, previous_hash, hash, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9)`,
    [record.sequence, record.id, contactId, input.subject.userId ?? null, input.subject.anonymousId ?? null, JSON.stringify(proof), record.previousHash, record.hash, now],
  );
  return record;
}

function recordOf(row: Record<string, unknown>): StoredConsentRecord {
  const record = (typeof row['record'] === 'string' ? JSON.parse(row['record']) : row['record']) as StoredConsentRecord;
  return { ...record, contactId: (row['contact_id'] as string | null) ?? null };
}

/** Checks every link of the chain in order: sequence, previous hash and each record's own hash. */
export async function verifyConsentLog(db: SqlExecutor): Promise<{ valid: boolean; records: number; firstInvalid?: { sequence: number; reason: string } }> {
  const rows = await db.query('SELECT sequence, record, previous_hash, hash FROM crm_consent_records ORDER BY sequence');
  let previous = genesisHash;
  for (const [index, row] of rows.entries()) {
    const record = (typeof row['record'] === 'string' ? JSON.parse(row['record']) : row['record']) as StoredConsentRecord;
    const sequence = Number(row['sequence']);
    const fail = (reason: string) => ({ valid: false, records: rows.length, firstInvalid: { sequence, reason } });
    if (sequence !== index || record.sequence !== index) return fail('a record is missing or out of order');
    if (record.previousHash !== previous || row['previous_hash'] !== previous) return fail('previousHash does not match the previous record');
    if (consentRecordHash(record as unknown as Record<string, unknown>) !== record.hash || row['hash'] !== record.hash) return fail('the record was altered');
    previous = record.hash;
  }
  return { valid: true, records: rows.length };
}

/** The subject's records in log order (by contact, user id or anonymous id). */
export async function consentRecordsOf(db: SqlExecutor, subject: { contactId?: string; userId?: string; anonymousId?: string }): Promise<StoredConsentRecord[]> {
  const rows = await db.query(
    `SELECT record, contact_id FROM crm_consent_records
     WHERE ($1::text IS NOT NULL AND contact_id = $1) OR ($2::text IS NOT NULL AND user_id = $2) OR ($3::text IS NOT NULL AND anonymous_id = $3)
     ORDER BY sequence`,
    [subject.contactId ?? null, subject.userId ?? null, subject.anonymousId ?? null],
  );
  return rows.map(recordOf);
}

/**
 * The current state per purpose: the latest record wins per subject id, and states of
 * the subject's different ids (anonymous and known) combine to the most restrictive.
 */
export function foldConsentState(records: readonly StoredConsentRecord[]): Record<string, PurposeState> {
  const bySubject = new Map<string, Record<string, PurposeState>>();
  for (const record of records) {
    const key = record.subject.userId !== undefined ? `u:${record.subject.userId}` : record.subject.anonymousId !== undefined ? `a:${record.subject.anonymousId}` : `c:${record.subject.contactId}`;
    const states = bySubject.get(key) ?? {};
    Object.assign(states, record.purposes);
    bySubject.set(key, states);
  }
  const combined: Record<string, PurposeState> = {};
  for (const states of bySubject.values()) {
    for (const [purpose, state] of Object.entries(states)) {
      const before = combined[purpose];
      combined[purpose] = before === undefined ? state : combinePurposeStates(before, state);
    }
  }
  return combined;
}

export { recordOf as consentRecordFromRow };
