/**
 * The demo's CRM: the reference CRM server (`examples/crm-server/`), reached over its
 * REST API (docs/openapi.yaml) with the backend's API key. Seeds the demo customers,
 * finds or creates customers at log-in, files consent proof records, and reads
 * everything the dashboard draws.
 */
import type { ConsentRecordView } from '../dashboard/src/views-model';
import type { ModelSummary } from '../dashboard/src/views-model';
import type { CrmCustomer, CrmCustomerScore, CrmPurchase, CrmSnapshot, CrmTouchpoint, DemoCrm } from './crm';
import type { SeedCustomer } from './seed';

interface ApiRecord {
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly createdAt: string;
  readonly mergedIds?: readonly string[];
}

interface Page<T> {
  readonly results: readonly T[];
  readonly paging?: { readonly next?: { readonly after: string } };
}

/** The CRM API over fetch: JSON in and out, 429 and 503 waited out (bounded). */
export function crmApi(baseUrl: string, apiKey: string) {
  async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${apiKey}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if ((response.status === 429 || response.status === 503) && attempt < 5) {
        const wait = Math.min(10, Number(response.headers.get('retry-after') ?? 1) || 1);
        await response.body?.cancel();
        await new Promise((resolve) => setTimeout(resolve, wait * 1000));
        continue;
      }
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text.slice(0, 500)}`);
      return (text ? JSON.parse(text) : undefined) as T;
    }
  }
  /** Every item of a list, following `paging.next.after` (bounded by `max`). */
  async function all<T>(path: string, max = 100_000): Promise<T[]> {
    const items: T[] = [];
    let after: string | undefined;
    const separator = path.includes('?') ? '&' : '?';
    do {
      const page = await call<Page<T>>('GET', `${path}${separator}limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`);
      items.push(...page.results);
      after = page.paging?.next?.after;
    } while (after && items.length < max);
    return items;
  }
  return { call, all };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) result.push(items.slice(index, index + size));
  return result;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A contact as the demo shows it. */
export function customerOf(record: ApiRecord): CrmCustomer {
  const p = record.properties;
  const identities = (p.identities ?? {}) as { userId?: string; anonymousIds?: string[] };
  const emails = ((p.emails ?? []) as { address?: string }[]).flatMap((email) => (email.address ? [email.address] : []));
  const name = text(p.fullName) ?? [text(p.givenName), text(p.familyName)].filter(Boolean).join(' ');
  const tags = (p.tags ?? []) as string[];
  const profile: Record<string, string> = {};
  if (name) profile.name = name;
  if (emails.length > 0) profile.email = emails.join(', ');
  for (const field of ['language', 'locale', 'lifecycleStage', 'source']) if (text(p[field])) profile[field] = String(p[field]);
  if (tags.length > 0) profile.tags = tags.join(', ');
  profile['contact id'] = record.id;
  profile['first seen'] = record.createdAt.slice(0, 10);
  if (record.mergedIds && record.mergedIds.length > 0) profile['merged from'] = record.mergedIds.join(', ');
  return {
    userId: identities.userId ?? record.id,
    email: emails[0] ?? '',
    name,
    origin: tags.includes('demo-seed') ? 'seed' : 'storefront',
    identities: [
      ...(identities.userId ? [{ kind: 'user id', value: identities.userId }] : []),
      ...emails.map((email) => ({ kind: 'email', value: email })),
      ...(identities.anonymousIds ?? []).map((id) => ({ kind: 'anonymous id', value: id })),
      { kind: 'contact id', value: record.id },
      ...(record.mergedIds ?? []).map((id) => ({ kind: 'merged contact', value: id })),
    ],
    profile,
  };
}

/** The CRM API's score of one contact (docs/openapi.yaml, `CustomerScore`). */
interface ApiScore {
  readonly contactId: string;
  readonly purchases: { readonly count: number; readonly lastAt: string; readonly revenue: number };
  readonly rfm: { readonly recency: number; readonly frequency: number; readonly monetary: number; readonly segment: string };
  readonly valueTier: string;
  readonly lifecycle: string;
  readonly pAlive: number | null;
  readonly expectedPurchases: number | null;
  readonly clv: number | null;
}

interface ApiOverview {
  readonly model: { readonly name: string; readonly parameters: Record<string, number>; readonly logLikelihood: number; readonly customers?: number } | null;
}

const typeTitles: Readonly<Record<string, string>> = {
  purchase: 'Purchase',
  inquiry: 'Question',
  complaint: 'Complaint',
  suggestion: 'Suggestion',
  'survey-response': 'Survey answer',
  visit: 'Visit',
};

export interface ServerCrmOptions {
  readonly url: string;
  readonly apiKey: string;
  readonly writeKey: string;
  readonly log?: (message: string) => void;
}

export function serverCrm(options: ServerCrmOptions): DemoCrm & { readonly api: ReturnType<typeof crmApi> } {
  const api = crmApi(options.url, options.apiKey);
  const log = options.log ?? (() => undefined);

  return {
    api,
    collectorOrigin: options.url,
    writeKey: options.writeKey,
    allowOrigin: () => undefined,

    async seed(customers: readonly SeedCustomer[]) {
      let done = 0;
      const contactIds = new Map<string, string>();
      for (const batch of chunks(customers, 100)) {
        const response = await api.call<{ results: { index: number; status: string; id?: string; error?: { message: string } }[] }>('POST', '/v1/contacts/batch/upsert', {
          inputs: batch.map((customer) => ({
            id: customer.userId,
            idProperty: 'userId',
            properties: {
              givenName: customer.firstName,
              familyName: customer.lastName,
              fullName: `${customer.firstName} ${customer.lastName}`,
              emails: [{ address: customer.email }],
              identities: { userId: customer.userId },
              tags: ['demo-seed'],
              source: 'demo seed',
            },
          })),
        });
        for (const result of response.results) {
          const customer = batch[result.index];
          if (customer && result.id) contactIds.set(customer.userId, result.id);
          else if (result.error) throw new Error(`seeding ${customer?.userId}: ${result.error.message}`);
        }
        done += batch.length;
        log(`  contacts ${done}/${customers.length}`);
      }
      const purchases = customers.flatMap((customer) =>
        customer.purchases.map((purchase, index) => ({
          id: `seed-${customer.userId}-${index}`,
          properties: {
            type: 'purchase',
            channel: 'web',
            direction: 'inbound',
            occurredAt: purchase.at,
            amount: purchase.amount,
            currency: 'USD',
            subject: `${purchase.quantity} album${purchase.quantity === 1 ? '' : 's'}`,
            contactId: contactIds.get(customer.userId),
          },
        })),
      );
      done = 0;
      for (const batch of chunks(purchases, 100)) {
        const response = await api.call<{ numErrors: number; results: { error?: { message: string } }[] }>('POST', '/v1/activities/batch/upsert', { inputs: batch });
        if (response.numErrors > 0) throw new Error(`seeding purchases: ${response.results.find((result) => result.error)?.error?.message}`);
        done += batch.length;
        if (done % 1000 < 100 || done === purchases.length) log(`  purchases ${done}/${purchases.length}`);
      }
    },

    async recordConsent(proof) {
      await api.call(
        'POST',
        '/v1/consent-records',
        {
          subject: proof.subject,
          purposes: proof.purposes,
          ...(proof.channels ? { channels: proof.channels } : {}),
          source: proof.source,
          ...(proof.action ? { action: proof.action } : {}),
          ...(proof.notice ? { notice: proof.notice } : {}),
          ...(proof.jurisdiction ? { jurisdiction: proof.jurisdiction } : {}),
          occurredAt: proof.occurredAt,
          ...(proof.libraryVersion ? { libraryVersion: proof.libraryVersion } : {}),
        },
        // The storefront's record id: a resent record is filed once.
        { 'idempotency-key': `consent-${proof.id}` },
      );
    },

    async findCustomerByEmail(email) {
      const page = await api.call<Page<ApiRecord>>('POST', '/v1/contacts/search', { filter: { property: 'emails.address', op: 'eq', value: email }, limit: 1 });
      const record = page.results[0];
      return record ? customerOf(record) : undefined;
    },

    async createCustomer({ userId, email, name }) {
      const [givenName, ...rest] = name.split(/\s+/).filter(Boolean);
      const record = await api.call<ApiRecord>(
        'POST',
        '/v1/contacts',
        {
          properties: {
            ...(givenName ? { givenName, fullName: name } : {}),
            ...(rest.length > 0 ? { familyName: rest.join(' ') } : {}),
            emails: [{ address: email }],
            identities: { userId },
            source: 'storefront sign-up',
          },
        },
        { 'idempotency-key': `sign-up-${userId}` },
      );
      return customerOf(record);
    },

    async snapshot(asOfFloor: string): Promise<CrmSnapshot> {
      const today = new Date().toISOString().slice(0, 10);
      const asOf = asOfFloor > today ? asOfFloor : today;
      const [contacts, activities, consentRecords, verification, apiScores, overview] = await Promise.all([
        api.all<ApiRecord>('/v1/contacts'),
        api.all<ApiRecord>('/v1/activities'),
        api.all<Record<string, unknown>>('/v1/consent-records'),
        api.call<{ valid: boolean; records: number; firstInvalid?: { sequence: number; reason: string } }>('GET', '/v1/consent-records/verify'),
        api.all<ApiScore>(`/v1/scores?asOf=${asOf}`),
        api.call<ApiOverview>('GET', `/v1/scores/overview?asOf=${asOf}`),
      ]);
      const customers = contacts.map(customerOf);
      const userIdOfContact = new Map(contacts.map((record, index) => [record.id, customers[index]?.userId ?? record.id]));
      for (const record of contacts) for (const merged of record.mergedIds ?? []) userIdOfContact.set(merged, userIdOfContact.get(record.id) ?? record.id);
      const purchases: CrmPurchase[] = [];
      const touchpoints: CrmTouchpoint[] = [];
      for (const activity of activities) {
        const p = activity.properties;
        const contactId = text(p.contactId);
        if (!contactId) continue;
        const userId = userIdOfContact.get(contactId) ?? contactId;
        const type = String(p.type ?? 'note');
        const at = String(p.occurredAt ?? activity.createdAt);
        const amount = typeof p.amount === 'number' ? p.amount : undefined;
        const nested = (p.properties ?? {}) as { score?: unknown };
        const score = typeof nested.score === 'number' ? nested.score : typeof p.score === 'number' ? p.score : undefined;
        if (type === 'purchase' && amount !== undefined) purchases.push({ userId, at, amount });
        touchpoints.push({
          id: activity.id,
          userId,
          at,
          type,
          channel: String(p.channel ?? 'web'),
          title: text(p.subject) ?? typeTitles[type] ?? type,
          detail: score !== undefined ? `Score ${score}${text(p.content) ? ` — ${String(p.content)}` : ''}` : text(p.content),
          amount,
          score,
        });
      }
      const records: ConsentRecordView[] = consentRecords.map((record) => {
        const subject = (record.subject ?? {}) as { userId?: string; anonymousId?: string; contactId?: string };
        return {
          id: String(record.id),
          at: String(record.occurredAt ?? record.recordedAt),
          subject: [subject.userId, subject.anonymousId, subject.contactId].filter(Boolean).join(' / '),
          purposes: (record.purposes ?? {}) as Record<string, string>,
          source: String(record.source ?? ''),
          action: String(record.action ?? ''),
          hash: String(record.hash ?? ''),
        };
      });
      const scores = new Map<string, CrmCustomerScore>();
      for (const score of apiScores) {
        const userId = userIdOfContact.get(score.contactId) ?? score.contactId;
        scores.set(userId, {
          userId,
          orders: score.purchases.count,
          revenue: Math.round(score.purchases.revenue * 100) / 100,
          lastPurchase: score.purchases.lastAt,
          recency: score.rfm.recency,
          frequency: score.rfm.frequency,
          monetary: score.rfm.monetary,
          segment: score.rfm.segment,
          tier: score.valueTier,
          lifecycle: score.lifecycle,
          pAlive: score.pAlive,
          expectedPurchases: score.expectedPurchases,
          clv: score.clv,
        });
      }
      const model: ModelSummary | null = overview.model
        ? {
            name: overview.model.name,
            parameters: overview.model.parameters,
            logLikelihood: overview.model.logLikelihood,
            customers: overview.model.customers ?? apiScores.length,
            timeUnit: 'day',
            horizonMonths: 12,
            discountRate: 0.1,
            fittedBy: 'crm server',
          }
        : null;
      return {
        asOf,
        scores,
        model,
        customers,
        purchases,
        touchpoints,
        consentRecords: records,
        consentVerification: {
          valid: verification.valid,
          records: verification.records,
          ...(verification.firstInvalid ? { brokenAt: verification.firstInvalid.sequence, reason: verification.firstInvalid.reason } : {}),
        },
      };
    },

    close: async () => undefined,
  };
}
