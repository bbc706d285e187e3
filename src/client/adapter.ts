import type { ValidationIssue } from '../core/errors/validation-error';
import type { CrmSearchQuery } from './filter';
import type { CrmPage } from './pagination';

/**
 * The record types every adapter may serve.
 *
 * @example
 * ```ts
 * import type { CrmObjectType } from 'guanxi/client';
 *
 * const type: CrmObjectType = 'deals';
 * ```
 */
export type CrmObjectType = 'contacts' | 'companies' | 'deals' | 'tickets' | 'activities';

/**
 * Options every adapter call accepts.
 *
 * @example
 * ```ts
 * import type { CrmCallOptions } from 'guanxi/client';
 *
 * const options: CrmCallOptions = { signal: AbortSignal.timeout(5000) };
 * ```
 */
export interface CrmCallOptions {
  /** Cancels the call, including its retries and waits. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Which page of a listing to fetch.
 *
 * @example
 * ```ts
 * import type { CrmPageRequest } from 'guanxi/client';
 *
 * const second: CrmPageRequest = { cursor: 'opaque-cursor-from-page-1', limit: 100 };
 * ```
 */
export interface CrmPageRequest extends CrmCallOptions {
  /** The `nextCursor` of the previous page; absent for the first page. */
  readonly cursor?: string | undefined;
  /** Items per page; the adapter caps it at the API's maximum. */
  readonly limit?: number | undefined;
}

/**
 * Options of a create.
 *
 * @example
 * ```ts
 * import type { CrmCreateOptions } from 'guanxi/client';
 *
 * const options: CrmCreateOptions = { idempotencyKey: 'order-1042-contact' };
 * ```
 */
export interface CrmCreateOptions extends CrmCallOptions {
  /**
   * Key identifying this logical create across retries (and across process restarts,
   * if you persist it). Generated per call when absent, for APIs that honour keys.
   */
  readonly idempotencyKey?: string | undefined;
}

/**
 * Options of a batch upsert.
 *
 * @example
 * ```ts
 * import type { CrmUpsertOptions } from 'guanxi/client';
 *
 * const byEmail: CrmUpsertOptions = { matchBy: 'email', concurrency: 2 };
 * ```
 */
export interface CrmUpsertOptions extends CrmCallOptions {
  /**
   * The unique field that identifies existing records: items whose value matches are
   * updated, the others created. `'id'` updates by record id.
   * @default the adapter's default for the type (HubSpot contacts: `'email'`; otherwise `'id'`)
   */
  readonly matchBy?: string | undefined;
  /**
   * Chunks sent at the same time.
   * @default 2
   */
  readonly concurrency?: number | undefined;
}

/**
 * Why one item of a batch failed.
 *
 * @example
 * ```ts
 * import type { CrmItemFailure } from 'guanxi/client';
 *
 * const failure: CrmItemFailure = { code: 'INVALID_EMAIL', message: 'Email address is invalid', status: 400 };
 * ```
 */
export interface CrmItemFailure {
  /** The API's (or guanxi's) error code. */
  readonly code: string;
  /** What went wrong. */
  readonly message: string;
  /** HTTP status, when the failure came from the API. */
  readonly status?: number | undefined;
  /** Field errors, when known. */
  readonly issues?: readonly ValidationIssue[] | undefined;
}

/**
 * The outcome of one item of a batch, by its index in the caller's array.
 *
 * @example
 * ```ts
 * import type { CrmBatchItemOutcome } from 'guanxi/client';
 *
 * const outcome: CrmBatchItemOutcome<{ id: string }> = { index: 0, ok: true, record: { id: '101' } };
 * ```
 */
export type CrmBatchItemOutcome<T> =
  | { readonly index: number; readonly ok: true; readonly record: T }
  | { readonly index: number; readonly ok: false; readonly failure: CrmItemFailure };

/**
 * Limits of an adapter's API, which the client respects when it chunks and pages.
 *
 * @example
 * ```ts
 * import type { CrmAdapterLimits } from 'guanxi/client';
 *
 * const limits: CrmAdapterLimits = { batchSize: 100, defaultPageSize: 100, maxPageSize: 100, maxSearchPageSize: 200, searchResultWindow: 10_000 };
 * ```
 */
export interface CrmAdapterLimits {
  /** Most items per batch request. */
  readonly batchSize: number;
  /** Page size used when the caller gives none. */
  readonly defaultPageSize: number;
  /** Largest page of a listing. */
  readonly maxPageSize: number;
  /** Largest page of a search. */
  readonly maxSearchPageSize: number;
  /** Most results one search can return in total, when the API caps it. */
  readonly searchResultWindow?: number | undefined;
}

/**
 * The result of sending one batch of events.
 *
 * @example
 * ```ts
 * import type { CrmEventBatchOutcome } from 'guanxi/client';
 *
 * const outcome: CrmEventBatchOutcome = { accepted: 98, duplicates: 1, suppressed: 1, rejected: [] };
 * ```
 */
export interface CrmEventBatchOutcome {
  /** Events stored. */
  readonly accepted: number;
  /** Events ignored because their message id was seen before. */
  readonly duplicates: number;
  /** Events not stored because the subject's consent does not grant their purposes. */
  readonly suppressed: number;
  /** Events refused, by index in the batch. */
  readonly rejected: readonly { readonly index: number; readonly failure: CrmItemFailure }[];
}

/**
 * Which consent records to list.
 *
 * @example
 * ```ts
 * import type { CrmConsentListRequest } from 'guanxi/client';
 *
 * const ofOneContact: CrmConsentListRequest = { contactId: '101', limit: 50 };
 * ```
 */
export interface CrmConsentListRequest extends CrmPageRequest {
  /** Records of this contact. */
  readonly contactId?: string | undefined;
  /** Records of this user id. */
  readonly userId?: string | undefined;
  /** Records of this anonymous id. */
  readonly anonymousId?: string | undefined;
}

/**
 * The contract between the guanxi client and one CRM's API. The client validates
 * everything an adapter returns against the resource schemas, chunks batches to
 * `limits.batchSize`, pages and iterates; the adapter translates records, filters and
 * errors to and from its API, usually over a `CrmTransport` (which brings retries,
 * timeouts, rate limiting and auth).
 *
 * Records cross this boundary in guanxi's portable shape (`CrmContact`, `CrmDeal`, …):
 * an adapter maps field names (`firstName` ↔ HubSpot's `firstname`) and keeps other CRM
 * properties in `properties`. Operations a CRM lacks are left out (optional methods) or
 * throw `UnsupportedOperationError`. Errors are the package's typed errors.
 *
 * See docs/client.md, "Writing an adapter", and examples/custom-adapter.ts.
 *
 * @example
 * ```ts
 * import { createCrmClient, type CrmAdapter, type CrmPage } from 'guanxi/client';
 *
 * // An in-memory adapter: enough for tests and demos.
 * const records = new Map<string, Record<string, unknown>>();
 * let nextId = 1;
 * const memory: CrmAdapter = {
 *   name: 'memory',
 *   limits: { batchSize: 50, defaultPageSize: 50, maxPageSize: 50, maxSearchPageSize: 50 },
 *   supports: (type) => type === 'contacts',
 *   async list(_type, request): Promise<CrmPage<unknown>> {
 *     const all = [...records.values()];
 *     const start = Number(request.cursor ?? 0);
 *     const end = start + (request.limit ?? 50);
 *     return { items: all.slice(start, end), nextCursor: end < all.length ? String(end) : undefined };
 *   },
 *   async get(_type, id) { return records.get(id); },
 *   async create(_type, input) { const id = String(nextId++); const record = { ...(input as object), id }; records.set(id, record); return record; },
 *   async update(_type, id, patch) { const record = { ...records.get(id), ...(patch as object), id }; records.set(id, record); return record; },
 *   async remove(_type, id) { records.delete(id); },
 *   async upsertBatch(_type, inputs) { return inputs.map((input, index) => ({ index, ok: true as const, record: { ...(input as object), id: String(nextId++) } })); },
 *   async search() { return { items: [...records.values()] }; },
 * };
 * const crm = createCrmClient({ adapter: memory });
 * ```
 */
export interface CrmAdapter {
  /** Short name used in errors (`'hubspot'`, `'guanxi-rest'`). */
  readonly name: string;
  /** The API's limits. */
  readonly limits: CrmAdapterLimits;
  /** Whether the adapter serves a record type. */
  supports(type: CrmObjectType): boolean;
  /** One page of records of a type, in the portable shape. */
  list(type: CrmObjectType, request: CrmPageRequest): Promise<CrmPage<unknown>>;
  /** One record; throws `NotFoundError` when there is none. */
  get(type: CrmObjectType, id: string, options: CrmCallOptions): Promise<unknown>;
  /** Creates a record. Must never create twice when retried (see `CrmRetryMode`). */
  create(type: CrmObjectType, input: Readonly<Record<string, unknown>>, options: CrmCreateOptions): Promise<unknown>;
  /** Changes the given fields of a record. */
  update(type: CrmObjectType, id: string, patch: Readonly<Record<string, unknown>>, options: CrmCallOptions): Promise<unknown>;
  /** Deletes (or archives) a record. */
  remove(type: CrmObjectType, id: string, options: CrmCallOptions): Promise<void>;
  /**
   * Creates or updates one chunk (≤ `limits.batchSize`) of records, matched by
   * `options.matchBy`. Reports each item; fails as a whole only when nothing was
   * processed.
   */
  upsertBatch(type: CrmObjectType, inputs: readonly Readonly<Record<string, unknown>>[], options: CrmUpsertOptions): Promise<readonly CrmBatchItemOutcome<unknown>[]>;
  /** One page of search results; throws `UnsupportedOperationError` for filters it cannot express. */
  search(type: CrmObjectType, query: CrmSearchQuery, request: CrmPageRequest): Promise<CrmPage<unknown>>;
  /** Stores a consent record (guanxi REST). */
  recordConsent?(record: Readonly<Record<string, unknown>>, options: CrmCreateOptions): Promise<unknown>;
  /** Lists consent records, optionally of one subject. */
  listConsentRecords?(request: CrmConsentListRequest): Promise<CrmPage<unknown>>;
  /** How many events, and bytes of them, one `sendEvents()` call may carry. */
  eventBatchLimits?(): { readonly maxEvents: number; readonly maxBytes: number };
  /** Sends one batch of events (within `eventBatchLimits()`). */
  sendEvents?(events: readonly Readonly<Record<string, unknown>>[], options: CrmCallOptions): Promise<CrmEventBatchOutcome>;
  /** Opens a data-subject request (export or erasure). */
  createDataSubjectRequest?(input: Readonly<Record<string, unknown>>, options: CrmCreateOptions): Promise<unknown>;
  /** Reads a data-subject request. */
  getDataSubjectRequest?(id: string, options: CrmCallOptions): Promise<unknown>;
  /** Reads the data exported by a completed export request. */
  exportDataSubject?(id: string, options: CrmCallOptions): Promise<unknown>;
}
