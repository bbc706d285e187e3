/**
 * A small in-memory server following docs/openapi.yaml closely enough to run the adapter
 * contract against the guanxi REST adapter: record envelopes, opaque `after` cursors,
 * `Idempotency-Key` replay, batch upsert with per-input results (200/207), the filter
 * tree, error bodies `{ error: { status, code, message, requestId, issues } }`, 429s
 * with `details.policy` and `Retry-After`, consent records, the event collector
 * (deduplicating by messageId) and data-subject requests. The reference server in
 * examples/crm-server/ is the real implementation; this one stands in for it in the
 * client's own tests and injects faults.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delay, FaultQueue, readBody, sendJson, type ContractFault } from './support/faults';
import type { RecordedRequest } from './hubspot-contract-server';

interface WireRecord {
  id: string;
  properties: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt: string | null;
}

const types = ['contacts', 'companies', 'deals', 'activities', 'tickets'] as const;
type RecordType = (typeof types)[number];
const lifecycleStages = new Set(['pool', 'lead', 'prospect', 'customer', 'loyal', 'dormant', 'churned']);
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface Issue {
  in: 'body' | 'query';
  path: (string | number)[];
  code: string;
  message: string;
}

type FilterNode = { and: FilterNode[] } | { or: FilterNode[] } | { property: string; op: string; value?: unknown };

export class GuanxiRestTestServer {
  readonly faults = new FaultQueue();
  readonly requests: RecordedRequest[] = [];
  readonly stores: Record<RecordType, Map<string, WireRecord>> = { contacts: new Map(), companies: new Map(), deals: new Map(), activities: new Map(), tickets: new Map() };
  readonly events = new Map<string, unknown>();
  readonly consentRecords: Record<string, unknown>[] = [];
  readonly dataSubjectRequests = new Map<string, Record<string, unknown>>();
  readonly idempotency = new Map<string, { status: number; body: unknown }>();
  apiKey = 'gx-test-key';
  writeKey = 'wk-test';
  recordRequests = true;
  #server: Server | undefined;
  #origin = '';
  #nextId = 1;
  #requestSerial = 0;

  get origin(): string {
    return this.#origin;
  }

  async start(): Promise<this> {
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => this.#fail(response, 500, 'internal_error', String(error)));
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.#origin = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  seed(type: RecordType, count: number, make: (index: number) => Record<string, unknown>): void {
    for (let i = 0; i < count; i++) this.#insert(type, make(i));
  }

  count(type: RecordType, predicate: (record: WireRecord) => boolean): number {
    let count = 0;
    for (const record of this.stores[type].values()) if (!record.archived && predicate(record)) count++;
    return count;
  }

  #id(): string {
    return `r${String(this.#nextId++).padStart(9, '0')}`;
  }

  #insert(type: RecordType, properties: Record<string, unknown>, id = this.#id()): WireRecord {
    const at = new Date().toISOString();
    const record: WireRecord = { id, properties: normalize(type, properties), createdAt: at, updatedAt: at, archived: false, archivedAt: null };
    this.stores[type].set(id, record);
    return record;
  }

  #fail(response: ServerResponse, status: number, code: string, message: string, extra: { issues?: Issue[]; details?: Record<string, unknown>; headers?: Record<string, string> } = {}): void {
    const requestId = `req_${++this.#requestSerial}`;
    sendJson(response, status, { error: { status, code, message, requestId, ...(extra.issues ? { issues: extra.issues } : {}), ...(extra.details ? { details: extra.details } : {}) } }, { 'x-request-id': requestId, ...extra.headers });
  }

  async #preFault(fault: ContractFault, response: ServerResponse): Promise<boolean> {
    if (fault.kind === 'delay') {
      await delay(fault.ms);
      return false;
    }
    if (fault.kind === 'server-error') {
      this.#fail(response, fault.status, 'internal_error', 'Injected failure');
      return true;
    }
    if (fault.kind === 'rate-limit') {
      const retryAfter = fault.retryAfterSeconds ?? (fault.window === 'long' ? 86_400 : 0);
      this.#fail(response, 429, 'rate_limited', 'Too many requests', {
        details: { policy: 'api', limit: 600, windowSeconds: 10, retryAfterSeconds: retryAfter },
        headers: { 'retry-after': String(retryAfter), 'ratelimit-limit': '600', 'ratelimit-remaining': '0', 'ratelimit-reset': String(retryAfter), 'ratelimit-policy': '600;w=10;name="api"' },
      });
      return true;
    }
    return false;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    const text = await readBody(request);
    const idempotencyKey = typeof request.headers['idempotency-key'] === 'string' ? request.headers['idempotency-key'] : undefined;
    if (this.recordRequests) this.requests.push({ method, path: url.pathname + url.search, authorization: request.headers.authorization, idempotencyKey, body: text });
    const fault = this.faults.take(method, url.pathname);
    if (fault && (await this.#preFault(fault, response))) return;
    let body: unknown;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        this.#fail(response, 400, 'invalid_json', 'The body is not JSON');
        return;
      }
    }
    const isCollector = url.pathname === '/v1/batch';
    const auth = request.headers.authorization ?? '';
    const authorized = isCollector ? (body as { writeKey?: unknown } | undefined)?.writeKey === this.writeKey : auth === `Bearer ${this.apiKey}` || request.headers['x-api-key'] === this.apiKey;
    if (!authorized) {
      this.#fail(response, 401, 'unauthorized', 'Missing or unknown API key', { headers: { 'www-authenticate': 'Bearer' } });
      return;
    }
    const replayKey = idempotencyKey === undefined || method !== 'POST' ? undefined : `${url.pathname} ${idempotencyKey}`;
    const replay = replayKey === undefined ? undefined : this.idempotency.get(replayKey);
    let status: number;
    let payload: unknown;
    if (replay) {
      ({ status, body: payload } = replay);
    } else {
      const result = this.#route(method, url, body);
      if ('error' in result) {
        this.#fail(response, result.status, result.error, result.message, { issues: result.issues });
        return;
      }
      ({ status, body: payload } = result);
      if (replayKey !== undefined) this.idempotency.set(replayKey, { status, body: payload });
    }
    if (fault?.kind === 'fail-after-processing') {
      this.#fail(response, fault.status, 'internal_error', 'Injected failure after processing');
      return;
    }
    if (fault?.kind === 'drop-after-processing') {
      response.socket?.destroy();
      return;
    }
    const requestId = `req_${++this.#requestSerial}`;
    sendJson(response, status, payload, {
      'x-request-id': requestId,
      'ratelimit-limit': '600',
      'ratelimit-remaining': '599',
      'ratelimit-reset': '10',
      ...(replay ? { 'idempotent-replayed': 'true' } : {}),
    });
  }

  #route(method: string, url: URL, body: unknown): { status: number; body: unknown } | { status: number; error: string; message: string; issues?: Issue[] } {
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] !== 'v1') return { status: 404, error: 'not_found', message: 'No such route' };
    if (parts[1] === 'batch' && method === 'POST') return this.#collect(body);
    if (parts[1] === 'consent-records') return this.#consent(method, url, body);
    if (parts[1] === 'data-subject-requests') return this.#dataSubject(method, parts.slice(2), body);
    const type = parts[1] as RecordType;
    if (!types.includes(type)) return { status: 404, error: 'not_found', message: 'No such route' };
    const store = this.stores[type];
    const rest = parts.slice(2);
    if (rest.length === 0 && method === 'GET') return this.#list(type, url);
    if (rest.length === 0 && method === 'POST') {
      const properties = (body as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
      const issues = validate(type, properties);
      if (issues.length > 0) return { status: 400, error: 'validation_failed', message: `Invalid ${type}`, issues };
      return { status: 201, body: this.#insert(type, properties) };
    }
    if (rest[0] === 'search' && method === 'POST') return this.#search(type, body as SearchBody);
    if (rest[0] === 'batch' && rest[1] === 'upsert' && method === 'POST') return this.#upsert(type, body as { inputs?: UpsertInput[] });
    const record = store.get(rest[0] ?? '');
    if (!record || record.archived) return { status: 404, error: 'not_found', message: `No such ${type.slice(0, -1)}` };
    if (method === 'GET') return { status: 200, body: record };
    if (method === 'PATCH') {
      const patch = (body as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
      const merged = mergePatch(record.properties, patch);
      const issues = validate(type, merged);
      if (issues.length > 0) return { status: 400, error: 'validation_failed', message: `Invalid ${type}`, issues };
      record.properties = normalize(type, merged);
      record.updatedAt = new Date().toISOString();
      return { status: 200, body: record };
    }
    if (method === 'DELETE') {
      record.archived = true;
      record.archivedAt = new Date().toISOString();
      return { status: 204, body: undefined };
    }
    return { status: 405, error: 'method_not_allowed', message: 'Method not allowed' };
  }

  #page(records: WireRecord[], after: string | null, limit: number, path: string): { status: number; body: unknown } {
    const start = after === null ? 0 : Number(Buffer.from(after, 'base64url').toString('utf8'));
    const results = records.slice(start, start + limit);
    const page: Record<string, unknown> = { results };
    if (start + limit < records.length) {
      const cursor = Buffer.from(String(start + limit), 'utf8').toString('base64url');
      page.paging = { next: { after: cursor, link: `${path}?after=${cursor}` } };
    }
    return { status: 200, body: page };
  }

  #list(type: RecordType, url: URL): { status: number; body: unknown } | { status: number; error: string; message: string; issues?: Issue[] } {
    const limit = Number(url.searchParams.get('limit') ?? '20');
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      return { status: 400, error: 'validation_failed', message: 'Invalid query', issues: [{ in: 'query', path: ['limit'], code: 'too_big', message: 'At most 100' }] };
    }
    const records = [...this.stores[type].values()].filter((record) => !record.archived);
    return this.#page(records, url.searchParams.get('after'), limit, url.pathname);
  }

  #search(type: RecordType, body: SearchBody | undefined): { status: number; body: unknown } | { status: number; error: string; message: string } {
    const limit = body?.limit ?? 20;
    if (limit > 200) return { status: 400, error: 'validation_failed', message: 'limit must be at most 200' };
    const matches = [...this.stores[type].values()].filter((record) => !record.archived && (body?.filter === undefined || evaluate(record, body.filter)));
    const sort = body?.sort?.[0];
    if (sort) {
      const direction = sort.direction === 'desc' ? -1 : 1;
      matches.sort((a, b) => direction * compareValues(first(valuesAt(a, sort.property)), first(valuesAt(b, sort.property))) || (a.id < b.id ? -1 : 1));
    }
    return this.#page(matches, body?.after ?? null, limit, `/v1/${type}/search`);
  }

  #upsert(type: RecordType, body: { inputs?: UpsertInput[] } | undefined): { status: number; body: unknown } | { status: number; error: string; message: string } {
    const inputs = body?.inputs ?? [];
    if (inputs.length < 1 || inputs.length > 100) return { status: 400, error: 'validation_failed', message: 'inputs must have 1 to 100 items' };
    const startedAt = new Date().toISOString();
    let numErrors = 0;
    const results = inputs.map((input, index) => {
      const issues = validate(type, input.properties ?? {});
      if (issues.length > 0) {
        numErrors++;
        return { index, status: 'error', error: { code: 'validation_failed', message: `Invalid ${type}`, issues } };
      }
      const idProperty = input.idProperty ?? 'id';
      let existing: WireRecord | undefined;
      if (input.id !== undefined) {
        existing = idProperty === 'id' ? this.stores[type].get(input.id) : [...this.stores[type].values()].find((record) => !record.archived && valuesAt(record, idProperty === 'email' ? 'emails.address' : idProperty).some((value) => String(value).toLowerCase() === input.id?.toLowerCase()));
      }
      if (existing) {
        existing.properties = normalize(type, mergePatch(existing.properties, input.properties ?? {}));
        existing.updatedAt = new Date().toISOString();
        return { index, status: 'updated', id: existing.id, record: existing };
      }
      const properties = { ...(input.properties ?? {}) };
      if (idProperty === 'email' && input.id !== undefined && !Array.isArray(properties.emails)) properties.emails = [{ address: input.id, primary: true }];
      const created = this.#insert(type, properties, idProperty === 'id' && input.id !== undefined ? input.id : undefined);
      return { index, status: 'created', id: created.id, record: created };
    });
    return { status: numErrors > 0 ? 207 : 200, body: { status: 'COMPLETE', results, numErrors, startedAt, completedAt: new Date().toISOString() } };
  }

  #collect(body: unknown): { status: number; body: unknown } {
    const batch = (body as { batch?: Record<string, unknown>[] } | undefined)?.batch ?? [];
    let stored = 0;
    let duplicates = 0;
    const rejected: { index: number; messageId?: string; issues: Issue[] }[] = [];
    batch.forEach((message, index) => {
      const messageId = message.messageId;
      if (typeof messageId !== 'string' || (message.userId === undefined && message.anonymousId === undefined)) {
        rejected.push({ index, issues: [{ in: 'body', path: ['batch', index, typeof messageId === 'string' ? 'userId' : 'messageId'], code: 'required', message: 'Required' }] });
        return;
      }
      if (this.events.has(messageId)) duplicates++;
      else {
        this.events.set(messageId, message);
        stored++;
      }
    });
    return { status: 200, body: { success: true, received: batch.length, stored, duplicates, suppressed: 0, rejected } };
  }

  #consent(method: string, url: URL, body: unknown): { status: number; body: unknown } | { status: number; error: string; message: string } {
    if (method === 'POST') {
      const input = body as Record<string, unknown>;
      const previous = this.consentRecords.at(-1);
      const record = { ...input, id: `cr_${this.consentRecords.length + 1}`, sequence: this.consentRecords.length + 1, previousHash: (previous?.hash as string | undefined) ?? '0'.repeat(64), hash: 'f'.repeat(64), recordedAt: new Date().toISOString(), occurredAt: input.occurredAt ?? new Date().toISOString(), contactId: null };
      this.consentRecords.push(record);
      return { status: 201, body: record };
    }
    const subject = (record: Record<string, unknown>) => record.subject as Record<string, unknown>;
    const wanted = ['contactId', 'userId', 'anonymousId'].filter((key) => url.searchParams.has(key));
    const matching = this.consentRecords.filter((record) => wanted.every((key) => subject(record)[key] === url.searchParams.get(key)));
    return this.#page(matching as unknown as WireRecord[], url.searchParams.get('after'), Number(url.searchParams.get('limit') ?? '20'), url.pathname);
  }

  #dataSubject(method: string, rest: string[], body: unknown): { status: number; body: unknown } | { status: number; error: string; message: string } {
    if (method === 'POST' && rest.length === 0) {
      const input = body as { type: 'export' | 'erasure'; subject: Record<string, string>; reason?: string };
      const email = input.subject.email?.toLowerCase();
      const contact = [...this.stores.contacts.values()].find((record) => !record.archived && (record.id === input.subject.contactId || (email !== undefined && valuesAt(record, 'emails.address').includes(email))));
      const id = `dsr_${this.dataSubjectRequests.size + 1}`;
      const at = new Date().toISOString();
      const request = { id, type: input.type, status: contact ? 'completed' : 'not_found', subject: input.subject, contactId: contact?.id ?? null, reason: input.reason, createdAt: at, completedAt: at, counts: { contacts: contact ? 1 : 0 } };
      this.dataSubjectRequests.set(id, { ...request, export: input.type === 'export' ? { generatedAt: at, requestId: id, contact: contact ?? null, activities: [], events: [], consentRecords: [], deals: [], tickets: [] } : undefined });
      if (contact && input.type === 'erasure') this.stores.contacts.delete(contact.id);
      return { status: 201, body: request };
    }
    const stored = this.dataSubjectRequests.get(rest[0] ?? '');
    if (!stored) return { status: 404, error: 'not_found', message: 'No such request' };
    const { export: exported, ...request } = stored;
    if (rest[1] === 'export') return exported ? { status: 200, body: exported } : { status: 404, error: 'not_found', message: 'Not an export' };
    return { status: 200, body: request };
  }
}

interface UpsertInput {
  id?: string;
  idProperty?: string;
  properties?: Record<string, unknown>;
}

interface SearchBody {
  filter?: FilterNode;
  query?: string;
  sort?: { property: string; direction?: 'asc' | 'desc' }[];
  limit?: number;
  after?: string;
}

function normalize(type: RecordType, properties: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...properties };
  if (type === 'contacts' && Array.isArray(copy.emails)) copy.emails = (copy.emails as { address: string }[]).map((email) => ({ ...email, address: email.address.toLowerCase() }));
  return copy;
}

function validate(type: RecordType, properties: Record<string, unknown>): Issue[] {
  const issues: Issue[] = [];
  if (type === 'contacts') {
    const emails = properties.emails;
    if (Array.isArray(emails)) {
      emails.forEach((email: { address?: unknown }, index) => {
        if (typeof email?.address !== 'string' || !emailPattern.test(email.address)) issues.push({ in: 'body', path: ['properties', 'emails', index, 'address'], code: 'invalid_format', message: 'Invalid email' });
      });
    }
    if (properties.lifecycleStage !== undefined && !lifecycleStages.has(String(properties.lifecycleStage))) {
      issues.push({ in: 'body', path: ['properties', 'lifecycleStage'], code: 'invalid_value', message: `Expected one of ${[...lifecycleStages].join(', ')}` });
    }
  }
  if (type === 'deals') {
    for (const key of ['name', 'stage']) if (typeof properties[key] !== 'string') issues.push({ in: 'body', path: ['properties', key], code: 'required', message: 'Required' });
    if (properties.amount !== undefined && typeof properties.currency !== 'string') issues.push({ in: 'body', path: ['properties', 'currency'], code: 'required', message: 'Required with amount' });
  }
  if (type === 'tickets') {
    for (const key of ['subject', 'status']) if (typeof properties[key] !== 'string') issues.push({ in: 'body', path: ['properties', key], code: 'required', message: 'Required' });
  }
  return issues;
}

function mergePatch(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const result = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else if (typeof value === 'object' && !Array.isArray(value) && typeof result[key] === 'object' && result[key] !== null && !Array.isArray(result[key])) {
      result[key] = mergePatch(result[key] as Record<string, unknown>, value as Record<string, unknown>);
    } else result[key] = value;
  }
  return result;
}

function valuesAt(record: WireRecord, path: string): unknown[] {
  if (path === 'id' || path === 'createdAt' || path === 'updatedAt') return [record[path]];
  let current: unknown[] = [record.properties];
  for (const segment of path.split('.')) {
    const next: unknown[] = [];
    for (const value of current) {
      const item = (value as Record<string, unknown> | undefined)?.[segment];
      if (Array.isArray(item)) next.push(...item);
      else if (item !== undefined && item !== null) next.push(item);
    }
    current = next;
  }
  return current;
}

function first(values: unknown[]): unknown {
  return values[0];
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

function evaluate(record: WireRecord, node: FilterNode): boolean {
  if ('and' in node) return node.and.every((child) => evaluate(record, child));
  if ('or' in node) return node.or.some((child) => evaluate(record, child));
  const values = valuesAt(record, node.property);
  const text = (value: unknown) => String(value).toLowerCase();
  switch (node.op) {
    case 'exists':
      return (values.length > 0) === (node.value !== false);
    case 'eq':
      return values.some((value) => text(value) === text(node.value));
    case 'neq':
      return !values.some((value) => text(value) === text(node.value));
    case 'lt':
      return values.some((value) => compareValues(value, node.value) < 0);
    case 'lte':
      return values.some((value) => compareValues(value, node.value) <= 0);
    case 'gt':
      return values.some((value) => compareValues(value, node.value) > 0);
    case 'gte':
      return values.some((value) => compareValues(value, node.value) >= 0);
    case 'in':
      return values.some((value) => (node.value as unknown[]).some((candidate) => text(candidate) === text(value)));
    case 'contains':
      return values.some((value) => text(value).includes(text(node.value)));
    default:
      return false;
  }
}

export async function startGuanxiRestTestServer(): Promise<GuanxiRestTestServer> {
  return new GuanxiRestTestServer().start();
}
