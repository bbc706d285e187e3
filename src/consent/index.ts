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
export {
  defaultConsentPurposes,
  consentFormSatisfies,
  type LawfulBasis,
  type ConsentForm,
  type PurposeProcessing,
  type ConsentPurpose,
} from './purposes';
// Data categories are defined once, by the profile model that classifies every field.
export type { DataCategory } from '../profile/data-category';
export {
  defaultJurisdictionRules,
  defaultJurisdictionSources,
  mergeJurisdictionRules,
  findJurisdictionRule,
  type ConsentDefault,
  type SeparateConsentOperation,
  type JurisdictionRule,
} from './jurisdictions';
export { contactChannels, isContactChannel, type ContactChannel, type ContactPreferenceState } from './contact';
export {
  purposeMode,
  requiredConsentForm,
  defaultPurposeState,
  combinePurposeStates,
  evaluatePurpose,
  evaluateContactChannel,
  decideFromStates,
  type PurposeMode,
  type ConsentSource,
  type PurposeChoice,
  type ContactChoice,
  type PolicyContext,
  type ReconsentReason,
  type PurposeEvaluation,
} from './policy';
export { ConsentRecord, ConsentSubject, ConsentRecordNotice } from './consent-record';
export {
  consentLogGenesisHash,
  canonicalJson,
  consentRecordHash,
  createConsentLog,
  type ConsentRecordDraft,
  type ConsentLogHead,
  type ConsentLog,
  type ConsentLogOptions,
} from './proof-log';
export {
  verifyConsentLog,
  type ConsentLogProblemKind,
  type ConsentLogProblem,
  type ConsentLogVerification,
} from './verify-log';
export {
  toConsentReceipt,
  type ConsentReceipt,
  type ConsentReceiptController,
  type ConsentReceiptPurpose,
  type ConsentReceiptOptions,
} from './receipt';
export { memoryConsentStorage, localConsentStorage, type ConsentStorage } from './storage';
export {
  readGlobalPrivacyControl,
  readDoNotTrack,
  hasGlobalPrivacyControlHeader,
  type ConsentRequestHeaders,
} from './signals';
export { encodeConsentToken, decodeConsentToken, type StoredConsentState } from './stored-state';
export {
  createConsentRegister,
  resolveConsentRegisterOptions,
  defaultConsentRegisterOptions,
  combineStoredStates,
  type ConsentRegister,
  type ConsentRegisterOptions,
  type ResolvedConsentRegisterOptions,
  type ConsentNotice,
  type ConsentHow,
  type ConsentUpdate,
  type ConsentErasureRequest,
  type PurposeStatus,
  type ConsentPrompt,
} from './register';
export {
  createStorefrontConsentGate,
  resolveStorefrontConsentGateOptions,
  defaultStorefrontConsentGateOptions,
  type StorefrontConsentGate,
  type StorefrontConsentGateOptions,
  type ResolvedStorefrontConsentGateOptions,
  type StorefrontConsentUpdate,
} from './storefront-gate';
export type { ResolvedConsentPolicy, ResolvedPurposePolicy } from './resolved-policy';
export {
  resolveConsentPolicy,
  evaluateConsentRequest,
  filterConsentedEvents,
  resolveConsentEvaluationOptions,
  defaultConsentEvaluationOptions,
  consentCookieName,
  consentTokenHeader,
  type ConsentRequest,
  type ConsentEvaluationOptions,
  type ResolvedConsentEvaluationOptions,
  type ConsentRequestEvaluation,
  type ConsentFilterableEvent,
  type ConsentRejection,
  type ConsentFilterOptions,
  type ConsentFilterResult,
} from './server';
export {
  consentModeState,
  connectConsentMode,
  defaultConsentModeMapping,
  type ConsentModeSignal,
  type ConsentModeState,
  type ConsentModeMapping,
  type GtagFunction,
  type ConsentModeOptions,
} from './consent-mode';
export { ConsentError, isConsentError, type ConsentErrorCode } from './errors/consent-error';
export {
  ConsentSignalError,
  isConsentSignalError,
  type ConsentSignalErrorReason,
} from './tcf/consent-signal-error';
