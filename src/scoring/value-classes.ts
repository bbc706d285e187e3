import { ValidationError, type ValidationIssue } from '../core/errors/validation-error';

/**
 * A customer and one value (revenue, profit, CLV…), as read by the value classifiers.
 *
 * @example
 * ```ts
 * import type { CustomerValue } from 'guanxi/scoring';
 *
 * const customer: CustomerValue = { customerId: 'c1', value: 1250 };
 * ```
 */
export interface CustomerValue {
  readonly customerId: string | number;
  readonly value: number;
}

function checkValues(customers: readonly { readonly value: number }[], context: string, field = 'value'): void {
  const issues: ValidationIssue[] = [];
  customers.forEach((customer, index) => {
    const value = (customer as Record<string, unknown>)[field];
    if (typeof value !== 'number' || !Number.isFinite(value)) issues.push({ path: [index, field], code: 'invalid_number', message: `${field} must be a finite number` });
  });
  if (issues.length > 0) throw new ValidationError(issues.slice(0, 20), context);
}

/** For each customer, the sum of strictly greater positive values (ties share a position). */
function valueAbove(values: readonly number[]): { above: Float64Array; total: number } {
  const order = values.map((_, index) => index).sort((a, b) => values[b]! - values[a]!);
  const above = new Float64Array(values.length);
  let running = 0;
  let total = 0;
  for (const value of values) if (value > 0) total += value;
  for (let k = 0; k < order.length; ) {
    // One group of equal values: all see the same sum of strictly greater values.
    const value = values[order[k]!]!;
    let end = k;
    while (end < order.length && values[order[end]!] === value) above[order[end++]!] = running;
    if (value > 0) running += value * (end - k);
    k = end;
  }
  return { above, total };
}

/**
 * Options of the Pareto/ABC classification.
 *
 * @example
 * ```ts
 * import type { AbcOptions } from 'guanxi/scoring';
 *
 * const options: AbcOptions = { a: 0.7, b: 0.9 };
 * ```
 */
export interface AbcOptions {
  /** Cumulative share of value that class A reaches. @default 0.8 */
  readonly a?: number;
  /** Cumulative share of value that classes A and B reach. @default 0.95 */
  readonly b?: number;
}

/**
 * The defaults of `AbcOptions`: A to 80 % of cumulative value, B to 95 %.
 *
 * @example
 * ```ts
 * import { defaultAbcOptions } from 'guanxi/scoring';
 *
 * console.log(defaultAbcOptions.a, defaultAbcOptions.b); // 0.8 0.95
 * ```
 */
export const defaultAbcOptions = Object.freeze({ a: 0.8, b: 0.95 });

/**
 * Applies the defaults to ABC options and checks `0 < a ≤ b ≤ 1`.
 *
 * @example
 * ```ts
 * import { resolveAbcOptions } from 'guanxi/scoring';
 *
 * console.log(resolveAbcOptions({ a: 0.5 })); // { a: 0.5, b: 0.95 }
 * ```
 */
export function resolveAbcOptions(options: AbcOptions = {}): Required<AbcOptions> {
  const a = options.a ?? defaultAbcOptions.a;
  const b = options.b ?? defaultAbcOptions.b;
  if (!(a > 0 && a <= b && b <= 1)) throw new ValidationError([{ path: ['a'], code: 'invalid_share', message: 'Shares must satisfy 0 < a ≤ b ≤ 1' }], 'ABC options');
  return Object.freeze({ a, b });
}

/**
 * A customer's Pareto/ABC class with the share of total value held by customers worth
 * more than it.
 *
 * @example
 * ```ts
 * import type { AbcClassification } from 'guanxi/scoring';
 *
 * const row: AbcClassification = { customerId: 'c1', value: 900, abcClass: 'A', shareAbove: 0 };
 * ```
 */
export interface AbcClassification {
  readonly customerId: string | number;
  readonly value: number;
  readonly abcClass: 'A' | 'B' | 'C';
  /** Share (0–1) of the total positive value held by customers with a strictly greater value. */
  readonly shareAbove: number;
}

