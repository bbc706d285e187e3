/**
 * The demo's customers: a deterministic sample of CDNOW customers (or simulated ones),
 * with invented names and purchase dates moved so that CDNOW's last day (1998-06-30)
 * falls on the demo's "as of" day. Moving every date by the same number of days keeps
 * every inter-purchase time, so the models see the same customer base.
 */
import { bgNbd, createSeededRandom, simulateCustomers } from 'guanxi/scoring';
import type { CdnowTransaction } from './cdnow';

export interface SeedPurchase {
  /** ISO timestamp of the purchase. */
  readonly at: string;
  readonly amount: number;
  readonly quantity: number;
}

export interface SeedCustomer {
  /** The shop's customer number, e.g. `cdnow-00042`. */
  readonly userId: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly purchases: readonly SeedPurchase[];
}

export const cdnowLastDay = '1998-06-30';

const firstNames = [
  'Ada', 'Wei', 'Amara', 'Lars', 'Priya', 'Mateo', 'Yuki', 'Fatima', 'Noah', 'Ingrid', 'Kwame', 'Sofia', 'Hiroshi', 'Leila',
  'Diego', 'Mei', 'Olu', 'Hannah', 'Ravi', 'Chloe', 'Jun', 'Zara', 'Emil', 'Nadia', 'Tomás', 'Aiko', 'Kofi', 'Elena',
  'Arjun', 'Lucía', 'Minh', 'Freya', 'Samir', 'Grace', 'Jonas', 'Aisha', 'Ming', 'Clara', 'Ibrahim', 'Rosa',
];
const lastNames = [
  'Lovelace', 'Zhang', 'Okafor', 'Nilsson', 'Sharma', 'García', 'Tanaka', 'Haddad', 'Fischer', 'Berg', 'Mensah', 'Rossi',
  'Sato', 'Karimi', 'Morales', 'Chen', 'Adeyemi', 'Schmidt', 'Iyer', 'Martin', 'Park', 'Ahmed', 'Larsen', 'Petrova',
  'Silva', 'Nakamura', 'Boateng', 'Novak', 'Patel', 'Fernández', 'Nguyen', 'Andersen', 'Haddad', 'Kim', 'Weber', 'Yusuf',
  'Liu', 'Dubois', 'Hassan', 'Costa',
];

/** Whole days between two `YYYY-MM-DD` days. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function shiftDay(day: string, days: number): number {
  return Date.parse(`${day}T00:00:00Z`) + days * 86_400_000;
}

function uniqueEmail(first: string, last: string, taken: Set<string>): string {
  const base = `${first}.${last}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z.]/g, '');
  let email = `${base}@example.com`;
  for (let n = 2; taken.has(email); n++) email = `${base}${n}@example.com`;
  taken.add(email);
  return email;
}

/** Names every customer deterministically from the random source. */
function nameCustomers(
  histories: readonly { id: string; purchases: SeedPurchase[] }[],
  random: () => number,
  prefix: string,
): SeedCustomer[] {
  const taken = new Set<string>();
  return histories.map(({ id, purchases }) => {
    const firstName = firstNames[Math.floor(random() * firstNames.length)] ?? 'Ada';
    const lastName = lastNames[Math.floor(random() * lastNames.length)] ?? 'Lovelace';
    return {
      userId: `${prefix}-${id}`,
      firstName,
      lastName,
      email: uniqueEmail(firstName, lastName, taken),
      purchases: purchases.sort((a, b) => a.at.localeCompare(b.at)),
    };
  });
}

/**
 * Picks `size` CDNOW customers at random (seeded) and moves their purchases so that
 * 1998-06-30 becomes `asOfDay`. Purchases on one day keep their order within the day
 * (a minute apart) so every purchase has its own timestamp.
 */
export function seedFromCdnow(transactions: readonly CdnowTransaction[], options: { size: number; asOfDay: string; seed: number }): SeedCustomer[] {
  const byCustomer = new Map<string, CdnowTransaction[]>();
  for (const transaction of transactions) {
    const list = byCustomer.get(transaction.customerId);
    if (list) list.push(transaction);
    else byCustomer.set(transaction.customerId, [transaction]);
  }
  const ids = [...byCustomer.keys()].sort();
  const random = createSeededRandom(options.seed);
  // Partial Fisher–Yates: the first `size` entries become a uniform sample.
  const size = Math.min(options.size, ids.length);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (ids.length - i));
    [ids[i], ids[j]] = [ids[j] as string, ids[i] as string];
  }
  const shift = daysBetween(cdnowLastDay, options.asOfDay);
  const chosen = ids.slice(0, size).sort();
  const histories = chosen.map((id) => {
    const perDay = new Map<string, number>();
    const purchases = (byCustomer.get(id) ?? []).map((transaction) => {
      const n = perDay.get(transaction.day) ?? 0;
      perDay.set(transaction.day, n + 1);
      // Shops open at 10:00; the n-th purchase of a day is n minutes later.
      const at = shiftDay(transaction.day, shift) + (10 * 60 + n) * 60_000;
      return { at: new Date(at).toISOString(), amount: transaction.amount, quantity: transaction.quantity };
    });
    return { id, purchases };
  });
  return nameCustomers(histories, random, 'cdnow');
}

/**
 * Customers from a simulator: each history is a list of purchase times in days before
 * `asOfDay` (0 = that day) with amounts.
 */
export function seedFromSimulation(
  histories: readonly { id: string; purchases: readonly { daysBeforeAsOf: number; amount: number }[] }[],
  options: { asOfDay: string; seed: number },
): SeedCustomer[] {
  const end = Date.parse(`${options.asOfDay}T00:00:00Z`);
  const random = createSeededRandom(options.seed);
  return nameCustomers(
    histories.map(({ id, purchases }) => ({
      id,
      purchases: purchases.map((purchase, index) => ({
        at: new Date(end - Math.round(purchase.daysBeforeAsOf) * 86_400_000 + (10 * 60 + index) * 60_000).toISOString(),
        amount: Math.round(purchase.amount * 100) / 100,
        quantity: Math.max(1, Math.round(purchase.amount / 15)),
      })),
    })),
    random,
    'sim',
  );
}

/**
 * Customers drawn from guanxi's BG/NBD simulator with CDNOW's published parameters
 * (weekly: r 0.243, α 4.414, a 0.793, b 2.426; spend from Gamma-Gamma p 6.25, q 3.74,
 * γ 15.44), first purchases spread over 78 weeks before `asOfDay`, as in CDNOW's cohort.
 */
export function seedFromSimulator(options: { size: number; asOfDay: string; seed: number }): SeedCustomer[] {
  const simulated = simulateCustomers(
    bgNbd,
    { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
    {
      customers: options.size,
      customerAge: (_index, random) => 1 + random() * 77,
      timeStep: 1 / 7,
      transactions: true,
      spend: { p: 6.25, q: 3.74, gamma: 15.44 },
      seed: options.seed,
    },
  );
  return seedFromSimulation(
    simulated.map((customer) => ({
      id: String(customer.index + 1).padStart(5, '0'),
      purchases: (customer.purchaseTimes ?? [0]).map((time, index) => ({
        daysBeforeAsOf: Math.max(0, (customer.T - time) * 7),
        amount: customer.transactionValues?.[index] ?? 15,
      })),
    })),
    options,
  );
}
