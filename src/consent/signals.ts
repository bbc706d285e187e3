/**
 * Opt-out preference signals read from the page, lazily (never at import).
 */
import { getNavigator } from '../core/environment';

/**
 * Whether the browser sends a Global Privacy Control signal
 * (`navigator.globalPrivacyControl === true`). Read when called; `false` outside a browser.
 *
 * @example
 * ```ts
 * import { readGlobalPrivacyControl } from 'guanxi/consent';
 *
 * if (readGlobalPrivacyControl()) console.log('the visitor opts out of sale and sharing');
 * ```
 */
export function readGlobalPrivacyControl(): boolean {
  try {
    return (getNavigator() as (Navigator & { globalPrivacyControl?: unknown }) | undefined)?.globalPrivacyControl === true;
  } catch {
    return false;
  }
}

/**
 * Whether the browser sends Do Not Track (`navigator.doNotTrack === '1'`). Read when called.
 *
 * @example
 * ```ts
 * import { readDoNotTrack } from 'guanxi/consent';
 *
 * const dnt = readDoNotTrack();
 * ```
 */
export function readDoNotTrack(): boolean {
  try {
    const navigator = getNavigator() as (Navigator & { doNotTrack?: unknown }) | undefined;
    return navigator?.doNotTrack === '1';
  } catch {
    return false;
  }
}

/**
 * Whether request headers carry `Sec-GPC: 1` (the Global Privacy Control header).
 * Accepts a `Headers` object or a Node-style header record.
 *
 * @example
 * ```ts
 * import { hasGlobalPrivacyControlHeader } from 'guanxi/consent';
 *
 * hasGlobalPrivacyControlHeader({ 'sec-gpc': '1' }); // true
 * ```
 */
export function hasGlobalPrivacyControlHeader(headers: ConsentRequestHeaders): boolean {
  return readHeader(headers, 'sec-gpc')?.trim() === '1';
}

/**
 * Request headers as a `Headers` object (fetch, edge runtimes) or a record with
 * lower- or mixed-case names (Node's `IncomingMessage.headers`).
 *
 * @example
 * ```ts
 * import type { ConsentRequestHeaders } from 'guanxi/consent';
 *
 * const headers: ConsentRequestHeaders = { 'sec-gpc': '1', cookie: 'guanxi_consent=…' };
 * ```
 */
export type ConsentRequestHeaders =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Reads one header (case-insensitive); repeated headers are joined with `, `. */
export function readHeader(headers: ConsentRequestHeaders, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const wanted = name.toLowerCase();
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() !== wanted) continue;
    const value = record[key];
    return typeof value === 'string' ? value : value?.join(', ');
  }
  return undefined;
}
