import type { RandomSource } from '../../core/ids';
import { ValidationError, type ValidationIssue } from '../../core/errors/validation-error';
import type { RepeatPurchaseSummary } from './customers';
import { checkModelParameters } from './parameter-check';
import type { BgNbdParameters, GammaGammaParameters, MbgNbdParameters, ParetoNbdParameters } from './parameters';
import type { PurchaseModel } from './purchase-model';

/**
 * A deterministic random source for simulations and tests: the sfc32 generator (Chris
 * Doty-Humphrey's PractRand "small fast counting" generator, 128-bit state) seeded through
 * splitmix32. The same seed gives the same sequence in every runtime.
 *
 * @param seed - Any 32-bit integer (other numbers are truncated to 32 bits).
 * @returns A function returning floats in [0, 1) with 32 random bits.
 *
 * @example
 * ```ts
 * import { createSeededRandom } from 'guanxi/scoring';
 *
 * const random = createSeededRandom(42);
 * random(); // the same number on every machine
 * ```
 */
export function createSeededRandom(seed: number): RandomSource {
  let state = seed | 0;
  const splitmix = (): number => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let counter = 1;
  const next = (): number => {
    const t = (((a + b) | 0) + counter) | 0;
    counter = (counter + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next(); // discard the first outputs, as sfc32's author advises
  return next;
}

/**
 * Options of `simulateCustomers`.
 *
 * @example
 * ```ts
 * import { createSeededRandom, type CustomerSimulationOptions } from 'guanxi/scoring';
 *
 * const options: CustomerSimulationOptions = {
 *   customers: 1000,
 *   customerAge: (index) => 26 + (index % 13), // 13 weekly cohorts observed 26–38 weeks
 *   timeStep: 1 / 7, // record purchases by day, in a model fitted in weeks
 *   random: createSeededRandom(7),
 * };
 * ```
 */
export interface CustomerSimulationOptions {
  /** How many customers to draw. */
  readonly customers: number;
  /**
   * Each customer's age T at the end of observation: one number for all, or a function of
   * the customer's index (and the random source).
   */
  readonly customerAge: number | ((index: number, random: RandomSource) => number);
  /**
   * The random source. Give one for independent streams; the default is a fresh
   * `createSeededRandom(seed)` per call, so equal options give equal customers.
   * @default createSeededRandom(seed)
   */
  readonly random?: RandomSource;
  /**
   * Seed of the default random source (ignored when `random` is given).
   * @default 1
   */
  readonly seed?: number;
  /**
   * Record purchase times at this resolution (e.g. 1/7 for days in a weekly model): times
   * are rounded down to a multiple, and purchases in the same step count once, as
   * transaction summaries count purchase days. 0 keeps exact times.
   * @default 0
   */
  readonly timeStep?: number;
  /**
   * Keep each customer's purchase times (and transaction values with `spend`).
   * @default false
   */
  readonly transactions?: boolean;
  /**
   * Draw transaction values from a Gamma-Gamma spend model and report each customer's
   * mean repeat-purchase value as `monetary`.
   * @default undefined (no spend)
   */
  readonly spend?: GammaGammaParameters;
  /**
   * Safety bound: a customer with more purchases than this is an error (the rate
   * parameters are probably in the wrong time unit).
   * @default 1_000_000
   */
  readonly maxPurchasesPerCustomer?: number;
}

/**
 * The defaults of `CustomerSimulationOptions`.
 *
 * @example
 * ```ts
 * import { defaultCustomerSimulationOptions } from 'guanxi/scoring';
 *
 * console.log(defaultCustomerSimulationOptions.seed); // 1
 * ```
 */
export const defaultCustomerSimulationOptions = Object.freeze({
  seed: 1,
  timeStep: 0,
  transactions: false,
  maxPurchasesPerCustomer: 1_000_000,
});

/**
 * Checks `CustomerSimulationOptions` and fills in defaults (a fresh seeded random source
 * when none is given); throws a `ValidationError` naming every bad field.
 *
 * @example
 * ```ts
 * import { resolveCustomerSimulationOptions } from 'guanxi/scoring';
 *
 * const options = resolveCustomerSimulationOptions({ customers: 10, customerAge: 52 });
 * options.random(); // deterministic: seed 1
 * ```
 */
export function resolveCustomerSimulationOptions(
  options: CustomerSimulationOptions,
): Required<Omit<CustomerSimulationOptions, 'spend'>> & Pick<CustomerSimulationOptions, 'spend'> {
  const seed = options.seed ?? defaultCustomerSimulationOptions.seed;
  const resolved = {
    ...defaultCustomerSimulationOptions,
    ...options,
    seed,
    timeStep: options.timeStep ?? defaultCustomerSimulationOptions.timeStep,
    transactions: options.transactions ?? defaultCustomerSimulationOptions.transactions,
    maxPurchasesPerCustomer: options.maxPurchasesPerCustomer ?? defaultCustomerSimulationOptions.maxPurchasesPerCustomer,
    random: options.random ?? createSeededRandom(seed),
  };
  const issues: ValidationIssue[] = [];
  if (!(Number.isInteger(resolved.customers) && resolved.customers >= 0)) {
    issues.push({ path: ['customers'], code: 'invalid_value', message: 'Expected customers to be a non-negative integer' });
  }
  if (typeof resolved.customerAge === 'number' && !(Number.isFinite(resolved.customerAge) && resolved.customerAge >= 0)) {
    issues.push({ path: ['customerAge'], code: 'invalid_value', message: 'Expected customerAge to be a non-negative finite number' });
  }
  if (!(Number.isFinite(resolved.timeStep) && resolved.timeStep >= 0)) {
    issues.push({ path: ['timeStep'], code: 'invalid_value', message: 'Expected timeStep to be a non-negative finite number' });
  }
  if (!(Number.isInteger(resolved.maxPurchasesPerCustomer) && resolved.maxPurchasesPerCustomer > 0)) {
    issues.push({ path: ['maxPurchasesPerCustomer'], code: 'invalid_value', message: 'Expected maxPurchasesPerCustomer to be a positive integer' });
  }
  if (issues.length > 0) throw new ValidationError(issues, 'simulation options');
  if (resolved.spend) checkModelParameters(resolved.spend, ['p', 'q', 'gamma'], 'Gamma-Gamma parameters');
  return resolved;
}

/**
 * One simulated customer: the summary the models fit, plus the latent truth the
 * simulation knows (for checking predictions) and, on request, the transactions.
 *
 * @example
 * ```ts
 * import { bgNbd, simulateCustomers, type SimulatedCustomer } from 'guanxi/scoring';
 *
 * const [first]: SimulatedCustomer[] = simulateCustomers(bgNbd, { r: 0.24, alpha: 4.4, a: 0.79, b: 2.4 }, { customers: 1, customerAge: 39 });
 * console.log(first?.x, first?.alive);
 * ```
 */
export interface SimulatedCustomer extends RepeatPurchaseSummary {
  /** Position in the simulated population (0-based). */
  readonly index: number;
  /** The customer's purchase rate λ while alive (per unit of model time). */
  readonly purchaseRate: number;
  /** Whether the customer is still alive at T. */
  readonly alive: boolean;
  /** Mean value of the repeat purchases (0 when x = 0); present when `spend` was given. */
  readonly monetary?: number;
  /** Times of all purchases, the first at 0; present when `transactions` was true. */
  readonly purchaseTimes?: readonly number[];
  /** Value of each purchase in `purchaseTimes`; present with `transactions` and `spend`. */
  readonly transactionValues?: readonly number[];
}

function exponential(random: RandomSource, rate: number): number {
  return -Math.log(1 - random()) / rate;
}

function standardNormal(random: RandomSource): number {
  // Box–Muller; 1 − u keeps the logarithm finite.
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * Gamma(shape, rate) by Marsaglia & Tsang (2000, ACM TOMS 26(3)); shapes below 1 through
 * Gamma(shape + 1) · U^(1/shape), drawn in log space so tiny shapes do not round to 0.
 */
function gammaVariate(random: RandomSource, shape: number, rate: number): number {
  if (shape < 1) {
    const boosted = gammaVariate(random, shape + 1, 1);
    return Math.exp(Math.log(boosted) + Math.log(1 - random()) / shape) / rate;
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let v: number;
    let z: number;
    do {
      z = standardNormal(random);
      v = 1 + c * z;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

function betaVariate(random: RandomSource, a: number, b: number): number {
  const x = gammaVariate(random, a, 1);
  const y = gammaVariate(random, b, 1);
  return x + y > 0 ? x / (x + y) : a / (a + b);
}

/**
 * Draws customers from a purchase model with given parameters: for each, the latent
 * purchase rate and drop-out (BG/NBD and MBG/NBD: p ~ Beta(a, b) per purchase; Pareto/NBD:
 * an exponential lifetime with μ ~ Gamma(s, β)), the purchases up to the customer's age T,
 * and the (x, tₓ, T) summary. Deterministic for a given random source (by default seeded
 * with `seed`). Use it to test fits (parameter recovery), for benchmarks and for
 * what-if analysis.
 *
 * @example
 * ```ts
 * import { bgNbd, simulateCustomers } from 'guanxi/scoring';
 *
 * const truth = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };
 * const customers = simulateCustomers(bgNbd, truth, { customers: 5000, customerAge: 39, seed: 11 });
 * const fit = bgNbd.fit(customers); // close to `truth`
 * ```
 */
export function simulateCustomers<P extends object>(model: PurchaseModel<P>, params: P, options: CustomerSimulationOptions): SimulatedCustomer[] {
  const settings = resolveCustomerSimulationOptions(options);
  checkModelParameters(params, model.parameterNames, `${model.name} parameters`);
  const { random, timeStep, transactions, spend, maxPurchasesPerCustomer } = settings;
  const customers: SimulatedCustomer[] = [];
  for (let index = 0; index < settings.customers; index++) {
    const T = typeof settings.customerAge === 'number' ? settings.customerAge : settings.customerAge(index, random);
    if (!(Number.isFinite(T) && T >= 0)) {
      throw new ValidationError([{ path: ['customerAge', index], code: 'invalid_value', message: 'Expected customerAge to return a non-negative finite number' }], 'simulation options');
    }
    let purchaseRate: number;
    let alive = true;
    // Death test after each purchase (BG/NBD, MBG/NBD) or a death time (Pareto/NBD).
    let dropProbability = 0;
    let deathTime = Number.POSITIVE_INFINITY;
    if (model.name === 'pareto-nbd') {
      const { r, alpha, s, beta } = params as ParetoNbdParameters;
      purchaseRate = gammaVariate(random, r, alpha);
      deathTime = exponential(random, gammaVariate(random, s, beta));
    } else {
      const { r, alpha, a, b } = params as BgNbdParameters | MbgNbdParameters;
      purchaseRate = gammaVariate(random, r, alpha);
      dropProbability = betaVariate(random, a, b);
      if (model.name === 'mbg-nbd' && random() < dropProbability) alive = false;
    }
    const times: number[] = [0];
    let x = 0;
    let tx = 0;
    let clock = 0;
    while (alive) {
      clock += exponential(random, purchaseRate);
      if (clock >= deathTime && deathTime <= T) {
        alive = false;
        break;
      }
      if (!(clock <= T)) break;
      const recorded = timeStep > 0 ? Math.floor(clock / timeStep) * timeStep : clock;
      if (recorded > tx || (timeStep === 0 && clock > 0)) {
        x++;
        tx = recorded;
        if (transactions || spend) times.push(recorded);
        if (x > maxPurchasesPerCustomer) {
          throw new ValidationError(
            [{ path: ['maxPurchasesPerCustomer'], code: 'too_big', message: `Customer ${index} exceeded ${maxPurchasesPerCustomer} purchases; are the rate parameters in the right time unit?` }],
            'simulation options',
          );
        }
      }
      if (dropProbability > 0 && random() < dropProbability) alive = false;
    }
    if (deathTime <= T) alive = false;
    let monetary: number | undefined;
    let values: number[] | undefined;
    if (spend) {
      const nu = gammaVariate(random, spend.q, spend.gamma);
      values = times.map(() => gammaVariate(random, spend.p, nu));
      let total = 0;
      for (let i = 1; i < values.length; i++) total += values[i] as number;
      monetary = x > 0 ? total / x : 0;
    }
    customers.push({
      index,
      x,
      tx,
      T,
      purchaseRate,
      alive,
      ...(monetary === undefined ? {} : { monetary }),
      ...(transactions ? { purchaseTimes: times } : {}),
      ...(transactions && values ? { transactionValues: values } : {}),
    });
  }
  return customers;
}
