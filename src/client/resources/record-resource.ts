import type * as z from 'zod/mini';
import { GuanxiError } from '../../core/errors/guanxi-error';
import type { StandardSchemaV1 } from '../../core/standard-schema';
import { safeValidate, validate } from '../../core/validate';
import type { CrmAdapter, CrmBatchItemOutcome, CrmCallOptions, CrmCreateOptions, CrmObjectType, CrmPageRequest, CrmUpsertOptions } from '../adapter';
import { chunk, collectOutcomes, failureOf, mapBounded, stopsBatch, type CrmBatchResult } from '../batch';
import { ResultLimitError } from '../errors/result-limit-error';
import { UnsupportedOperationError } from '../errors/unsupported-operation-error';
import { checkCrmFilter, type CrmSearchQuery } from '../filter';
import { CrmItemIterator, type CrmPage } from '../pagination';

/**
 * Options of `iterate()` and `iterateSearch()`.
 *
 * @example
 * ```ts
 * import type { CrmIterateOptions } from 'guanxi/client';
 *
 * const options: CrmIterateOptions = { pageSize: 100, signal: AbortSignal.timeout(60_000) };
 * ```
 */
export interface CrmIterateOptions extends CrmCallOptions {
  /**
   * Items per page request.
   * @default the adapter's default page size
   */
  readonly pageSize?: number | undefined;
}

type LooseSchema = StandardSchemaV1 & z.ZodMiniType;

/**
 * The operations on one record type — contacts, companies, deals, tickets or
 * activities: CRUD, paging and iteration, batch upsert and search. Every record the
 * adapter returns is validated against the type's schema (unknown fields are kept);
 * every input is validated before anything is sent.
 *
 * @example
 * ```ts
 * import { createCrmClient, createHubSpotAdapter } from 'guanxi/client';
 *
 * const crm = createCrmClient({ adapter: createHubSpotAdapter({ auth: { token: 'pat-…' } }) });
 * const deal = await crm.deals.create({ name: 'Pilot', amount: 5000, currency: 'EUR', stage: 'appointmentscheduled' });
 * await crm.deals.update(deal.id, { stage: 'closedwon' });
 * const open = await crm.deals.search({ filter: { field: 'stage', op: 'neq', value: 'closedlost' } });
 * ```
 */
export class CrmRecordResource<TRecord, TInput> {
  /** The record type. */
  readonly type: CrmObjectType;
  readonly #adapter: CrmAdapter;
  readonly #recordSchema: LooseSchema;
  readonly #inputSchema: LooseSchema;
  readonly #patchSchema: LooseSchema;
  readonly #noun: string;
  readonly #normalize: (input: Record<string, unknown>) => Record<string, unknown>;
  readonly #defaultConcurrency: number;

  constructor(
    adapter: CrmAdapter,
    type: CrmObjectType,
    schemas: {
      record: StandardSchemaV1 & z.ZodMiniType;
      input: StandardSchemaV1 & z.ZodMiniType;
      patch: StandardSchemaV1 & z.ZodMiniType;
      noun: string;
      /** Rewrites a checked input before it is sent (deprecated field names to current ones). */
      normalize?: (input: Record<string, unknown>) => Record<string, unknown>;
    },
    defaultConcurrency: number,
  ) {
    this.type = type;
    this.#adapter = adapter;
    this.#recordSchema = schemas.record;
    this.#inputSchema = schemas.input;
    this.#patchSchema = schemas.patch;
    this.#noun = schemas.noun;
    this.#normalize = schemas.normalize ?? ((input) => input);
    this.#defaultConcurrency = defaultConcurrency;
  }

  /** One page of records. */
  async list(request: CrmPageRequest = {}): Promise<CrmPage<TRecord>> {
    this.#checkSupported('list');
    return this.#validatePage(await this.#adapter.list(this.type, this.#pageRequest(request, this.#adapter.limits.maxPageSize)));
  }

  /** Every record, one page at a time (constant memory). */
  iterate(options: CrmIterateOptions = {}): CrmItemIterator<TRecord> {
    return new CrmItemIterator((cursor) => this.list({ cursor, limit: options.pageSize, signal: options.signal }));
  }

  /** One record by id; throws `NotFoundError` when there is none. */
  async get(id: string, options: CrmCallOptions = {}): Promise<TRecord> {
    this.#checkSupported('get');
    return this.#validateRecord(await this.#adapter.get(this.type, checkId(id), options));
  }

  /**
   * Creates a record. Retried safely: with an idempotency key where the API honours one,
   * otherwise only after refusals the server did not process (429).
   */
  async create(input: TInput, options: CrmCreateOptions = {}): Promise<TRecord> {
    this.#checkSupported('create');
    const checked = this.#normalize(validate(this.#inputSchema, input, this.#noun) as Record<string, unknown>);
    return this.#validateRecord(await this.#adapter.create(this.type, checked, options));
  }

  /** Changes the given fields of a record and returns the record. */
  async update(id: string, patch: Partial<TInput>, options: CrmCallOptions = {}): Promise<TRecord> {
    this.#checkSupported('update');
    const checked = this.#normalize(validate(this.#patchSchema, patch, `${this.#noun} changes`) as Record<string, unknown>);
    return this.#validateRecord(await this.#adapter.update(this.type, checkId(id), checked, options));
  }

  /** Deletes (archives, for HubSpot) a record. */
  async delete(id: string, options: CrmCallOptions = {}): Promise<void> {
    this.#checkSupported('delete');
    await this.#adapter.remove(this.type, checkId(id), options);
  }

