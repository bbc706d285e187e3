/**
 * One deterministic pass over every customer-data function, used to compare runtimes.
 */
import {
  abcClasses,
  assignTreatments,
  engagementScore,
  healthScore,
  rfmInputOf,
  rfmScores,
  summarizeTransactions,
  valueClasses,
  type Transaction,
} from '../../../src/scoring/index';

export function scoreEverything(transactions: readonly Transaction[]) {
  const summaries = summarizeTransactions(transactions, { calibrationEnd: '1997-09-30', unit: 'week', channelCosts: {} });
  const rfm = rfmScores(summaries.map(rfmInputOf));
  const abc = abcClasses(summaries.map((s) => ({ customerId: s.customerId, value: s.revenue })));
  const classes = valueClasses(summaries.map((s) => ({ customerId: s.customerId, value: s.profit - 15, potential: s.holdoutRevenue })));
  const treatments = assignTreatments(summaries.map((s) => ({ customerId: s.customerId, value: s.revenue - 20, growth: s.holdoutRevenue / (s.revenue || 1) - 1 })));
  const byCustomer = new Map<string | number, Transaction[]>();
  for (const t of transactions) byCustomer.set(t.customerId, [...(byCustomer.get(t.customerId) ?? []), t]);
  const engagement = summaries.map((s) =>
    engagementScore((byCustomer.get(s.customerId) ?? []).map((t) => ({ type: t.amount > 30 ? 'big' : 'small', at: t.time })), '1998-06-30', { halfLifeDays: 45, weights: { big: 3, small: 1 } }),
  );
  const health = summaries.map((s, i) =>
    healthScore({ engagement: engagement[i]!, recency: s.recency, spend: s.meanRepeatValue }, {
      components: { engagement: { weight: 2, worst: 0, best: 5 }, recency: { weight: 1, worst: 39, best: 0 }, spend: { weight: 1, worst: 0, best: 100 } },
    }).score,
  );
  return { summaries, rfm, abc, classes, treatments, engagement, health };
}