/**
 * Pareto/ABC classes: customers sorted by value; class A holds the customers up to `a`
 * (80 %) of cumulative value, B up to `b` (95 %), C the rest.
 *
 * Precisely, a customer is A when the customers worth strictly more hold less than `a` of
 * the total positive value (so the customer that crosses 80 % is A), B when they hold less
 * than `b`, else C. Equal values get equal classes; values ≤ 0 are always C. Output is in
 * input order.
 *
 * @example
 * ```ts
 * import { abcClasses } from 'guanxi/scoring';
 *
 * const classes = abcClasses([
 *   { customerId: 'a', value: 700 },
 *   { customerId: 'b', value: 200 },
 *   { customerId: 'c', value: 60 },
 *   { customerId: 'd', value: 40 },
 * ]);
 * console.log(classes.map((c) => c.abcClass)); // ['A', 'A', 'B', 'C']
 * ```
 */
export function abcClasses(customers: readonly CustomerValue[], options: AbcOptions = {}): AbcClassification[] {
  const { a, b } = resolveAbcOptions(options);
  checkValues(customers, 'ABC input');
  const values = customers.map((customer) => customer.value);
  const { above, total } = valueAbove(values);
  return customers.map((customer, index) => {
    const shareAbove = total > 0 ? above[index]! / total : 0;
    const abcClass = customer.value <= 0 ? 'C' : shareAbove < a ? 'A' : shareAbove < b ? 'B' : 'C';
    return { customerId: customer.customerId, value: customer.value, abcClass, shareAbove };
  });
}

/**
 * Peppers & Rogers value classes: `most-valuable` (MVC), `most-growable` (MGC),
 * `below-zero` (BZ: costs more to serve than it brings), or `other`.
 *
 * @example
 * ```ts
 * import type { ValueClass } from 'guanxi/scoring';
 *
 * const valueClass: ValueClass = 'below-zero';
 * ```
 */
export type ValueClass = 'most-valuable' | 'most-growable' | 'below-zero' | 'other';

/**
 * What value classes read: current value (profit after cost to serve) and growth
 * potential (e.g. predicted lifetime value minus current value, or share-of-wallet gap).
 *
 * @example
 * ```ts
 * import type { ValueClassInput } from 'guanxi/scoring';
 *
 * const customer: ValueClassInput = { customerId: 'c1', value: 320, potential: 1400 };
 * ```
 */
export interface ValueClassInput extends CustomerValue {
  /** Growth potential; customers without it are never most-growable. @default 0 */
  readonly potential?: number;
}

/**
 * Options of `valueClasses()`.
 *
 * @example
 * ```ts
 * import type { ValueClassOptions } from 'guanxi/scoring';
 *
 * const options: ValueClassOptions = { mostValuableShare: 0.1, mostGrowableShare: 0.25 };
 * ```
 */
export interface ValueClassOptions {
  /** Share of customers (by value, highest first) that are most valuable. @default 0.2 */
  readonly mostValuableShare?: number;
  /** Share of all customers (by potential, among the rest with positive potential) that are most growable. @default 0.2 */
  readonly mostGrowableShare?: number;
}

/**
 * The defaults of `ValueClassOptions`: the top 20 % by value are MVC, the next 20 % of
 * customers by growth potential are MGC.
 *
 * @example
 * ```ts
 * import { defaultValueClassOptions } from 'guanxi/scoring';
 *
 * console.log(defaultValueClassOptions.mostValuableShare); // 0.2
 * ```
 */
export const defaultValueClassOptions = Object.freeze({ mostValuableShare: 0.2, mostGrowableShare: 0.2 });

/**
 * Applies the defaults to value-class options and checks the shares are in [0, 1].
 *
 * @example
 * ```ts
 * import { resolveValueClassOptions } from 'guanxi/scoring';
 *
 * console.log(resolveValueClassOptions({}).mostGrowableShare); // 0.2
 * ```
 */
export function resolveValueClassOptions(options: ValueClassOptions = {}): Required<ValueClassOptions> {
  const mostValuableShare = options.mostValuableShare ?? defaultValueClassOptions.mostValuableShare;
  const mostGrowableShare = options.mostGrowableShare ?? defaultValueClassOptions.mostGrowableShare;
  const issues: ValidationIssue[] = [];
  if (!(mostValuableShare >= 0 && mostValuableShare <= 1)) issues.push({ path: ['mostValuableShare'], code: 'invalid_share', message: 'Share must be within [0, 1]' });
  if (!(mostGrowableShare >= 0 && mostGrowableShare <= 1)) issues.push({ path: ['mostGrowableShare'], code: 'invalid_share', message: 'Share must be within [0, 1]' });
  if (issues.length > 0) throw new ValidationError(issues, 'value class options');
  return Object.freeze({ mostValuableShare, mostGrowableShare });
}

