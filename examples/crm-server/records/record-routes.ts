/**
 * The CRUD, batch and search routes of every record type (contacts, companies, deals,
 * activities, tickets), and the contact timeline.
 */
import { z } from 'zod';
import type { ValidationIssue } from 'guanxi';
import { HttpProblem, notFound } from '../http/problem';
import { applyMergePatch, ListQuery, PageQuery, parseInput, parseQuery, prefixIssues } from '../http/input';
import type { RequestContext, Route, RouteResponse } from '../http/route';
import type { CrmServices } from '../services';
import { withSavepoint, type SqlExecutor } from '../storage/database';
import { lockIdentityGraph, observeContact, replaceContactProperties } from '../contacts';
import { propertiesForIdentifier, type ContactIdentifier } from '../profiles';
import { recordTypes, type RecordProperties, type RecordTypeDefinition } from './record-types';
import {
  archiveRecord,
  clientIdPattern,
  decodeTimelineCursor,
  encodeTimelineCursor,
  insertRecord,
  listRecords,
  newRecordId,
  readRecord,
  rowToStored,
  searchRecords,
  updateRecord,
  invalidCursor,
  type CrmRecord,
} from './record-store';
import { filterLimitIssues, SearchRequest } from './search';

const RecordInput = z.object({ properties: z.record(z.string(), z.unknown()) }).strict();
const RecordPatch = z.object({ properties: z.record(z.string(), z.unknown()) }).strict();
const BatchRequest = z.object({ inputs: z.array(z.unknown()).min(1).max(100) }).strict();
const UpsertInput = z
  .object({
    id: z.string().min(1).max(256).optional(),
    idProperty: z.enum(['id', 'email', 'userId', 'phone', 'anonymousId']).default('id'),
    properties: z.record(z.string(), z.unknown()),
  })
  .strict();
const IdInput = z.object({ id: z.string().min(1).max(256) }).strict();
const ArchivedQuery = z.object({ archived: z.enum(['true', 'false']).transform((text) => text === 'true').default(false) });

interface ItemResult {
  readonly index: number;
  readonly status: 'created' | 'updated' | 'found' | 'archived' | 'error';
  readonly id?: string;
  readonly record?: CrmRecord;
  readonly error?: { readonly code: string; readonly message: string; readonly issues?: readonly unknown[] };
}

class ItemProblem extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly issues?: readonly unknown[],
  ) {
    super(message);
  }
}

function parseProperties(definition: RecordTypeDefinition, properties: unknown, prefix: (string | number)[]): { ok: true; value: RecordProperties } | { ok: false; issues: ValidationIssue[] } {
  const result = definition.parse(properties);
  return result.success ? { ok: true, value: result.value } : { ok: false, issues: prefixIssues(result.error.issues, prefix) };
}

function propertiesOrThrow(definition: RecordTypeDefinition, properties: unknown): RecordProperties {
  const parsed = parseProperties(definition, properties, ['properties']);
  if (!parsed.ok) {
    throw new HttpProblem(400, 'validation_failed', `Invalid ${definition.type}: ${parsed.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).slice(0, 3).join('; ')}`, parsed.issues.map((issue) => ({ in: 'body' as const, ...issue })));
  }
  return parsed.value;
}

function batchResponse(results: readonly ItemResult[], startedAt: Date, now: () => number): RouteResponse {
  const numErrors = results.filter((result) => result.status === 'error').length;
  return {
    status: numErrors > 0 ? 207 : 200,
    body: { status: 'COMPLETE', results, numErrors, startedAt: startedAt.toISOString(), completedAt: new Date(now()).toISOString() },
  };
}

function itemError(index: number, error: unknown): ItemResult {
  if (error instanceof ItemProblem) return { index, status: 'error', error: { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) } };
  if (error instanceof HttpProblem && error.status < 500) {
    return { index, status: 'error', error: { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues.map((issue) => ({ ...issue, path: ['inputs', index, ...issue.path] })) } : {}) } };
  }
  throw error;
}

