import type {
  CrmAdapter,
  CrmAdapterLimits,
  CrmBatchItemOutcome,
  CrmCallOptions,
  CrmConsentListRequest,
  CrmCreateOptions,
  CrmEventBatchOutcome,
  CrmItemFailure,
  CrmObjectType,
  CrmPageRequest,
  CrmUpsertOptions,
} from '../../adapter';
import { UnsupportedOperationError } from '../../errors/unsupported-operation-error';
import type { CrmFilter, CrmSearchQuery } from '../../filter';
import type { CrmPage } from '../../pagination';
import { CrmTransport, type CrmTransportOptions } from '../../transport/transport';
import { guanxiRestWireDialect, portableIssues } from './dialect';
import { fromGuanxiRestRecord, guanxiRestPath, toGuanxiRestProperties } from './properties';

/**
 * Options of `createGuanxiRestAdapter()`: the transport's options (`baseUrl` is the
 * server's origin, plus a path prefix if any; `auth.token` the API key), and the
 * collector's write key for `events.send()`.
 *
 * @example
 * ```ts
 * import { createGuanxiRestAdapter, type GuanxiRestAdapterOptions } from 'guanxi/client';
 *
 * const options: GuanxiRestAdapterOptions = { baseUrl: 'https://crm.example.com', auth: { token: 'gx_live_…' }, timeoutMs: 5000 };
 * const adapter = createGuanxiRestAdapter(options);
 * ```
 */
export interface GuanxiRestAdapterOptions extends Omit<CrmTransportOptions, 'dialect'> {
  /**
   * The collector's write key, sent in the body of `POST /v1/batch`.
   * @default none (the collector then needs the key some other way)
   */
  readonly writeKey?: string | undefined;
}

/**
 * The guanxi REST adapter defaults: client-side buckets matching the reference
 * server's (`api`: 600 per 10 s, `search`: 60 per 10 s).
 *
 * @example
 * ```ts
 * import { defaultGuanxiRestAdapterOptions } from 'guanxi/client';
 *
 * console.log(defaultGuanxiRestAdapterOptions.rateLimits.search.requestsPerSecond); // 6
 * ```
 */
export const defaultGuanxiRestAdapterOptions = /*@__PURE__*/ Object.freeze({
  rateLimits: Object.freeze({
    default: Object.freeze({ requestsPerSecond: 60, burst: 60 }),
    search: Object.freeze({ requestsPerSecond: 6, burst: 6 }),
  }),
});

/** The spec's limits (docs/openapi.yaml). */
const guanxiRestLimits: CrmAdapterLimits = /*@__PURE__*/ Object.freeze({
  batchSize: 100,
  defaultPageSize: 100,
  maxPageSize: 100,
  maxSearchPageSize: 200,
});
const maxFilterDepth = 5;
const maxFilterConditions = 50;
const maxEventsPerBatch = 500;
// The collector takes 500 KB per request; stay below it with room for the envelope.
const maxEventBytesPerBatch = 450 * 1024;

const paths: Readonly<Record<CrmObjectType, string>> = /*@__PURE__*/ Object.freeze({
  contacts: '/v1/contacts',
  companies: '/v1/companies',
  deals: '/v1/deals',
  tickets: '/v1/tickets',
  activities: '/v1/activities',
});

const contactIdProperties = /*@__PURE__*/ new Set(['id', 'email', 'userId', 'phone', 'anonymousId']);

interface WirePage {
  results?: unknown[];
  paging?: { next?: { after?: unknown } };
  total?: unknown;
}

