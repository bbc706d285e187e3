/**
 * Scores per customer for the dashboard: RFM scores and segment, ABC value tier, and —
 * once a purchase model is fitted — P(alive), expected purchases and lifetime value.
 *
 * Provisional: RFM and ABC are computed here until `guanxi/scoring` lands on main, then
 * this module calls the library.
 */
import type { CrmPurchase } from '../demo/crm';
import type { ModelSummary } from './src/views-model';

export interface CustomerScore {
  readonly userId: string;
  readonly orders: number;
  readonly revenue: number;
  readonly lastPurchase: string;
  readonly recency: number;
  readonly frequency: number;
  readonly monetary: number;
  readonly segment: string;
  readonly tier: string;
  readonly pAlive: number | null;
  readonly expectedPurchases: number | null;
  readonly clv: number | null;
}

export interface CustomerBaseScores {
  readonly byCustomer: ReadonlyMap<string, CustomerScore>;
  readonly model: ModelSummary | null;
  segmentOf(recency: number, frequency: number): string;
}

/** Segment ids of the 10-segment R/F map and their labels, most valuable first. */
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

// The 10-segment R/F map (REFERENCE.md §4): first digit R, second F.
function segmentOf(recency: number, frequency: number): string {
  if (recency <= 2) return frequency <= 2 ? 'hibernating' : frequency <= 4 ? 'at-risk' : 'cant-lose';
  if (recency === 3) return frequency <= 2 ? 'about-to-sleep' : frequency === 3 ? 'need-attention' : 'loyal';
  if (frequency === 1) return recency === 4 ? 'promising' : 'new';
  if (frequency <= 3) return 'potential-loyalist';
  return recency === 5 ? 'champions' : 'loyal';
}

/** Quintile scores with equal values sharing a score (the lowest rank of the tie). */
function quintiles(values: ReadonlyMap<string, number>): Map<string, number> {
  const sorted = [...values.values()].sort((a, b) => a - b);
  const scores = new Map<string, number>();
  for (const [id, value] of values) {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((sorted[mid] ?? 0) < value) low = mid + 1;
      else high = mid;
    }
    scores.set(id, Math.min(5, Math.floor((low / sorted.length) * 5) + 1));
  }
  return scores;
}

export function scoreCustomers(purchases: readonly CrmPurchase[], asOf: Date): CustomerBaseScores {
  const perCustomer = new Map<string, { orders: number; revenue: number; last: string; days: Set<string> }>();
  for (const purchase of purchases) {
    const entry = perCustomer.get(purchase.userId) ?? { orders: 0, revenue: 0, last: purchase.at, days: new Set<string>() };
    entry.orders += 1;
    entry.revenue += purchase.amount;
    if (purchase.at > entry.last) entry.last = purchase.at;
    entry.days.add(purchase.at.slice(0, 10));
    perCustomer.set(purchase.userId, entry);
  }
  const recencyDays = new Map([...perCustomer].map(([id, entry]) => [id, -(asOf.getTime() - Date.parse(entry.last)) / 86_400_000]));
  const frequency = new Map([...perCustomer].map(([id, entry]) => [id, entry.days.size]));
  const monetary = new Map([...perCustomer].map(([id, entry]) => [id, entry.revenue]));
  const r = quintiles(recencyDays);
  const f = quintiles(frequency);
  const m = quintiles(monetary);
  const ranked = [...perCustomer].sort((a, b) => b[1].revenue - a[1].revenue);
  const total = ranked.reduce((sum, [, entry]) => sum + entry.revenue, 0);
  const tiers = new Map<string, string>();
  let cumulative = 0;
  for (const [id, entry] of ranked) {
    const before = cumulative / total;
    cumulative += entry.revenue;
    tiers.set(id, before < 0.8 ? 'A' : before < 0.95 ? 'B' : 'C');
  }
  const byCustomer = new Map<string, CustomerScore>();
  for (const [id, entry] of perCustomer) {
    const recency = r.get(id) ?? 1;
    const freq = f.get(id) ?? 1;
    byCustomer.set(id, {
      userId: id,
      orders: entry.orders,
      revenue: Math.round(entry.revenue * 100) / 100,
      lastPurchase: entry.last,
      recency,
      frequency: freq,
      monetary: m.get(id) ?? 1,
      segment: segmentOf(recency, freq),
      tier: tiers.get(id) ?? 'C',
      pAlive: null,
      expectedPurchases: null,
      clv: null,
    });
  }
  return { byCustomer, model: null, segmentOf };
}
