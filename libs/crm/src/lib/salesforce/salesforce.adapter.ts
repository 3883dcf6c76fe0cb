// Salesforce REST API adapter (https://developer.salesforce.com/docs/platform/api-rest/guide/):
// GET with `fields=`, PATCH only (never PUT), conditional PATCH with If-Unmodified-Since from the
// LastModifiedDate just read, upsert by external id, SOQL contact lookup, and sObject Collections
// `PATCH /composite/sobjects` (allOrNone=false, ≤200 records, per-record SaveResults).
import { classifyCrmError } from '../errors/error-classifier';
import { CrmAmbiguousMatchError, CrmUnavailableError } from '../errors/crm.error';
import { type CrmHttpClient } from '../http/crm-http.client';
import {
  type BatchUpdate,
  type BatchUpdateResult,
  type ContactLookupKeys,
  type CrmAdapter,
  type FieldValues,
  type LookupResult,
  type ReadResult,
  type RecordRef,
  type UpdateOutcome,
} from '../port/crm.port';

export interface SalesforceAdapterOptions {
  /** e.g. `62.0` (no leading v). */
  apiVersion: string;
  contactObject?: string;
  emailField?: string;
  phoneField?: string;
}

const LAST_MODIFIED = 'LastModifiedDate';
export const SALESFORCE_COLLECTION_LIMIT = 200;

interface SaveResult {
  id?: string | null;
  success?: boolean;
  errors?: unknown[];
}

export class SalesforceAdapter implements CrmAdapter {
  readonly provider = 'salesforce' as const;
  private readonly base: string;

  constructor(
    private readonly http: CrmHttpClient,
    private readonly options: SalesforceAdapterOptions,
  ) {
    this.base = `/services/data/v${options.apiVersion.replace(/^v/, '')}`;
  }

  async read(ref: RecordRef, fields: readonly string[]): Promise<ReadResult> {
    const wanted = [...new Set([...fields, LAST_MODIFIED])];
    const response = await this.http.send({
      operation: 'read',
      method: 'GET',
      path: `${this.sobjectPath(ref)}?fields=${wanted.map(encodeURIComponent).join(',')}`,
    });
    const body = asObject(response.body);
    const values: FieldValues = {};
    for (const field of fields) values[field] = toFieldValue(body[field]);
    const version = body[LAST_MODIFIED];
    return { values, version: typeof version === 'string' ? version : null, requestId: response.requestId };
  }

  /**
   * One SOQL query per ≤200 ids (`WHERE Id = '…' OR …`, well inside the 16 KB URI limit), so no
   * `nextRecordsUrl` paging is needed. 15-character ids come back as 18: those miss the map and are
   * read one by one.
   */
  async readMany(
    object: string,
    ids: readonly string[],
    fields: readonly string[],
  ): Promise<Map<string, ReadResult>> {
    const wanted = [...new Set(['Id', ...fields, LAST_MODIFIED])];
    const out = new Map<string, ReadResult>();
    const unique = [...new Set(ids)];
    for (let start = 0; start < unique.length; start += SALESFORCE_COLLECTION_LIMIT) {
      const chunk = unique.slice(start, start + SALESFORCE_COLLECTION_LIMIT);
      const where = chunk.map((id) => `Id = '${escapeSoql(id)}'`).join(' OR ');
      const soql = `SELECT ${wanted.join(', ')} FROM ${object} WHERE ${where}`;
      const response = await this.http.send({
        operation: 'read_many',
        method: 'GET',
        path: `${this.base}/query?q=${encodeURIComponent(soql)}`,
      });
      const body = asObject(response.body);
      const records = Array.isArray(body['records']) ? (body['records'] as unknown[]) : [];
      for (const raw of records) {
        const record = asObject(raw);
        const id = record['Id'];
        if (typeof id !== 'string') continue;
        const values: FieldValues = {};
        for (const field of fields) values[field] = toFieldValue(record[field]);
        const version = record[LAST_MODIFIED];
        out.set(id, {
          values,
          version: typeof version === 'string' ? version : null,
          requestId: response.requestId,
        });
      }
    }
    return out;
  }

  async update(ref: RecordRef, fields: FieldValues, condition?: { version: string }): Promise<UpdateOutcome> {
    const headers: Record<string, string> = {};
    const since = condition ? ifUnmodifiedSince(condition.version) : null;
    if (since) headers['if-unmodified-since'] = since;
    const response = await this.http.send({
      operation: 'update',
      method: 'PATCH',
      path: this.sobjectPath(ref),
      headers,
      body: fields,
    });
    return { requestId: response.requestId };
  }