/**
 * The adapter for guanxi's own CRM HTTP API (`docs/openapi.yaml`), served by the
 * reference server in `examples/crm-server/`. Records travel as `{ id, properties }`
 * envelopes (contacts and companies are `guanxi/profile` parties); creates carry an
 * `Idempotency-Key` generated once per call and reused across its retries, so they are
 * retried safely; the filter tree is sent nearly as is; consent records, event batches
 * and data-subject requests are supported.
 *
 * @example
 * ```ts
 * import { GuanxiRestAdapter, createCrmClient } from 'guanxi/client';
 *
 * const crm = createCrmClient({ adapter: new GuanxiRestAdapter({ baseUrl: 'http://127.0.0.1:4000', auth: { token: 'dev-key' } }) });
 * ```
 */
export class GuanxiRestAdapter implements CrmAdapter {
  readonly name = 'guanxi-rest';
  readonly limits: CrmAdapterLimits = guanxiRestLimits;
  /** The transport, for calls to endpoints the adapter does not wrap (scores, webhooks). */
  readonly transport: CrmTransport;
  readonly #writeKey: string | undefined;

  constructor(options: GuanxiRestAdapterOptions) {
    const { writeKey, ...transport } = options;
    this.transport = new CrmTransport({ ...transport, rateLimits: transport.rateLimits ?? defaultGuanxiRestAdapterOptions.rateLimits, dialect: guanxiRestWireDialect });
    this.#writeKey = writeKey;
  }

  supports(type: CrmObjectType): boolean {
    return type in paths;
  }

  async list(type: CrmObjectType, request: CrmPageRequest): Promise<CrmPage<unknown>> {
    const response = await this.transport.request({ method: 'GET', path: paths[type], query: { limit: request.limit, after: request.cursor }, signal: request.signal });
    return toPage(response.body, (record) => fromGuanxiRestRecord(type, record));
  }

  async get(type: CrmObjectType, id: string, options: CrmCallOptions): Promise<unknown> {
    const response = await this.transport.request({ method: 'GET', path: `${paths[type]}/${encodeURIComponent(id)}`, signal: options.signal });
    return fromGuanxiRestRecord(type, response.body);
  }

  async create(type: CrmObjectType, input: Readonly<Record<string, unknown>>, options: CrmCreateOptions): Promise<unknown> {
    const response = await this.transport.request({
      method: 'POST',
      path: paths[type],
      json: { properties: toGuanxiRestProperties(type, input, 'create') },
      retry: 'idempotency-key',
      idempotencyKey: options.idempotencyKey,
      signal: options.signal,
    });
    return fromGuanxiRestRecord(type, response.body);
  }

  async update(type: CrmObjectType, id: string, patch: Readonly<Record<string, unknown>>, options: CrmCallOptions): Promise<unknown> {
    const response = await this.transport.request({
      method: 'PATCH',
      path: `${paths[type]}/${encodeURIComponent(id)}`,
      json: { properties: toGuanxiRestProperties(type, patch, 'merge') },
      // A JSON Merge Patch applied twice gives the same record.
      retry: 'idempotent',
      signal: options.signal,
    });
    return fromGuanxiRestRecord(type, response.body);
  }

  async remove(type: CrmObjectType, id: string, options: CrmCallOptions): Promise<void> {
    await this.transport.request({ method: 'DELETE', path: `${paths[type]}/${encodeURIComponent(id)}`, signal: options.signal });
  }

