import type {
  CrmAdapter,
  CrmAdapterLimits,
  CrmBatchItemOutcome,
  CrmCallOptions,
  CrmCreateOptions,
  CrmItemFailure,
  CrmObjectType,
  CrmPageRequest,
  CrmUpsertOptions,
} from '../../adapter';
import { ResultLimitError } from '../../errors/result-limit-error';
import { UnsupportedOperationError } from '../../errors/unsupported-operation-error';
import type { CrmSearchQuery } from '../../filter';
import type { CrmPage } from '../../pagination';
import { CrmTransport, type CrmTransportOptions } from '../../transport/transport';
import { hubSpotWireDialect } from './dialect';
import { hubSpotSearchLimits, toHubSpotFilterGroups } from './filter';
import { fromHubSpotObject, hubSpotProperty, requestedProperties, toHubSpotProperties } from './properties';

/**
 * Options of `createHubSpotAdapter()`: the transport's options (auth, timeouts, retries,
 * hooks, `fetch`…) with HubSpot's base URL and rate limits as defaults.
 *
 * @example
 * ```ts
 * import { createHubSpotAdapter, type HubSpotAdapterOptions } from 'guanxi/client';
 *
 * const options: HubSpotAdapterOptions = {
 *   auth: { token: 'pat-na1-…' },
 *   extraProperties: { contacts: ['loyalty_tier'] },
 * };
 * const adapter = createHubSpotAdapter(options);
 * ```
 */
export interface HubSpotAdapterOptions extends Omit<CrmTransportOptions, 'baseUrl' | 'dialect'> {
  /**
   * HubSpot's API origin (a proxy or a test server in tests).
   * @default 'https://api.hubapi.com'
   */
  readonly baseUrl?: string | undefined;
  /**
   * Further HubSpot properties to read, per object type, beyond the mapped ones; they
   * appear in each record's `properties`.
   * @default {}
   */
  readonly extraProperties?: Partial<Record<CrmObjectType, readonly string[]>> | undefined;
}

/**
 * HubSpot adapter defaults: the public API origin, and client-side buckets below
 * HubSpot's documented limits — 100 requests per 10 seconds (a rolling window, so at most
 * 10 per second with a burst of 10) and 5 search requests per second.
 *
 * @example
 * ```ts
 * import { defaultHubSpotAdapterOptions } from 'guanxi/client';
 *
 * console.log(defaultHubSpotAdapterOptions.baseUrl); // 'https://api.hubapi.com'
 * ```
 */
export const defaultHubSpotAdapterOptions = /*@__PURE__*/ Object.freeze({
  baseUrl: 'https://api.hubapi.com',
  rateLimits: Object.freeze({
    default: Object.freeze({ requestsPerSecond: 10, burst: 10 }),
    search: Object.freeze({ requestsPerSecond: 5, burst: 5 }),
  }),
  extraProperties: Object.freeze({}) as Partial<Record<CrmObjectType, readonly string[]>>,
});

/**
 * HubSpot adapter options with defaults applied, as transport options.
 *
 * @example
 * ```ts
 * import { resolveHubSpotAdapterOptions } from 'guanxi/client';
 *
 * const resolved = resolveHubSpotAdapterOptions({ auth: { token: 't' } });
 * console.log(resolved.transport.baseUrl); // 'https://api.hubapi.com'
 * ```
 */
export function resolveHubSpotAdapterOptions(options: HubSpotAdapterOptions): {
  readonly transport: CrmTransportOptions;
  readonly extraProperties: Partial<Record<CrmObjectType, readonly string[]>>;
} {
  const { extraProperties, baseUrl, ...transport } = options;
  return {
    transport: {
      ...transport,
      baseUrl: baseUrl ?? defaultHubSpotAdapterOptions.baseUrl,
      rateLimits: transport.rateLimits ?? defaultHubSpotAdapterOptions.rateLimits,
      dialect: hubSpotWireDialect,
    },
    extraProperties: extraProperties ?? defaultHubSpotAdapterOptions.extraProperties,
  };
}