export function recordRoutes(services: CrmServices): Route[] {
  const { db, now } = services;
  const routes: Route[] = [];

  for (const definition of recordTypes) {
    const { type, collection } = definition;
    const base = `/v1/${collection}`;

    const createOne = async (tx: SqlExecutor, properties: RecordProperties, id?: string): Promise<{ record: CrmRecord; created: boolean }> => {
      const at = new Date(now());
      if (type === 'contact') {
        const write = await observeContact(tx, { properties, source: 'api', observedAt: at.toISOString() }, at, id === undefined ? {} : { createWithId: id });
        if (!write) throw new Error('contact write suppressed without tombstone check');
        if (write.merged.length > 0) services.emit('contact.merged', { contact: write.stored.record, mergedIds: write.merged });
        services.emit(write.status === 'created' ? 'contact.created' : 'contact.updated', write.stored.record);
        return { record: write.stored.record, created: write.status === 'created' };
      }
      const stored = await insertRecord(tx, type, id ?? newRecordId(definition.idPrefix, at.getTime()), properties, at);
      services.emit(`${type}.created`, stored.record);
      return { record: stored.record, created: true };
    };

    const updateOne = async (tx: SqlExecutor, id: string, patch: (current: RecordProperties) => unknown, prefix: (string | number)[]): Promise<CrmRecord> => {
      const current = await readRecord(tx, type, id, { forUpdate: true });
      if (!current || current.record.archived) throw notFound(type, id);
      const next = parseProperties(definition, patch(current.record.properties), prefix);
      if (!next.ok) throw new HttpProblem(400, 'validation_failed', `Invalid ${type}`, next.issues.map((issue) => ({ in: 'body' as const, ...issue })));
      const at = new Date(now());
      const stored = type === 'contact' ? await replaceContactProperties(tx, current.record.id, next.value, at) : await updateRecord(tx, type, current.record.id, next.value, at);
      services.emit(`${type}.updated`, stored.record);
      return stored.record;
    };

    routes.push(
      {
        method: 'GET',
        path: base,
        auth: 'api-key',
        body: 'none',
        async handle(context) {
          const query = parseQuery(ListQuery, context.query);
          return { status: 200, body: await listRecords(db, type, { limit: query.limit, after: query.after, archived: query.archived, linkBase: base }) };
        },
      },
      {
        method: 'POST',
        path: base,
        auth: 'api-key',
        body: 'json',
        idempotent: true,
        async handle(context) {
          const input = parseInput(RecordInput, context.body, 'body', type);
          const properties = propertiesOrThrow(definition, input.properties);
          const { record, created } = await db.transaction((tx) => createOne(tx, properties));
          return { status: created ? 201 : 200, body: record, headers: { location: `${base}/${encodeURIComponent(record.id)}` } };
        },
      },
      {
        method: 'GET',
        path: `${base}/{id}`,
        auth: 'api-key',
        body: 'none',
        async handle(context) {
          const id = context.params['id'] ?? '';
          const { archived } = parseQuery(ArchivedQuery, context.query);
          const stored = await readRecord(db, type, id);
          // Archived records are gone for readers unless they ask for them (as HubSpot does).
          if (!stored || (stored.record.archived && !archived)) throw notFound(type, id);
          return { status: 200, body: stored.record };
        },
      },
      {
        method: 'PATCH',
        path: `${base}/{id}`,
        auth: 'api-key',
        body: 'json',
        async handle(context) {
          const input = parseInput(RecordPatch, context.body, 'body', `${type} update`);
          const record = await db.transaction((tx) => updateOne(tx, context.params['id'] ?? '', (current) => applyMergePatch(current, input.properties), ['properties']));
          return { status: 200, body: record };
        },
      },
      {
        method: 'DELETE',
        path: `${base}/{id}`,
        auth: 'api-key',
        body: 'none',
        async handle(context) {
          const id = context.params['id'] ?? '';
          const stored = await readRecord(db, type, id);
          if (!stored) throw notFound(type, id);
          await archiveRecord(db, type, stored.record.id, new Date(now()));
          if (!stored.record.archived) services.emit(`${type}.archived`, { id: stored.record.id });
          return { status: 204 };
        },
      },
      {
        method: 'POST',
        path: `${base}/batch/upsert`,
        auth: 'api-key',
        body: 'json',
        idempotent: true,
        async handle(context) {
          const startedAt = new Date(now());
          const { inputs } = parseInput(BatchRequest, context.body, 'body', 'batch');
          // One transaction for the batch, a savepoint per input: failures stay per input.
          const results = await db.transaction(async (tx) => {
            // Contacts: the identity graph is locked first, so concurrent batches queue instead of deadlocking.
            if (type === 'contact') await lockIdentityGraph(tx);
            const outcomes: ItemResult[] = [];
            for (const [index, raw] of inputs.entries()) {
              try {
                outcomes.push(await withSavepoint(tx, () => upsertOne(tx, index, raw)));
              } catch (error) {
                outcomes.push(itemError(index, error));
              }
            }
            return outcomes;
          });
          return batchResponse(results, startedAt, now);
        },
      },
      batchOfIds(`${base}/batch/read`, async (id) => {
        const stored = await readRecord(db, type, id);
        if (!stored || stored.record.archived) throw new ItemProblem('not_found', `No ${type} with id ${JSON.stringify(id)}`);
        return { status: 'found', id: stored.record.id, record: stored.record };
      }),
      batchOfIds(`${base}/batch/archive`, async (id) => {
        const stored = await readRecord(db, type, id);
        if (!stored) throw new ItemProblem('not_found', `No ${type} with id ${JSON.stringify(id)}`);
        await archiveRecord(db, type, stored.record.id, new Date(now()));
        if (!stored.record.archived) services.emit(`${type}.archived`, { id: stored.record.id });
        return { status: 'archived', id: stored.record.id };
      }),
      {
        method: 'POST',
        path: `${base}/search`,
        auth: 'api-key',
        body: 'json',
        bucket: 'search',
        async handle(context) {
          const request = parseInput(SearchRequest, context.body, 'body', 'search');
          const limits = filterLimitIssues(request.filter);
          if (limits.length > 0) throw new HttpProblem(400, 'validation_failed', `Invalid search: ${limits[0]?.message}`, limits.map((issue) => ({ in: 'body' as const, ...issue })));
          return { status: 200, body: await searchRecords(db, type, request) };
        },
      },
    );

    /** A batch endpoint over `{ inputs: [{ id }] }` that reports each item on its own. */
    function batchOfIds(path: string, perItem: (id: string) => Promise<Omit<ItemResult, 'index'>>): Route {
      return {
        method: 'POST',
        path,
        auth: 'api-key',
        body: 'json',
        async handle(context) {
          const startedAt = new Date(now());
          const { inputs } = parseInput(BatchRequest, context.body, 'body', 'batch');
          const results: ItemResult[] = [];
          for (const [index, raw] of inputs.entries()) {
            try {
              const { id } = parseItem(IdInput, raw, index);
              results.push({ index, ...(await perItem(id)) });
            } catch (error) {
              results.push(itemError(index, error));
            }
          }
          return batchResponse(results, startedAt, now);
        },
      };
    }

    async function upsertOne(tx: SqlExecutor, index: number, raw: unknown): Promise<ItemResult> {
      const input = parseItem(UpsertInput, raw, index);
      const prefix = ['inputs', index, 'properties'];
      if (input.idProperty !== 'id' && type !== 'contact') {
        throw new ItemProblem('validation_failed', `idProperty ${input.idProperty} is for contacts only`, [{ in: 'body', path: ['inputs', index, 'idProperty'], code: 'invalid_value', message: 'Only contacts are named by identifiers' }]);
      }
      if (input.idProperty !== 'id' && input.id === undefined) {
        throw new ItemProblem('validation_failed', 'id is required with idProperty', [{ in: 'body', path: ['inputs', index, 'id'], code: 'required', message: 'Required with idProperty' }]);
      }
      if (input.idProperty === 'id' && input.id !== undefined && !clientIdPattern.test(input.id)) {
        throw new ItemProblem('validation_failed', 'Invalid id', [{ in: 'body', path: ['inputs', index, 'id'], code: 'invalid_format', message: 'Ids are 1–128 letters, digits, "_", ".", ":" or "-", starting with a letter or digit' }]);
      }
      {
        if (type === 'contact') {
          let properties = input.properties;
          const options: { contactId?: string; createWithId?: string } = {};
          if (input.id !== undefined && input.idProperty === 'id') {
            const existing = await readRecord(tx, 'contact', input.id);
            if (existing) options.contactId = existing.record.id;
            else options.createWithId = input.id;
          } else if (input.id !== undefined) {
            properties = combineIdentifierProperties(properties, propertiesForIdentifier(input.idProperty as ContactIdentifier['kind'], input.id));
          }
          const parsed = parseProperties(definition, properties, prefix);
          if (!parsed.ok) throw new ItemProblem('validation_failed', 'Invalid contact', parsed.issues.map((issue) => ({ in: 'body', ...issue })));
          const at = new Date(now());
          const write = await observeContact(tx, { properties: parsed.value, source: 'api', observedAt: at.toISOString() }, at, options);
          if (!write) throw new Error('contact write suppressed without tombstone check');
          if (write.merged.length > 0) services.emit('contact.merged', { contact: write.stored.record, mergedIds: write.merged });
          services.emit(write.status === 'created' ? 'contact.created' : 'contact.updated', write.stored.record);
          return { index, status: write.status, id: write.stored.record.id, record: write.stored.record };
        }
        if (input.id !== undefined) {
          const existing = await readRecord(tx, type, input.id, { forUpdate: true });
          if (existing) {
            // An upsert names the record to be: an archived one comes back.
            if (existing.record.archived) await tx.query('UPDATE crm_records SET archived_at = NULL WHERE type = $1 AND id = $2', [type, existing.record.id]);
            const record = await updateOne(tx, existing.record.id, (current) => ({ ...current, ...input.properties }), prefix);
            return { index, status: 'updated', id: record.id, record };
          }
        }
        const parsed = parseProperties(definition, input.properties, prefix);
        if (!parsed.ok) throw new ItemProblem('validation_failed', `Invalid ${type}`, parsed.issues.map((issue) => ({ in: 'body', ...issue })));
        const { record } = await createOne(tx, parsed.value, input.id);
        return { index, status: 'created', id: record.id, record };
      }
    }
  }

  routes.push({
    method: 'GET',
    path: '/v1/contacts/{id}/activities',
    auth: 'api-key',
    body: 'none',
    async handle(context: RequestContext) {
      const query = parseQuery(PageQuery, context.query);
      const id = context.params['id'] ?? '';
      const contact = await readRecord(db, 'contact', id);
      if (!contact) throw notFound('contact', id);
      const signature = `timeline:${contact.record.id}`;
      const cursor = query.after === undefined ? undefined : decodeTimelineCursor(query.after, signature);
      if (query.after !== undefined && !cursor) throw invalidCursor('query');
      const params: unknown[] = [contact.record.id, query.limit + 1];
      let keyset = '';
      if (cursor) {
        params.push(cursor.occurredAt, cursor.id);
        keyset = `AND (properties->>'occurredAt', id) < ($3, $4)`;
      }
      const rows = await db.query(
        `SELECT id, properties, provenance, merged_ids, created_at, updated_at, archived_at FROM crm_records
         WHERE type = 'activity' AND archived_at IS NULL AND properties->>'contactId' = $1 ${keyset}
         ORDER BY properties->>'occurredAt' DESC, id DESC LIMIT $2`,
        params,
      );
      const results = rows.slice(0, query.limit).map((row) => rowToStored('activity', row).record);
      const last = results[results.length - 1];
      if (rows.length <= query.limit || !last) return { status: 200, body: { results } };
      const after = encodeTimelineCursor({ s: signature, id: last.id, occurredAt: String(last.properties['occurredAt']) });
      return { status: 200, body: { results, paging: { next: { after, link: `/v1/contacts/${encodeURIComponent(id)}/activities?limit=${query.limit}&after=${after}` } } } };
    },
  });

  return routes;
}

function parseItem<S extends z.ZodType>(schema: S, raw: unknown, index: number): z.infer<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw new ItemProblem(
    'validation_failed',
    `Invalid input ${index}`,
    result.error.issues.map((issue) => ({ in: 'body', path: ['inputs', index, ...issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)))], code: issue.code, message: issue.message })),
  );
}

/** Adds identifier properties to a person's properties (lists are concatenated). */
function combineIdentifierProperties(properties: RecordProperties, identifier: RecordProperties): RecordProperties {
  const combined: Record<string, unknown> = { ...properties };
  for (const [key, value] of Object.entries(identifier)) {
    const existing = combined[key];
    if (Array.isArray(value)) combined[key] = [...(Array.isArray(existing) ? existing : []), ...value];
    else if (typeof value === 'object' && value !== null) combined[key] = { ...(typeof existing === 'object' && existing !== null ? existing : {}), ...value };
    else combined[key] = value;
  }
  return combined;
}
