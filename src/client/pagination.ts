import { GuanxiError } from '../core/errors/guanxi-error';
import { ResultLimitError } from './errors/result-limit-error';

/**
 * One page of a listing: its items and the opaque cursor of the next page (absent on the
 * last page). Cursors are the API's own (`after` for HubSpot); never build or parse them.
 *
 * @example
 * ```ts
 * import type { CrmPage } from 'guanxi/client';
 *
 * const last: CrmPage<{ id: string }> = { items: [{ id: '1' }] };
 * console.log(last.nextCursor === undefined); // true: no more pages
 * ```
 */
export interface CrmPage<T> {
  /** The items of this page, in the API's order. */
  readonly items: readonly T[];
  /** Cursor of the next page; absent on the last page. */
  readonly nextCursor?: string | undefined;
  /** Total number of matches, when the API reports it (HubSpot search does). */
  readonly total?: number | undefined;
}

/**
 * Options of `toArray()`.
 *
 * @example
 * ```ts
 * import type { CrmToArrayOptions } from 'guanxi/client';
 *
 * const options: CrmToArrayOptions = { max: 5000 };
 * ```
 */
export interface CrmToArrayOptions {
  /**
   * The most items to collect. Required: a listing that has more throws a
   * `ResultLimitError` instead of silently returning a truncated array or exhausting
   * memory. No default, on purpose.
   */
  readonly max: number;
}

/**
 * An async iterator over every item of a listing, fetching one page at a time, so
 * memory stays constant however many items there are. Also iterable by pages, and
 * collectable with an explicit cap.
 *
 * @example
 * ```ts
 * import { createCrmClient, createHubSpotAdapter } from 'guanxi/client';
 *
 * const crm = createCrmClient({ adapter: createHubSpotAdapter({ auth: { token: 'pat-…' } }) });
 * for await (const contact of crm.contacts.iterate({ pageSize: 100 })) {
 *   console.log(contact.email);
 * }
 * const firstThousand = await crm.contacts.iterate().toArray({ max: 1000 });
 * ```
 */
export class CrmItemIterator<T> implements AsyncIterable<T> {
  readonly #fetchPage: (cursor: string | undefined) => Promise<CrmPage<T>>;
  readonly #beforeNextPage: ((page: CrmPage<T>, seen: number) => void) | undefined;

  /**
   * @param fetchPage - Fetches the page at a cursor (`undefined` for the first page).
   * @param beforeNextPage - Called before the page after `page` is fetched, with the
   *   number of items seen so far; may throw to end the listing with an error (used to
   *   report API result windows after every reachable item was yielded).
   */
  constructor(fetchPage: (cursor: string | undefined) => Promise<CrmPage<T>>, beforeNextPage?: (page: CrmPage<T>, seen: number) => void) {
    this.#fetchPage = fetchPage;
    this.#beforeNextPage = beforeNextPage;
  }

  /** Iterates pages rather than items. */
  async *pages(): AsyncGenerator<CrmPage<T>, void, undefined> {
    let cursor: string | undefined;
    let seen = 0;
    const visited = new Set<string>();
    for (;;) {
      const page = await this.#fetchPage(cursor);
      seen += page.items.length;
      yield page;
      if (page.nextCursor === undefined || page.nextCursor === '') return;
      this.#beforeNextPage?.(page, seen);
      // A server that hands back a cursor it already gave would loop forever.
      if (visited.has(page.nextCursor)) throw new GuanxiError('The API returned a cursor it had already returned; stopping to avoid an endless listing', 'cursor_loop');
      visited.add(page.nextCursor);
      if (visited.size > 1024) visited.clear();
      cursor = page.nextCursor;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) {
      for (const item of page.items) yield item;
    }
  }

  /**
   * Collects every item into an array, at most `max`.
   *
   * @throws ResultLimitError (source `'caller'`) when the listing has more than `max` items.
   */
  async toArray(options: CrmToArrayOptions): Promise<T[]> {
    const max = options?.max;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 0) {
      throw new RangeError('toArray({ max }) needs an explicit non-negative integer cap on the number of items');
    }
    const items: T[] = [];
    for await (const item of this) {
      if (items.length === max) {
        throw new ResultLimitError(`The listing has more than ${max} items; raise max or iterate instead`, max, 'caller');
      }
      items.push(item);
    }
    return items;
  }
}
