import type * as z from 'zod/mini';
import type { CrmAdapter } from './adapter';
import { CrmActivity, CrmActivityInput, normalizeActivityInput } from './resources/activity';
import { CrmCompany, CrmCompanyInput } from './resources/company';
import { CrmContact, CrmContactInput } from './resources/contact';
import { CrmDeal, CrmDealInput } from './resources/deal';
import { CrmConsentRecords, CrmDataSubjectRequests, CrmEventIngestion } from './resources/guanxi-resources';
import { patchOf } from './resources/record-fields';
import { CrmRecordResource } from './resources/record-resource';
import { CrmTicket, CrmTicketInput } from './resources/ticket';

/**
 * Options of `createCrmClient()`.
 *
 * @example
 * ```ts
 * import { createCrmClient, createGuanxiRestAdapter, type CrmClientOptions } from 'guanxi/client';
 *
 * const options: CrmClientOptions = { adapter: createGuanxiRestAdapter({ baseUrl: 'https://crm.example.com', auth: { token: 'k' } }), batchConcurrency: 4 };
 * const crm = createCrmClient(options);
 * ```
 */
export interface CrmClientOptions {
  /** The CRM to talk to. One adapter instance belongs to one client: its rate limits are this client's. */
  readonly adapter: CrmAdapter;
  /**
   * Batch chunks sent at the same time by `upsertMany()` unless a call says otherwise.
   * @default 2
   */
  readonly batchConcurrency?: number | undefined;
}

/**
 * The client defaults.
 *
 * @example
 * ```ts
 * import { defaultCrmClientOptions } from 'guanxi/client';
 *
 * console.log(defaultCrmClientOptions.batchConcurrency); // 2
 * ```
 */
export const defaultCrmClientOptions = /*@__PURE__*/ Object.freeze({ batchConcurrency: 2 });

/**
 * Client options with defaults applied.
 *
 * @example
 * ```ts
 * import { resolveCrmClientOptions, createGuanxiRestAdapter } from 'guanxi/client';
 *
 * const resolved = resolveCrmClientOptions({ adapter: createGuanxiRestAdapter({ baseUrl: 'https://crm.example.com' }) });
 * console.log(resolved.batchConcurrency); // 2
 * ```
 */
export function resolveCrmClientOptions(options: CrmClientOptions): Required<CrmClientOptions> {
  const batchConcurrency = options.batchConcurrency ?? defaultCrmClientOptions.batchConcurrency;
  if (!Number.isInteger(batchConcurrency) || batchConcurrency < 1) throw new RangeError(`batchConcurrency must be a positive integer, got ${String(batchConcurrency)}`);
  if (!options.adapter) throw new RangeError('createCrmClient needs an adapter');
  return { adapter: options.adapter, batchConcurrency };
}

/**
 * A typed client for one CRM: one resource per record type, each with CRUD, paging,
 * iteration, batch upsert and search.
 *
 * @example
 * ```ts
 * import { createCrmClient, createHubSpotAdapter, type CrmClient } from 'guanxi/client';
 *
 * const crm: CrmClient = createCrmClient({ adapter: createHubSpotAdapter({ auth: { token: 'pat-…' } }) });
 * const page = await crm.companies.list({ limit: 50 });
 * ```
 */
export interface CrmClient {
  /** The adapter behind the client. */
  readonly adapter: CrmAdapter;
  /** Contacts (people). */
  readonly contacts: CrmRecordResource<CrmContact, CrmContactInput>;
  /** Companies (organizations). */
  readonly companies: CrmRecordResource<CrmCompany, CrmCompanyInput>;
  /** Deals (opportunities). */
  readonly deals: CrmRecordResource<CrmDeal, CrmDealInput>;
  /** Support tickets. */
  readonly tickets: CrmRecordResource<CrmTicket, CrmTicketInput>;
  /** Activities (touchpoints): calls, emails, meetings, tasks, notes, visits, purchases… */
  readonly activities: CrmRecordResource<CrmActivity, CrmActivityInput>;
  /** Consent proof records (where the adapter supports them). */
  readonly consentRecords: CrmConsentRecords;
  /** Event ingestion in batches (where the adapter supports it). */
  readonly events: CrmEventIngestion;
  /** Data-subject requests: export and erasure (where the adapter supports them). */
  readonly dataSubjectRequests: CrmDataSubjectRequests;
}

/**
 * Creates a CRM client over an adapter.
 *
 * @example
 * ```ts
 * import { createCrmClient, createGuanxiRestAdapter } from 'guanxi/client';
 *
 * const crm = createCrmClient({ adapter: createGuanxiRestAdapter({ baseUrl: 'https://crm.example.com', auth: { token: process.env.CRM_KEY ?? '' } }) });
 * const contact = await crm.contacts.create({ email: 'ada@example.com', firstName: 'Ada' });
 * for await (const deal of crm.deals.iterate()) console.log(deal.name, deal.amount);
 * ```
 */
export function createCrmClient(options: CrmClientOptions): CrmClient {
  const { adapter, batchConcurrency } = resolveCrmClientOptions(options);
  const resource = <R, I>(type: Parameters<CrmAdapter['supports']>[0], record: z.ZodMiniObject, input: z.ZodMiniObject, noun: string, normalize?: (input: Record<string, unknown>) => Record<string, unknown>) =>
    new CrmRecordResource<R, I>(adapter, type, { record, input, patch: patchOf(input), noun, normalize }, batchConcurrency);
  return {
    adapter,
    contacts: resource<CrmContact, CrmContactInput>('contacts', CrmContact, CrmContactInput, 'contact'),
    companies: resource<CrmCompany, CrmCompanyInput>('companies', CrmCompany, CrmCompanyInput, 'company'),
    deals: resource<CrmDeal, CrmDealInput>('deals', CrmDeal, CrmDealInput, 'deal'),
    tickets: resource<CrmTicket, CrmTicketInput>('tickets', CrmTicket, CrmTicketInput, 'ticket'),
    activities: resource<CrmActivity, CrmActivityInput>('activities', CrmActivity, CrmActivityInput, 'activity', normalizeActivityInput),
    consentRecords: new CrmConsentRecords(adapter),
    events: new CrmEventIngestion(adapter),
    dataSubjectRequests: new CrmDataSubjectRequests(adapter),
  };
}