  /** Upsert keyed on an external-id field: 201 created, 200/204 updated, 300 several matches. */
  async upsertByExternalId(
    object: string,
    externalIdField: string,
    value: string,
    fields: FieldValues,
  ): Promise<{ created: boolean; id: string | null }> {
    const response = await this.http.send({
      operation: 'upsert',
      method: 'PATCH',
      path: `${this.base}/sobjects/${encodeURIComponent(object)}/${encodeURIComponent(externalIdField)}/${encodeURIComponent(value)}`,
      body: fields,
      acceptStatuses: [300],
    });
    if (response.status === 300) {
      throw new CrmAmbiguousMatchError(
        `salesforce upsert failed: 300 several ${object} records match ${externalIdField}`,
        { status: 300 },
      );
    }
    const body = response.body === null ? {} : asObject(response.body);
    const id = typeof body['id'] === 'string' ? body['id'] : null;
    return { created: response.status === 201, id };
  }

  async lookupContact(keys: ContactLookupKeys): Promise<LookupResult> {
    const object = this.options.contactObject ?? 'Contact';
    const candidates: Array<[string, string]> = [];
    if (keys.email) candidates.push([this.options.emailField ?? 'Email', keys.email]);
    if (keys.phone) candidates.push([this.options.phoneField ?? 'Phone', keys.phone]);
    for (const [field, value] of candidates) {
      const soql = `SELECT Id FROM ${object} WHERE ${field} = '${escapeSoql(value)}' LIMIT 2`;
      const response = await this.http.send({
        operation: 'lookup',
        method: 'GET',
        path: `${this.base}/query?q=${encodeURIComponent(soql)}`,
      });
      const body = asObject(response.body);
      const records = Array.isArray(body['records']) ? (body['records'] as unknown[]) : [];
      if (records.length > 1)
        return { status: 'ambiguous', count: Number(body['totalSize'] ?? records.length) };
      const id = records.length === 1 ? asObject(records[0])['Id'] : undefined;
      if (typeof id === 'string') return { status: 'found', id };
    }
    return { status: 'not-found' };
  }

  async updateMany(batch: readonly BatchUpdate[]): Promise<BatchUpdateResult[]> {
    const results: BatchUpdateResult[] = [];
    for (let start = 0; start < batch.length; start += SALESFORCE_COLLECTION_LIMIT) {
      const chunk = batch.slice(start, start + SALESFORCE_COLLECTION_LIMIT);
      const response = await this.http.send({
        operation: 'update_many',
        method: 'PATCH',
        path: `${this.base}/composite/sobjects`,
        body: {
          allOrNone: false,
          records: chunk.map(({ ref, fields }) => ({
            attributes: { type: ref.object },
            id: ref.id,
            ...fields,
          })),
        },
      });
      const saveResults = Array.isArray(response.body) ? (response.body as SaveResult[]) : [];
      if (saveResults.length !== chunk.length) {
        throw new CrmUnavailableError(
          `salesforce update_many returned ${saveResults.length} results for ${chunk.length} records`,
        );
      }
      chunk.forEach(({ ref }, index) => {
        const result = saveResults[index]!;
        if (result.success === true) {
          results.push({ ok: true, ref });
          return;
        }
        // Inside collections the error object names its code `statusCode`, not `errorCode`.
        const error = classifyCrmError({
          provider: 'salesforce',
          operation: 'update_many',
          status: 400,
          body: result.errors ?? [],
        });
        results.push({ ok: false, ref, error });
      });
    }
    return results;
  }

  private sobjectPath(ref: RecordRef): string {
    return `${this.base}/sobjects/${encodeURIComponent(ref.object)}/${encodeURIComponent(ref.id)}`;
  }
}

/** SOQL string literal escaping (backslash and quote). */
export function escapeSoql(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}

/**
 * HTTP-dates have whole seconds while LastModifiedDate has milliseconds: rounding up keeps the
 * record's own timestamp from failing the precondition (at the cost of missing an edit made within
 * the same second as the read).
 */
export function ifUnmodifiedSince(lastModified: string): string | null {
  const normalised = lastModified.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normalised);
  if (Number.isNaN(ms)) return null;
  return new Date(Math.ceil(ms / 1000) * 1000).toUTCString();
}

export function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function toFieldValue(value: unknown): string | number | boolean | null {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return null;
}
