/**
 * Data-subject requests: export everything stored about a person (GDPR Art. 20, PIPL
 * Art. 45) and erasure (GDPR Art. 17, PIPL Art. 47). Erasure deletes the profile, its
 * events and activities, unlinks deals and tickets, and leaves only hashed identifiers
 * (tombstones) so the person's devices do not re-create them. Consent proof records are
 * kept: they prove the lawfulness of past processing (Art. 17(3)(b) and (e)).
 */
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { HttpProblem, notFound } from './http/problem';
import { PageQuery, parseInput, parseQuery } from './http/input';
import type { Route } from './http/route';
import type { CrmServices } from './services';
import type { SqlExecutor } from './storage/database';
import { identifierHash, lockIdentityGraph } from './contacts';
import { consentRecordsOf } from './consent-log';
import { readRecord, rowToStored, invalidCursor, type CrmRecord } from './records/record-store';
import { storedEventFromRow } from './collector';
import { decodeCursor, encodeCursor } from './records/search';
import { parseContactProperties, contactIdentifiers } from './profiles';

const DataSubjectRequestInput = z
  .object({
    type: z.enum(['export', 'erasure']),
    subject: z
      .object({
        contactId: z.string().min(1).max(256).optional(),
        email: z.string().min(1).max(320).optional(),
        userId: z.string().min(1).max(256).optional(),
        phone: z.string().min(1).max(64).optional(),
        anonymousId: z.string().min(1).max(256).optional(),
      })
      .strict()
      .refine((subject) => Object.keys(subject).length > 0, 'Name the subject by contactId, email, userId, phone or anonymousId'),
    reason: z.string().max(1024).optional(),
  })
  .strict();
type DataSubjectRequestInput = z.infer<typeof DataSubjectRequestInput>;

/** Finds the contact a request names; identifiers are normalized as the profile schema does. */
async function findSubjectContact(tx: SqlExecutor, subject: DataSubjectRequestInput['subject']): Promise<CrmRecord | undefined> {
  if (subject.contactId !== undefined) return (await readRecord(tx, 'contact', subject.contactId))?.record;
  const person = parseContactProperties({
    ...(subject.email !== undefined ? { emails: [{ address: subject.email }] } : {}),
    ...(subject.phone !== undefined ? { phones: [{ number: subject.phone }] } : {}),
    identities: { ...(subject.userId !== undefined ? { userId: subject.userId } : {}), ...(subject.anonymousId !== undefined ? { anonymousIds: [subject.anonymousId] } : {}) },
  });
  if (!person.success) throw new HttpProblem(400, 'validation_failed', 'Invalid subject', person.error.issues.map((issue) => ({ in: 'body' as const, path: ['subject', ...issue.path], code: issue.code, message: issue.message })));
  for (const identifier of contactIdentifiers(person.value)) {
    const [row] = await tx.query<{ contact_id: string }>('SELECT contact_id FROM crm_identities WHERE kind = $1 AND value = $2', [identifier.kind, identifier.value]);
    if (row) return (await readRecord(tx, 'contact', row.contact_id))?.record;
  }
  return undefined;
}

async function relatedRecords(tx: SqlExecutor, type: 'activity' | 'deal' | 'ticket', contactId: string): Promise<CrmRecord[]> {
  const rows = await tx.query(`SELECT id, properties, provenance, merged_ids, created_at, updated_at, archived_at FROM crm_records WHERE type = $1 AND properties->>'contactId' = $2 ORDER BY id`, [type, contactId]);
  return rows.map((row) => rowToStored(type, row).record);
}

async function subjectEvents(tx: SqlExecutor, contactId: string): Promise<Record<string, unknown>[]> {
  const rows = await tx.query(
    `SELECT message_id, type, event, contact_id, anonymous_id, user_id, occurred_at, received_at, message FROM crm_events WHERE contact_id = $1 ORDER BY position`,
    [contactId],
  );
  return rows.map(storedEventFromRow);
}

function hashedSubject(subject: Record<string, string | undefined>): Record<string, string> {
  const hashed: Record<string, string> = {};
  for (const [key, value] of Object.entries(subject)) if (value !== undefined) hashed[key] = `sha256:${createHash('sha256').update(value).digest('hex')}`;
  return hashed;
}

function requestFromRow(row: Record<string, unknown>): Record<string, unknown> {
  return (typeof row['request'] === 'string' ? JSON.parse(row['request']) : row['request']) as Record<string, unknown>;
}

