/**
 * Where a register keeps each subject's choices between page loads or requests. Storing
 * the consent choice itself is strictly necessary (it is what lets the site respect
 * it), so it needs no consent of its own.
 */
import { getLocalStorage } from '../core/environment';

/**
 * A key-value store for consent state, synchronous or asynchronous. Keys look like
 * `guanxi.consent:user:customer-42`; values are JSON text written by guanxi.
 *
 * @example
 * ```ts
 * import type { ConsentStorage } from 'guanxi/consent';
 *
 * // A store backed by a server-side table (sketch).
 * declare const table: { get(key: string): Promise<string | undefined>; put(key: string, value: string): Promise<void> };
 * const storage: ConsentStorage = { read: (key) => table.get(key), write: (key, value) => table.put(key, value) };
 * ```
 */
export interface ConsentStorage {
  read(key: string): string | null | undefined | Promise<string | null | undefined>;
  write(key: string, value: string): void | Promise<void>;
}

/**
 * A store in memory (the default): choices last as long as the page or process.
 *
 * @example
 * ```ts
 * import { createConsentRegister, memoryConsentStorage } from 'guanxi/consent';
 *
 * const storage = memoryConsentStorage();
 * const consent = createConsentRegister({ storage, notice: { version: '1', text: 'We use…', language: 'en' } });
 * ```
 */
export function memoryConsentStorage(): ConsentStorage {
  const values = new Map<string, string>();
  return {
    read: (key) => values.get(key),
    write: (key, value) => {
      values.set(key, value);
    },
  };
}

/**
 * A store in the page's `localStorage`, reached only when read or written (never at
 * import). Where `localStorage` is missing or throws (Safari private mode, sandboxed
 * iframes, Node) it reads nothing and writes nowhere, so choices last for the page.
 *
 * @example
 * ```ts
 * import { createConsentRegister, localConsentStorage } from 'guanxi/consent';
 *
 * const consent = createConsentRegister({ storage: localConsentStorage(), notice: { version: '1', text: 'We use…', language: 'en' } });
 * ```
 */
export function localConsentStorage(): ConsentStorage {
  return {
    read(key) {
      try {
        return getLocalStorage()?.getItem(key);
      } catch {
        return undefined;
      }
    },
    write(key, value) {
      try {
        getLocalStorage()?.setItem(key, value);
      } catch {
        // Quota or privacy mode: the choice still holds for this page.
      }
    },
  };
}