/** Number of values strictly greater than each value (ties share the count). */
function countAbove(values: readonly number[]): Float64Array {
  const sorted = Float64Array.from(values).sort();
  return Float64Array.from(values, (value) => {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (sorted[middle]! <= value) low = middle + 1;
      else high = middle;
    }
    return sorted.length - low;
  });
}

/**
 * Classifies customers as most valuable, most growable, below zero or other.
 *
 * Below zero: value (profit after cost to serve) < 0 — checked first. Most valuable: among
 * the others with positive value, those with fewer than `mostValuableShare × N` customers
 * worth strictly more (ties stay together). Most growable: among the remaining customers
 * with positive potential, the same rule on potential with `mostGrowableShare`.
 *
 * @example
 * ```ts
 * import { valueClasses } from 'guanxi/scoring';
 *
 * const classes = valueClasses([
 *   { customerId: 'a', value: 900, potential: 100 },
 *   { customerId: 'b', value: 120, potential: 2000 },
 *   { customerId: 'c', value: -40 },
 *   { customerId: 'd', value: 60, potential: 10 },
 *   { customerId: 'e', value: 50 },
 * ]);
 * console.log(classes); // ['most-valuable', 'most-growable', 'below-zero', 'other', 'other']
 * ```
 */
export function valueClasses(customers: readonly ValueClassInput[], options: ValueClassOptions = {}): ValueClass[] {
  const { mostValuableShare, mostGrowableShare } = resolveValueClassOptions(options);
  checkValues(customers, 'value class input');
  const issues: ValidationIssue[] = [];
  customers.forEach((customer, index) => {
    if (customer.potential !== undefined && !Number.isFinite(customer.potential)) issues.push({ path: [index, 'potential'], code: 'invalid_number', message: 'potential must be a finite number' });
  });
  if (issues.length > 0) throw new ValidationError(issues.slice(0, 20), 'value class input');
  const count = customers.length;
  const above = countAbove(customers.map((customer) => customer.value));
  const classes: ValueClass[] = customers.map((customer, index) =>
    customer.value < 0 ? 'below-zero' : customer.value > 0 && above[index]! < mostValuableShare * count ? 'most-valuable' : 'other',
  );
  const candidates = customers.flatMap((customer, index) => (classes[index] === 'other' && (customer.potential ?? 0) > 0 ? [index] : []));
  const potentialAbove = countAbove(candidates.map((index) => customers[index]!.potential!));
  candidates.forEach((index, k) => {
    if (potentialAbove[k]! < mostGrowableShare * count) classes[index] = 'most-growable';
  });
  return classes;
}

/**
 * The four treatments of CRM practice, plus `standard` for everyone else:
 * `most-valuable` (recognise them, tailored offers), `fastest-growing` (personal service;
 * don't change their price unless asked), `negative-value` (raise value or let go, e.g. a
 * fee on near-zero usage), `about-to-churn` (find the cause, start retention care).
 *
 * @example
 * ```ts
 * import type { Treatment } from 'guanxi/scoring';
 *
 * const treatment: Treatment = 'about-to-churn';
 * ```
 */
export type Treatment = 'most-valuable' | 'fastest-growing' | 'negative-value' | 'about-to-churn' | 'standard';

/**
 * What each treatment asks the business to do (for display next to a customer).
 *
 * @example
 * ```ts
 * import { treatmentActions } from 'guanxi/scoring';
 *
 * console.log(treatmentActions['negative-value']);
 * ```
 */
export const treatmentActions: Readonly<Record<Treatment, string>> = Object.freeze({
  'most-valuable': 'Recognise them; make tailored offers; protect the relationship.',
  'fastest-growing': 'Give personal service; do not change their price unless they ask.',
  'negative-value': 'Raise their value or let them go (e.g. a fee on near-zero usage).',
  'about-to-churn': 'Find the cause and start retention care.',
  standard: 'Serve as usual.',
});

