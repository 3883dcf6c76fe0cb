// Salesforce REST error bodies: a JSON array of {message, errorCode, fields?}. Inside sObject
// Collections results the same object names its code `statusCode` instead.
import { jsonResponse, type SimResponse } from '../http/sim-http';

export interface SfError {
  status: number;
  errorCode: string;
  message: string;
  fields?: string[];
}

export function sfErrorResponse(error: SfError, headers: Record<string, string> = {}): SimResponse {
  const item = {
    message: error.message,
    errorCode: error.errorCode,
    ...(error.fields === undefined ? {} : { fields: error.fields }),
  };
  return jsonResponse(error.status, [item], undefined, headers);
}

export function sfError(status: number, errorCode: string, message: string, fields?: string[]): SfError {
  return { status, errorCode, message, ...(fields === undefined ? {} : { fields }) };
}

export const NOT_FOUND = sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
export const ENTITY_IS_DELETED = sfError(404, 'ENTITY_IS_DELETED', 'entity is deleted', []);
export const UNABLE_TO_LOCK_ROW = sfError(
  400,
  'UNABLE_TO_LOCK_ROW',
  'unable to obtain exclusive access to this record',
  [],
);
