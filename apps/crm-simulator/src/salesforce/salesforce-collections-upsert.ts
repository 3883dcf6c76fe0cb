// sObject Collections upsert: PATCH /composite/sobjects/Contact/{extIdField}, up to 200 records of
// one type, one UpsertResult {id, success, errors, created} per record; allOrNone as for update.
import { type ContactRecord, type FieldValue } from '../domain/contact';
import { isPlainObject, jsonResponse, type SimResponse } from '../http/sim-http';
import { type SimContext } from '../simulator-context';
import { MAX_COLLECTION_RECORDS } from './salesforce-collections';
import { NOT_FOUND, type SfError, sfError, sfErrorResponse } from './salesforce-errors';
import { prepareChanges } from './salesforce-record';

type Outcome =
  | { ok: true; existing: ContactRecord | undefined; value: string; changes: Record<string, FieldValue> }
  | { ok: false; error: SfError };

const ROLLED_BACK = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

export function upsertCollection(
  ctx: SimContext,
  type: string,
  extFieldRaw: string,
  body: Record<string, unknown>,
): SimResponse {
  if (type.toLowerCase() !== 'contact') return sfErrorResponse(NOT_FOUND);
  const extField = ctx.settings.salesforce.externalIdFields.find(
    (field) => field.toLowerCase() === extFieldRaw.toLowerCase(),
  );
  if (extField === undefined) return sfErrorResponse(NOT_FOUND);
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
  const outcomes = records.map((raw: unknown): Outcome => prepareOne(ctx, extField, raw));
  const rollBack = body['allOrNone'] === true && outcomes.some((outcome) => !outcome.ok);
  const results = outcomes.map((outcome) => {
    if (!outcome.ok)
      return {
        success: false,
        errors: [
          {
            statusCode: outcome.error.errorCode,
            message: outcome.error.message,
            fields: outcome.error.fields ?? [],
          },
        ],
      };
    if (rollBack)
      return {
        ...(outcome.existing === undefined ? {} : { id: outcome.existing.id }),
        success: false,
        errors: [ROLLED_BACK],
      };
    if (outcome.existing !== undefined) {
      ctx.store.write(outcome.existing, outcome.changes, 'collections-upsert');
      return { id: outcome.existing.id, success: true, errors: [], created: false };
    }
    const record = ctx.store.create(
      'salesforce',
      { ...outcome.changes, [extField]: outcome.value },
      'collections-upsert',
    );
    return { id: record.id, success: true, errors: [], created: true };
  });
  return jsonResponse(200, results);
}

function prepareOne(ctx: SimContext, extField: string, raw: unknown): Outcome {
  if (!isPlainObject(raw))
    return { ok: false, error: sfError(400, 'JSON_PARSER_ERROR', 'each record must be an object') };
  const attributes = raw['attributes'];
  const type = isPlainObject(attributes) ? attributes['type'] : undefined;
  if (typeof type !== 'string' || type.toLowerCase() !== 'contact')
    return { ok: false, error: sfError(400, 'INVALID_TYPE', 'Must send a concrete entity type.', []) };
  const value = raw[extField];
  if (typeof value !== 'string' || value === '')
    return { ok: false, error: sfError(400, 'MISSING_ARGUMENT', `${extField} not specified`, [extField]) };
  const matches = ctx.store.findBy('salesforce', { [extField]: value });
  // [UNVERIFIED] status code name for an ambiguous external id inside a collection.
  if (matches.length > 1)
    return {
      ok: false,
      error: sfError(
        300,
        'DUPLICATE_EXTERNAL_ID',
        `${extField}: more than one record found for external id field: [${matches.map((match) => match.id).join(', ')}]`,
        [extField],
      ),
    };
  const existing = matches[0];
  const fields = Object.fromEntries(
    Object.entries(raw).filter(([key]) => key !== 'attributes' && key !== extField),
  );
  const prepared = prepareChanges(ctx, existing?.id, fields);
  if ('error' in prepared) return { ok: false, error: prepared.error };
  return { ok: true, existing, value, changes: prepared.changes };
}