  /**
   * Creates or updates many records, matched by `options.matchBy`. Items are checked
   * first (invalid ones fail without being sent), then sent in chunks of the API's batch
   * size with bounded concurrency. Each item's outcome is reported; a partial failure is
   * a result, not an exception. Only failures that concern every item (bad credentials,
   * cancellation) throw.
   */
  async upsertMany(inputs: readonly TInput[], options: CrmUpsertOptions = {}): Promise<CrmBatchResult<TRecord>> {
    this.#checkSupported('upsertMany');
    const outcomes: CrmBatchItemOutcome<TRecord>[] = [];
    const valid: { index: number; input: Record<string, unknown> }[] = [];
    inputs.forEach((input, index) => {
      const result = safeValidate(this.#patchSchema, input, this.#noun);
      if (result.success) valid.push({ index, input: this.#normalize(result.value as Record<string, unknown>) });
      else outcomes.push({ index, ok: false, failure: failureOf(result.error) });
    });
    const size = Math.max(1, this.#adapter.limits.batchSize);
    const concurrency = Math.max(1, Math.floor(options.concurrency ?? this.#defaultConcurrency));
    const chunkOutcomes = await mapBounded(chunk(valid, size), concurrency, async (part) => {
      try {
        const results = await this.#adapter.upsertBatch(
          this.type,
          part.map((item) => item.input),
          options,
        );
        return results.map((outcome): CrmBatchItemOutcome<TRecord> => {
          const index = part[outcome.index]?.index ?? -1;
          if (!outcome.ok) return { index, ok: false, failure: outcome.failure };
          const record = safeValidate(this.#recordSchema, outcome.record, `${this.#noun} from ${this.#adapter.name}`);
          return record.success ? { index, ok: true, record: record.value as TRecord } : { index, ok: false, failure: failureOf(record.error) };
        });
      } catch (error) {
        if (stopsBatch(error)) throw error;
        const failure = failureOf(error);
        return part.map((item): CrmBatchItemOutcome<TRecord> => ({ index: item.index, ok: false, failure }));
      }
    });
    for (const part of chunkOutcomes) outcomes.push(...part);
    const reported = new Set(outcomes.map((outcome) => outcome.index));
    for (const item of valid) {
      if (!reported.has(item.index)) {
        outcomes.push({ index: item.index, ok: false, failure: { code: 'missing_result', message: `${this.#adapter.name} reported no outcome for this item` } });
      }
    }
    return collectOutcomes(outcomes.filter((outcome) => outcome.index >= 0));
  }

  /** One page of search results. */
  async search(query: CrmSearchQuery, request: CrmPageRequest = {}): Promise<CrmPage<TRecord>> {
    this.#checkSupported('search');
    const checked: CrmSearchQuery = query.filter === undefined ? query : { ...query, filter: checkCrmFilter(query.filter) };
    return this.#validatePage(await this.#adapter.search(this.type, checked, this.#pageRequest(request, this.#adapter.limits.maxSearchPageSize)));
  }

  /**
   * Every search result, one page at a time. Where the API caps results per search
   * (HubSpot: 10,000), reaching the cap with results left throws `ResultLimitError`
   * (source `'api'`) rather than stopping silently.
   */
  iterateSearch(query: CrmSearchQuery, options: CrmIterateOptions = {}): CrmItemIterator<TRecord> {
    const window = this.#adapter.limits.searchResultWindow;
    return new CrmItemIterator(
      (cursor) => this.search(query, { cursor, limit: options.pageSize, signal: options.signal }),
      (page, seen) => {
        // Pages without a total combine several searches (HubSpot activities walk one
        // engagement object after another); their adapter enforces each search's window.
        if (window !== undefined && page.total !== undefined && seen >= window && page.nextCursor !== undefined) {
          throw new ResultLimitError(
            `${this.#adapter.name} returns at most ${window} results per search and more remain${page.total === undefined ? '' : ` (${page.total} matched)`}; narrow the filter (e.g. by date range) and search each part`,
            window,
            'api',
          );
        }
      },
    );
  }

  #pageRequest(request: CrmPageRequest, max: number): CrmPageRequest {
    const limit = request.limit === undefined ? this.#adapter.limits.defaultPageSize : Math.floor(request.limit);
    if (!(limit >= 1)) throw new RangeError(`Page size must be at least 1, got ${String(request.limit)}`);
    return { ...request, limit: Math.min(limit, max) };
  }

  #validateRecord(record: unknown): TRecord {
    return validate(this.#recordSchema, record, `${this.#noun} from ${this.#adapter.name}`) as TRecord;
  }

  #validatePage(page: CrmPage<unknown>): CrmPage<TRecord> {
    if (typeof page !== 'object' || page === null || !Array.isArray(page.items)) {
      throw new GuanxiError(`${this.#adapter.name} returned a malformed page of ${this.type}`, 'malformed_page');
    }
    return { ...page, items: page.items.map((item) => this.#validateRecord(item)) };
  }

  #checkSupported(operation: string): void {
    if (!this.#adapter.supports(this.type)) {
      throw new UnsupportedOperationError(`The ${this.#adapter.name} adapter does not serve ${this.type}`, this.#adapter.name, `${this.type}.${operation}`);
    }
  }
}

function checkId(id: string): string {
  if (typeof id !== 'string' || id === '') throw new RangeError('A record id must be a non-empty string');
  return id;
}