/**
 * What the treatment rule reads of a customer.
 *
 * @example
 * ```ts
 * import type { TreatmentInput } from 'guanxi/scoring';
 *
 * const customer: TreatmentInput = { customerId: 'c1', value: 480, growth: 0.35, atRisk: false, pAlive: 0.93 };
 * ```
 */
export interface TreatmentInput extends CustomerValue {
  /** Growth of value, e.g. this period over the last (0.35 = +35 %). @default 0 */
  readonly growth?: number;
  /** A churn flag from `lifecycleStatus()` (at risk or dormant). @default false */
  readonly atRisk?: boolean;
  /** Probability the customer is still active, from a fitted model. @default none */
  readonly pAlive?: number;
}

/**
 * Options of `assignTreatments()`.
 *
 * @example
 * ```ts
 * import type { TreatmentOptions } from 'guanxi/scoring';
 *
 * const options: TreatmentOptions = { mostValuableShare: 0.1, fastestGrowingShare: 0.1, pAliveBelow: 0.3 };
 * ```
 */
export interface TreatmentOptions {
  /** Share of customers, by value, treated as most valuable. @default 0.2 */
  readonly mostValuableShare?: number;
  /** Share of customers, by positive growth, treated as fastest growing. @default 0.2 */
  readonly fastestGrowingShare?: number;
  /** A customer whose P(alive) is below this is about to churn. @default 0.5 */
  readonly pAliveBelow?: number;
}

/**
 * The defaults of `TreatmentOptions`.
 *
 * @example
 * ```ts
 * import { defaultTreatmentOptions } from 'guanxi/scoring';
 *
 * console.log(defaultTreatmentOptions.pAliveBelow); // 0.5
 * ```
 */
export const defaultTreatmentOptions = Object.freeze({ mostValuableShare: 0.2, fastestGrowingShare: 0.2, pAliveBelow: 0.5 });

/**
 * Applies the defaults to treatment options and checks them.
 *
 * @example
 * ```ts
 * import { resolveTreatmentOptions } from 'guanxi/scoring';
 *
 * console.log(resolveTreatmentOptions({ pAliveBelow: 0.3 }).pAliveBelow); // 0.3
 * ```
 */
export function resolveTreatmentOptions(options: TreatmentOptions = {}): Required<TreatmentOptions> {
  const resolved = { ...defaultTreatmentOptions, ...stripUndefined(options) };
  const issues: ValidationIssue[] = [];
  for (const field of ['mostValuableShare', 'fastestGrowingShare', 'pAliveBelow'] as const) {
    if (!(resolved[field] >= 0 && resolved[field] <= 1)) issues.push({ path: [field], code: 'invalid_share', message: 'Must be within [0, 1]' });
  }
  if (issues.length > 0) throw new ValidationError(issues, 'treatment options');
  return Object.freeze(resolved);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}

/**
 * Assigns each customer one of the four treatments (or `standard`), in priority order:
 * negative value (value < 0) first; then about to churn (flagged at risk, or P(alive)
 * below the threshold); then most valuable (top share by value, ties together); then
 * fastest growing (top share by positive growth); else standard.
 *
 * @example
 * ```ts
 * import { assignTreatments } from 'guanxi/scoring';
 *
 * const treatments = assignTreatments([
 *   { customerId: 'a', value: 900 },
 *   { customerId: 'b', value: 80, growth: 1.5 },
 *   { customerId: 'c', value: -20 },
 *   { customerId: 'd', value: 400, pAlive: 0.2 },
 *   { customerId: 'e', value: 50 },
 * ]);
 * console.log(treatments); // ['most-valuable', 'fastest-growing', 'negative-value', 'about-to-churn', 'standard']
 * ```
 */
