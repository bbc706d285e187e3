/**
 * The server's one integration point with `guanxi/scoring`: from the purchase activities
 * of every contact to per-customer scores and the aggregates a dashboard draws, all
 * computed by the library — transaction summaries in days (`summarizeTransactions`), RFM
 * quintiles and the 10-segment R/F map (`rfmScores`), Pareto/ABC value tiers
 * (`abcClasses`), lifecycle (`lifecycleStatus`), and, when the BG/NBD and Gamma-Gamma
 * fits converge, P(alive), expected purchases and a 12-month CLV.
 */
import {
  abcClasses,
  bgNbd,
  customerLifetimeValue,
  gammaGamma,
  lifecycleStatus,
  rfmInputOf,
  rfmScores,
  summarizeTransactions,
  type BgNbdParameters,
  type GammaGammaParameters,
} from 'guanxi/scoring';

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

/** Days ahead for expected purchases; CLV looks 12 months ahead at 1 % per month. */
const horizonDays = 365;
/** Fewer customers than this give no stable model fit. */
const minimumCustomersForModels = 30;

const loyaltyTierOf: Readonly<Record<'A' | 'B' | 'C', string>> = { A: 'gold', B: 'silver', C: 'bronze' };

interface ModelFits {
  readonly purchases: BgNbdParameters;
  readonly spend: GammaGammaParameters | undefined;
  readonly logLikelihood: number;
}

function fitModels(summaries: readonly { x: number; tx: number; T: number; meanRepeatValue: number }[]): ModelFits | undefined {
  if (summaries.length < minimumCustomersForModels) return undefined;
  try {
    const purchases = bgNbd.fit(summaries.map(({ x, tx, T }) => ({ x, tx, T })));
    if (!purchases.converged) return undefined;
    const repeaters = summaries.filter((summary) => summary.x > 0 && summary.meanRepeatValue > 0).map((summary) => ({ x: summary.x, monetary: summary.meanRepeatValue }));
    let spend: GammaGammaParameters | undefined;
    if (repeaters.length >= minimumCustomersForModels) {
      const fit = gammaGamma.fit(repeaters);
      if (fit.converged) spend = fit.params;
    }
    return { purchases: purchases.params, spend, logLikelihood: purchases.logLikelihood };
  } catch {
    // A data set the models cannot describe (e.g. nobody ever buys twice): no model-based scores.
    return undefined;
  }
}

/** Scores every customer with at least one purchase up to `asOf` (a `YYYY-MM-DD` day, inclusive). */
export function scoreCustomers(purchases: Iterable<Purchase>, asOf: string): { scores: CustomerScore[]; model: ScoresOverview['model'] } {
  const endMs = Date.parse(`${asOf}T00:00:00.000Z`) + 86_400_000;
  const kept = [...purchases].filter((purchase) => Number.isFinite(Date.parse(purchase.occurredAt)) && Date.parse(purchase.occurredAt) < endMs && Number.isFinite(purchase.amount));
  kept.sort((a, b) => (a.contactId < b.contactId ? -1 : a.contactId > b.contactId ? 1 : Date.parse(a.occurredAt) - Date.parse(b.occurredAt)));
  const timesOf = new Map<string, string[]>();
  for (const purchase of kept) {
    const times = timesOf.get(purchase.contactId) ?? [];
    times.push(purchase.occurredAt);
    timesOf.set(purchase.contactId, times);
  }
  const summaries = summarizeTransactions(
    kept.map((purchase) => ({ customerId: purchase.contactId, time: purchase.occurredAt, amount: purchase.amount })),
    { calibrationEnd: asOf, unit: 'day' },
  ).filter((summary) => summary.transactions > 0);
  const rfm = rfmScores(summaries.map(rfmInputOf));
  const tiers = abcClasses(summaries.map((summary) => ({ customerId: summary.customerId, value: summary.revenue })));
  const models = fitModels(summaries);
  const scores = summaries.map((summary, index): CustomerScore => {
    const contactId = String(summary.customerId);
    const cell = rfm[index];
    const valueTier = tiers[index]?.abcClass ?? 'C';
    const customer = { x: summary.x, tx: summary.tx, T: summary.T };
    const pAlive = models ? bgNbd.probabilityAlive(models.purchases, customer) : undefined;
    const expectedPurchases = models ? bgNbd.conditionalExpectedPurchases(models.purchases, horizonDays, customer) : undefined;
    const expectedSpend = models?.spend ? gammaGamma.expectedAverageSpend(models.spend, { x: summary.x, monetary: summary.meanRepeatValue }) : undefined;
    const clv =
      models && expectedSpend !== undefined
        ? customerLifetimeValue(bgNbd, models.purchases, customer, { expectedSpend, modelTimeUnit: 'day', periodUnit: 'month', horizon: 12, discountRate: 0.01 })
        : undefined;
    const stage = lifecycleStatus({ purchases: timesOf.get(contactId) ?? [], ...(pAlive !== undefined ? { pAlive } : {}) }, asOf).stage;
    return {
      contactId,
      asOf,
      purchases: {
        count: summary.transactions,
        frequency: summary.x,
        recency: summary.tx,
        age: summary.T,
        firstAt: `${summary.firstPurchase}T00:00:00.000Z`,
        lastAt: `${summary.lastPurchase}T00:00:00.000Z`,
        revenue: summary.revenue,
        meanRepeatValue: summary.x > 0 ? summary.meanRepeatValue : null,
      },
      rfm: { recency: cell?.recency ?? 1, frequency: cell?.frequency ?? 1, monetary: cell?.monetary ?? 1, segment: cell?.segment ?? 'unclassified' },
      valueTier,
      loyaltyTier: loyaltyTierOf[valueTier],
      lifecycle: stage === 'prospect' ? 'active' : stage,
      pAlive: pAlive ?? null,
      expectedPurchases: expectedPurchases ?? null,
      clv: clv ?? null,
    };
  });
  const model = models ? { name: 'bg-nbd', parameters: { ...models.purchases } as Record<string, number>, logLikelihood: models.logLikelihood } : null;
  return { scores, model };
}

function clvHistogram(scores: readonly CustomerScore[]): ScoresOverview['clvHistogram'] {
  const values = scores.map((score) => score.clv).filter((clv): clv is number => clv !== null && Number.isFinite(clv));
  if (values.length === 0) return [];
  const max = Math.max(...values, 0);
  const bins = 10;
  const width = max > 0 ? max / bins : 1;
  const counts = new Array<number>(bins).fill(0);
  for (const value of values) counts[Math.min(bins - 1, Math.max(0, Math.floor(value / width)))]! += 1;
  return counts.map((customers, index) => ({ from: index * width, to: (index + 1) * width, customers }));
}

/** Aggregates for dashboards. */
export function summarizeScores(scores: readonly CustomerScore[], asOf: string, model: ScoresOverview['model']): ScoresOverview {
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
    clvHistogram: clvHistogram(scores),
    model,
  };
}
