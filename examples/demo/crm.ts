/**
 * What the demo needs from a CRM, in one small interface: the shop backend and the
 * dashboard read through it, so they do not depend on how the CRM stores things.
 */
import type { ConsentRecordView, ConsentVerification, IdentityView, ModelSummary } from '../dashboard/src/views-model';
import type { SeedCustomer } from './seed';

export interface CrmCustomer {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  /** `'seed'` for the demo's seeded customers, `'storefront'` for those who signed up in the shop. */
  readonly origin: 'seed' | 'storefront';
  readonly identities: readonly IdentityView[];
  /** The merged profile's fields, for display. */
  readonly profile: Readonly<Record<string, string>>;
}

export interface CrmPurchase {
  readonly userId: string;
  readonly at: string;
  readonly amount: number;
  readonly orderId?: string;
}

export interface CrmTouchpoint {
  readonly id: string;
  readonly userId: string;
  readonly at: string;
  readonly type: string;
  readonly channel: string;
  readonly title: string;
  readonly detail?: string;
  readonly amount?: number;
  /** NPS answers carry their score. */
  readonly score?: number;
}

/** One customer's scores, as the CRM computes them with `guanxi/scoring`. */
export interface CrmCustomerScore {
  readonly userId: string;
  readonly orders: number;
  readonly revenue: number;
  readonly lastPurchase: string;
  /** RFM scores 1–5. */
  readonly recency: number;
  readonly frequency: number;
  readonly monetary: number;
  /** Segment id of the 10-segment R/F map, e.g. `'champions'`, `'cant-lose'`. */
  readonly segment: string;
  /** ABC value tier. */
  readonly tier: string;
  /** `active`, `at-risk` (overdue against the customer's own rhythm) or `dormant` (no purchase for a year). */
  readonly lifecycle: string;
  readonly pAlive: number | null;
  readonly expectedPurchases: number | null;
  readonly clv: number | null;
}

/** Everything the dashboard draws, read from the CRM at one moment. */
export interface CrmSnapshot {
  /** The day the scores are computed for, `YYYY-MM-DD`. */
  readonly asOf: string;
  readonly customers: readonly CrmCustomer[];
  /** Scores of every customer with purchases, by user id. */
  readonly scores: ReadonlyMap<string, CrmCustomerScore>;
  /** The purchase model behind P(alive) and CLV, when one was fitted. */
  readonly model: ModelSummary | null;
  readonly purchases: readonly CrmPurchase[];
  readonly touchpoints: readonly CrmTouchpoint[];
  readonly consentRecords: readonly ConsentRecordView[];
  readonly consentVerification: ConsentVerification;
}

export interface DemoCrm {
  /** Origin of the collector (`POST {origin}/v1/batch`). */
  readonly collectorOrigin: string;
  /** The storefront's write key. */
  readonly writeKey: string;
  /** Allows the storefront's origin to send events (CORS). */
  allowOrigin(origin: string): void;
  seed(customers: readonly SeedCustomer[]): Promise<void>;
  /** Files a consent proof record from the storefront (idempotent by the record's id). */
  recordConsent(record: ConsentProof): Promise<void>;
  findCustomerByEmail(email: string): Promise<CrmCustomer | undefined>;
  createCustomer(customer: { userId: string; email: string; name: string }): Promise<CrmCustomer>;
  /** Reads everything the dashboard draws, scored as of the later of `asOfFloor` and today. */
  snapshot(asOfFloor: string): Promise<CrmSnapshot>;
  close(): Promise<void>;
}

/** A consent proof record as the storefront sends it to the shop backend. */
export interface ConsentProof {
  readonly id: string;
  readonly subject: { readonly userId?: string; readonly anonymousId?: string };
  readonly purposes: Readonly<Record<string, string>>;
  /** Contact preferences per channel (`email`, `sms`, …), when the change touched them. */
  readonly channels?: Readonly<Record<string, string>>;
  readonly source: string;
  readonly action?: string;
  readonly notice?: { readonly version: string; readonly sha256?: string; readonly language?: string; readonly url?: string };
  readonly jurisdiction?: string;
  readonly occurredAt: string;
  readonly libraryVersion?: string;
}
