/**
 * From TCF purposes to guanxi purposes, and listening to the page's CMP.
 */
import { ConsentSignalError } from './consent-signal-error';
import { decodeTcString, type TcString } from './decode';

/**
 * Which TCF purposes (1–11) a guanxi purpose needs: the guanxi purpose is granted when
 * every listed TCF purpose has consent.
 *
 * @example
 * ```ts
 * import { defaultTcfPurposeMapping, type TcfPurposeMapping } from 'guanxi/consent/tcf';
 *
 * const mapping: TcfPurposeMapping = { ...defaultTcfPurposeMapping, analytics: [1, 8, 9] };
 * ```
 */
export type TcfPurposeMapping = Readonly<Record<string, readonly number[]>>;

/**
 * The shipped mapping. TCF purposes: 1 store/access information on a device, 2 limited
 * data to select ads, 3 create ad profiles, 4 use ad profiles, 5 create content profiles,
 * 6 use content profiles, 7 measure ad performance, 8 measure content performance,
 * 9 audience statistics, 10 develop services, 11 limited data to select content.
 * `marketing` and `sale-sharing` have no TCF counterpart and are left alone.
 *
 * @example
 * ```ts
 * import { defaultTcfPurposeMapping } from 'guanxi/consent/tcf';
 *
 * console.log(defaultTcfPurposeMapping.advertising); // [1, 3, 4]
 * ```
 */
export const defaultTcfPurposeMapping: TcfPurposeMapping = /* @__PURE__ */ Object.freeze({
  analytics: [1, 8],
  personalization: [1, 5, 6],
  advertising: [1, 3, 4],
});

/**
 * Options of `tcfPurposeStates`.
 *
 * @example
 * ```ts
 * import type { TcfPurposeOptions } from 'guanxi/consent/tcf';
 *
 * const options: TcfPurposeOptions = { vendorId: 755 };
 * ```
 */
export interface TcfPurposeOptions {
  /**
   * The mapping.
   * @default defaultTcfPurposeMapping
   */
  readonly mapping?: TcfPurposeMapping;
  /**
   * Whose consents count: `'publisher'` reads the publisher-TC segment (the site's own
   * processing, which is what guanxi usually does) and falls back to the core purposes
   * when the string has no such segment; `'vendors'` reads the core purposes.
   * @default 'publisher'
   */
  readonly source?: 'publisher' | 'vendors';
  /**
   * When you are a registered vendor: also require consent for this vendor id.
   * @default undefined
   */
  readonly vendorId?: number;
}

/**
 * Derives guanxi purpose states from a decoded TC string, ready for
 * `register.update({ purposes, source: 'tcf' })`.
 *
 * @example
 * ```ts
 * import { decodeTcString, tcfPurposeStates } from 'guanxi/consent/tcf';
 *
 * const states = tcfPurposeStates(decodeTcString('COwxsONOwxsONKpAAAENAdCAAMAAAAAAAAAAAAAAAAAA'));
 * console.log(states); // { analytics: 'denied', personalization: 'denied', advertising: 'denied' }
 * ```
 */
export function tcfPurposeStates(tc: TcString, options: TcfPurposeOptions = {}): Record<string, 'granted' | 'denied'> {
  const mapping = options.mapping ?? defaultTcfPurposeMapping;
  const consents = new Set(options.source !== 'vendors' && tc.publisher ? tc.publisher.purposeConsents : tc.purposeConsents);
  const vendorOk = options.vendorId === undefined || tc.vendorConsents.includes(options.vendorId);
  const states: Record<string, 'granted' | 'denied'> = {};
  for (const purpose of Object.keys(mapping)) {
    states[purpose] = vendorOk && mapping[purpose]!.every((id) => consents.has(id)) ? 'granted' : 'denied';
  }
  return states;
}

/**
 * The part of the CMP's `TCData` guanxi reads.
 *
 * @example
 * ```ts
 * import type { TcfApiData } from 'guanxi/consent/tcf';
 *
 * const data: TcfApiData = { tcString: 'COwxsONOwxsONKpAAAENAdCAAMAAAAAAAAAAAAAAAAAA', eventStatus: 'useractioncomplete', gdprApplies: true };
 * ```
 */
export interface TcfApiData {
  readonly tcString?: string;
  readonly eventStatus?: string;
  readonly gdprApplies?: boolean;
  readonly listenerId?: number;
}

/**
 * Options of `listenToTcfApi`.
 *
 * @example
 * ```ts
 * import type { TcfListenerOptions } from 'guanxi/consent/tcf';
 *
 * const options: TcfListenerOptions = { onError: (error) => console.warn(error.reason) };
 * ```
 */
export interface TcfListenerOptions {
  /**
   * Receives strings that cannot be decoded and CMP failures; never thrown.
   * @default undefined
   */
  readonly onError?: (error: ConsentSignalError) => void;
  /**
   * The `__tcfapi` function; looked up on `globalThis` when absent.
   * @default undefined
   */
  readonly tcfapi?: (...args: unknown[]) => void;
}

/**
 * Listens to the page's CMP through `__tcfapi('addEventListener', 2, …)` when present,
 * and calls `listener` with each decoded TC string once the CMP has loaded
 * (`tcloaded`) or the visitor acted (`useractioncomplete`). Does nothing when there is
 * no `__tcfapi` or when the GDPR does not apply. Never throws: undecodable strings and
 * failures of the CMP or of `listener` go to `onError`. Returns a function that removes
 * the listener.
 *
 * @example
 * ```ts
 * import { listenToTcfApi, tcfPurposeStates } from 'guanxi/consent/tcf';
 * import { createConsentRegister } from 'guanxi/consent';
 *
 * const consent = createConsentRegister({ jurisdiction: 'EU', notice: { version: '1', text: 'We use…', language: 'en' } });
 * const stop = listenToTcfApi((tc) => {
 *   void consent.update({ purposes: tcfPurposeStates(tc), source: 'tcf', action: 'cmp' });
 * });
 * // later: stop();
 * ```
 */
export function listenToTcfApi(listener: (tc: TcString, data: TcfApiData) => void, options: TcfListenerOptions = {}): () => void {
  const report = (error: unknown): void => {
    const signalError =
      error instanceof ConsentSignalError ? error : new ConsentSignalError('The CMP or the TCF listener failed', 'tcf', 'bad_segment', {}, { cause: error });
    try {
      options.onError?.(signalError);
    } catch {
      // An error callback that throws must not reach the CMP.
    }
  };
  let api: ((...args: unknown[]) => void) | undefined;
  try {
    const found = options.tcfapi ?? (globalThis as { __tcfapi?: unknown }).__tcfapi;
    api = typeof found === 'function' ? (found as (...args: unknown[]) => void) : undefined;
  } catch {
    api = undefined;
  }
  if (!api) return () => undefined;
  let listenerId: number | undefined;
  let stopped = false;
  const callback = (data: TcfApiData | undefined, success: boolean): void => {
    try {
      if (stopped || !success || !data) return;
      if (typeof data.listenerId === 'number') listenerId = data.listenerId;
      if (data.gdprApplies === false || typeof data.tcString !== 'string') return;
      if (data.eventStatus !== 'tcloaded' && data.eventStatus !== 'useractioncomplete') return;
      listener(decodeTcString(data.tcString), data);
    } catch (error) {
      report(error);
    }
  };
  try {
    api('addEventListener', 2, callback);
  } catch (error) {
    report(error);
  }
  return () => {
    stopped = true;
    try {
      if (listenerId !== undefined) api('removeEventListener', 2, () => undefined, listenerId);
    } catch (error) {
      report(error);
    }
  };
}