const hubSpotLimits: CrmAdapterLimits = /*@__PURE__*/ Object.freeze({
  batchSize: 100,
  defaultPageSize: 100,
  maxPageSize: 100,
  maxSearchPageSize: hubSpotSearchLimits.pageSize,
  searchResultWindow: hubSpotSearchLimits.resultWindow,
});

const servedTypes: ReadonlySet<CrmObjectType> = /*@__PURE__*/ new Set(['contacts', 'companies', 'deals', 'tickets']);

interface HubSpotList {
  results?: unknown[];
  paging?: { next?: { after?: unknown } };
  total?: unknown;
}

interface HubSpotBatchResponse {
  results?: unknown[];
  errors?: { message?: unknown; category?: unknown; status?: unknown; context?: Record<string, unknown>; errors?: { message?: unknown; code?: unknown; context?: { propertyName?: unknown } }[] }[];
}

/**
 * The HubSpot CRM v3 adapter: the objects API for contacts, companies, deals and
 * tickets; batch upsert/update (100 inputs per request, 207 partial results reported per
 * item); search with `filterGroups` inside HubSpot's limits (5 groups, 10 filters per
 * group, 25 in total, 200 per page, 10,000 results per search — iterating past that
 * throws `ResultLimitError`); opaque `after` cursors; HubSpot error bodies; 429s by
 * policy (`TEN_SECONDLY_ROLLING` retried after the interval, `DAILY` not).
 *
 * Creates are not retried after ambiguous failures (HubSpot does not honour idempotency
 * keys); a 429 refusal is retried. For retry-safe creation of contacts use
 * `upsertMany(…, { matchBy: 'email' })`, which is idempotent.
 *
 * @example
 * ```ts
 * import { HubSpotAdapter, createCrmClient } from 'guanxi/client';
 *
 * const crm = createCrmClient({ adapter: new HubSpotAdapter({ auth: { token: 'pat-na1-…' } }) });
 * ```
 */
export class HubSpotAdapter implements CrmAdapter {
  readonly name = 'hubspot';
  readonly limits: CrmAdapterLimits = hubSpotLimits;
  /** The transport (for custom calls to other HubSpot endpoints with the same auth and limits). */
  readonly transport: CrmTransport;
  readonly #extraProperties: Partial<Record<CrmObjectType, readonly string[]>>;

  constructor(options: HubSpotAdapterOptions = {}) {
    const resolved = resolveHubSpotAdapterOptions(options);
    this.transport = new CrmTransport(resolved.transport);
    this.#extraProperties = resolved.extraProperties;
  }

  supports(type: CrmObjectType): boolean {
    return servedTypes.has(type);
  }

