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
import { ValidationError } from '../../../core/errors/validation-error';
import { failureFromError } from '../../batch';
import { ResultLimitError } from '../../errors/result-limit-error';
import { UnsupportedOperationError } from '../../errors/unsupported-operation-error';
import type { CrmSearchQuery } from '../../filter';
import type { CrmPage } from '../../pagination';
import { CrmTransport, type CrmTransportOptions } from '../../transport/transport';
import {
  associationObjects,
  associationsOf,
  engagementFilterProperty,
  engagementKinds,
  engagementProperties,
  engagementSearchPlan,
  fromEngagement,
  kindOfActivity,
  parseActivityId,
  toEngagement,
  type EngagementKind,
  type HubSpotActivityProperties,
} from './activities';
import { hubSpotIssues, hubSpotWireDialect } from './dialect';
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
  /**
   * Custom HubSpot properties (create them in your account on calls, emails, meetings,
   * tasks and notes) that keep the activity fields HubSpot has none for: the touchpoint
   * `type` (needed to log touchpoints other than calls, emails, meetings, tasks and
   * notes), `channel`, `outcome`, `goal`, `contactPerson`, `campaign`, `reference`.
   * Without one, a value for such a field is rejected with `UnsupportedOperationError`
   * rather than dropped.
   * @default {}
   */
  readonly activityProperties?: HubSpotActivityProperties | undefined;
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
  activityProperties: Object.freeze({}) as HubSpotActivityProperties,
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
  readonly activityProperties: HubSpotActivityProperties;
} {
  const { extraProperties, activityProperties, baseUrl, ...transport } = options;
  return {
    transport: {
      ...transport,
      baseUrl: baseUrl ?? defaultHubSpotAdapterOptions.baseUrl,
      rateLimits: transport.rateLimits ?? defaultHubSpotAdapterOptions.rateLimits,
      dialect: hubSpotWireDialect,
    },
    extraProperties: extraProperties ?? defaultHubSpotAdapterOptions.extraProperties,
    activityProperties: activityProperties ?? defaultHubSpotAdapterOptions.activityProperties,
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
const associationsQuery = /*@__PURE__*/ associationObjects.map(([, object]) => object).join(',');

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
 * Activities are HubSpot's engagement objects — calls, emails, meetings, tasks and notes
 * (docs/client.md, "HubSpot activities", has the field mapping). Their ids name the
 * object (`call:123`); listings and searches walk the objects one after another.
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
  readonly #activityProperties: HubSpotActivityProperties;

  constructor(options: HubSpotAdapterOptions = {}) {
    const resolved = resolveHubSpotAdapterOptions(options);
    this.transport = new CrmTransport(resolved.transport);
    this.#extraProperties = resolved.extraProperties;
    this.#activityProperties = resolved.activityProperties;
  }

  supports(type: CrmObjectType): boolean {
    return type === 'activities' || servedTypes.has(type);
  }

  async list(type: CrmObjectType, request: CrmPageRequest): Promise<CrmPage<unknown>> {
    if (type === 'activities') {
      return this.#walkEngagements([...engagementKinds], request.cursor, async (kind, after) => {
        const response = await this.transport.request({
          method: 'GET',
          path: engagementPath(kind),
          query: { limit: request.limit, after, properties: this.#engagementProperties(kind).join(','), associations: associationsQuery, archived: false },
          signal: request.signal,
        });
        const body = response.body as HubSpotList | undefined;
        return { body, items: (body?.results ?? []).map((object) => fromEngagement(kind, object, this.#activityProperties, associationsOf(object))) };
      });
    }
    const response = await this.transport.request({
      method: 'GET',
      path: objectPath(type),
      query: { limit: request.limit, after: request.cursor, properties: this.#properties(type).join(','), archived: false },
      signal: request.signal,
    });
    return this.#page(type, response.body as HubSpotList);
  }

  async get(type: CrmObjectType, id: string, options: CrmCallOptions): Promise<unknown> {
    if (type === 'activities') {
      const { kind, id: hubSpotId } = parseActivityId(id);
      const response = await this.transport.request({
        method: 'GET',
        path: `${engagementPath(kind)}/${hubSpotId}`,
        query: { properties: this.#engagementProperties(kind).join(','), associations: associationsQuery },
        signal: options.signal,
      });
      return fromEngagement(kind, response.body, this.#activityProperties, associationsOf(response.body));
    }
    const response = await this.transport.request({
      method: 'GET',
      path: `${objectPath(type)}/${encodeURIComponent(id)}`,
      query: { properties: this.#properties(type).join(',') },
      signal: options.signal,
    });
    return fromHubSpotObject(type, response.body);
  }

  async create(type: CrmObjectType, input: Readonly<Record<string, unknown>>, options: CrmCreateOptions): Promise<unknown> {
    if (type === 'activities') {
      const kind = kindOfActivity(input.type, input.channel, this.#activityProperties);
      const engagement = toEngagement(kind, input, this.#activityProperties, 'create');
      const response = await this.transport.request({
        method: 'POST',
        path: engagementPath(kind),
        json: engagement.associations.length > 0 ? engagement : { properties: engagement.properties },
        retry: 'never',
        signal: options.signal,
      });
      // HubSpot answers a create without the associations it made: the input has them.
      const associations: Record<string, string> = {};
      for (const [field] of associationObjects) if (input[field] != null) associations[field] = String(input[field]);
      return fromEngagement(kind, response.body, this.#activityProperties, associations);
    }
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
    if (type === 'activities') {
      const { kind, id: hubSpotId } = parseActivityId(id);
      const properties = await this.#engagementChanges(kind, hubSpotId, patch, options.signal);
      await this.transport.request({ method: 'PATCH', path: `${engagementPath(kind)}/${hubSpotId}`, json: { properties }, retry: 'idempotent', signal: options.signal });
      // The PATCH answer lacks associations; a read returns the whole activity.
      return this.get(type, id, options);
    }
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
    if (type === 'activities') {
      const { kind, id: hubSpotId } = parseActivityId(id);
      await this.transport.request({ method: 'DELETE', path: `${engagementPath(kind)}/${hubSpotId}`, signal: options.signal });
      return;
    }
    await this.transport.request({ method: 'DELETE', path: `${objectPath(type)}/${encodeURIComponent(id)}`, signal: options.signal });
  }

  async upsertBatch(type: CrmObjectType, inputs: readonly Readonly<Record<string, unknown>>[], options: CrmUpsertOptions): Promise<readonly CrmBatchItemOutcome<unknown>[]> {
    if (type === 'activities') return this.#updateEngagements(inputs, options);
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
    // HubSpot does not promise result order: results are matched to inputs by id or by
    // the idProperty value they carry.
    outcomes.push(
      ...matchBatchResults(
        sent,
        response.body,
        (result) => {
          const record = fromHubSpotObject(type, result);
          const properties = ((result as { properties?: Record<string, unknown> }).properties ?? {}) as Record<string, unknown>;
          return [byId ? String(record.id) : String(properties[idProperty] ?? ''), record];
        },
        byId ? String : (key) => key.toLowerCase(),
      ),
    );
    return outcomes;
  }

  async search(type: CrmObjectType, query: CrmSearchQuery, request: CrmPageRequest): Promise<CrmPage<unknown>> {
    if (type === 'activities') return this.#searchEngagements(query, request);
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

  #engagementProperties(kind: EngagementKind): string[] {
    return engagementProperties(kind, this.#activityProperties, this.#extraProperties.activities ?? []);
  }

  /**
   * One page of a listing over several engagement objects, one object after the other.
   * The cursor is `<object>:<HubSpot's after>`; an object with nothing (left) to list
   * hands over to the next one within the same call.
   */
  async #walkEngagements(
    kinds: readonly EngagementKind[],
    cursor: string | undefined,
    fetch: (kind: EngagementKind, after: string | undefined) => Promise<{ body: HubSpotList | undefined; items: unknown[] }>,
  ): Promise<CrmPage<unknown>> {
    const separator = cursor?.indexOf(':') ?? -1;
    const start = cursor === undefined ? 0 : kinds.indexOf(cursor.slice(0, separator) as EngagementKind);
    if (start < 0) throw new ValidationError([{ path: ['cursor'], code: 'invalid_format', message: 'Not a cursor of this listing' }], 'cursor');
    let after = cursor === undefined || cursor.slice(separator + 1) === '' ? undefined : cursor.slice(separator + 1);
    for (let index = start; index < kinds.length; index++) {
      const kind = kinds[index] as EngagementKind;
      const { body, items } = await fetch(kind, after);
      const next = body?.paging?.next?.after;
      const following = kinds[index + 1];
      const total = kinds.length === 1 && typeof body?.total === 'number' ? body.total : undefined;
      if (typeof next === 'string' || typeof next === 'number') return { items, nextCursor: `${kind}:${String(next)}`, total };
      if (items.length > 0 || following === undefined) return { items, nextCursor: following === undefined ? undefined : `${following}:`, total };
      after = undefined;
    }
    return { items: [] };
  }

  async #searchEngagements(query: CrmSearchQuery, request: CrmPageRequest): Promise<CrmPage<unknown>> {
    const plan = engagementSearchPlan(query.filter, this.#activityProperties);
    const sort = query.sort ?? [];
    if (sort.length > 1 || (sort.length === 1 && plan.kinds.length > 1)) {
      throw new UnsupportedOperationError(
        sort.length > 1 ? 'HubSpot search sorts by one property only' : "HubSpot sorts activities within one engagement object: add a filter on 'type' to sort",
        this.name,
        'activities.search',
        ['sort'],
      );
    }
    // Built before any request, so an untranslatable filter fails without sending anything.
    const requests = new Map(
      plan.kinds.map((kind) => {
        const property = (field: string) => engagementFilterProperty(kind, field, this.#activityProperties);
        return [
          kind,
          {
            filterGroups: toHubSpotFilterGroups('activities', plan.filter, (field) => {
              const { name, value } = property(field);
              return { name, value };
            }),
            sorts: sort.map((key) => ({ propertyName: property(key.field).name, direction: key.direction === 'desc' ? 'DESCENDING' : 'ASCENDING' })),
          },
        ] as const;
      }),
    );
    return this.#walkEngagements(plan.kinds, request.cursor, async (kind, after) => {
      if (after !== undefined && Number(after) >= hubSpotSearchLimits.resultWindow) {
        throw new ResultLimitError(`HubSpot search cannot page past ${hubSpotSearchLimits.resultWindow} ${kind}; narrow the filter`, hubSpotSearchLimits.resultWindow, 'api');
      }
      const response = await this.transport.request({
        method: 'POST',
        path: `${engagementPath(kind)}/search`,
        json: { ...requests.get(kind), query: query.text, properties: this.#engagementProperties(kind), limit: request.limit, after },
        retry: 'idempotent',
        bucket: 'search',
        signal: request.signal,
      });
      const body = response.body as HubSpotList | undefined;
      const results = body?.results ?? [];
      // Search results carry no associations: they are read in one batch per target object.
      const associations = await this.#readAssociations(kind, results.map((object) => String((object as { id?: unknown }).id)), request.signal);
      return { body, items: results.map((object) => fromEngagement(kind, object, this.#activityProperties, associations.get(String((object as { id?: unknown }).id)) ?? {})) };
    });
  }

  async #readAssociations(kind: EngagementKind, ids: readonly string[], signal: AbortSignal | undefined): Promise<Map<string, Record<string, string>>> {
    const found = new Map(ids.map((id) => [id, {} as Record<string, string>]));
    if (ids.length === 0) return found;
    await Promise.all(
      associationObjects.map(async ([field, object]) => {
        const response = await this.transport.request({
          method: 'POST',
          path: `/crm/v4/associations/${kind}/${object}/batch/read`,
          json: { inputs: ids.map((id) => ({ id })) },
          retry: 'idempotent',
          signal,
        });
        const results = (response.body as { results?: { from?: { id?: unknown }; to?: { toObjectId?: unknown }[] }[] } | undefined)?.results ?? [];
        for (const result of results) {
          const to = result.to?.[0]?.toObjectId;
          const record = found.get(String(result.from?.id));
          if (record && to !== undefined) record[field] = String(to);
        }
      }),
    );
    return found;
  }

  /** HubSpot properties for changes to an engagement (a meeting's new duration needs its start). */
  async #engagementChanges(kind: EngagementKind, id: string, patch: Readonly<Record<string, unknown>>, signal: AbortSignal | undefined): Promise<Record<string, string>> {
    let startMs: number | undefined;
    if (kind === 'meetings' && patch.durationSeconds != null && patch.occurredAt == null) {
      const current = await this.transport.request({ method: 'GET', path: `${engagementPath(kind)}/${id}`, query: { properties: 'hs_meeting_start_time,hs_timestamp' }, signal });
      const properties = (current.body as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
      startMs = Date.parse(String(properties.hs_meeting_start_time ?? properties.hs_timestamp));
    }
    return toEngagement(kind, patch, this.#activityProperties, 'update', Number.isFinite(startMs) ? startMs : undefined).properties;
  }

  /** Batch update of activities by id (`matchBy: 'id'`), one request per engagement object. */
  async #updateEngagements(inputs: readonly Readonly<Record<string, unknown>>[], options: CrmUpsertOptions): Promise<CrmBatchItemOutcome<unknown>[]> {
    if ((options.matchBy ?? 'id') !== 'id') {
      throw new UnsupportedOperationError('HubSpot activities have no unique property to upsert by; upsert them by id', this.name, 'activities.upsertMany', ['matchBy']);
    }
    const outcomes: CrmBatchItemOutcome<unknown>[] = [];
    const byKind = new Map<EngagementKind, { index: number; id: string; properties: Record<string, string> }[]>();
    for (const [index, input] of inputs.entries()) {
      try {
        if (typeof input.id !== 'string') throw new ValidationError([{ path: ['id'], code: 'required', message: 'Required to update an activity' }], 'activity');
        const { kind, id } = parseActivityId(input.id);
        const properties = await this.#engagementChanges(kind, id, input, options.signal);
        byKind.set(kind, [...(byKind.get(kind) ?? []), { index, id, properties }]);
      } catch (error) {
        outcomes.push({ index, ok: false, failure: failureFromError(error) });
      }
    }
    for (const [kind, items] of byKind) {
      const response = await this.transport.request({
        method: 'POST',
        path: `${engagementPath(kind)}/batch/update`,
        json: { inputs: items.map(({ id, properties }) => ({ id, properties })) },
        retry: 'idempotent',
        signal: options.signal,
      });
      // HubSpot's batch answer carries no associations: they are read in one batch per
      // target object, as for search results, so updated activities come back whole.
      const updated = ((response.body as { results?: unknown[] } | undefined)?.results ?? []).map((result) => String((result as { id?: unknown }).id));
      const associations = await this.#readAssociations(kind, updated, options.signal);
      outcomes.push(
        ...matchBatchResults(
          items.map(({ index, id }) => ({ index, key: id })),
          response.body,
          (result) => {
            const id = String((result as { id?: unknown }).id);
            return [id, fromEngagement(kind, result, this.#activityProperties, associations.get(id) ?? {})];
          },
          String,
        ),
      );
    }
    return outcomes;
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

function engagementPath(kind: EngagementKind): string {
  return `/crm/v3/objects/${kind}`;
}

function objectPath(type: CrmObjectType): string {
  if (!servedTypes.has(type)) throw new UnsupportedOperationError(`The hubspot adapter does not serve ${type}`, 'hubspot', type);
  return `/crm/v3/objects/${type}`;
}

/**
 * Matches a HubSpot batch answer to the items sent (by key: id or idProperty value, as
 * `normalize` compares them — HubSpot compares emails case-insensitively), errors by the
 * ids in their context. Items HubSpot says nothing about fail as `missing_result`.
 */
function matchBatchResults(
  sent: readonly { index: number; key: string }[],
  answer: unknown,
  read: (result: unknown) => [key: string, record: unknown],
  normalize: (key: string) => string,
): CrmBatchItemOutcome<unknown>[] {
  const body = (answer ?? {}) as HubSpotBatchResponse;
  const outcomes: CrmBatchItemOutcome<unknown>[] = [];
  const pending = new Map<string, number[]>();
  for (const { index, key } of sent) pending.set(normalize(key), [...(pending.get(normalize(key)) ?? []), index]);
  const take = (key: string): number | undefined => pending.get(normalize(key))?.shift();
  for (const result of body.results ?? []) {
    const [key, record] = read(result);
    const index = take(key);
    if (index !== undefined) outcomes.push({ index, ok: true, record });
  }
  const unmatchedErrors: CrmItemFailure[] = [];
  for (const error of body.errors ?? []) {
    const failure = batchFailure(error);
    let matched = false;
    for (const key of Object.values(error.context ?? {}).flatMap((value) => (Array.isArray(value) ? value.map(String) : []))) {
      const index = take(key);
      if (index !== undefined) {
        outcomes.push({ index, ok: false, failure });
        matched = true;
      }
    }
    if (!matched) unmatchedErrors.push(failure);
  }
  const leftover = [...pending.values()].flat();
  leftover.forEach((index, position) => {
    const failure = unmatchedErrors.length === leftover.length ? unmatchedErrors[position] : undefined;
    outcomes.push({ index, ok: false, failure: failure ?? { code: 'missing_result', message: 'HubSpot reported no result for this item' } });
  });
  return outcomes;
}

function batchFailure(error: NonNullable<HubSpotBatchResponse['errors']>[number]): CrmItemFailure {
  const issues = hubSpotIssues(error.errors);
  return {
    code: typeof error.category === 'string' ? error.category : 'error',
    message: typeof error.message === 'string' ? error.message : 'HubSpot rejected this item',
    status: typeof error.status === 'number' ? error.status : undefined,
    issues: issues.length > 0 ? issues : undefined,
  };
}
