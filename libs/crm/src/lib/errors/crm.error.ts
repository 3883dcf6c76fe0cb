// The CRM failure hierarchy (DESIGN.md §6): whether to retry, refresh, or dead-letter is decided by
// `retriable` and `reason` here, never by matching strings at call sites. Messages never carry
// field values or tokens: they may reach dead letters and logs.
export type CrmProvider = 'salesforce' | 'dynamics';

export abstract class CrmError extends Error {
  abstract readonly retriable: boolean;
  /** A stable code, used as the dead-letter reason and as a metric label. */
  abstract readonly reason: string;
  /** Whether a sustained run of this error should count towards opening the circuit breaker. */
  readonly tripsBreaker: boolean = false;
  /** The HTTP status that produced it, when there was a response. */
  readonly status: number | null;
  /** The CRM's own error code (Salesforce errorCode/statusCode, Dataverse error.code). */
  readonly crmCode: string | null;
  /** Server-requested wait (Retry-After), when given. */
  readonly retryAfterMs: number | null;

  constructor(
    message: string,
    details: {
      status?: number | null;
      crmCode?: string | null;
      retryAfterMs?: number | null;
      cause?: unknown;
    } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.status = details.status ?? null;
    this.crmCode = details.crmCode ?? null;
    this.retryAfterMs = details.retryAfterMs ?? null;
  }
}

/** 429, 403 REQUEST_LIMIT_EXCEEDED: the org or the service is throttling us. */
export class CrmRateLimitedError extends CrmError {
  readonly retriable = true;
  readonly reason = 'CRM_RATE_LIMITED';
  override readonly tripsBreaker = true;
}

/** 5xx, 420, connection failures. */
export class CrmUnavailableError extends CrmError {
  readonly retriable = true;
  readonly reason = 'CRM_UNAVAILABLE';
  override readonly tripsBreaker = true;
}

/** No answer within the configured time. */
export class CrmTimeoutError extends CrmError {
  readonly retriable = true;
  readonly reason = 'CRM_TIMEOUT';
  override readonly tripsBreaker = true;
}

/** Salesforce UNABLE_TO_LOCK_ROW: another transaction holds the record; retry shortly. */
export class CrmRecordLockedError extends CrmError {
  readonly retriable = true;
  readonly reason = 'CRM_RECORD_LOCKED';
}

/** A conditional update failed (412): the record changed since it was read; re-read and decide again. */
export class CrmPreconditionFailedError extends CrmError {
  readonly retriable = true;
  readonly reason = 'CRM_PRECONDITION_FAILED';
}

/** The circuit breaker is open: nothing was sent. */
export class CrmBreakerOpenError extends CrmError {
  readonly retriable = true;
  readonly reason = 'CRM_BREAKER_OPEN';
}

/** Credentials a refresh cannot fix: invalid_grant, invalid_client, or a 401 that survives a fresh token. */
export class CrmAuthError extends CrmError {
  readonly retriable = false;
  readonly reason = 'CRM_AUTH_FAILED';
  override readonly tripsBreaker = true;
}

/** 400 validation: FIELD_CUSTOM_VALIDATION_EXCEPTION, STRING_TOO_LONG, INVALID_FIELD, MALFORMED_ID, … */
export class CrmValidationError extends CrmError {
  readonly retriable = false;
  readonly reason = 'CRM_VALIDATION';
}

/** 404 NOT_FOUND, ENTITY_IS_DELETED: the record is gone. */
export class CrmRecordNotFoundError extends CrmError {
  readonly retriable = false;
  readonly reason = 'CRM_RECORD_NOT_FOUND';
}

/** 300 on upsert: the external id matched several records. */
export class CrmAmbiguousMatchError extends CrmError {
  readonly retriable = false;
  readonly reason = 'CRM_AMBIGUOUS_MATCH';
}

/** 403 without a limit code (permissions), 405, 409, 415, … : retrying cannot help. */
export class CrmRejectedError extends CrmError {
  readonly retriable = false;
  readonly reason = 'CRM_REJECTED';
}

/** No CRM record matches the update's contact hints (DESIGN.md §4). */
export class ContactUnresolvedError extends CrmError {
  readonly retriable = false;
  readonly reason = 'CONTACT_UNRESOLVED';
}

export function isCrmError(error: unknown): error is CrmError {
  return error instanceof CrmError;
}
