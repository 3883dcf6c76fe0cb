// Checks shared by every Salesforce write path (single PATCH, upsert, collections), and the
// record's JSON shape on reads.
import { type ContactRecord, type FieldValue } from '../domain/contact';
import { CONTACT_KEY_PREFIX, normaliseSalesforceId } from '../domain/salesforce-id';
import { type SimContext } from '../simulator-context';
import { defaultFaultMessage, validateSfChanges } from './contact-schema';
import { ENTITY_IS_DELETED, NOT_FOUND, type SfError, sfError, UNABLE_TO_LOCK_ROW } from './salesforce-errors';

export type Prepared = { record: ContactRecord; changes: Record<string, FieldValue> } | { error: SfError };

export function sfDate(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function malformedId(rawId: string): SfError {
  return sfError(400, 'MALFORMED_ID', `Contact ID: id value of incorrect type: ${rawId}`, ['Id']);
}

export function findSfContact(
  ctx: SimContext,
  rawId: string,
): { record: ContactRecord } | { error: SfError } {
  const id = normaliseSalesforceId(rawId);
  if (id === undefined || !id.startsWith(CONTACT_KEY_PREFIX)) return { error: malformedId(rawId) };
  const record = ctx.store.get('salesforce', id);
  if (record === undefined) return { error: NOT_FOUND };
  if (record.deleted) return { error: ENTITY_IS_DELETED };
  return { record };
}

/** Validates the body and applies injected field and lock faults; writes nothing. */
export function prepareChanges(
  ctx: SimContext,
  recordId: string | undefined,
  body: Record<string, unknown>,
): { changes: Record<string, FieldValue> } | { error: SfError } {
  const validated = validateSfChanges(body);
  if ('error' in validated) return validated;
  const fault = ctx.faults.fieldError('salesforce', Object.keys(validated.changes));
  if (fault !== undefined) {
    const fields = fault.errorCode === 'FIELD_CUSTOM_VALIDATION_EXCEPTION' ? [] : [fault.field];
    return {
      error: sfError(
        400,
        fault.errorCode,
        fault.message ?? defaultFaultMessage(fault.errorCode, fault.field),
        fields,
      ),
    };
  }
  if (recordId !== undefined && ctx.faults.lockedRow(recordId)) return { error: UNABLE_TO_LOCK_ROW };
  return validated;
}

export function prepareUpdate(ctx: SimContext, rawId: string, body: Record<string, unknown>): Prepared {
  const found = findSfContact(ctx, rawId);
  if ('error' in found) return found;
  const prepared = prepareChanges(ctx, found.record.id, body);
  if ('error' in prepared) return prepared;
  return { record: found.record, changes: prepared.changes };
}

export function sfRecordJson(
  record: ContactRecord,
  version: string,
  fields: readonly string[] | undefined,
): Record<string, unknown> {
  const system: Record<string, FieldValue> = {
    Id: record.id,
    IsDeleted: record.deleted,
    CreatedDate: sfDate(record.createdAt),
    LastModifiedDate: sfDate(record.lastModifiedAt),
    SystemModstamp: sfDate(record.lastModifiedAt),
  };
  const all = { ...system, ...record.fields };
  const selected =
    fields === undefined ? all : Object.fromEntries(fields.map((field) => [field, all[field] ?? null]));
  return {
    attributes: { type: 'Contact', url: `/services/data/${version}/sobjects/Contact/${record.id}` },
    ...selected,
  };
}