  async upsertBatch(type: CrmObjectType, inputs: readonly Readonly<Record<string, unknown>>[], options: CrmUpsertOptions): Promise<readonly CrmBatchItemOutcome<unknown>[]> {
    const matchBy = options.matchBy ?? 'id';
    if (!contactIdProperties.has(matchBy) || (matchBy !== 'id' && type !== 'contacts')) {
      throw new UnsupportedOperationError(`guanxi REST upserts ${type} by ${type === 'contacts' ? "'id', 'email', 'userId', 'phone' or 'anonymousId'" : "'id'"}, not '${matchBy}'`, this.name, `${type}.upsertMany`);
    }
    const wireInputs = inputs.map((input) => {
      const key = matchBy === 'id' ? input.id : (input[matchBy] ?? (input.properties as Record<string, unknown> | undefined)?.[matchBy]);
      const entry: Record<string, unknown> = { properties: toGuanxiRestProperties(type, input, 'create') };
      if (typeof key === 'string' && key !== '') {
        entry.id = key;
        if (matchBy !== 'id') entry.idProperty = matchBy;
      }
      return entry;
    });
    // Inputs without a key create records: the idempotency key keeps a retried batch
    // from creating them twice.
    const response = await this.transport.request({
      method: 'POST',
      path: `${paths[type]}/batch/upsert`,
      json: { inputs: wireInputs },
      retry: 'idempotency-key',
      signal: options.signal,
    });
    const body = (response.body ?? {}) as { results?: { index?: unknown; status?: unknown; record?: unknown; error?: unknown }[] };
    return (body.results ?? []).map((result, position): CrmBatchItemOutcome<unknown> => {
      const index = typeof result.index === 'number' ? result.index : position;
      if (result.status !== 'error' && result.record !== undefined) return { index, ok: true, record: fromGuanxiRestRecord(type, result.record) };
      return { index, ok: false, failure: toFailure(result.error) };
    });
  }

  async search(type: CrmObjectType, query: CrmSearchQuery, request: CrmPageRequest): Promise<CrmPage<unknown>> {
    if ((query.sort?.length ?? 0) > 1) throw new UnsupportedOperationError('guanxi REST search sorts by one field only', this.name, 'search', ['sort']);
    const response = await this.transport.request({
      method: 'POST',
      path: `${paths[type]}/search`,
      json: {
        filter: query.filter === undefined ? undefined : this.#filter(type, query.filter),
        query: query.text,
        sort: query.sort?.map((sort) => ({ property: guanxiRestPath(type, sort.field), direction: sort.direction ?? 'asc' })),
        limit: request.limit,
        after: request.cursor,
      },
      retry: 'idempotent',
      bucket: 'search',
      signal: request.signal,
    });
    return toPage(response.body, (record) => fromGuanxiRestRecord(type, record));
  }

  async recordConsent(record: Readonly<Record<string, unknown>>, options: CrmCreateOptions): Promise<unknown> {
    const response = await this.transport.request({ method: 'POST', path: '/v1/consent-records', json: record, retry: 'idempotency-key', idempotencyKey: options.idempotencyKey, signal: options.signal });
    return response.body;
  }

  async listConsentRecords(request: CrmConsentListRequest): Promise<CrmPage<unknown>> {
    const response = await this.transport.request({
      method: 'GET',
      path: '/v1/consent-records',
      query: { limit: request.limit, after: request.cursor, contactId: request.contactId, userId: request.userId, anonymousId: request.anonymousId },
      signal: request.signal,
    });
    return toPage(response.body, (record) => record);
  }

  eventBatchLimits(): { readonly maxEvents: number; readonly maxBytes: number } {
    return { maxEvents: maxEventsPerBatch, maxBytes: maxEventBytesPerBatch };
  }

