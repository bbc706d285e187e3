/**
 * P(alive), expected purchases and lifetime value for the dashboard, with guanxi's
 * scoring functions, for when the CRM server's scores carry none: transaction summaries
 * in weeks (`summarizeTransactions`), a BG/NBD fit of purchase frequency and drop-out, a
 * Gamma-Gamma fit of spend, and the discounted CLV over the next 12 months.
 */
import { bgNbd, customerLifetimeValue, gammaGamma, summarizeTransactions } from 'guanxi/scoring';
import type { CrmPurchase } from '../demo/crm';
import type { ModelSummary } from './src/views-model';

export interface ModelledCustomer {
  readonly pAlive: number;
  /** Expected purchases in the next 52 weeks. */
  readonly expectedPurchases: number;
  /** Discounted value of the next 12 months (10% a year). */
  readonly clv: number;
}

export interface PurchaseModelResult {
  readonly model: ModelSummary;
  readonly byCustomer: ReadonlyMap<string, ModelledCustomer>;
}

/** CLV horizon and discounting: 12 monthly periods at 10% a year (≈ 0.797% a month). */
const horizonMonths = 12;
const yearlyDiscountRate = 0.1;
const monthlyDiscountRate = (1 + yearlyDiscountRate) ** (1 / 12) - 1;

/**
 * Fits BG/NBD and Gamma-Gamma to every customer's purchases up to `asOf` (the end of that
 * day) and predicts per customer. Returns `undefined` when the fit does not converge or
 * there are too few repeat buyers to fit spend: the dashboard then shows no model rather
 * than a wrong one.
 */
export function fitPurchaseModel(purchases: readonly CrmPurchase[], asOf: string): PurchaseModelResult | undefined {
  const summaries = summarizeTransactions(
    purchases.map((purchase) => ({ customerId: purchase.userId, time: purchase.at, amount: purchase.amount })),
    { calibrationEnd: asOf, unit: 'week' },
  );
  if (summaries.length < 20) return undefined;
  const purchaseFit = bgNbd.fit(summaries);
  if (!purchaseFit.converged) return undefined;
  const repeaters = summaries.filter((summary) => summary.x > 0 && summary.meanRepeatValue > 0);
  if (repeaters.length < 10) return undefined;
  const spendFit = gammaGamma.fit(repeaters.map((summary) => ({ x: summary.x, monetary: summary.meanRepeatValue })));
  if (!spendFit.converged) return undefined;

  const byCustomer = new Map<string, ModelledCustomer>();
  for (const summary of summaries) {
    const customer = { x: summary.x, tx: summary.tx, T: summary.T };
    const expectedSpend = gammaGamma.expectedAverageSpend(spendFit.params, { x: summary.x, monetary: summary.meanRepeatValue });
    byCustomer.set(String(summary.customerId), {
      pAlive: bgNbd.probabilityAlive(purchaseFit.params, customer),
      expectedPurchases: bgNbd.conditionalExpectedPurchases(purchaseFit.params, 52, customer),
      clv: customerLifetimeValue(bgNbd, purchaseFit.params, customer, {
        expectedSpend,
        modelTimeUnit: 'week',
        periodUnit: 'month',
        horizon: horizonMonths,
        discountRate: monthlyDiscountRate,
      }),
    });
  }
  return {
    model: {
      name: 'BG/NBD',
      parameters: { ...purchaseFit.params, ...Object.fromEntries(Object.entries(spendFit.params).map(([name, value]) => [`${name} (spend)`, value])) },
      logLikelihood: purchaseFit.logLikelihood,
      customers: summaries.length,
      timeUnit: 'week',
      horizonMonths,
      discountRate: yearlyDiscountRate,
      fittedBy: 'dashboard',
    },
    byCustomer,
  };
}
