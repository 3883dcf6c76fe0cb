// Dataverse Web API error bodies: {error: {code, message}}, the code often a hex string.
import { jsonResponse, type SimResponse } from '../http/sim-http';

export interface DvError {
  status: number;
  code: string;
  message: string;
}

export const DV_JSON = 'application/json; odata.metadata=minimal';

export function dvError(status: number, code: string, message: string): DvError {
  return { status, code, message };
}

export function dvErrorResponse(error: DvError, headers: Record<string, string> = {}): SimResponse {
  return jsonResponse(error.status, { error: { code: error.code, message: error.message } }, DV_JSON, {
    'odata-version': '4.0',
    ...headers,
  });
}

export const invalidProperty = (name: string): DvError =>
  dvError(
    400,
    '0x80060888',
    `Invalid property '${name}' was found in entity 'Microsoft.Dynamics.CRM.contact'.`,
  );
export const unknownProperty = (name: string): DvError =>
  dvError(
    400,
    '0x80060888',
    `Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.contact'.`,
  );
export const doesNotExist = (id: string): DvError =>
  dvError(404, '0x80040217', `contact With Id = ${id} Does Not Exist`);
export const versionMismatch = (): DvError =>
  dvError(
    412,
    '0x80060882',
    "The version of the existing record doesn't match the RowVersion property provided.",
  );
export const duplicateRecord = (): DvError =>
  dvError(412, '0x80040237', 'A record with matching key values already exists.');
