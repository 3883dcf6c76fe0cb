// sObject Collections update: PATCH /composite/sobjects, up to 200 records, one SaveResult per
// record in input order; errors inside use `statusCode`, not `errorCode`. allOrNone rolls back all.
import { type ContactRecord, type FieldValue } from '../domain/contact';
import { isPlainObject, jsonResponse, type SimResponse } from '../http/sim-http';
import { type SimContext } from '../simulator-context';
import { type SfError, sfError, sfErrorResponse } from './salesforce-errors';
import { prepareUpdate } from './salesforce-record';

export const MAX_COLLECTION_RECORDS = 200;

interface SaveResult {
  id?: string;
  success: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
}

type Outcome =
  | { ok: true; record: ContactRecord; changes: Record<string, FieldValue> }
  | { ok: false; id: string | undefined; error: SfError };

export function updateCollection(ctx: SimContext, body: Record<string, unknown>): SimResponse {
  const records = body['records'];
  if (!Array.isArray(records))
    return sfErrorResponse(sfError(400, 'JSON_PARSER_ERROR', 'records is required and must be an array'));
  if (records.length > MAX_COLLECTION_RECORDS) {
    return sfErrorResponse(
      sfError(
        400,
        'EXCEEDED_ID_LIMIT',
        `record limit reached. cannot submit more than ${MAX_COLLECTION_RECORDS} records into this call`,
      ),
    );
  }
  const allOrNone = body['allOrNone'] === true;
  const outcomes = records.map((raw: unknown): Outcome => prepareOne(ctx, raw));
  const anyFailed = outcomes.some((outcome) => !outcome.ok);
  const results = outcomes.map((outcome): SaveResult => {
    if (!outcome.ok) {
      return {
        ...(outcome.id === undefined ? {} : { id: outcome.id }),
        success: false,
        errors: [toCollectionError(outcome.error)],
      };
    }
    if (allOrNone && anyFailed) {
      return {
        id: outcome.record.id,
        success: false,
        errors: [
          {
            statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
            message:
              'Record rolled back because not all records were valid and the request was using AllOrNone header',
            fields: [],
          },
        ],
      };
    }
    ctx.store.write(outcome.record, outcome.changes, 'collections');
    return { id: outcome.record.id, success: true, errors: [] };
  });
  return jsonResponse(200, results);
}

function prepareOne(ctx: SimContext, raw: unknown): Outcome {
  if (!isPlainObject(raw))
    return {
      ok: false,
      id: undefined,
      error: sfError(400, 'JSON_PARSER_ERROR', 'each record must be an object'),
    };
  const attributes = raw['attributes'];
  const type = isPlainObject(attributes) ? attributes['type'] : undefined;
  const rawId =
    typeof raw['id'] === 'string' ? raw['id'] : typeof raw['Id'] === 'string' ? raw['Id'] : undefined;
  if (typeof type !== 'string')
    return {
      ok: false,
      id: rawId,
      error: sfError(400, 'INVALID_TYPE', 'Must send a concrete entity type.', []),
    };
  if (type.toLowerCase() !== 'contact')
    return {
      ok: false,
      id: rawId,
      error: sfError(400, 'INVALID_TYPE', `sObject type '${type}' is not supported.`, []),
    };
  if (rawId === undefined)
    return {
      ok: false,
      id: undefined,
      error: sfError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call', []),
    };
  const fields = Object.fromEntries(
    Object.entries(raw).filter(([key]) => key !== 'attributes' && key !== 'id' && key !== 'Id'),
  );
  const prepared = prepareUpdate(ctx, rawId, fields);
  if ('error' in prepared)
    return {
      ok: false,
      id: prepared.error.errorCode === 'MALFORMED_ID' ? undefined : rawId,
      error: prepared.error,
    };
  return { ok: true, record: prepared.record, changes: prepared.changes };
}

function toCollectionError(error: SfError): SaveResult['errors'][number] {
  return { statusCode: error.errorCode, message: error.message, fields: error.fields ?? [] };
}
