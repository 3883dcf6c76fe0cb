// The CRM port: what the writer needs from any CRM, whatever its wire protocol.
import { type CrmError, type CrmProvider } from '../errors/crm.error';

export type FieldValue = string | number | boolean | null;
export type FieldValues = Record<string, FieldValue>;

export interface RecordRef {
  /** Salesforce sObject type (`Contact`) or Dataverse entity set (`contacts`). */
  object: string;
  /** Salesforce 15/18-char id, Dataverse GUID. */
  id: string;
}

export interface ReadResult {
  values: FieldValues;
  /** What makes the next update conditional: Salesforce LastModifiedDate, Dataverse @odata.etag. */
  version: string | null;
  requestId: string | null;
}

export interface UpdateOutcome {
  requestId: string | null;
}

export interface ContactLookupKeys {
  email?: string | null;
  phone?: string | null;
}

export type LookupResult =
  { status: 'found'; id: string } | { status: 'not-found' } | { status: 'ambiguous'; count: number };

export interface BatchUpdate {
  ref: RecordRef;
  fields: FieldValues;
  /** Honoured only where `updateManyIsConditional` (Dataverse If-Match per part); see the writer README. */
  condition?: { version: string };
}

export type BatchUpdateResult = { ok: true; ref: RecordRef } | { ok: false; ref: RecordRef; error: CrmError };

export interface CrmAdapter {
  readonly provider: CrmProvider;
  read(ref: RecordRef, fields: readonly string[]): Promise<ReadResult>;
  /** PATCH only the given fields; with a condition, a concurrent change gives CrmPreconditionFailedError. */
  update(ref: RecordRef, fields: FieldValues, condition?: { version: string }): Promise<UpdateOutcome>;
  lookupContact(keys: ContactLookupKeys): Promise<LookupResult>;
  /** Many records in one call (sObject Collections / $batch), each record succeeding or failing on its own. */
  updateMany?(batch: readonly BatchUpdate[]): Promise<BatchUpdateResult[]>;
  /** True when `updateMany` applies each record's `condition` (a concurrent edit fails that record alone). */
  readonly updateManyIsConditional?: boolean;
  /**
   * Reads many records of one object in as few calls as possible. Records the CRM does not return
   * (missing, deleted, an id spelt differently) are absent from the map, keyed by the id asked for;
   * the caller reads those one by one to learn why.
   */
  readMany?(
    object: string,
    ids: readonly string[],
    fields: readonly string[],
  ): Promise<Map<string, ReadResult>>;
}

export function recordKey(provider: CrmProvider, ref: RecordRef): string {
  return `${provider}:${ref.object}:${ref.id}`;
}

export function parseRecordKey(key: string): { provider: CrmProvider; ref: RecordRef } | null {
  const match = /^(salesforce|dynamics):([^:]+):(.+)$/.exec(key);
  if (!match) return null;
  return { provider: match[1] as CrmProvider, ref: { object: match[2]!, id: match[3]! } };
}