export function dataSubjectRoutes(services: CrmServices): Route[] {
  const { db, now } = services;
  return [
    {
      method: 'GET',
      path: '/v1/data-subject-requests',
      auth: 'api-key',
      body: 'none',
      async handle(context) {
        const query = parseQuery(PageQuery, context.query);
        const cursor = query.after === undefined ? undefined : decodeCursor(query.after, 'dsr');
        if (query.after !== undefined && !cursor) throw invalidCursor('query');
        const rows = await db.query('SELECT id, request FROM crm_data_subject_requests WHERE id > $1 ORDER BY id LIMIT $2', [cursor?.id ?? '', query.limit + 1]);
        const results = rows.slice(0, query.limit).map(requestFromRow);
        const lastRow = rows[Math.min(rows.length, query.limit) - 1];
        if (rows.length <= query.limit || !lastRow) return { status: 200, body: { results } };
        const after = encodeCursor({ s: 'dsr', id: String(lastRow['id']) });
        return { status: 200, body: { results, paging: { next: { after, link: `/v1/data-subject-requests?limit=${query.limit}&after=${after}` } } } };
      },
    },
    {
      method: 'POST',
      path: '/v1/data-subject-requests',
      auth: 'api-key',
      body: 'json',
      idempotent: true,
      async handle(context) {
        const input = parseInput(DataSubjectRequestInput, context.body, 'body', 'data-subject request');
        const at = new Date(now());
        // Time-ordered ids keep the list in request order.
        const id = `dsr_${at.getTime().toString(36).padStart(9, '0')}${randomUUID().slice(0, 8)}`;
        const request = await db.transaction(async (tx) => {
          await lockIdentityGraph(tx);
          const contact = await findSubjectContact(tx, input.subject);
          const base = { id, type: input.type, ...(input.reason ? { reason: input.reason } : {}), createdAt: at.toISOString(), completedAt: at.toISOString() };
          if (!contact) {
            const result = { ...base, status: 'not_found', subject: input.type === 'erasure' ? hashedSubject(input.subject) : input.subject, contactId: null, counts: {} };
            await tx.query('INSERT INTO crm_data_subject_requests (id, request, created_at) VALUES ($1, $2::jsonb, $3)', [id, JSON.stringify(result), at]);
            return result;
          }
          const activities = await relatedRecords(tx, 'activity', contact.id);
          const deals = await relatedRecords(tx, 'deal', contact.id);
          const tickets = await relatedRecords(tx, 'ticket', contact.id);
          const events = await subjectEvents(tx, contact.id);
          const consentRecords = await consentRecordsOf(tx, { contactId: contact.id });
          const counts = { contacts: 1, activities: activities.length, events: events.length, deals: deals.length, tickets: tickets.length, consentRecords: consentRecords.length };
          if (input.type === 'export') {
            const result = { ...base, status: 'completed', subject: input.subject, contactId: contact.id, counts };
            const exported = { generatedAt: at.toISOString(), requestId: id, contact, activities, events, consentRecords, deals, tickets };
            await tx.query('INSERT INTO crm_data_subject_requests (id, request, export, created_at) VALUES ($1, $2::jsonb, $3::jsonb, $4)', [id, JSON.stringify(result), JSON.stringify(exported), at]);
            return result;
          }
          const identifiers = await tx.query<{ kind: string; value: string }>('SELECT kind, value FROM crm_identities WHERE contact_id = $1', [contact.id]);
          const known = [...identifiers, ...contactIdentifiers(contact.properties)] as { kind: 'userId' | 'email' | 'phone' | 'anonymousId' | 'externalId'; value: string }[];
          for (const identifier of known) {
            await tx.query('INSERT INTO crm_tombstones (kind, value_hash, erased_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [identifier.kind, identifierHash(identifier), at]);
          }
          await tx.query('DELETE FROM crm_identities WHERE contact_id = $1', [contact.id]);
          await tx.query('DELETE FROM crm_contact_aliases WHERE contact_id = $1', [contact.id]);
          await tx.query(`DELETE FROM crm_records WHERE type = 'contact' AND id = $1`, [contact.id]);
          await tx.query(`DELETE FROM crm_records WHERE type = 'activity' AND properties->>'contactId' = $1`, [contact.id]);
          await tx.query(`UPDATE crm_records SET properties = properties - 'contactId' WHERE type IN ('deal', 'ticket') AND properties->>'contactId' = $1`, [contact.id]);
          await tx.query('DELETE FROM crm_events WHERE contact_id = $1', [contact.id]);
          const result = { ...base, status: 'completed', subject: hashedSubject(input.subject), contactId: contact.id, counts };
          await tx.query('INSERT INTO crm_data_subject_requests (id, request, created_at) VALUES ($1, $2::jsonb, $3)', [id, JSON.stringify(result), at]);
          return result;
        });
        services.emit('data_subject_request.completed', request);
        return { status: 201, body: request, headers: { location: `/v1/data-subject-requests/${id}` } };
      },
    },
    {
      method: 'GET',
      path: '/v1/data-subject-requests/{id}',
      auth: 'api-key',
      body: 'none',
      async handle(context) {
        const id = context.params['id'] ?? '';
        const [row] = await db.query('SELECT request FROM crm_data_subject_requests WHERE id = $1', [id]);
        if (!row) throw notFound('data-subject request', id);
        return { status: 200, body: requestFromRow(row) };
      },
    },
    {
      method: 'GET',
      path: '/v1/data-subject-requests/{id}/export',
      auth: 'api-key',
      body: 'none',
      async handle(context) {
        const id = context.params['id'] ?? '';
        const [row] = await db.query('SELECT export FROM crm_data_subject_requests WHERE id = $1', [id]);
        if (!row || row['export'] === null || row['export'] === undefined) throw new HttpProblem(404, 'not_found', `No export for request ${JSON.stringify(id)}`);
        return { status: 200, body: typeof row['export'] === 'string' ? JSON.parse(row['export']) : row['export'] };
      },
    },
  ];
}
