/**
 * The JSON the dashboard page reads from the demo's dashboard endpoints
 * (`/dashboard/api/...`). The server side computes it from the CRM server's data with
 * guanxi's scoring functions; the page only draws it.
 */

export interface HistogramBin {
  readonly from: number;
  readonly to: number;
  readonly customers: number;
}

export interface RfmCell {
  /** Recency score 1–5 (5 = most recent). */
  readonly recency: number;
  /** Frequency score 1–5 (5 = most frequent). */
  readonly frequency: number;
  readonly customers: number;
  /** Mean revenue of the cell's customers. */
  readonly meanRevenue: number;
  /** The segment of the 10-segment R/F map that owns the cell (kebab-case id). */
  readonly segment: string;
  readonly segmentLabel: string;
}

export interface SegmentCount {
  readonly segment: string;
  readonly label: string;
  readonly customers: number;
  readonly revenue: number;
}

export interface ValueTierCount {
  readonly tier: string;
  readonly customers: number;
  readonly revenue: number;
}

export interface NpsSummary {
  /** −100 … 100, or `null` without answers. */
  readonly score: number | null;
  readonly promoters: number;
  readonly passives: number;
  readonly detractors: number;
  readonly responses: number;
  /** Answers per score 0–10. */
  readonly distribution: readonly number[];
}

export interface ConsentVerification {
  readonly valid: boolean;
  readonly records: number;
  /** Index of the first record that does not verify. */
  readonly brokenAt?: number;
  readonly reason?: string;
}

export interface ModelSummary {
  readonly name: string;
  readonly parameters: Readonly<Record<string, number>>;
  readonly logLikelihood: number;
  readonly customers: number;
  readonly timeUnit: string;
  /** CLV horizon in months and yearly discount rate. */
  readonly horizonMonths: number;
  readonly discountRate: number;
  /** Who fitted it: the CRM server, or the dashboard's read module when the server had no model. */
  readonly fittedBy: 'crm server' | 'dashboard';
}

export interface CustomerRow {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly tier: string;
  readonly segment: string;
  readonly segmentLabel: string;
  readonly rfm: string;
  readonly lifecycle: string;
  readonly orders: number;
  readonly revenue: number;
  readonly lastPurchase: string | null;
  readonly pAlive: number | null;
  readonly expectedPurchases: number | null;
  readonly clv: number | null;
  /** How the customer reached the CRM: `'seed'` (CDNOW or simulated history) or `'storefront'`. */
  readonly origin: string;
}

export interface TouchpointView {
  readonly id: string;
  readonly at: string;
  /** `purchase`, `inquiry`, `complaint`, `survey response`, `visit`, `identify`, … */
  readonly type: string;
  readonly channel: string;
  readonly title: string;
  readonly detail?: string;
  readonly amount?: number;
}

export interface IdentityView {
  readonly kind: string;
  readonly value: string;
}

export interface CustomerDetail {
  readonly customer: CustomerRow;
  readonly profile: Readonly<Record<string, string>>;
  readonly identities: readonly IdentityView[];
  readonly timeline: readonly TouchpointView[];
  readonly consent: readonly ConsentRecordView[];
}

export interface ConsentRecordView {
  readonly id: string;
  readonly at: string;
  readonly subject: string;
  readonly purposes: Readonly<Record<string, string>>;
  readonly source: string;
  readonly action: string;
  readonly hash: string;
}

export interface DashboardOverview {
  readonly asOf: string;
  /** Where the purchase histories came from: `'CDNOW'` or `'simulated'`. */
  readonly historySource: string;
  readonly customers: number;
  readonly orders: number;
  readonly revenue: number;
  /** Mean P(alive) over customers, 0–1. */
  readonly meanPAlive: number | null;
  readonly totalClv: number | null;
  readonly rfmGrid: readonly RfmCell[];
  readonly segments: readonly SegmentCount[];
  /** Customers per lifecycle stage (`active`, `at-risk`, `dormant`). */
  readonly lifecycle: readonly { readonly stage: string; readonly customers: number }[];
  readonly valueTiers: readonly ValueTierCount[];
  /** The Pareto curve: cumulative share of revenue (0–1) against share of customers, best first. */
  readonly paretoCurve: readonly (readonly [number, number])[];
  readonly clvHistogram: readonly HistogramBin[];
  readonly pAliveHistogram: readonly HistogramBin[];
  readonly model: ModelSummary | null;
  readonly nps: NpsSummary;
  readonly topCustomers: readonly CustomerRow[];
  readonly recentTouchpoints: readonly (TouchpointView & { customerId: string; customerName: string })[];
  readonly consent: ConsentVerification & { readonly byPurpose: Readonly<Record<string, Readonly<Record<string, number>>>> };
}

export interface CustomerList {
  readonly total: number;
  readonly customers: readonly CustomerRow[];
}

export interface ConsentLog {
  readonly verification: ConsentVerification;
  readonly records: readonly ConsentRecordView[];
}
