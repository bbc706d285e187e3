/**
 * The dashboard's read side: from a snapshot of the CRM, the views the dashboard draws.
 * Scores per customer come from `scoreCustomers()` (guanxi's scoring functions); the
 * rest of this module only groups, counts and sorts.
 */
import { rfmSegmentOf } from 'guanxi/scoring';
import type { CrmCustomer, CrmCustomerScore, CrmSnapshot } from '../demo/crm';
import { fitPurchaseModel } from './purchase-model';
import type {
  ConsentLog,
  CustomerDetail,
  CustomerList,
  CustomerRow,
  DashboardOverview,
  HistogramBin,
  ModelSummary,
  NpsSummary,
  RfmCell,
  SegmentCount,
  TouchpointView,
  ValueTierCount,
} from './src/views-model';

/** Segment ids of the 10-segment R/F map (guanxi/scoring's standard map) and their labels, most valuable first. */
export const segmentLabels: Readonly<Record<string, string>> = {
  champions: 'Champions',
  loyal: 'Loyal',
  'potential-loyalist': 'Potential loyalists',
  new: 'New customers',
  promising: 'Promising',
  'need-attention': 'Need attention',
  'about-to-sleep': 'About to sleep',
  'at-risk': 'At risk',
  'cant-lose': "Can't lose them",
  hibernating: 'Hibernating',
};

export interface CustomerBaseView {
  readonly overview: DashboardOverview;
  customers(query: { q?: string; limit?: number }): CustomerList;
  customer(userId: string): CustomerDetail | undefined;
  consentLog(): ConsentLog;
  /** A few seeded customers from different segments, for the storefront's login page. */
  demoCustomers(): { email: string; name: string; segmentLabel: string }[];
}

function bins(values: readonly number[], edges: readonly number[]): HistogramBin[] {
  const result = edges.slice(0, -1).map((from, index) => ({ from, to: edges[index + 1] ?? from, customers: 0 }));
  for (const value of values) {
    let index = result.findIndex((bin) => value >= bin.from && value < bin.to);
    if (index === -1) index = value < (edges[0] ?? 0) ? 0 : result.length - 1;
    const bin = result[index];
    if (bin) bin.customers += 1;
  }
  return result;
}

/** Bin edges for CLV: round steps up to the 95th percentile, the tail in the last bin. */
function clvEdges(values: readonly number[], count = 12): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? 1;
  const rawStep = Math.max(1, p95 / count);
  const magnitude = 10 ** Math.floor(Math.log10(rawStep));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rawStep) ?? rawStep;
  return Array.from({ length: count + 1 }, (_, index) => index * step).concat(Number.POSITIVE_INFINITY);
}

function npsSummary(scores: readonly number[]): NpsSummary {
  const distribution = Array.from({ length: 11 }, () => 0);
  for (const score of scores) if (score >= 0 && score <= 10) distribution[Math.round(score)]! += 1;
  const promoters = (distribution[9] ?? 0) + (distribution[10] ?? 0);
  const passives = (distribution[7] ?? 0) + (distribution[8] ?? 0);
  const responses = scores.length;
  const detractors = responses - promoters - passives;
  // NPS = % promoters (9–10) − % detractors (0–6) (Reichheld 2003).
  return { score: responses === 0 ? null : ((promoters - detractors) / responses) * 100, promoters, passives, detractors, responses, distribution };
}

function row(customer: CrmCustomer, score: CrmCustomerScore | undefined): CustomerRow {
  return {
    id: customer.userId,
    name: customer.name,
    email: customer.email,
    tier: score?.tier ?? 'C',
    segment: score?.segment ?? 'new',
    segmentLabel: segmentLabels[score?.segment ?? 'new'] ?? score?.segment ?? 'New',
    rfm: score ? `${score.recency}${score.frequency}${score.monetary}` : '–',
    lifecycle: score?.lifecycle ?? 'prospect',
    orders: score?.orders ?? 0,
    revenue: score?.revenue ?? 0,
    lastPurchase: score?.lastPurchase ?? null,
    pAlive: score?.pAlive ?? null,
    expectedPurchases: score?.expectedPurchases ?? null,
    clv: score?.clv ?? null,
    origin: customer.origin,
  };
}

