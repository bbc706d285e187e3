/**
 * Consent: purposes, lawful bases, proof records, jurisdiction rules and signals.
 * @packageDocumentation
 */
export type {
  PurposeId,
  PurposeState,
  ConsentDecision,
  ConsentSnapshot,
  ConsentChange,
  ConsentGate,
} from './gate';
