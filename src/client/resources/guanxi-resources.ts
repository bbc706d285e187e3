import { safeValidate, validate } from '../../core/validate';
import type { CrmAdapter, CrmCallOptions, CrmConsentListRequest, CrmCreateOptions, CrmEventBatchOutcome, CrmItemFailure } from '../adapter';
import { failureOf, mapBounded, stopsBatch } from '../batch';
import { GuanxiError } from '../../core/errors/guanxi-error';
import { UnsupportedOperationError } from '../errors/unsupported-operation-error';
import { CrmItemIterator, type CrmPage } from '../pagination';
import { CrmConsentRecord, CrmConsentRecordInput } from './consent-record';
import { CrmDataSubjectRequest, CrmDataSubjectRequestInput } from './data-subject-request';
import { CrmEvent } from './event';

function missing(adapter: CrmAdapter, operation: string): UnsupportedOperationError {
  return new UnsupportedOperationError(`The ${adapter.name} adapter does not support ${operation}`, adapter.name, operation);
}

/**
 * Consent proof records: store one, list them (per subject), iterate them.
 *
 * @example
 * ```ts
 * import { createCrmClient, createGuanxiRestAdapter } from 'guanxi/client';
 *
 * const crm = createCrmClient({ adapter: createGuanxiRestAdapter({ baseUrl: 'http://127.0.0.1:4000', auth: { token: 'dev-key' } }) });
 * await crm.consentRecords.create({ subject: { userId: 'u-42' }, purposes: { marketing: 'granted' }, source: 'preference-centre' });
 * const page = await crm.consentRecords.list({ userId: 'u-42' });
 * ```
 */
export class CrmConsentRecords {
  readonly #adapter: CrmAdapter;

  constructor(adapter: CrmAdapter) {
    this.#adapter = adapter;
  }