  async list(type: CrmObjectType, request: CrmPageRequest): Promise<CrmPage<unknown>> {
    const response = await this.transport.request({
      method: 'GET',
      path: objectPath(type),
      query: { limit: request.limit, after: request.cursor, properties: this.#properties(type).join(','), archived: false },
      signal: request.signal,
    });
    return this.#page(type, response.body as HubSpotList);
  }

  async get(type: CrmObjectType, id: string, options: CrmCallOptions): Promise<unknown> {
    const response = await this.transport.request({
      method: 'GET',
      path: `${objectPath(type)}/${encodeURIComponent(id)}`,
      query: { properties: this.#properties(type).join(',') },
      signal: options.signal,
    });
    return fromHubSpotObject(type, response.body);
  }

  async create(type: CrmObjectType, input: Readonly<Record<string, unknown>>, options: CrmCreateOptions): Promise<unknown> {
    const response = await this.transport.request({
      method: 'POST',
      path: objectPath(type),
      json: { properties: toHubSpotProperties(type, input) },
      // HubSpot ignores idempotency keys: only refusals (429) are retried.
      retry: 'never',
      signal: options.signal,
    });
    return fromHubSpotObject(type, response.body);
  }

  async update(type: CrmObjectType, id: string, patch: Readonly<Record<string, unknown>>, options: CrmCallOptions): Promise<unknown> {
    const response = await this.transport.request({
      method: 'PATCH',
      path: `${objectPath(type)}/${encodeURIComponent(id)}`,
      json: { properties: toHubSpotProperties(type, patch) },
      // Setting the same property values again changes nothing: safe to repeat.
      retry: 'idempotent',
      signal: options.signal,
    });
    return fromHubSpotObject(type, response.body);
  }

  async remove(type: CrmObjectType, id: string, options: CrmCallOptions): Promise<void> {
    await this.transport.request({ method: 'DELETE', path: `${objectPath(type)}/${encodeURIComponent(id)}`, signal: options.signal });
  }

  async upsertBatch(type: CrmObjectType, inputs: readonly Readonly<Record<string, unknown>>[], options: CrmUpsertOptions): Promise<readonly CrmBatchItemOutcome<unknown>[]> {
    const matchBy = options.matchBy ?? (type === 'contacts' ? 'email' : 'id');
    const byId = matchBy === 'id';
    const idProperty = byId ? 'hs_object_id' : hubSpotProperty(type, matchBy);
    const outcomes: CrmBatchItemOutcome<unknown>[] = [];
    const sent: { index: number; key: string; body: Record<string, unknown> }[] = [];
    inputs.forEach((input, index) => {
      const raw = byId ? input.id : (input[matchBy] ?? (input.properties as Record<string, unknown> | undefined)?.[idProperty]);
      if (typeof raw !== 'string' && typeof raw !== 'number') {
        outcomes.push({ index, ok: false, failure: { code: 'missing_match_value', message: `Item has no '${matchBy}' to match existing records by`, issues: [{ path: [matchBy], code: 'required', message: 'Required to upsert' }] } });
        return;
      }
      const key = String(raw);
      const properties = toHubSpotProperties(type, input);
      sent.push({ index, key, body: byId ? { id: key, properties } : { id: key, idProperty, properties } });
    });
    if (sent.length === 0) return outcomes;
    const response = await this.transport.request({
      method: 'POST',
      path: `${objectPath(type)}/batch/${byId ? 'update' : 'upsert'}`,
      json: { inputs: sent.map((item) => item.body) },
      // Upserts by a unique property and updates by id are idempotent.
      retry: 'idempotent',
      signal: options.signal,
    });
    const body = (response.body ?? {}) as HubSpotBatchResponse;
    const pending = new Map<string, { index: number }[]>();
    for (const item of sent) pending.set(normalizeKey(item.key, byId), [...(pending.get(normalizeKey(item.key, byId)) ?? []), { index: item.index }]);
    const take = (key: string): number | undefined => {
      const queue = pending.get(normalizeKey(key, byId));
      const next = queue?.shift();
      return next?.index;
    };
    // HubSpot does not promise result order: results are matched to inputs by id or by
    // the idProperty value they carry.
    for (const result of body.results ?? []) {
      const record = fromHubSpotObject(type, result);
      const properties = ((result as { properties?: Record<string, unknown> }).properties ?? {}) as Record<string, unknown>;
      const key = byId ? String(record.id) : String(properties[idProperty] ?? '');
      const index = take(key);
      if (index !== undefined) outcomes.push({ index, ok: true, record });
    }
    const unmatchedErrors: CrmItemFailure[] = [];
    for (const error of body.errors ?? []) {
      const failure = batchFailure(error);
      const keys = Object.values(error.context ?? {}).flatMap((value) => (Array.isArray(value) ? value.map(String) : []));
      let matched = false;
      for (const key of keys) {
        const index = take(key);
        if (index !== undefined) {
          outcomes.push({ index, ok: false, failure });
          matched = true;
        }
      }
      if (!matched) unmatchedErrors.push(failure);
    }
    const leftover = [...pending.values()].flat();
    leftover.forEach(({ index }, position) => {
      const failure = unmatchedErrors.length === leftover.length ? unmatchedErrors[position] : undefined;
      outcomes.push({ index, ok: false, failure: failure ?? { code: 'missing_result', message: 'HubSpot reported no result for this item' } });
    });
    return outcomes;
  }

  async search(type: CrmObjectType, query: CrmSearchQuery, request: CrmPageRequest): Promise<CrmPage<unknown>> {
    const filterGroups = toHubSpotFilterGroups(type, query.filter);
    if ((query.sort?.length ?? 0) > 1) {
      throw new UnsupportedOperationError('HubSpot search sorts by one property only', this.name, 'search', ['sort']);
    }
    const after = request.cursor === undefined ? undefined : Number(request.cursor);
    if (after !== undefined && after >= hubSpotSearchLimits.resultWindow) {
      throw new ResultLimitError(`HubSpot search cannot page past ${hubSpotSearchLimits.resultWindow} results; narrow the filter`, hubSpotSearchLimits.resultWindow, 'api');
    }
    const response = await this.transport.request({
      method: 'POST',
      path: `${objectPath(type)}/search`,
      json: {
        filterGroups,
        sorts: (query.sort ?? []).map((sort) => ({ propertyName: hubSpotProperty(type, sort.field), direction: sort.direction === 'desc' ? 'DESCENDING' : 'ASCENDING' })),
        query: query.text,
        properties: this.#properties(type),
        limit: request.limit,
        after: request.cursor,
      },
      retry: 'idempotent',
      bucket: 'search',
      signal: request.signal,
    });
    return this.#page(type, response.body as HubSpotList);
  }

  #properties(type: CrmObjectType): string[] {
    return requestedProperties(type, this.#extraProperties[type] ?? []);
  }

  #page(type: CrmObjectType, body: HubSpotList | undefined): CrmPage<unknown> {
    const after = body?.paging?.next?.after;
    return {
      items: (body?.results ?? []).map((object) => fromHubSpotObject(type, object)),
      nextCursor: typeof after === 'string' || typeof after === 'number' ? String(after) : undefined,
      total: typeof body?.total === 'number' ? body.total : undefined,
    };
  }
}

/**
 * Creates a HubSpot CRM v3 adapter (see `HubSpotAdapter`).
 *
 * @example
 * ```ts
 * import { createCrmClient, createHubSpotAdapter } from 'guanxi/client';
 *
 * const crm = createCrmClient({
 *   adapter: createHubSpotAdapter({ auth: { tokenProvider: async () => 'fresh-oauth-access-token' } }),
 * });
 * const result = await crm.contacts.upsertMany([{ email: 'ada@example.com', firstName: 'Ada' }], { matchBy: 'email' });
 * console.log(result.succeeded.length, result.failed.length);
 * ```
 */
export function createHubSpotAdapter(options: HubSpotAdapterOptions = {}): HubSpotAdapter {
  return new HubSpotAdapter(options);
}

function objectPath(type: CrmObjectType): string {
  if (!servedTypes.has(type)) throw new UnsupportedOperationError(`The hubspot adapter does not serve ${type}`, 'hubspot', type);
  return `/crm/v3/objects/${type}`;
}

function normalizeKey(key: string, byId: boolean): string {
  // HubSpot compares emails case-insensitively and returns them lower-cased.
  return byId ? key : key.toLowerCase();
}

function batchFailure(error: NonNullable<HubSpotBatchResponse['errors']>[number]): CrmItemFailure {
  const issues = (error.errors ?? []).flatMap((detail) => {
    const names = Array.isArray(detail.context?.propertyName) ? detail.context.propertyName.map(String) : [];
    const code = typeof detail.code === 'string' ? detail.code : 'invalid';
    const message = typeof detail.message === 'string' ? detail.message : 'Invalid value';
    return names.length === 0 ? [{ path: [], code, message }] : names.map((name) => ({ path: [name], code, message }));
  });
  return {
    code: typeof error.category === 'string' ? error.category : 'error',
    message: typeof error.message === 'string' ? error.message : 'HubSpot rejected this item',
    status: typeof error.status === 'number' ? error.status : undefined,
    issues: issues.length > 0 ? issues : undefined,
  };
}
