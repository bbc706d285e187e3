/** Routes of consent proof records, log verification and evaluated consent state. */
import { z } from 'zod';
import { HttpProblem, notFound } from './http/problem';
import { PageQuery, parseInput, parseQuery } from './http/input';
import type { Route } from './http/route';
import type { CrmServices } from './services';
import { currentConsentStates, evaluateRequestConsent, type PurposeState } from './consent';
import { appendConsentRecord, consentRecordFromRow, type StoredConsentRecord, consentRecordsOf, ConsentRecordInput, foldConsentState, verifyConsentLog } from './consent-log';
import { readRecord } from './records/record-store';
import type { SqlExecutor } from './storage/database';
import { encodeCursor, decodeCursor } from './records/search';
import { invalidCursor } from './records/record-store';

const SubjectQuery = z.object({
  contactId: z.string().min(1).max(256).optional(),
  userId: z.string().min(1).max(256).optional(),
  anonymousId: z.string().min(1).max(256).optional(),
});

/** The contact a consent subject resolves to, if any. */
export async function contactForSubject(db: SqlExecutor, subject: { contactId?: string; userId?: string; anonymousId?: string }): Promise<string | null> {
  if (subject.contactId !== undefined) {
    const stored = await readRecord(db, 'contact', subject.contactId);
    if (!stored) throw new HttpProblem(404, 'not_found', `No contact with id ${JSON.stringify(subject.contactId)}`);
    return stored.record.id;
  }
  const identifiers = [
    ...(subject.userId !== undefined ? [{ kind: 'userId', value: subject.userId }] : []),
    ...(subject.anonymousId !== undefined ? [{ kind: 'anonymousId', value: subject.anonymousId }] : []),
  ];
  for (const identifier of identifiers) {
    const [row] = await db.query<{ contact_id: string }>('SELECT contact_id FROM crm_identities WHERE kind = $1 AND value = $2', [identifier.kind, identifier.value]);
    if (row) return row.contact_id;
  }
  return null;
}

/** Every subject id of a contact, for folding its consent state. */
export async function subjectIdsOfContact(db: SqlExecutor, contactId: string): Promise<{ userIds: string[]; anonymousIds: string[] }> {
  const rows = await db.query<{ kind: string; value: string }>(`SELECT kind, value FROM crm_identities WHERE contact_id = $1 AND kind IN ('userId', 'anonymousId')`, [contactId]);
  return {
    userIds: rows.filter((row) => row.kind === 'userId').map((row) => row.value),
    anonymousIds: rows.filter((row) => row.kind === 'anonymousId').map((row) => row.value),
  };
}

/** The stored consent state of a subject, over all of its ids. */
export async function storedConsentState(db: SqlExecutor, subject: { contactId?: string | null; userId?: string; anonymousId?: string }): Promise<Record<string, PurposeState>> {
  const records: StoredConsentRecord[] = [];
  const seen = new Set<string>();
  const add = (found: Awaited<ReturnType<typeof consentRecordsOf>>) => {
    for (const record of found) {
      if (seen.has(record.id)) continue;
      seen.add(record.id);
      records.push(record);
    }
  };
  if (subject.contactId) {
    add(await consentRecordsOf(db, { contactId: subject.contactId }));
    const ids = await subjectIdsOfContact(db, subject.contactId);
    for (const userId of ids.userIds) add(await consentRecordsOf(db, { userId }));
    for (const anonymousId of ids.anonymousIds) add(await consentRecordsOf(db, { anonymousId }));
  }
  if (subject.userId !== undefined || subject.anonymousId !== undefined) add(await consentRecordsOf(db, { userId: subject.userId, anonymousId: subject.anonymousId }));
  records.sort((a, b) => a.sequence - b.sequence);
  return foldConsentState(records);
}