export function assignTreatments(customers: readonly TreatmentInput[], options: TreatmentOptions = {}): Treatment[] {
  const { mostValuableShare, fastestGrowingShare, pAliveBelow } = resolveTreatmentOptions(options);
  checkValues(customers, 'treatment input');
  const count = customers.length;
  const valueAboveCount = countAbove(customers.map((customer) => customer.value));
  const growing = customers.flatMap((customer, index) => ((customer.growth ?? 0) > 0 ? [index] : []));
  const growthAbove = countAbove(growing.map((index) => customers[index]!.growth!));
  const fastest = new Set(growing.filter((_, k) => growthAbove[k]! < fastestGrowingShare * count));
  return customers.map((customer, index) => {
    if (customer.value < 0) return 'negative-value';
    if (customer.atRisk === true || (customer.pAlive !== undefined && customer.pAlive < pAliveBelow)) return 'about-to-churn';
    if (customer.value > 0 && valueAboveCount[index]! < mostValuableShare * count) return 'most-valuable';
    if (fastest.has(index)) return 'fastest-growing';
    return 'standard';
  });
}

/**
 * One step of a tier ladder: customers whose score is at least `min` reach `tier`.
 *
 * @example
 * ```ts
 * import type { TierStep } from 'guanxi/scoring';
 *
 * const gold: TierStep = { tier: 'gold', min: 5000 };
 * ```
 */
export interface TierStep {
  readonly tier: string;
  readonly min: number;
}

/**
 * A tier ladder: steps in ascending order of `min` (validated by `defineTierLadder()`).
 *
 * @example
 * ```ts
 * import { defineTierLadder, type TierLadder } from 'guanxi/scoring';
 *
 * const ladder: TierLadder = defineTierLadder([{ tier: 'silver', min: 0 }, { tier: 'gold', min: 1000 }]);
 * ```
 */
export type TierLadder = readonly TierStep[];

/**
 * Checks and freezes a tier ladder: at least one step, tier names unique and non-empty,
 * thresholds finite and strictly ascending. Ladders work on any score — spend, points,
 * CLV, a health score — e.g. a bank's seven-star scale.
 *
 * @example
 * ```ts
 * import { defineTierLadder, tierOf } from 'guanxi/scoring';
 *
 * const sevenStar = defineTierLadder([
 *   { tier: '1-star', min: 0 },
 *   { tier: '2-star', min: 10_000 },
 *   { tier: '3-star', min: 50_000 },
 *   { tier: '4-star', min: 100_000 },
 *   { tier: '5-star', min: 500_000 },
 *   { tier: '6-star', min: 2_000_000 },
 *   { tier: '7-star', min: 10_000_000 },
 * ]);
 * console.log(tierOf(730_000, sevenStar)); // '5-star'
 * ```
 */
export function defineTierLadder(steps: readonly TierStep[]): TierLadder {
  const issues: ValidationIssue[] = [];
  if (steps.length === 0) issues.push({ path: [], code: 'empty_ladder', message: 'A ladder needs at least one step' });
  const names = new Set<string>();
  steps.forEach((step, index) => {
    if (typeof step.tier !== 'string' || step.tier === '') issues.push({ path: [index, 'tier'], code: 'invalid_tier', message: 'Tier name must be a non-empty string' });
    else if (names.has(step.tier)) issues.push({ path: [index, 'tier'], code: 'duplicate_tier', message: `Tier '${step.tier}' appears twice` });
    names.add(step.tier);
    if (!Number.isFinite(step.min)) issues.push({ path: [index, 'min'], code: 'invalid_number', message: 'min must be a finite number' });
    else if (index > 0 && !(step.min > steps[index - 1]!.min)) issues.push({ path: [index, 'min'], code: 'not_ascending', message: 'Thresholds must be strictly ascending' });
  });
  if (issues.length > 0) throw new ValidationError(issues, 'tier ladder');
  return Object.freeze(steps.map((step) => Object.freeze({ tier: step.tier, min: step.min })));
}

/**
 * The highest tier whose threshold the score reaches, or `undefined` below the first
 * step (or for a non-finite score).
 *
 * @example
 * ```ts
 * import { defineTierLadder, tierOf } from 'guanxi/scoring';
 *
 * const ladder = defineTierLadder([{ tier: 'bronze', min: 0 }, { tier: 'silver', min: 500 }, { tier: 'gold', min: 2000 }]);
 * console.log(tierOf(500, ladder), tierOf(-1, ladder)); // 'silver' undefined
 * ```
 */
export function tierOf(score: number, ladder: TierLadder): string | undefined {
  if (!Number.isFinite(score)) return undefined;
  let tier: string | undefined;
  for (const step of ladder) {
    if (score >= step.min) tier = step.tier;
    else break;
  }
  return tier;
}