function byClv(a: CustomerRow, b: CustomerRow): number {
  return (b.clv ?? b.revenue) - (a.clv ?? a.revenue) || b.revenue - a.revenue || a.id.localeCompare(b.id);
}

/**
 * The CRM's scores, completed with P(alive), expected purchases and CLV from the
 * dashboard's own BG/NBD and Gamma-Gamma fit when the CRM sent no model.
 */
function withPurchaseModel(snapshot: CrmSnapshot): { byCustomer: ReadonlyMap<string, CrmCustomerScore>; model: ModelSummary | null } {
  if (snapshot.model) return { byCustomer: snapshot.scores, model: snapshot.model };
  const fitted = fitPurchaseModel(snapshot.purchases, snapshot.asOf);
  if (!fitted) return { byCustomer: snapshot.scores, model: null };
  const byCustomer = new Map<string, CrmCustomerScore>();
  for (const [userId, score] of snapshot.scores) {
    const modelled = fitted.byCustomer.get(userId);
    byCustomer.set(userId, modelled && score.pAlive === null ? { ...score, ...modelled } : score);
  }
  return { byCustomer, model: fitted.model };
}

/** Builds every dashboard view from one snapshot of the CRM. */
export function customerBaseView(snapshot: CrmSnapshot, historySource: string): CustomerBaseView {
  const scores = withPurchaseModel(snapshot);
  const segmentOf = (recency: number, frequency: number) => rfmSegmentOf({ recency, frequency, monetary: 1 }) ?? 'hibernating';
  const customersById = new Map(snapshot.customers.map((customer) => [customer.userId, customer]));
  const rows = snapshot.customers.map((customer) => row(customer, scores.byCustomer.get(customer.userId)));
  const buyers = rows.filter((candidate) => candidate.orders > 0);
  const sortedRows = [...rows].sort(byClv);

  const rfmGrid: RfmCell[] = [];
  for (let recency = 1; recency <= 5; recency++) {
    for (let frequency = 1; frequency <= 5; frequency++) {
      const inCell = [...scores.byCustomer.values()].filter((score) => score.recency === recency && score.frequency === frequency);
      const segment = segmentOf(recency, frequency);
      rfmGrid.push({
        recency,
        frequency,
        customers: inCell.length,
        meanRevenue: inCell.length === 0 ? 0 : inCell.reduce((sum, score) => sum + score.revenue, 0) / inCell.length,
        segment,
        segmentLabel: segmentLabels[segment] ?? segment,
      });
    }
  }

  const segmentOrder = Object.keys(segmentLabels);
  const segments: SegmentCount[] = segmentOrder
    .map((segment) => {
      const members = buyers.filter((candidate) => candidate.segment === segment);
      return { segment, label: segmentLabels[segment] ?? segment, customers: members.length, revenue: members.reduce((sum, member) => sum + member.revenue, 0) };
    })
    .filter((segment) => segment.customers > 0);

  const lifecycle = ['active', 'at-risk', 'dormant'].map((stage) => ({ stage, customers: buyers.filter((buyer) => buyer.lifecycle === stage).length }));

  const valueTiers: ValueTierCount[] = ['A', 'B', 'C'].map((tier) => {
    const members = buyers.filter((candidate) => candidate.tier === tier);
    return { tier, customers: members.length, revenue: members.reduce((sum, member) => sum + member.revenue, 0) };
  });

  const revenues = buyers.map((buyer) => buyer.revenue).sort((a, b) => b - a);
  const totalRevenue = revenues.reduce((sum, value) => sum + value, 0);
  const paretoCurve: [number, number][] = [];
  let cumulative = 0;
  const step = Math.max(1, Math.floor(revenues.length / 100));
  revenues.forEach((value, index) => {
    cumulative += value;
    if (index % step === 0 || index === revenues.length - 1) paretoCurve.push([(index + 1) / revenues.length, totalRevenue === 0 ? 0 : cumulative / totalRevenue]);
  });

  const clvs = buyers.flatMap((buyer) => (buyer.clv === null ? [] : [buyer.clv]));
  const pAlives = buyers.flatMap((buyer) => (buyer.pAlive === null ? [] : [buyer.pAlive]));
  const npsAnswers = snapshot.touchpoints.flatMap((touchpoint) => ((touchpoint.type === 'survey-response' || touchpoint.type === 'survey response') && touchpoint.score !== undefined ? [touchpoint.score] : []));

  const timelines = new Map<string, TouchpointView[]>();
  for (const touchpoint of snapshot.touchpoints) {
    const list = timelines.get(touchpoint.userId) ?? [];
    list.push({ id: touchpoint.id, at: touchpoint.at, type: touchpoint.type, channel: touchpoint.channel, title: touchpoint.title, detail: touchpoint.detail, amount: touchpoint.amount });
    timelines.set(touchpoint.userId, list);
  }
  for (const list of timelines.values()) list.sort((a, b) => a.at.localeCompare(b.at));

  const recentTouchpoints = [...snapshot.touchpoints]
    .filter((touchpoint) => touchpoint.type !== 'purchase' || touchpoint.id.startsWith('event:'))
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, 12)
    .map((touchpoint) => ({
      id: touchpoint.id,
      at: touchpoint.at,
      type: touchpoint.type,
      channel: touchpoint.channel,
      title: touchpoint.title,
      detail: touchpoint.detail,
      amount: touchpoint.amount,
      customerId: touchpoint.userId,
      customerName: customersById.get(touchpoint.userId)?.name ?? touchpoint.userId,
    }));

  const byPurpose: Record<string, Record<string, number>> = {};
  const latestPerSubject = new Map<string, Readonly<Record<string, string>>>();
  for (const record of snapshot.consentRecords) latestPerSubject.set(record.subject, { ...latestPerSubject.get(record.subject), ...record.purposes });
  for (const purposes of latestPerSubject.values()) {
    for (const [purpose, state] of Object.entries(purposes)) {
      const counts = (byPurpose[purpose] ??= {});
      counts[state] = (counts[state] ?? 0) + 1;
    }
  }

  const overview: DashboardOverview = {
    asOf: snapshot.asOf,
    historySource,
    customers: snapshot.customers.length,
    orders: snapshot.purchases.length,
    revenue: Math.round(totalRevenue * 100) / 100,
    meanPAlive: pAlives.length === 0 ? null : pAlives.reduce((sum, value) => sum + value, 0) / pAlives.length,
    totalClv: clvs.length === 0 ? null : clvs.reduce((sum, value) => sum + value, 0),
    rfmGrid,
    segments,
    lifecycle,
    valueTiers,
    paretoCurve,
    clvHistogram: bins(clvs, clvEdges(clvs)),
    pAliveHistogram: bins(pAlives, Array.from({ length: 11 }, (_, index) => index / 10).map((edge, index) => (index === 10 ? 1.000001 : edge))),
    model: scores.model,
    nps: npsSummary(npsAnswers),
    topCustomers: sortedRows.slice(0, 10),
    recentTouchpoints,
    consent: { ...snapshot.consentVerification, byPurpose },
  };

  return {
    overview,
    customers({ q = '', limit = 100 }) {
      const needle = q.trim().toLowerCase();
      const matching = needle === '' ? sortedRows : sortedRows.filter((candidate) => `${candidate.name} ${candidate.email} ${candidate.id}`.toLowerCase().includes(needle));
      return { total: matching.length, customers: matching.slice(0, Math.max(1, Math.min(500, limit))) };
    },
    customer(userId) {
      const customer = customersById.get(userId);
      if (!customer) return undefined;
      return {
        customer: row(customer, scores.byCustomer.get(userId)),
        profile: customer.profile,
        identities: customer.identities,
        timeline: timelines.get(userId) ?? [],
        consent: snapshot.consentRecords.filter((record) => customer.identities.some((identity) => record.subject.includes(identity.value))),
      };
    },
    consentLog() {
      return { verification: snapshot.consentVerification, records: snapshot.consentRecords };
    },
    demoCustomers() {
      const wanted = ['champions', 'loyal', 'at-risk', 'cant-lose', 'hibernating', 'new'];
      return wanted.flatMap((segment) => {
        const pick = sortedRows.find((candidate) => candidate.origin === 'seed' && candidate.segment === segment);
        return pick ? [{ email: pick.email, name: pick.name, segmentLabel: `${pick.segmentLabel}, tier ${pick.tier}` }] : [];
      });
    },
  };
}
