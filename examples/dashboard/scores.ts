/**
 * Scores per customer for the dashboard: RFM scores and segment, ABC value tier, and —
 * once a purchase model is fitted — P(alive), expected purchases and lifetime value.
 *
 * RFM comes from `guanxi/scoring`; the ABC tiers and the model are provisional here
 * until the reference CRM server's scores endpoints are wired in.
 */
import { rfmScores } from 'guanxi/scoring';
import type { CrmCustomerScore, CrmPurchase } from '../demo/crm';

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

/** RFM scores, segment and ABC tier of every customer with purchases (no purchase model). */
export function scoreCustomers(purchases: readonly CrmPurchase[], asOf: Date): Map<string, CrmCustomerScore> {
  const perCustomer = new Map<string, { orders: number; revenue: number; last: string; days: Set<string> }>();
  for (const purchase of purchases) {
    const entry = perCustomer.get(purchase.userId) ?? { orders: 0, revenue: 0, last: purchase.at, days: new Set<string>() };
    entry.orders += 1;
    entry.revenue += purchase.amount;
    if (purchase.at > entry.last) entry.last = purchase.at;
    entry.days.add(purchase.at.slice(0, 10));
    perCustomer.set(purchase.userId, entry);
  }
  const rfm = new Map(
    rfmScores(
      [...perCustomer].map(([id, entry]) => ({
        customerId: id,
        recency: (asOf.getTime() - Date.parse(entry.last)) / 86_400_000,
        frequency: entry.days.size,
        monetary: entry.revenue,
      })),
    ).map((score) => [String(score.customerId), score]),
  );
  const ranked = [...perCustomer].sort((a, b) => b[1].revenue - a[1].revenue);
  const total = ranked.reduce((sum, [, entry]) => sum + entry.revenue, 0);
  const tiers = new Map<string, string>();
  let cumulative = 0;
  for (const [id, entry] of ranked) {
    const before = cumulative / total;
    cumulative += entry.revenue;
    tiers.set(id, before < 0.8 ? 'A' : before < 0.95 ? 'B' : 'C');
  }
  const byCustomer = new Map<string, CrmCustomerScore>();
  for (const [id, entry] of perCustomer) {
    const score = rfm.get(id);
    const recency = score?.recency ?? 1;
    const freq = score?.frequency ?? 1;
    byCustomer.set(id, {
      userId: id,
      orders: entry.orders,
      revenue: Math.round(entry.revenue * 100) / 100,
      lastPurchase: entry.last,
      recency,
      frequency: freq,
      monetary: score?.monetary ?? 1,
      segment: score?.segment ?? 'hibernating',
      tier: tiers.get(id) ?? 'C',
      lifecycle: (asOf.getTime() - Date.parse(entry.last)) / 86_400_000 > 365 ? 'dormant' : 'active',
      pAlive: null,
      expectedPurchases: null,
      clv: null,
    });
  }
  return byCustomer;
}
