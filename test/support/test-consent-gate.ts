/**
 * A minimal `ConsentGate` for tests of the tracker's side of the contract: purposes
 * with states set by hand, changes announced to subscribers.
 */
import type { ConsentChange, ConsentGate, PurposeId, PurposeState } from '../../src/consent/index';

export interface TestConsentGate extends ConsentGate {
  set(states: Record<PurposeId, PurposeState>): void;
  readonly states: Map<PurposeId, PurposeState>;
}

export function createTestConsentGate(initial: Record<PurposeId, PurposeState> = {}, now: () => number = Date.now): TestConsentGate {
  const states = new Map<PurposeId, PurposeState>(Object.entries({ necessary: 'granted', ...initial }));
  const listeners = new Set<(change: ConsentChange) => void>();
  const snapshot = () => ({ purposes: Object.fromEntries(states), takenAt: now(), jurisdiction: 'EU' });
  return {
    states,
    decide(purposes) {
      const list = purposes.map((purpose) => states.get(purpose) ?? 'pending');
      if (list.some((state) => state === 'denied' || state === 'objected')) return 'denied';
      return list.every((state) => state === 'granted') ? 'granted' : 'pending';
    },
    snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next) {
      const granted: PurposeId[] = [];
      const withdrawn: PurposeId[] = [];
      for (const [purpose, state] of Object.entries(next)) {
        const before = states.get(purpose) ?? 'pending';
        states.set(purpose, state);
        if (state === 'granted' && before !== 'granted') granted.push(purpose);
        if ((state === 'denied' || state === 'objected') && (before === 'granted' || before === 'pending')) withdrawn.push(purpose);
      }
      if (granted.length === 0 && withdrawn.length === 0) return;
      const change = { granted, withdrawn, snapshot: snapshot() };
      for (const listener of [...listeners]) listener(change);
    },
  };
}
