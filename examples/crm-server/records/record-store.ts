/**
 * Rows of `crm_records` as API records, with listing, keyset pagination and search. All
 * record types share the table; `type` tells them apart.
 */
import { randomBytes } from 'node:crypto';
import type { SqlExecutor, SqlRow } from '../storage/database';
import type { RecordProperties, RecordType } from './record-types';
import { decodeCursor, encodeCursor, filterSql, sortKeySql, SqlParameters, textQuerySql, type SearchRequest } from './search';
import { HttpProblem } from '../http/problem';

/** A record as the API returns it. */
export interface CrmRecord {
  readonly id: string;
  readonly properties: RecordProperties;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly archived: boolean;
  readonly archivedAt: string | null;
  readonly mergedIds?: readonly string[];
}

/** A record with the provenance of its fields (kept for contacts). */
export interface StoredRecord {
  readonly record: CrmRecord;
  /** For contacts: the stored profile record (values with source and time). */
  readonly provenance: Record<string, unknown>;
}

export interface Page<T> {
  readonly results: readonly T[];
  readonly paging?: { readonly next: { readonly after: string; readonly link?: string } };
}

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Time-ordered ids (like ULIDs): lists ordered by id are in creation order. */
export function newRecordId(prefix: string, now: number): string {
  let time = '';
  let value = now;
  for (let i = 0; i < 10; i++) {
    time = crockford[value % 32] + time;
    value = Math.floor(value / 32);
  }
  let random = '';
  for (const byte of randomBytes(10)) random += crockford[byte % 32];
  return `${prefix}_${time}${random}`.toLowerCase();
}

/** Ids chosen by clients (upsert by id). */
export const clientIdPattern = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

const columns = 'id, properties, provenance, merged_ids, created_at, updated_at, archived_at';

function iso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export function rowToStored(type: RecordType, row: SqlRow): StoredRecord {
  const archivedAt = row['archived_at'] === null || row['archived_at'] === undefined ? null : iso(row['archived_at']);
  const record: CrmRecord = {
    id: String(row['id']),
    properties: json<RecordProperties>(row['properties']),
    createdAt: iso(row['created_at']),
    updatedAt: iso(row['updated_at']),
    archived: archivedAt !== null,
    archivedAt,
    ...(type === 'contact' ? { mergedIds: json<string[]>(row['merged_ids'] ?? []) } : {}),
  };
  return { record, provenance: json<Record<string, unknown>>(row['provenance'] ?? {}) };
}

export async function readRecord(db: SqlExecutor, type: RecordType, id: string, options: { forUpdate?: boolean } = {}): Promise<StoredRecord | undefined> {
  let lookup = id;
  if (type === 'contact') {
    const [alias] = await db.query<{ contact_id: string }>('SELECT contact_id FROM crm_contact_aliases WHERE merged_id = $1', [id]);
    if (alias) lookup = alias.contact_id;
  }
  const [row] = await db.query(`SELECT ${columns} FROM crm_records WHERE type = $1 AND id = $2${options.forUpdate ? ' FOR UPDATE' : ''}`, [type, lookup]);
  return row ? rowToStored(type, row) : undefined;
}

export async function insertRecord(
  db: SqlExecutor,
  type: RecordType,
  id: string,
  properties: RecordProperties,
  now: Date,
  provenance: object = {},
): Promise<StoredRecord> {
  const [row] = await db.query(
    `INSERT INTO crm_records (type, id, properties, provenance, created_at, updated_at) VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, $5) RETURNING ${columns}`,
    [type, id, JSON.stringify(properties), JSON.stringify(provenance), now],
  );
  if (!row) throw new Error('insert returned no row');
  return rowToStored(type, row);
}

export async function updateRecord(
  db: SqlExecutor,
  type: RecordType,
  id: string,
  properties: RecordProperties,
  now: Date,
  extra: { provenance?: object; mergedIds?: readonly string[]; unarchive?: boolean } = {},
): Promise<StoredRecord> {
  const [row] = await db.query(
    `UPDATE crm_records SET properties = $3::jsonb, updated_at = $4,
       provenance = COALESCE($5::jsonb, provenance), merged_ids = COALESCE($6::jsonb, merged_ids)
       ${extra.unarchive ? ', archived_at = NULL' : ''}
     WHERE type = $1 AND id = $2 RETURNING ${columns}`,
    [type, id, JSON.stringify(properties), now, extra.provenance ? JSON.stringify(extra.provenance) : null, extra.mergedIds ? JSON.stringify(extra.mergedIds) : null],
  );
  if (!row) throw new Error(`update of ${type} ${id} found no row`);
  return rowToStored(type, row);
}

