/**
 * The collector: `POST /v1/batch` in the Segment HTTP Tracking API format, as JSON or as
 * `text/plain` (no CORS preflight, survives page unload), authenticated with a write key.
 * Each message is stored exactly once (the `messageId` is the primary key); consent is
 * checked before anything is stored; identify and alias feed identity resolution; tracked
 * touchpoints and orders become activities. Also `GET /v1/events` to read what was stored.
 */
import { z } from 'zod';
import { HttpProblem } from './http/problem';
import { PageQuery, parseInput, parseQuery } from './http/input';
import type { RequestIssue } from './http/problem';
import type { Route } from './http/route';
import type { CrmServices } from './services';
import { withSavepoint, type SqlExecutor } from './storage/database';
import { consentSuppression, evaluateRequestConsent, purposesOptedOutByGpc } from './consent';
import { appendConsentRecord, type StoredConsentRecord } from './consent-log';
import { contactForSubject, storedConsentState } from './consent-routes';
import { isErased, lockIdentityGraph, observeContact } from './contacts';
import { traitsToContactProperties, parseContactProperties } from './profiles';
import { activityFromEvent, parseActivityProperties } from './touchpoints';
import { insertRecord, newRecordId, readRecord, invalidCursor } from './records/record-store';
import { decodeCursor, encodeCursor } from './records/search';

/** Segment's limits: 32 KB per message, 500 KB per batch request. */
export const maxMessageBytes = 32 * 1024;
export const maxBatchBytes = 500 * 1024;

const id = z.string().min(1).max(256);
const EventMessage = z
  .object({
    type: z.enum(['identify', 'track', 'page', 'screen', 'group', 'alias']),
    messageId: id,
    anonymousId: id.optional(),
    userId: id.optional(),
    timestamp: z.iso.datetime({ offset: true }).optional(),
    sentAt: z.iso.datetime({ offset: true }).optional(),
    event: z.string().min(1).max(256).optional(),
    name: z.string().max(256).optional(),
    properties: z.record(z.string(), z.unknown()).optional(),
    traits: z.record(z.string(), z.unknown()).optional(),
    context: z.record(z.string(), z.unknown()).optional(),
    integrations: z.record(z.string(), z.unknown()).optional(),
    previousId: id.optional(),
    groupId: id.optional(),
  })
  .loose()
  .superRefine((message, context) => {
    if (message.anonymousId === undefined && message.userId === undefined) context.addIssue({ code: 'custom', path: ['userId'], message: 'anonymousId or userId is required' });
    if (message.type === 'track' && message.event === undefined) context.addIssue({ code: 'custom', path: ['event'], message: 'track messages need an event name' });
    if (message.type === 'alias' && message.previousId === undefined) context.addIssue({ code: 'custom', path: ['previousId'], message: 'alias messages need previousId' });
    if (message.type === 'group' && message.groupId === undefined) context.addIssue({ code: 'custom', path: ['groupId'], message: 'group messages need groupId' });
  });
type EventMessage = z.infer<typeof EventMessage>;

const EventBatch = z
  .object({
    batch: z.array(z.unknown()).min(1).max(2000),
    sentAt: z.iso.datetime({ offset: true }).optional(),
    context: z.record(z.string(), z.unknown()).optional(),
    writeKey: z.string().optional(),
  })
  .loose();

interface Rejection {
  readonly index: number;
  readonly messageId?: string;
  readonly issues: readonly RequestIssue[];
}