  /** Stores a consent record (retried safely with an idempotency key). */
  async create(input: CrmConsentRecordInput, options: CrmCreateOptions = {}): Promise<CrmConsentRecord> {
    if (!this.#adapter.recordConsent) throw missing(this.#adapter, 'consentRecords.create');
    const checked = validate(CrmConsentRecordInput, input, 'consent record');
    return validate(CrmConsentRecord, await this.#adapter.recordConsent(checked, options), `consent record from ${this.#adapter.name}`);
  }

  /** One page of consent records. */
  async list(request: CrmConsentListRequest = {}): Promise<CrmPage<CrmConsentRecord>> {
    if (!this.#adapter.listConsentRecords) throw missing(this.#adapter, 'consentRecords.list');
    const page = await this.#adapter.listConsentRecords({ ...request, limit: Math.min(request.limit ?? this.#adapter.limits.defaultPageSize, this.#adapter.limits.maxPageSize) });
    return { ...page, items: page.items.map((item) => validate(CrmConsentRecord, item, `consent record from ${this.#adapter.name}`)) };
  }

  /** Every consent record (of a subject), one page at a time. */
  iterate(request: Omit<CrmConsentListRequest, 'cursor'> = {}): CrmItemIterator<CrmConsentRecord> {
    return new CrmItemIterator((cursor) => this.list({ ...request, cursor }));
  }
}

/**
 * The outcome of sending events: counts over every batch, and the events that were
 * refused (by their index in the caller's array) — invalid ones, and those of a batch
 * that failed after its retries. A partial failure is a result, not an exception. The
 * same shape as one batch's `CrmEventBatchOutcome`, summed over the batches.
 *
 * @example
 * ```ts
 * import type { CrmEventSendResult } from 'guanxi/client';
 *
 * const summary = (result: CrmEventSendResult) => `${result.accepted} stored, ${result.duplicates} duplicates, ${result.rejected.length} refused`;
 * ```
 */
export type CrmEventSendResult = CrmEventBatchOutcome;

/**
 * Options of `events.send()`.
 *
 * @example
 * ```ts
 * import type { CrmEventSendOptions } from 'guanxi/client';
 *
 * const options: CrmEventSendOptions = { concurrency: 2 };
 * ```
 */
export interface CrmEventSendOptions extends CrmCallOptions {
  /**
   * Batches sent at the same time.
   * @default 2
   */
  readonly concurrency?: number | undefined;
}

/**
 * Event ingestion in batches: events are checked, split into batches within the API's
 * limits (count and bytes) and sent with bounded concurrency. Resending is harmless: the
 * collector stores each `messageId` once.
 *
 * @example
 * ```ts
 * import { createCrmClient, createGuanxiRestAdapter } from 'guanxi/client';
 *
 * const crm = createCrmClient({ adapter: createGuanxiRestAdapter({ baseUrl: 'http://127.0.0.1:4000', auth: { token: 'dev-key' }, writeKey: 'wk_dev' }) });
 * const result = await crm.events.send([{ type: 'track', messageId: crypto.randomUUID(), userId: 'u-42', event: 'Order Completed' }]);
 * ```
 */
export class CrmEventIngestion {
  readonly #adapter: CrmAdapter;

  constructor(adapter: CrmAdapter) {
    this.#adapter = adapter;
  }

  /** Sends events; see the class summary. */
  async send(events: readonly CrmEvent[], options: CrmEventSendOptions = {}): Promise<CrmEventSendResult> {
    const adapter = this.#adapter;
    if (!adapter.sendEvents) throw missing(adapter, 'events.send');
    const limits = adapter.eventBatchLimits?.() ?? { maxEvents: adapter.limits.batchSize, maxBytes: Number.POSITIVE_INFINITY };
    const rejected: { index: number; failure: CrmItemFailure }[] = [];
    const batches: { index: number; event: CrmEvent; bytes: number }[][] = [];
    let current: { index: number; event: CrmEvent; bytes: number }[] = [];
    let currentBytes = 0;
    const encoder = new TextEncoder();
    events.forEach((event, index) => {
      const checked = safeValidate(CrmEvent, event, 'event');
      if (!checked.success) {
        rejected.push({ index, failure: failureOf(checked.error) });
        return;
      }
      const bytes = encoder.encode(JSON.stringify(checked.value)).byteLength;
      if (current.length > 0 && (current.length >= limits.maxEvents || currentBytes + bytes > limits.maxBytes)) {
        batches.push(current);
        current = [];
        currentBytes = 0;
      }
      current.push({ index, event: checked.value, bytes });
      currentBytes += bytes;
    });
    if (current.length > 0) batches.push(current);
    let accepted = 0;
    let duplicates = 0;
    let suppressed = 0;
    await mapBounded(batches, Math.max(1, options.concurrency ?? 2), async (batch) => {
      try {
        const outcome = await adapter.sendEvents!(batch.map((item) => item.event), options);
        accepted += outcome.accepted;
        duplicates += outcome.duplicates;
        suppressed += outcome.suppressed;
        for (const refused of outcome.rejected) rejected.push({ index: batch[refused.index]?.index ?? -1, failure: refused.failure });
      } catch (error) {
        if (stopsBatch(error)) throw error;
        const failure = failureOf(error);
        for (const item of batch) rejected.push({ index: item.index, failure });
      }
    });
    rejected.sort((a, b) => a.index - b.index);
    return { accepted, duplicates, suppressed, rejected };
  }
}

/**
 * Data-subject requests: open an export or an erasure, read its status, and read an
 * export's data.
 *
 * @example
 * ```ts
 * import { createCrmClient, createGuanxiRestAdapter } from 'guanxi/client';
 *
 * const crm = createCrmClient({ adapter: createGuanxiRestAdapter({ baseUrl: 'http://127.0.0.1:4000', auth: { token: 'dev-key' } }) });
 * const request = await crm.dataSubjectRequests.create({ type: 'export', subject: { email: 'ada@example.com' } });
 * const data = await crm.dataSubjectRequests.export(request.id);
 * ```
 */
export class CrmDataSubjectRequests {
  readonly #adapter: CrmAdapter;

  constructor(adapter: CrmAdapter) {
    this.#adapter = adapter;
  }

  /** Opens a request (retried safely with an idempotency key). */
  async create(input: CrmDataSubjectRequestInput, options: CrmCreateOptions = {}): Promise<CrmDataSubjectRequest> {
    if (!this.#adapter.createDataSubjectRequest) throw missing(this.#adapter, 'dataSubjectRequests.create');
    const checked = validate(CrmDataSubjectRequestInput, input, 'data-subject request');
    return validate(CrmDataSubjectRequest, await this.#adapter.createDataSubjectRequest(checked, options), `data-subject request from ${this.#adapter.name}`);
  }

  /** Reads a request. */
  async get(id: string, options: CrmCallOptions = {}): Promise<CrmDataSubjectRequest> {
    if (!this.#adapter.getDataSubjectRequest) throw missing(this.#adapter, 'dataSubjectRequests.get');
    return validate(CrmDataSubjectRequest, await this.#adapter.getDataSubjectRequest(id, options), `data-subject request from ${this.#adapter.name}`);
  }

  /** Reads everything an export request collected, as the CRM returns it (JSON). */
  async export(id: string, options: CrmCallOptions = {}): Promise<Record<string, unknown>> {
    if (!this.#adapter.exportDataSubject) throw missing(this.#adapter, 'dataSubjectRequests.export');
    const data = await this.#adapter.exportDataSubject(id, options);
    if (typeof data !== 'object' || data === null) throw new GuanxiError(`${this.#adapter.name} returned no export data`, 'malformed_export');
    return data as Record<string, unknown>;
  }
}
