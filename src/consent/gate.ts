/**
 * The contract between consent and the parts that must obey it (the tracker's pipeline,
 * the server-side filter). The tracker depends on this interface only, so any consent
 * source — guanxi's consent manager, a test double, a user's own CMP bridge — can gate
 * events.
 */

/** A processing purpose, e.g. `'necessary'`, `'analytics'`, `'marketing'`, `'advertising'`. *
 * @example
 * ```ts
 * import type { PurposeId } from 'guanxi/consent';
 *
 * const needed: PurposeId[] = ['analytics', 'marketing'];
 * ```
 */
export type PurposeId = string;

/** The state of one purpose for one subject. *
 * @example
 * ```ts
 * import type { PurposeState } from 'guanxi/consent';
 *
 * const state: PurposeState = 'objected'; // the subject objected to legitimate-interest processing
 * ```
 */
export type PurposeState = 'granted' | 'denied' | 'pending' | 'objected';

/**
 * What a gate decides for a set of purposes: `granted` when every purpose is granted,
 * `denied` when any is denied or objected, otherwise `pending`.
 *
 * @example
 * ```ts
 * import type { ConsentDecision, ConsentGate } from 'guanxi/consent';
 *
 * declare const gate: ConsentGate;
 * const decision: ConsentDecision = gate.decide(['analytics']);
 * ```
 */
export type ConsentDecision = 'granted' | 'denied' | 'pending';

/** The consent state at one moment, stamped on every event at capture time. *
 * @example
 * ```ts
 * import type { ConsentSnapshot } from 'guanxi/consent';
 *
 * const snapshot: ConsentSnapshot = { purposes: { necessary: 'granted', analytics: 'pending' }, takenAt: Date.now(), jurisdiction: 'EU' };
 * ```
 */
export interface ConsentSnapshot {
  /** State per purpose known to the gate. */
  readonly purposes: Readonly<Record<PurposeId, PurposeState>>;
  /** When the snapshot was taken (ms since epoch). */
  readonly takenAt: number;
  /** Jurisdiction code the rules came from (e.g. `'EU'`, `'US-CA'`, `'CN'`), if known. */
  readonly jurisdiction?: string;
}

/** A change of consent, delivered to gate subscribers. *
 * @example
 * ```ts
 * import type { ConsentGate } from 'guanxi/consent';
 *
 * declare const gate: ConsentGate;
 * const unsubscribe = gate.subscribe((change) => {
 *   if (change.withdrawn.includes('marketing')) console.log('purge marketing data');
 * });
 * unsubscribe();
 * ```
 */
export interface ConsentChange {
  /** Purposes that became granted. */
  readonly granted: readonly PurposeId[];
  /** Purposes that were granted or pending before and are now denied or objected. */
  readonly withdrawn: readonly PurposeId[];
  /** The state after the change. */
  readonly snapshot: ConsentSnapshot;
}

/**
 * Anything that can decide whether processing for some purposes may happen now.
 *
 * @example
 * ```ts
 * import type { ConsentGate } from 'guanxi/consent';
 *
 * // A gate that grants everything: for back-office imports under a contract basis.
 * const allowAll: ConsentGate = {
 *   decide: () => 'granted',
 *   snapshot: () => ({ purposes: {}, takenAt: Date.now() }),
 *   subscribe: () => () => undefined,
 * };
 * ```
 */
export interface ConsentGate {
  /** Decides for the given purposes right now. */
  decide(purposes: readonly PurposeId[]): ConsentDecision;
  /** The current state, to stamp on a captured event. */
  snapshot(): ConsentSnapshot;
  /** Calls `listener` on every change; returns a function that unsubscribes. */
  subscribe(listener: (change: ConsentChange) => void): () => void;
}
