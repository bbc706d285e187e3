/**
 * Google Consent Mode v2 output: the seven signals derived from guanxi purposes, pushed
 * through the page's `gtag` when it is present.
 */
import { getWindow } from '../core/environment';
import type { ConsentGate, ConsentSnapshot, PurposeId } from './gate';

/**
 * The seven Consent Mode v2 signals.
 *
 * @example
 * ```ts
 * import type { ConsentModeSignal } from 'guanxi/consent';
 *
 * const signal: ConsentModeSignal = 'ad_user_data';
 * ```
 */
export type ConsentModeSignal =
  | 'ad_storage'
  | 'analytics_storage'
  | 'ad_user_data'
  | 'ad_personalization'
  | 'functionality_storage'
  | 'personalization_storage'
  | 'security_storage';

/**
 * Signal values as gtag expects them.
 *
 * @example
 * ```ts
 * import type { ConsentModeState } from 'guanxi/consent';
 *
 * const state: ConsentModeState = { ad_storage: 'denied', analytics_storage: 'granted', ad_user_data: 'denied', ad_personalization: 'denied', functionality_storage: 'granted', personalization_storage: 'denied', security_storage: 'granted' };
 * ```
 */
export type ConsentModeState = Record<ConsentModeSignal, 'granted' | 'denied'>;

/**
 * Which purposes each signal needs (all granted → `granted`).
 *
 * @example
 * ```ts
 * import { defaultConsentModeMapping, type ConsentModeMapping } from 'guanxi/consent';
 *
 * const mapping: ConsentModeMapping = { ...defaultConsentModeMapping, ad_personalization: ['advertising', 'personalization'] };
 * ```
 */
export type ConsentModeMapping = Readonly<Record<ConsentModeSignal, readonly PurposeId[]>>;

/**
 * The shipped mapping: storage and measurement signals follow their purposes; sending
 * user data to Google for ads and ad personalization also need `sale-sharing`
 * (disclosing data to an ad platform is "sharing" under the CPRA); functionality and
 * security storage are strictly necessary.
 *
 * @example
 * ```ts
 * import { defaultConsentModeMapping } from 'guanxi/consent';
 *
 * console.log(defaultConsentModeMapping.ad_user_data); // ['advertising', 'sale-sharing']
 * ```
 */
export const defaultConsentModeMapping: ConsentModeMapping = /* @__PURE__ */ Object.freeze({
  ad_storage: ['advertising'],
  analytics_storage: ['analytics'],
  ad_user_data: ['advertising', 'sale-sharing'],
  ad_personalization: ['advertising', 'sale-sharing'],
  functionality_storage: ['necessary'],
  personalization_storage: ['personalization'],
  security_storage: ['necessary'],
});

/**
 * Derives the seven Consent Mode v2 signals from a consent snapshot. A signal is
 * `granted` only when every purpose it maps to is granted (pending counts as denied,
 * as Consent Mode has no pending).
 *
 * @example
 * ```ts
 * import { consentModeState } from 'guanxi/consent';
 *
 * const state = consentModeState({ purposes: { necessary: 'granted', analytics: 'granted', advertising: 'pending' }, takenAt: Date.now() });
 * console.log(state.analytics_storage, state.ad_storage); // 'granted' 'denied'
 * ```
 */
export function consentModeState(snapshot: ConsentSnapshot, mapping: ConsentModeMapping = defaultConsentModeMapping): ConsentModeState {
  const state = {} as ConsentModeState;
  for (const signal of Object.keys(mapping) as ConsentModeSignal[]) {
    state[signal] = mapping[signal].every((purpose) => snapshot.purposes[purpose] === 'granted') ? 'granted' : 'denied';
  }
  return state;
}

/**
 * A `gtag` function.
 *
 * @example
 * ```ts
 * import type { GtagFunction } from 'guanxi/consent';
 *
 * const calls: unknown[][] = [];
 * const gtag: GtagFunction = (...args) => void calls.push(args);
 * ```
 */
export type GtagFunction = (...args: unknown[]) => void;

/**
 * Options of `connectConsentMode`.
 *
 * @example
 * ```ts
 * import type { ConsentModeOptions } from 'guanxi/consent';
 *
 * const options: ConsentModeOptions = { waitForUpdate: 500 };
 * ```
 */
export interface ConsentModeOptions {
  /**
   * The mapping from purposes to signals.
   * @default defaultConsentModeMapping
   */
  readonly mapping?: ConsentModeMapping;
  /**
   * The gtag function; looked up as `window.gtag` at each push when absent.
   * @default undefined
   */
  readonly gtag?: GtagFunction;
  /**
   * `wait_for_update` (ms) sent with the default, for CMPs that load asynchronously.
   * @default undefined
   */
  readonly waitForUpdate?: number;
}

/**
 * Pushes `gtag('consent', 'default', …)` now (call it before any Google tag fires) and
 * `gtag('consent', 'update', …)` on every change of the gate, and once right away when
 * the stored choice differs from the defaults. Does nothing while no gtag is present;
 * never throws. Returns a function that stops the updates.
 *
 * @example
 * ```ts
 * import { connectConsentMode, createConsentRegister } from 'guanxi/consent';
 *
 * const consent = createConsentRegister({ jurisdiction: 'EU', notice: { version: '1', text: 'We use…', language: 'en' } });
 * const disconnect = connectConsentMode(consent);
 * // later: disconnect();
 * ```
 */
export function connectConsentMode(gate: ConsentGate, options: ConsentModeOptions = {}): () => void {
  const mapping = options.mapping ?? defaultConsentModeMapping;
  const push = (command: 'default' | 'update', state: ConsentModeState): void => {
    try {
      const gtag = options.gtag ?? (getWindow() as (Window & { gtag?: unknown }) | undefined)?.gtag;
      if (typeof gtag !== 'function') return;
      (gtag as GtagFunction)('consent', command, command === 'default' && options.waitForUpdate !== undefined ? { ...state, wait_for_update: options.waitForUpdate } : state);
    } catch {
      // A broken gtag must not break the page or consent handling.
    }
  };
  let last = consentModeState(gate.snapshot(), mapping);
  push('default', last);
  return gate.subscribe((change) => {
    const next = consentModeState(change.snapshot, mapping);
    if ((Object.keys(next) as ConsentModeSignal[]).every((signal) => next[signal] === last[signal])) return;
    last = next;
    push('update', next);
  });
}