export async function archiveRecord(db: SqlExecutor, type: RecordType, id: string, now: Date): Promise<boolean> {
  const rows = await db.query(`UPDATE crm_records SET archived_at = COALESCE(archived_at, $3) WHERE type = $1 AND id = $2 RETURNING id`, [type, id, now]);
  return rows.length > 0;
}

/** One page of records ordered by id. */
export async function listRecords(
  db: SqlExecutor,
  type: RecordType,
  options: { limit: number; after?: string; archived: boolean; linkBase: string },
): Promise<Page<CrmRecord>> {
  const signature = `list:${type}:${options.archived}`;
  const cursor = options.after === undefined ? undefined : decodeCursor(options.after, signature);
  if (options.after !== undefined && cursor === undefined) throw invalidCursor('query');
  const rows = await db.query(
    `SELECT ${columns} FROM crm_records WHERE type = $1 AND (archived_at IS NOT NULL) = $2 ${cursor ? 'AND id > $4' : ''} ORDER BY id LIMIT $3`,
    cursor ? [type, options.archived, options.limit + 1, cursor.id] : [type, options.archived, options.limit + 1],
  );
  const records = rows.slice(0, options.limit).map((row) => rowToStored(type, row).record);
  const last = records[records.length - 1];
  if (rows.length <= options.limit || !last) return { results: records };
  const after = encodeCursor({ s: signature, id: last.id });
  return { results: records, paging: { next: { after, link: `${options.linkBase}?limit=${options.limit}&after=${after}${options.archived ? '&archived=true' : ''}` } } };
}

export function invalidCursor(location: 'query' | 'body'): HttpProblem {
  return new HttpProblem(400, 'validation_failed', 'The `after` cursor is not valid here', [
    { in: location, path: ['after'], code: 'invalid_cursor', message: 'Not a cursor returned by this listing (cursors are only valid with the same filter and sort)' },
  ]);
}

/** One page of search results. */
export async function searchRecords(db: SqlExecutor, type: RecordType, request: SearchRequest): Promise<Page<CrmRecord>> {
  const parameters = new SqlParameters();
  const conditions = [`type = ${parameters.add(type)}`, 'archived_at IS NULL'];
  if (request.filter) conditions.push(filterSql(request.filter, parameters));
  if (request.query) conditions.push(textQuerySql(request.query, parameters));
  const sort = request.sort?.[0] ?? { property: 'id', direction: 'asc' as const };
  const key = sortKeySql(sort.property);
  const descending = sort.direction === 'desc';
  const signature = `search:${type}:${JSON.stringify([request.filter ?? null, request.query ?? null, sort])}`;
  const cursor = request.after === undefined ? undefined : decodeCursor(request.after, signature);
  if (request.after !== undefined && cursor === undefined) throw invalidCursor('body');
  if (cursor) {
    const comparator = descending ? '<' : '>';
    if (sort.property === 'id') conditions.push(`id ${comparator} ${parameters.add(cursor.id)}`);
    else conditions.push(`(${key.expression}, id) ${comparator} (${parameters.add(cursor.v ?? 'null')}::${key.cast}, ${parameters.add(cursor.id)})`);
  }
  const direction = descending ? 'DESC' : 'ASC';
  const order = sort.property === 'id' ? `id ${direction}` : `${key.expression} ${direction}, id ${direction}`;
  const sortValue = sort.property === 'id' ? '' : `, (${key.expression})::text AS sort_value`;
  const rows = await db.query(
    `SELECT ${columns}${sortValue} FROM crm_records WHERE ${conditions.join(' AND ')} ORDER BY ${order} LIMIT ${parameters.add(request.limit + 1)}`,
    parameters.values,
  );
  const page = rows.slice(0, request.limit);
  const results = page.map((row) => rowToStored(type, row).record);
  const lastRow = page[page.length - 1];
  if (rows.length <= request.limit || !lastRow) return { results };
  const last = rowToStored(type, lastRow).record;
  const v = sort.property === 'id' ? undefined : key.cast === 'timestamptz' ? (sort.property === 'createdAt' ? last.createdAt : last.updatedAt) : String(lastRow['sort_value']);
  return { results, paging: { next: { after: encodeCursor({ s: signature, id: last.id, ...(v === undefined ? {} : { v }) }) } } };
}

/** Cursor of a contact's timeline: the last activity's time and id. */
export interface TimelineCursor {
  readonly s: string;
  readonly id: string;
  readonly occurredAt: string;
}

export function encodeTimelineCursor(cursor: TimelineCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

export function decodeTimelineCursor(text: string, signature: string): TimelineCursor | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<TimelineCursor>;
    if (parsed.s !== signature || typeof parsed.id !== 'string' || typeof parsed.occurredAt !== 'string') return undefined;
    return { s: parsed.s, id: parsed.id, occurredAt: parsed.occurredAt };
  } catch {
    return undefined;
  }
}
