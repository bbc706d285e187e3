/**
 * The server's one integration point with `guanxi/scoring`: from the purchase
 * activities of every contact to per-customer scores (transaction summary, RFM scores and
 * segment, value tier, lifecycle) and the aggregates a dashboard draws.
 */

/** One purchase: whose, when, how much. */
export interface Purchase {
  readonly contactId: string;
  readonly occurredAt: string;
  readonly amount: number;
}

export interface CustomerScore {
  readonly contactId: string;
  readonly asOf: string;
  readonly purchases: {
    readonly count: number;
    readonly frequency: number;
    readonly recency: number;
    readonly age: number;
    readonly firstAt: string;
    readonly lastAt: string;
    readonly revenue: number;
    readonly meanRepeatValue: number | null;
  };
  readonly rfm: { readonly recency: number; readonly frequency: number; readonly monetary: number; readonly segment: string };
  readonly valueTier: 'A' | 'B' | 'C';
  readonly loyaltyTier: string | null;
  readonly lifecycle: 'active' | 'at-risk' | 'dormant';
  readonly pAlive: number | null;
  readonly expectedPurchases: number | null;
  readonly clv: number | null;
}

export interface ScoresOverview {
  readonly asOf: string;
  readonly customers: number;
  readonly segments: readonly { segment: string; customers: number; revenue: number }[];
  readonly rfmGrid: readonly { recency: number; frequency: number; customers: number; meanMonetary: number }[];
  readonly valueTiers: readonly { tier: string; customers: number; revenue: number }[];
  readonly clvHistogram: readonly { from: number; to: number; customers: number }[];
  readonly model: { name: string; parameters: Record<string, number>; logLikelihood: number } | null;
}

const dayMs = 86_400_000;

/** The 10-segment R/F map over all 25 cells (recency score → frequency score → segment). */
function rfSegment(r: number, f: number): string {
  if (r <= 2) return f <= 2 ? 'hibernating' : f <= 4 ? 'at-risk' : 'cannot-lose';
  if (r === 3) return f <= 2 ? 'about-to-sleep' : f === 3 ? 'need-attention' : 'loyal';
  if (r === 4) return f === 1 ? 'promising' : f <= 3 ? 'potential-loyalist' : 'loyal';
  return f === 1 ? 'new-customers' : f <= 3 ? 'potential-loyalist' : 'champions';
}