export function collectorRoutes(services: CrmServices): Route[] {
  const { db, now } = services;

  /** Stores one message (if new) and what follows from it; returns whether it was new. */
  async function storeMessage(tx: SqlExecutor, message: EventMessage, receivedAt: Date): Promise<boolean> {
    const occurredAt = message.timestamp ?? receivedAt.toISOString();
    const inserted = await tx.query(
      `INSERT INTO crm_events (message_id, type, event, anonymous_id, user_id, occurred_at, received_at, message)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) ON CONFLICT (message_id) DO NOTHING RETURNING message_id`,
      [message.messageId, message.type, message.event ?? null, message.anonymousId ?? null, message.userId ?? null, new Date(occurredAt), receivedAt, JSON.stringify(message)],
    );
    if (inserted.length === 0) return false;

    const contactId = await resolveContact(tx, message, occurredAt, receivedAt);
    if (contactId !== undefined) await tx.query('UPDATE crm_events SET contact_id = $2 WHERE message_id = $1', [message.messageId, contactId]);

    if (message.type === 'track' && message.event !== undefined) {
      const activity = activityFromEvent({ messageId: message.messageId, event: message.event, timestamp: occurredAt, properties: message.properties ?? {} });
      if (activity !== undefined) {
        const parsed = parseActivityProperties({ ...activity, ...(contactId !== undefined ? { contactId } : {}) });
        // An event that is valid as an event but not as a touchpoint is kept as an event only.
        if (parsed.success) {
          const stored = await insertRecord(tx, 'activity', newRecordId('ac', receivedAt.getTime()), parsed.value, receivedAt);
          services.emit('activity.created', stored.record);
        }
      }
    }
    return true;
  }

  /** Identity resolution for one message; the contact it belongs to, if any. */
  async function resolveContact(tx: SqlExecutor, message: EventMessage, observedAt: string, receivedAt: Date): Promise<string | undefined> {
    const source = `collector:${message.type}`;
    const identities = { userId: message.userId, anonymousId: message.anonymousId };
    let properties: Record<string, unknown>;
    if (message.type === 'identify') properties = traitsToContactProperties(message.traits ?? {}, identities);
    else if (message.type === 'alias') properties = traitsToContactProperties({}, { userId: message.userId, anonymousId: message.previousId });
    else {
      // Other events only link to a known contact, or create one for a new visitor.
      for (const [kind, value] of [['userId', message.userId], ['anonymousId', message.anonymousId]] as const) {
        if (value === undefined) continue;
        const [row] = await tx.query<{ contact_id: string }>('SELECT contact_id FROM crm_identities WHERE kind = $1 AND value = $2', [kind, value]);
        if (row) return row.contact_id;
      }
      properties = traitsToContactProperties({}, identities);
    }
    let parsed = parseContactProperties(properties);
    if (!parsed.success) {
      // Traits that are not a valid profile (a malformed email…) must not lose the event or the link.
      parsed = parseContactProperties(traitsToContactProperties({}, message.type === 'alias' ? { userId: message.userId, anonymousId: message.previousId } : identities));
      if (!parsed.success) return undefined;
    }
    const write = async (candidate: Record<string, unknown>) => observeContact(tx, { properties: candidate, source, observedAt }, receivedAt, { respectTombstones: true });
    try {
      return (await write(parsed.value))?.stored.record.id;
    } catch (error) {
      if (!(error instanceof HttpProblem) || error.code !== 'identity_conflict') throw error;
      // Two user ids met (a shared device, a reused email): the user id wins, the other identifiers are not linked.
      if (message.userId === undefined) return undefined;
      const fallback = parseContactProperties(traitsToContactProperties({}, { userId: message.userId }));
      return fallback.success ? (await write(fallback.value))?.stored.record.id : undefined;
    }
  }

  return [
    {
      method: 'POST',
      path: '/v1/batch',
      auth: 'write-key',
      body: 'json-or-text',
      maxBodyBytes: maxBatchBytes,
      async handle(context) {
        const batch = parseInput(EventBatch, context.body, 'body', 'batch');
        const receivedAt = new Date(now());
        const requestConsent = evaluateRequestConsent(context.headers);
        const rejected: Rejection[] = [];
        let stored = 0;
        let duplicates = 0;
        let suppressed = 0;
        const accepted: { index: number; message: EventMessage }[] = [];
        for (const [index, raw] of batch.batch.entries()) {
          const messageId = typeof raw === 'object' && raw !== null && typeof (raw as { messageId?: unknown }).messageId === 'string' ? (raw as { messageId: string }).messageId : undefined;
          const size = Buffer.byteLength(JSON.stringify(raw) ?? '');
          if (size > maxMessageBytes) {
            rejected.push({ index, ...(messageId ? { messageId } : {}), issues: [{ in: 'body', path: ['batch', index], code: 'too_big', message: `A message may have at most ${maxMessageBytes} bytes` }] });
            continue;
          }
          const withContext = batch.context && typeof raw === 'object' && raw !== null ? { ...raw, context: { ...batch.context, ...((raw as { context?: object }).context ?? {}) } } : raw;
          const parsed = EventMessage.safeParse(withContext);
          if (!parsed.success) {
            rejected.push({
              index,
              ...(messageId ? { messageId } : {}),
              issues: parsed.error.issues.map((issue) => ({ in: 'body' as const, path: ['batch', index, ...issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)))], code: issue.code, message: issue.message })),
            });
            continue;
          }
          accepted.push({ index, message: parsed.data });
        }
        // One transaction per batch (one commit), a savepoint per message.
        const gpcRecords: StoredConsentRecord[] = [];
        const outcomes = await db.transaction(async (tx) => {
          // Taken first, so concurrent batches queue here instead of deadlocking on each other's rows.
          if (accepted.length > 0) await lockIdentityGraph(tx);
          const results: ('stored' | 'duplicate' | 'suppressed')[] = [];
          for (const { message } of accepted) {
            results.push(
              await withSavepoint(tx, async () => {
                const [existing] = await tx.query('SELECT 1 FROM crm_events WHERE message_id = $1', [message.messageId]);
                if (existing) return 'duplicate' as const;
                const contactId = await contactForSubject(tx, { userId: message.userId, anonymousId: message.anonymousId });
                const state = await storedConsentState(tx, { contactId, userId: message.userId, anonymousId: message.anonymousId });
                const optedOut = purposesOptedOutByGpc(state, requestConsent);
                if (optedOut.length > 0) {
                  // GPC turns the subject's stored grants of sale/sharing and advertising into
                  // opt-outs; the change is proof like any other (source `gpc`).
                  const record = await appendConsentRecord(
                    tx,
                    {
                      subject: { ...(message.userId !== undefined ? { userId: message.userId } : {}), ...(message.anonymousId !== undefined ? { anonymousId: message.anonymousId } : {}) },
                      purposes: Object.fromEntries(optedOut.map((purpose) => [purpose, 'denied' as const])),
                      source: 'gpc',
                      action: 'Sec-GPC: 1',
                      jurisdiction: requestConsent.jurisdiction,
                    },
                    contactId,
                    receivedAt,
                  );
                  gpcRecords.push(record);
                  for (const purpose of optedOut) state[purpose] = 'denied';
                }
                if (consentSuppression(message, state, requestConsent) !== undefined) return 'suppressed' as const;
                const ids = [
                  ...(message.userId !== undefined ? [{ kind: 'userId' as const, value: message.userId }] : []),
                  ...(message.anonymousId !== undefined ? [{ kind: 'anonymousId' as const, value: message.anonymousId }] : []),
                ];
                // People who were erased are not re-created by their devices' later events.
                if (await isErased(tx, ids)) return 'suppressed' as const;
                return (await storeMessage(tx, message, receivedAt)) ? ('stored' as const) : ('duplicate' as const);
              }),
            );
          }
          return results;
        });
        for (const record of gpcRecords) services.emit('consent_record.created', record);
        for (const outcome of outcomes) {
          if (outcome === 'stored') stored += 1;
          else if (outcome === 'duplicate') duplicates += 1;
          else suppressed += 1;
        }
        return { status: 200, body: { success: true, received: batch.batch.length, stored, duplicates, suppressed, rejected } };
      },
    },
    {
      method: 'GET',
      path: '/v1/events',
      auth: 'api-key',
      body: 'none',
      async handle(context) {
        const query = parseQuery(
          PageQuery.extend({
            contactId: id.optional(),
            anonymousId: id.optional(),
            userId: id.optional(),
            type: z.enum(['identify', 'track', 'page', 'screen', 'group', 'alias']).optional(),
            event: z.string().min(1).max(256).optional(),
          }),
          context.query,
        );
        const contactId = query.contactId === undefined ? null : ((await readRecord(db, 'contact', query.contactId))?.record.id ?? query.contactId);
        const signature = `events:${[query.contactId, query.anonymousId, query.userId, query.type, query.event].join('|')}`;
        const cursor = query.after === undefined ? undefined : decodeCursor(query.after, signature);
        if (query.after !== undefined && !cursor) throw invalidCursor('query');
        const rows = await db.query(
          `SELECT message_id, position::text AS event_position, type, event, contact_id, anonymous_id, user_id, occurred_at, received_at, message FROM crm_events
           WHERE ($1::text IS NULL OR contact_id = $1) AND ($2::text IS NULL OR anonymous_id = $2) AND ($3::text IS NULL OR user_id = $3)
             AND ($4::text IS NULL OR type = $4) AND ($5::text IS NULL OR event = $5) AND position > $6::bigint
           ORDER BY crm_events.position LIMIT $7`,
          [contactId, query.anonymousId ?? null, query.userId ?? null, query.type ?? null, query.event ?? null, cursor ? cursor.id : '0', query.limit + 1],
        );
        const results = rows.slice(0, query.limit).map(storedEventFromRow);
        const lastRow = rows[Math.min(rows.length, query.limit) - 1];
        if (rows.length <= query.limit || !lastRow) return { status: 200, body: { results } };
        const after = encodeCursor({ s: signature, id: String(lastRow['event_position']) });
        return { status: 200, body: { results, paging: { next: { after } } } };
      },
    },
  ];
}

export function storedEventFromRow(row: Record<string, unknown>): Record<string, unknown> {
  const iso = (value: unknown) => (value instanceof Date ? value : new Date(String(value))).toISOString();
  return {
    messageId: row['message_id'],
    type: row['type'],
    event: row['event'] ?? null,
    contactId: row['contact_id'] ?? null,
    anonymousId: row['anonymous_id'] ?? null,
    userId: row['user_id'] ?? null,
    timestamp: iso(row['occurred_at']),
    receivedAt: iso(row['received_at']),
    message: typeof row['message'] === 'string' ? JSON.parse(row['message']) : row['message'],
  };
}
