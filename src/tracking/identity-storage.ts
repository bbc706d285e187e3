import { getDocument, getLocalStorage } from '../core/environment';

/**
 * Where the tracker keeps identifiers (anonymous id, user id, session) between page
 * loads. Writes only happen while the identifier storage purpose is granted.
 *
 * @example
 * ```ts
 * import { createTracker, type IdentityStorage } from 'guanxi/tracking';
 *
 * // Keep identifiers in sessionStorage: forgotten when the tab closes.
 * const perTab: IdentityStorage = {
 *   get: (key) => sessionStorage.getItem(key) ?? undefined,
 *   set: (key, value) => sessionStorage.setItem(key, value),
 *   remove: (key) => sessionStorage.removeItem(key),
 * };
 * createTracker({ endpoint: 'https://collector.example.com/v1/batch', identityStorage: perTab });
 * ```
 */
export interface IdentityStorage {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  remove(key: string): void;
}

/** `localStorage`, read when called (it throws in some sandboxed frames: then nothing is stored). */
export function localStorageIdentity(): IdentityStorage {
  return {
    get: (key) => getLocalStorage()?.getItem(key) ?? undefined,
    set: (key, value) => getLocalStorage()?.setItem(key, value),
    remove: (key) => getLocalStorage()?.removeItem(key),
  };
}

/**
 * Identifier storage in first-party cookies: one year, `SameSite=Lax`, `Secure` on
 * https, on the current host unless `domain` is given (e.g. `'.example.com'` to share
 * identifiers across subdomains).
 *
 * @example
 * ```ts
 * import { createTracker, cookieIdentityStorage } from 'guanxi/tracking';
 *
 * createTracker({
 *   endpoint: 'https://collector.example.com/v1/batch',
 *   identityStorage: cookieIdentityStorage({ domain: '.example.com' }),
 * });
 * ```
 */
export function cookieIdentityStorage(options: { readonly domain?: string; readonly maxAgeSeconds?: number } = {}): IdentityStorage {
  const write = (key: string, value: string, maxAge: number) => {
    const document = getDocument();
    if (!document) return;
    const secure = document.location?.protocol === 'https:' ? '; Secure' : '';
    const domain = options.domain ? `; Domain=${options.domain}` : '';
    document.cookie = `${encodeURIComponent(key)}=${encodeURIComponent(value)}; Path=/; Max-Age=${maxAge}; SameSite=Lax${secure}${domain}`;
  };
  return {
    get(key) {
      const prefix = `${encodeURIComponent(key)}=`;
      for (const part of (getDocument()?.cookie ?? '').split('; ')) {
        if (part.startsWith(prefix)) return decodeURIComponent(part.slice(prefix.length));
      }
      return undefined;
    },
    set: (key, value) => write(key, value, options.maxAgeSeconds ?? 31_536_000),
    remove: (key) => write(key, '', 0),
  };
}

/** Identifiers kept for the life of the tracker only. */
export function memoryIdentity(): IdentityStorage {
  const values = new Map<string, string>();
  return {
    get: (key) => values.get(key),
    set: (key, value) => void values.set(key, value),
    remove: (key) => void values.delete(key),
  };
}
