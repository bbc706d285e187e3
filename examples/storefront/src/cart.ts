/**
 * The shopping cart. It is part of the service the visitor asked for (strictly
 * necessary), so it lives in localStorage whatever the consent state; analytics never
 * read it.
 */
import { findProduct, type Product } from './catalog';

export interface CartLine {
  readonly product: Product;
  readonly quantity: number;
}

const storageKey = 'guanxi-records:cart';

function readStored(): Record<string, number> {
  try {
    const raw = localStorage.getItem(storageKey);
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    if (typeof parsed !== 'object' || parsed === null) return {};
    const quantities: Record<string, number> = {};
    for (const [id, quantity] of Object.entries(parsed)) {
      if (typeof quantity === 'number' && Number.isInteger(quantity) && quantity > 0 && findProduct(id)) quantities[id] = quantity;
    }
    return quantities;
  } catch {
    return {};
  }
}

/** A cart persisted in localStorage, with change listeners. */
export class Cart {
  #quantities = readStored();
  readonly #listeners = new Set<() => void>();

  lines(): CartLine[] {
    return Object.entries(this.#quantities).flatMap(([id, quantity]) => {
      const product = findProduct(id);
      return product ? [{ product, quantity }] : [];
    });
  }

  count(): number {
    return Object.values(this.#quantities).reduce((sum, quantity) => sum + quantity, 0);
  }

  total(): number {
    return Math.round(this.lines().reduce((sum, line) => sum + line.product.price * line.quantity, 0) * 100) / 100;
  }

  add(productId: string, quantity = 1): void {
    this.#quantities[productId] = (this.#quantities[productId] ?? 0) + quantity;
    this.#save();
  }

  setQuantity(productId: string, quantity: number): void {
    if (quantity <= 0) delete this.#quantities[productId];
    else this.#quantities[productId] = quantity;
    this.#save();
  }

  clear(): void {
    this.#quantities = {};
    this.#save();
  }

  onChange(listener: () => void): void {
    this.#listeners.add(listener);
  }

  #save(): void {
    try {
      localStorage.setItem(storageKey, JSON.stringify(this.#quantities));
    } catch {
      // Storage full or blocked: the cart still works for this page.
    }
    for (const listener of this.#listeners) listener();
  }
}
