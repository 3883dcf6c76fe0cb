// Turns a CRM error response into the typed hierarchy of DESIGN.md §6. Both CRMs' wire shapes are
// read here: Salesforce `[{message, errorCode, fields}]` (and `statusCode` inside sObject
// Collections results), Dataverse `{error: {code, message}}`. The CRM's message is deliberately left
// out of ours: Salesforce echoes the offending value (STRING_TOO_LONG), and ours reach dead letters.
import {
  CrmAmbiguousMatchError,
  CrmAuthError,
  type CrmError,
  CrmPreconditionFailedError,
  type CrmProvider,
  CrmRateLimitedError,
  CrmRecordLockedError,
  CrmRecordNotFoundError,
  CrmRejectedError,
  CrmUnavailableError,
  CrmValidationError,
} from './crm.error';

export interface CrmErrorDetail {
  code: string | null;
  fields: string[];
}

const RATE_LIMIT_CODES = new Set([
  'REQUEST_LIMIT_EXCEEDED',
  // Dataverse service protection: requests, execution time, concurrency.
  '0x80072322',
  '0x80072321',
  '0x80072326',
]);
const NOT_FOUND_CODES = new Set(['ENTITY_IS_DELETED', 'NOT_FOUND']);
const LOCK_CODES = new Set(['UNABLE_TO_LOCK_ROW']);

/** Reads the first error of either CRM's error body; tolerant of bodies that are neither. */
export function errorDetailOf(body: unknown): CrmErrorDetail {
  const first = Array.isArray(body) ? (body[0] as unknown) : body;
  if (typeof first !== 'object' || first === null) return { code: null, fields: [] };
  const record = first as Record<string, unknown>;
  if (typeof record['error'] === 'object' && record['error'] !== null) {
    const code = (record['error'] as Record<string, unknown>)['code'];
    return { code: typeof code === 'string' && code !== '' ? code : null, fields: [] };
  }
  const code = record['errorCode'] ?? record['statusCode'];
  const fields = Array.isArray(record['fields'])
    ? record['fields'].filter((f): f is string => typeof f === 'string')
    : [];
  return { code: typeof code === 'string' ? code : null, fields };
}

/** Retry-After as delta-seconds or an HTTP-date, in milliseconds from `now`. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export interface ErrorResponse {
  provider: CrmProvider;
  operation: string;
  status: number;
  body: unknown;
  retryAfterMs?: number | null;
}

/** One failed response (or one failed record of a collection, status = the record's status) → a CrmError. */
export function classifyCrmError(response: ErrorResponse): CrmError {
  const { provider, operation, status } = response;
  const { code, fields } = errorDetailOf(response.body);
  const where = fields.length > 0 ? ` on ${fields.join(',')}` : '';
  const message = `${provider} ${operation} failed: ${status} ${code ?? 'no error code'}${where}`;
  const details = { status, crmCode: code, retryAfterMs: response.retryAfterMs ?? null };
  if (code !== null) {
    if (RATE_LIMIT_CODES.has(code)) return new CrmRateLimitedError(message, details);
    if (LOCK_CODES.has(code)) return new CrmRecordLockedError(message, details);
    if (NOT_FOUND_CODES.has(code)) return new CrmRecordNotFoundError(message, details);
  }
  if (status === 429) return new CrmRateLimitedError(message, details);
  if (status === 420 || status >= 500) return new CrmUnavailableError(message, details);
  switch (status) {
    case 300:
      return new CrmAmbiguousMatchError(message, details);
    case 400:
      return new CrmValidationError(message, details);
    case 401:
      return new CrmAuthError(message, details);
    case 404:
    case 410:
      return new CrmRecordNotFoundError(message, details);
    case 412:
      return new CrmPreconditionFailedError(message, details);
    default:
      return new CrmRejectedError(message, details);
  }
}