/** Quintile scores 1–5; equal values get equal scores (the rank of the first of them). */
function quintiles(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const scores = new Array<number>(values.length).fill(1);
  let firstRank = 0;
  for (let rank = 0; rank < order.length; rank++) {
    const entry = order[rank];
    if (!entry) continue;
    if (rank > 0 && entry.value !== order[rank - 1]?.value) firstRank = rank;
    scores[entry.index] = 1 + Math.floor((5 * firstRank) / order.length);
  }
  return scores;
}

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Scores every customer with at least one purchase before `asOf` (end of that UTC day). */
export function scoreCustomers(purchases: Iterable<Purchase>, asOf: string): CustomerScore[] {
  const asOfMs = Date.parse(`${asOf}T00:00:00.000Z`) + dayMs;
  const byContact = new Map<string, { day: number; amount: number }[]>();
  for (const purchase of purchases) {
    const time = Date.parse(purchase.occurredAt);
    if (!Number.isFinite(time) || time >= asOfMs) continue;
    const list = byContact.get(purchase.contactId) ?? [];
    list.push({ day: Math.floor(time / dayMs), amount: purchase.amount });
    byContact.set(purchase.contactId, list);
  }
  const asOfDay = Math.floor(asOfMs / dayMs);
  const rows = [...byContact.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([contactId, list]) => {
      list.sort((a, b) => a.day - b.day);
      // Purchases on one day count once (Fader, Hardie & Lee 2005, §2): x counts repeat purchase days.
      const days = [...new Set(list.map((entry) => entry.day))];
      const first = days[0] ?? 0;
      const last = days[days.length - 1] ?? 0;
      const revenue = list.reduce((sum, entry) => sum + entry.amount, 0);
      const repeat = list.filter((entry) => entry.day !== first);
      const gaps = days.slice(1).map((day, index) => day - (days[index] ?? day));
      return {
        contactId,
        count: list.length,
        frequency: days.length - 1,
        recency: last - first,
        age: asOfDay - first,
        sinceLast: asOfDay - last,
        firstAt: new Date(first * dayMs).toISOString(),
        lastAt: new Date(last * dayMs).toISOString(),
        revenue,
        meanRepeatValue: repeat.length > 0 ? repeat.reduce((sum, entry) => sum + entry.amount, 0) / repeat.length : null,
        medianGap: median(gaps),
      };
    });
  const r = quintiles(rows.map((row) => -row.sinceLast));
  const f = quintiles(rows.map((row) => row.count));
  const m = quintiles(rows.map((row) => row.revenue));
  const total = rows.reduce((sum, row) => sum + Math.max(0, row.revenue), 0);
  const tiers = new Map<string, 'A' | 'B' | 'C'>();
  let cumulative = 0;
  for (const row of [...rows].sort((a, b) => b.revenue - a.revenue || (a.contactId < b.contactId ? -1 : 1))) {
    const before = total === 0 ? 1 : cumulative / total;
    tiers.set(row.contactId, before < 0.8 ? 'A' : before < 0.95 ? 'B' : 'C');
    cumulative += Math.max(0, row.revenue);
  }
  return rows.map((row, index) => {
    const valueTier = tiers.get(row.contactId) ?? 'C';
    const lifecycle = row.sinceLast > 365 ? 'dormant' : row.medianGap !== undefined && row.sinceLast > 2 * row.medianGap ? 'at-risk' : 'active';
    return {
      contactId: row.contactId,
      asOf,
      purchases: { count: row.count, frequency: row.frequency, recency: row.recency, age: row.age, firstAt: row.firstAt, lastAt: row.lastAt, revenue: row.revenue, meanRepeatValue: row.meanRepeatValue },
      rfm: { recency: r[index] ?? 1, frequency: f[index] ?? 1, monetary: m[index] ?? 1, segment: rfSegment(r[index] ?? 1, f[index] ?? 1) },
      valueTier,
      loyaltyTier: valueTier === 'A' ? 'gold' : valueTier === 'B' ? 'silver' : 'bronze',
      lifecycle,
      pAlive: null,
      expectedPurchases: null,
      clv: null,
    };
  });
}

/** Aggregates for dashboards. */
export function summarizeScores(scores: readonly CustomerScore[], asOf: string): ScoresOverview {
  const segments = new Map<string, { customers: number; revenue: number }>();
  const grid = new Map<string, { recency: number; frequency: number; customers: number; monetary: number }>();
  const tiers = new Map<string, { customers: number; revenue: number }>();
  for (const score of scores) {
    const segment = segments.get(score.rfm.segment) ?? { customers: 0, revenue: 0 };
    segment.customers += 1;
    segment.revenue += score.purchases.revenue;
    segments.set(score.rfm.segment, segment);
    const key = `${score.rfm.recency}:${score.rfm.frequency}`;
    const cell = grid.get(key) ?? { recency: score.rfm.recency, frequency: score.rfm.frequency, customers: 0, monetary: 0 };
    cell.customers += 1;
    cell.monetary += score.purchases.revenue;
    grid.set(key, cell);
    const tier = tiers.get(score.valueTier) ?? { customers: 0, revenue: 0 };
    tier.customers += 1;
    tier.revenue += score.purchases.revenue;
    tiers.set(score.valueTier, tier);
  }
  return {
    asOf,
    customers: scores.length,
    segments: [...segments.entries()].map(([segment, value]) => ({ segment, ...value })).sort((a, b) => b.customers - a.customers || (a.segment < b.segment ? -1 : 1)),
    rfmGrid: [...grid.values()]
      .map((cell) => ({ recency: cell.recency, frequency: cell.frequency, customers: cell.customers, meanMonetary: cell.monetary / cell.customers }))
      .sort((a, b) => a.recency - b.recency || a.frequency - b.frequency),
    valueTiers: [...tiers.entries()].map(([tier, value]) => ({ tier, ...value })).sort((a, b) => (a.tier < b.tier ? -1 : 1)),
    clvHistogram: [],
    model: null,
  };
}
