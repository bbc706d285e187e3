/**
 * What the demo needs from a CRM, in one small interface: the shop backend and the
 * dashboard read through it, so they do not depend on how the CRM stores things.
 */
import type { ConsentRecordView, ConsentVerification, IdentityView } from '../dashboard/src/views-model';
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

/** Everything the dashboard draws, read from the CRM at one moment. */
export interface CrmSnapshot {
  readonly customers: readonly CrmCustomer[];
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
  findCustomerByEmail(email: string): Promise<CrmCustomer | undefined>;
  createCustomer(customer: { userId: string; email: string; name: string }): Promise<CrmCustomer>;
  snapshot(): Promise<CrmSnapshot>;
  close(): Promise<void>;
}
