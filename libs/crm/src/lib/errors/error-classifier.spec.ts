import {
  CrmAmbiguousMatchError,
  CrmAuthError,
  CrmPreconditionFailedError,
  CrmRateLimitedError,
  CrmRecordLockedError,
  CrmRecordNotFoundError,
  CrmRejectedError,
  CrmUnavailableError,
  CrmValidationError,
} from './crm.error';
import { classifyCrmError, errorDetailOf, parseRetryAfter } from './error-classifier';

const sf = (status: number, errorCode: string, fields: string[] = []) =>
  classifyCrmError({
    provider: 'salesforce',
    operation: 'update',
    status,
    body: [{ message: 'm', errorCode, fields }],
  });

describe(classifyCrmError.name, () => {
  it.each([
    [400, 'FIELD_CUSTOM_VALIDATION_EXCEPTION', CrmValidationError],
    [400, 'STRING_TOO_LONG', CrmValidationError],
    [400, 'INVALID_FIELD', CrmValidationError],
    [400, 'MALFORMED_ID', CrmValidationError],
    [404, 'NOT_FOUND', CrmRecordNotFoundError],
    [404, 'ENTITY_IS_DELETED', CrmRecordNotFoundError],
    [400, 'ENTITY_IS_DELETED', CrmRecordNotFoundError],
    [403, 'INSUFFICIENT_ACCESS', CrmRejectedError],
    [300, 'MULTIPLE_CHOICES', CrmAmbiguousMatchError],
  ])('treats Salesforce %i %s as permanent', (status, code, type) => {
    const error = sf(status, code);
    expect(error).toBeInstanceOf(type);
    expect(error.retriable).toBe(false);
    expect(error.crmCode).toBe(code);
  });

  it.each([
    [403, 'REQUEST_LIMIT_EXCEEDED', CrmRateLimitedError, true],
    [400, 'UNABLE_TO_LOCK_ROW', CrmRecordLockedError, false],
    [503, 'SERVER_UNAVAILABLE', CrmUnavailableError, true],
    [500, 'UNKNOWN_EXCEPTION', CrmUnavailableError, true],
    [420, 'EDGE', CrmUnavailableError, true],
    [429, 'LIMIT', CrmRateLimitedError, true],
    [412, 'PRECONDITION_FAILED', CrmPreconditionFailedError, false],
  ])('treats Salesforce %i %s as retriable', (status, code, type, trips) => {
    const error = sf(status, code);
    expect(error).toBeInstanceOf(type);
    expect(error.retriable).toBe(true);
    expect(error.tripsBreaker).toBe(trips);
  });

  it('reads the statusCode key used inside sObject Collections results', () => {
    const error = classifyCrmError({
      provider: 'salesforce',
      operation: 'update_many',
      status: 400,
      body: [{ statusCode: 'STRING_TOO_LONG', message: 'x', fields: ['Order_Number__c'] }],
    });
    expect(error).toBeInstanceOf(CrmValidationError);
    expect(error.message).toContain('Order_Number__c');
  });

  it('classifies Dataverse error bodies and keeps Retry-After', () => {
    const throttled = classifyCrmError({
      provider: 'dynamics',
      operation: 'update',
      status: 429,
      body: { error: { code: '0x80072322', message: 'm' } },
      retryAfterMs: 7_000,
    });
    expect(throttled).toBeInstanceOf(CrmRateLimitedError);
    expect(throttled.retryAfterMs).toBe(7_000);
    expect(
      classifyCrmError({
        provider: 'dynamics',
        operation: 'update',
        status: 404,
        body: { error: { code: '', message: 'x Does Not Exist' } },
      }),
    ).toBeInstanceOf(CrmRecordNotFoundError);
    expect(
      classifyCrmError({
        provider: 'dynamics',
        operation: 'update',
        status: 400,
        body: { error: { code: '0x80044331', message: 'm' } },
      }),
    ).toBeInstanceOf(CrmValidationError);
    expect(
      classifyCrmError({ provider: 'dynamics', operation: 'update', status: 401, body: null }),
    ).toBeInstanceOf(CrmAuthError);
  });

  it('never copies the CRM message, which can echo the rejected value', () => {
    const error = classifyCrmError({
      provider: 'salesforce',
      operation: 'update',
      status: 400,
      body: [
        {
          message: 'data value too large: 12345678901234',
          errorCode: 'STRING_TOO_LONG',
          fields: ['Order_Number__c'],
        },
      ],
    });
    expect(error.message).not.toContain('12345678901234');
  });
});

describe(errorDetailOf.name, () => {
  it('tolerates bodies that are not CRM errors', () => {
    expect(errorDetailOf('<html>')).toEqual({ code: null, fields: [] });
    expect(errorDetailOf(null)).toEqual({ code: null, fields: [] });
  });
});

describe(parseRetryAfter.name, () => {
  it('reads seconds and HTTP-dates', () => {
    expect(parseRetryAfter('5')).toBe(5_000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter(undefined)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });
});
