/**
 * guanxi's CRM API client: a typed, resilient client over pluggable adapters (guanxi
 * REST and HubSpot CRM v3 built in), with retries, rate limiting, pagination, batch
 * upsert, portable search filters and webhook signature verification. Runs in browsers,
 * Node and edge runtimes.
 * @packageDocumentation
 */
export { createCrmClient, defaultCrmClientOptions, resolveCrmClientOptions, type CrmClient, type CrmClientOptions } from './client';
export type {
  CrmAdapter,
  CrmAdapterLimits,
  CrmBatchItemOutcome,
  CrmCallOptions,
  CrmConsentListRequest,
  CrmCreateOptions,
  CrmEventBatchOutcome,
  CrmItemFailure,
  CrmObjectType,
  CrmPageRequest,
  CrmUpsertOptions,
} from './adapter';
export { failureFromError, type CrmBatchResult } from './batch';
export { checkCrmFilter, type CrmFieldCondition, type CrmFilter, type CrmFilterValue, type CrmSearchQuery, type CrmSort } from './filter';
export { CrmItemIterator, type CrmPage, type CrmToArrayOptions } from './pagination';
export { CrmRecordResource, type CrmIterateOptions } from './resources/record-resource';
export { CrmContact, CrmContactInput } from './resources/contact';
export { CrmCompany, CrmCompanyInput } from './resources/company';
export { CrmDeal, CrmDealInput } from './resources/deal';
export { CrmTicket, CrmTicketInput, CrmTicketPriority } from './resources/ticket';
export { CrmActivity, CrmActivityInput, CrmActivityType } from './resources/activity';
export { CrmConsentRecord, CrmConsentRecordInput, CrmConsentState } from './resources/consent-record';
export { CrmEvent } from './resources/event';
export { CrmDataSubjectRequest, CrmDataSubjectRequestInput } from './resources/data-subject-request';
export { CrmConsentRecords, CrmDataSubjectRequests, CrmEventIngestion, type CrmEventSendOptions, type CrmEventSendResult } from './resources/guanxi-resources';
export {
  CrmTransport,
  createCrmTransport,
  defaultCrmTransportOptions,
  genericWireDialect,
  resolveCrmTransportOptions,
  type CrmAuth,
  type CrmErrorDescription,
  type CrmRequestEvent,
  type CrmResponseEvent,
  type CrmRetryEvent,
  type CrmRetryMode,
  type CrmRetryOptions,
  type CrmTokenProvider,
  type CrmTransportHooks,
  type CrmTransportOptions,
  type CrmTransportRequest,
  type CrmWireDialect,
  type CrmWireResponse,
  type ResolvedCrmTransportOptions,
} from './transport/transport';
export { TokenBucket, type RateLimitBucketOptions } from './transport/token-bucket';
export { HttpError, isHttpError, type HttpErrorDetails, type HttpErrorName } from './errors/http-error';
export { AuthError, isAuthError } from './errors/auth-error';
export { NotFoundError, isNotFoundError } from './errors/not-found-error';
export { ConflictError, isConflictError } from './errors/conflict-error';
export { RateLimitError, isRateLimitError, type RateLimitDetails } from './errors/rate-limit-error';
export { NetworkError, isNetworkError } from './errors/network-error';
export { TimeoutError, isTimeoutError, type TimeoutKind } from './errors/timeout-error';
export { ResultLimitError, isResultLimitError, type ResultLimitSource } from './errors/result-limit-error';
export { UnsupportedOperationError, isUnsupportedOperationError } from './errors/unsupported-operation-error';
export {
  HubSpotAdapter,
  createHubSpotAdapter,
  defaultHubSpotAdapterOptions,
  resolveHubSpotAdapterOptions,
  type HubSpotAdapterOptions,
} from './adapters/hubspot/adapter';
export { hubSpotWireDialect } from './adapters/hubspot/dialect';
export type { HubSpotActivityProperties } from './adapters/hubspot/activities';
export { hubSpotPropertyNames } from './adapters/hubspot/properties';
export { GuanxiRestAdapter, createGuanxiRestAdapter, defaultGuanxiRestAdapterOptions, type GuanxiRestAdapterOptions } from './adapters/guanxi-rest/adapter';
export { guanxiRestWireDialect } from './adapters/guanxi-rest/dialect';
export { signHubSpotRequest, verifyHubSpotSignature, type HubSpotSignatureInput } from './webhooks/hubspot-signature';
export {
  guanxiSignatureHeader,
  signGuanxiWebhook,
  verifyGuanxiWebhook,
  type GuanxiSignatureInput,
  type GuanxiVerificationInput,
} from './webhooks/guanxi-signature';
export { webhookToleranceMs, type WebhookRejection, type WebhookVerification } from './webhooks/verification';
