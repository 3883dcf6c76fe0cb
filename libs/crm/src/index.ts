// Public entry point of @crm/crm: the CRM port, Salesforce and Dataverse adapters, OAuth token
// manager, rate limiter, circuit breaker, error classification, field mapping and the patch decision.
export * from './lib/errors/crm.error';
export {
  classifyCrmError,
  errorDetailOf,
  parseRetryAfter,
  type CrmErrorDetail,
  type ErrorResponse,
} from './lib/errors/error-classifier';
export {
  TokenManager,
  type AccessToken,
  type TokenFetcher,
  type TokenManagerOptions,
  type TokenRefreshOutcome,
} from './lib/auth/token-manager';
export { clientCredentialsFetcher, type ClientCredentials } from './lib/auth/token-endpoints';
export {
  TokenBucketRateLimiter,
  parseSforceLimitInfo,
  type RateLimiterOptions,
  type RateLimiterSnapshot,
} from './lib/rate/rate-limiter';
export { CrmCircuitBreaker, type BreakerOptions, type BreakerState } from './lib/breaker/crm-circuit-breaker';
export {
  CrmHttpClient,
  type CrmHttpClientOptions,
  type CrmRequest,
  type CrmResponse,
} from './lib/http/crm-http.client';
export { type CrmObserver } from './lib/http/crm.observer';
export * from './lib/port/crm.port';
export {
  SalesforceAdapter,
  SALESFORCE_COLLECTION_LIMIT,
  escapeSoql,
  ifUnmodifiedSince,
  type SalesforceAdapterOptions,
} from './lib/salesforce/salesforce.adapter';
export {
  DynamicsAdapter,
  rowPath,
  escapeODataString,
  type DynamicsAdapterOptions,
} from './lib/dynamics/dynamics.adapter';
export {
  buildBatchBody,
  parseBatchResponse,
  type BatchPart,
  type BatchPartResponse,
} from './lib/dynamics/dataverse-batch';
export * from './lib/mapping/field-mapping.schema';
export {
  mapValues,
  transform,
  fieldsToRead,
  type DesiredField,
  type IgnoredReason,
  type MappedUpdate,
} from './lib/mapping/field.mapper';
export * from './lib/mapping/decide-patch';
export { withRetry, backoffDelay, RetriesExhaustedError, type RetryOptions } from './lib/retry/retry.policy';
export { createCrmClient, type CrmClient, type CrmClientSettings } from './lib/crm-client.factory';
