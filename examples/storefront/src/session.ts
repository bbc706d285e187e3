/**
 * Who is logged in to the shop. The shop's own login state (strictly necessary for the
 * service), kept apart from the tracker's identifiers, which consent governs.
 */
import type { ShopCustomer } from './shop-api';

const storageKey = 'guanxi-records:customer';

export function currentCustomer(): ShopCustomer | undefined {
  try {
    const raw = localStorage.getItem(storageKey);
    if (!raw) return undefined;
    const parsed = JSON.parse(raw) as Partial<ShopCustomer>;
    if (typeof parsed.userId !== 'string' || typeof parsed.email !== 'string') return undefined;
    return { userId: parsed.userId, email: parsed.email, name: parsed.name ?? '', returning: parsed.returning ?? false };
  } catch {
    return undefined;
  }
}

export function rememberCustomer(customer: ShopCustomer): void {
  try {
    localStorage.setItem(storageKey, JSON.stringify(customer));
  } catch {
    // Blocked storage: the login lasts for this page only.
  }
}

export function forgetCustomer(): void {
  try {
    localStorage.removeItem(storageKey);
  } catch {
    // nothing stored
  }
}
