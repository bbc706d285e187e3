/**
 * Customer profiles: zod/mini schemas for persons and organizations (contact points,
 * identities, CRM fields, relationships, custom traits), data categories, normalization,
 * field-level merge with provenance and history, an identity graph, and data-subject
 * helpers (export, redaction, erasure).
 * @packageDocumentation
 */
export {
  DataCategory,
  SensitiveDataKind,
  dataCategories,
  sensitiveDataLaw,
  profileFieldCategories,
} from './data-category';
export {
  normalizeEmail,
  normalizePhone,
  defaultPhoneNormalizationOptions,
  resolvePhoneNormalizationOptions,
  type NormalizationResult,
  type PhoneNormalizationOptions,
} from './normalize';
export {
  ChannelPreference,
  EmailAddress,
  EmailContact,
  PhoneKind,
  PhoneContact,
  createPhoneNumberSchema,
  createPhoneContactSchema,
  AddressKind,
  PostalAddress,
  HandleKind,
  SocialHandle,
} from './contact-point';
export { ExternalSystem, Identities, IdentifierKind } from './identity';
export { PartyKind } from './party-kind';
export {
  Relationship,
  defaultRelationshipTypes,
  defineRelationshipTypes,
  type RelationshipTypeDefinition,
  type RelationshipTypeRegistry,
} from './relationship';
export { ProfileLifecycleStage } from './lifecycle';
export { defineProfileTierLadder, type ProfileTierLadder } from './tier';
export { SpecialDate } from './special-date';
export { Gender, NationalId } from './person';
export { OrganizationSize } from './organization';
export { AnyTraits } from './traits';
export { ObservedAt, type Observation } from './observation';
export {
  createProfileModel,
  definePersonSchema,
  defaultProfileModel,
  defaultProfileModelOptions,
  resolveProfileModelOptions,
  Person,
  Organization,
  type Party,
  type PersonOf,
  type OrganizationOf,
  type PartyOf,
  type ObservationOf,
  type ProfileModel,
  type ProfileModelOptions,
  type ResolvedProfileModelOptions,
} from './profile-model';
export { compareStamped, type StampedValue } from './provenance';
export {
  defaultMergePolicies,
  defaultMergeOptions,
  resolveMergeOptions,
  type FieldMergePolicy,
  type MergeOptions,
  type ResolvedMergeOptions,
  type ResolvedFieldPolicy,
} from './merge-policy';
export type { ChangeRecord } from './change-record';
export {
  createProfileRecord,
  recordObservation,
  mergeProfileRecords,
  cloneProfileRecord,
  profileRecordToParty,
  type ProfileRecord,
  type ProfileRecordEntry,
  type ObservationStamp,
} from './profile-record';
export { ProfileRecordJson, profileRecordToJson, profileRecordFromJson, filterProfileRecord } from './profile-record-json';
export { IdentityConflictError, isIdentityConflictError, type IdentityConflict } from './identity-conflict';
export { Tombstone } from './tombstone';
export {
  exportProfileRecord,
  profileProvenance,
  redactParty,
  type ProfileExport,
  type ProvenanceEntry,
} from './data-subject';
export {
  createIdentityGraph,
  defaultIdentityGraphOptions,
  resolveIdentityGraphOptions,
  type IdentityGraph,
  type IdentityGraphOptions,
  type IngestOutcome,
  type ProfileMergeOutcome,
  type ResolvedProfile,
  type FindProfileOptions,
  type IdentifyInput,
  type AliasInput,
} from './identity-graph';