export function consentRoutes(services: CrmServices): Route[] {
  const { db, now } = services;
  return [
    {
      method: 'GET',
      path: '/v1/consent-records',
      auth: 'api-key',
      body: 'none',
      async handle(context) {
        const query = parseQuery(PageQuery.extend(SubjectQuery.shape), context.query);
        const signature = `consent:${query.contactId ?? ''}:${query.userId ?? ''}:${query.anonymousId ?? ''}`;
        const cursor = query.after === undefined ? undefined : decodeCursor(query.after, signature);
        if (query.after !== undefined && !cursor) throw invalidCursor('query');
        const filtered = query.contactId !== undefined || query.userId !== undefined || query.anonymousId !== undefined;
        const contactId = query.contactId === undefined ? undefined : ((await readRecord(db, 'contact', query.contactId))?.record.id ?? query.contactId);
        const rows = await db.query(
          `SELECT record, contact_id, sequence FROM crm_consent_records
           WHERE ($1::boolean = false OR ($2::text IS NOT NULL AND contact_id = $2) OR ($3::text IS NOT NULL AND user_id = $3) OR ($4::text IS NOT NULL AND anonymous_id = $4))
             AND sequence > $5
           ORDER BY sequence LIMIT $6`,
          [filtered, contactId ?? null, query.userId ?? null, query.anonymousId ?? null, cursor ? Number(cursor.id) : -1, query.limit + 1],
        );
        const results = rows.slice(0, query.limit).map(consentRecordFromRow);
        const last = results[results.length - 1];
        if (rows.length <= query.limit || !last) return { status: 200, body: { results } };
        const after = encodeCursor({ s: signature, id: String(last.sequence) });
        const filters = ['contactId', 'userId', 'anonymousId'].flatMap((key) => (context.query.get(key) !== null ? [`&${key}=${encodeURIComponent(context.query.get(key) ?? '')}`] : [])).join('');
        return { status: 200, body: { results, paging: { next: { after, link: `/v1/consent-records?limit=${query.limit}&after=${after}${filters}` } } } };
      },
    },
    {
      method: 'POST',
      path: '/v1/consent-records',
      auth: 'api-key',
      body: 'json',
      idempotent: true,
      async handle(context) {
        const input = parseInput(ConsentRecordInput, context.body, 'body', 'consent record');
        const record = await db.transaction(async (tx) => {
          const contactId = await contactForSubject(tx, input.subject);
          return appendConsentRecord(tx, input, contactId, new Date(now()));
        });
        services.emit('consent_record.created', record);
        return { status: 201, body: record, headers: { location: `/v1/consent-records/${record.id}` } };
      },
    },
    {
      method: 'GET',
      path: '/v1/consent-records/verify',
      auth: 'api-key',
      body: 'none',
      async handle() {
        return { status: 200, body: await verifyConsentLog(db) };
      },
    },
    {
      method: 'GET',
      path: '/v1/consent-records/{id}',
      auth: 'api-key',
      body: 'none',
      async handle(context) {
        const id = context.params['id'] ?? '';
        const [row] = await db.query('SELECT record, contact_id FROM crm_consent_records WHERE id = $1', [id]);
        if (!row) throw notFound('consent record', id);
        return { status: 200, body: consentRecordFromRow(row) };
      },
    },
    {
      method: 'GET',
      path: '/v1/consent-state',
      auth: 'api-key',
      body: 'none',
      async handle(context) {
        const query = parseQuery(SubjectQuery.extend({ jurisdiction: z.string().min(1).max(16).optional() }), context.query);
        if (query.contactId === undefined && query.userId === undefined && query.anonymousId === undefined) {
          throw new HttpProblem(400, 'validation_failed', 'Name the subject by contactId, userId or anonymousId', [{ in: 'query', path: [], code: 'required', message: 'contactId, userId or anonymousId is required' }]);
        }
        const contactId = await contactForSubject(db, query);
        const stored = await storedConsentState(db, { contactId, userId: query.userId, anonymousId: query.anonymousId });
        const requestConsent = evaluateRequestConsent(context.headers);
        const gpc = requestConsent.globalPrivacyControl;
        const purposes = currentConsentStates({}, stored, requestConsent);
        return {
          status: 200,
          body: { contactId, purposes, ...(query.jurisdiction ? { jurisdiction: query.jurisdiction } : {}), signals: { gpc }, evaluatedAt: new Date(now()).toISOString() },
        };
      },
    },
  ];
}