  async sendEvents(events: readonly Readonly<Record<string, unknown>>[], options: CrmCallOptions): Promise<CrmEventBatchOutcome> {
    // Every message has a messageId and the collector stores each id once: resending a
    // batch is harmless, so it is retried like an idempotent call.
    const response = await this.transport.request({
      method: 'POST',
      path: '/v1/batch',
      json: { batch: events, sentAt: new Date(this.transport.options.clock.now()).toISOString(), writeKey: this.#writeKey },
      retry: 'idempotent',
      signal: options.signal,
    });
    const body = (response.body ?? {}) as { stored?: unknown; duplicates?: unknown; suppressed?: unknown; rejected?: { index?: unknown; issues?: unknown }[] };
    return {
      accepted: typeof body.stored === 'number' ? body.stored : 0,
      duplicates: typeof body.duplicates === 'number' ? body.duplicates : 0,
      suppressed: typeof body.suppressed === 'number' ? body.suppressed : 0,
      rejected: (body.rejected ?? []).map((entry, position) => ({
        index: typeof entry.index === 'number' ? entry.index : position,
        failure: { code: 'validation_failed', message: 'The collector rejected this event', issues: portableIssues(entry.issues) },
      })),
    };
  }

  async createDataSubjectRequest(input: Readonly<Record<string, unknown>>, options: CrmCreateOptions): Promise<unknown> {
    const response = await this.transport.request({ method: 'POST', path: '/v1/data-subject-requests', json: input, retry: 'idempotency-key', idempotencyKey: options.idempotencyKey, signal: options.signal });
    return response.body;
  }

  async getDataSubjectRequest(id: string, options: CrmCallOptions): Promise<unknown> {
    return (await this.transport.request({ method: 'GET', path: `/v1/data-subject-requests/${encodeURIComponent(id)}`, signal: options.signal })).body;
  }

  async exportDataSubject(id: string, options: CrmCallOptions): Promise<unknown> {
    return (await this.transport.request({ method: 'GET', path: `/v1/data-subject-requests/${encodeURIComponent(id)}/export`, signal: options.signal })).body;
  }

  #filter(type: CrmObjectType, filter: CrmFilter): unknown {
    let conditions = 0;
    const translate = (node: CrmFilter, depth: number, path: (string | number)[]): unknown => {
      if (depth > maxFilterDepth) throw new UnsupportedOperationError(`guanxi REST filters nest at most ${maxFilterDepth} levels`, this.name, 'search', path);
      if ('and' in node) return { and: node.and.map((child, index) => translate(child, depth + 1, [...path, 'and', index])) };
      if ('or' in node) return { or: node.or.map((child, index) => translate(child, depth + 1, [...path, 'or', index])) };
      conditions += 1;
      if (conditions > maxFilterConditions) throw new UnsupportedOperationError(`guanxi REST filters have at most ${maxFilterConditions} conditions`, this.name, 'search', path);
      const property = guanxiRestPath(type, node.field);
      if (node.op === 'in') return { property, op: 'in', value: node.values };
      if (node.op === 'exists') return node.value === undefined ? { property, op: 'exists' } : { property, op: 'exists', value: node.value };
      return { property, op: node.op, value: node.value };
    };
    return translate(filter, 1, []);
  }
}

/**
 * Creates a guanxi REST adapter (see `GuanxiRestAdapter`).
 *
 * @example
 * ```ts
 * import { createCrmClient, createGuanxiRestAdapter } from 'guanxi/client';
 *
 * const crm = createCrmClient({ adapter: createGuanxiRestAdapter({ baseUrl: 'http://127.0.0.1:4000', auth: { token: 'dev-key' } }) });
 * const created = await crm.contacts.create({ email: 'ada@example.com' }, { idempotencyKey: 'signup-7781' });
 * ```
 */
export function createGuanxiRestAdapter(options: GuanxiRestAdapterOptions): GuanxiRestAdapter {
  return new GuanxiRestAdapter(options);
}

function toPage(body: unknown, map: (record: unknown) => unknown): CrmPage<unknown> {
  const page = (body ?? {}) as WirePage;
  const after = page.paging?.next?.after;
  return {
    items: Array.isArray(page.results) ? page.results.map(map) : [],
    nextCursor: typeof after === 'string' && after !== '' ? after : undefined,
    total: typeof page.total === 'number' ? page.total : undefined,
  };
}

function toFailure(error: unknown): CrmItemFailure {
  const record = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown; status?: unknown; issues?: unknown };
  const issues = portableIssues(record.issues);
  return {
    code: typeof record.code === 'string' ? record.code : 'error',
    message: typeof record.message === 'string' ? record.message : 'The server rejected this item',
    status: typeof record.status === 'number' ? record.status : undefined,
    issues: issues.length > 0 ? issues : undefined,
  };
}
