// Dataverse Web API v9.2 adapter: `$select` reads with the row's @odata.etag, PATCH with
// `If-Match: <etag>` (or `*`, so a missing row gives 404 instead of an upsert creating it),
// alternate keys (`contacts(emailaddress1='a@b.c')`), `$filter` lookups and `$batch` with
// `Prefer: odata.continue-on-error` so one failing row never fails the others.
import { randomUUID } from 'node:crypto';
import { CrmUnavailableError } from '../errors/crm.error';
import { classifyCrmError } from '../errors/error-classifier';
import { type CrmHttpClient, headerOf } from '../http/crm-http.client';
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
import { asObject, toFieldValue } from '../salesforce/salesforce.adapter';
import { buildBatchBody, parseBatchResponse } from './dataverse-batch';

export interface DynamicsAdapterOptions {
  /** Organisation URL, e.g. https://org.crm.dynamics.com (used for absolute URLs inside $batch). */
  url: string;
  contactEntitySet?: string;
  contactIdField?: string;
  emailField?: string;
  phoneField?: string;
  /** Dataverse allows 1,000 requests per batch. */
  batchLimit?: number;
}

const API = '/api/data/v9.2';
const ODATA_HEADERS = { 'odata-maxversion': '4.0', 'odata-version': '4.0' };
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class DynamicsAdapter implements CrmAdapter {
  readonly provider = 'dynamics' as const;
  /** Each $batch part carries its own If-Match, so a concurrent edit fails only that part (412). */
  readonly updateManyIsConditional = true;

  constructor(
    private readonly http: CrmHttpClient,
    private readonly options: DynamicsAdapterOptions,
  ) {}

  async read(ref: RecordRef, fields: readonly string[]): Promise<ReadResult> {
    const response = await this.http.send({
      operation: 'read',
      method: 'GET',
      path: `${API}/${rowPath(ref)}?$select=${fields.map(encodeURIComponent).join(',')}`,
      headers: { ...ODATA_HEADERS, 'if-none-match': 'null' },
    });
    const body = asObject(response.body);
    const values: FieldValues = {};
    for (const field of fields) values[field] = toFieldValue(body[field]);
    const etag = body['@odata.etag'] ?? headerOf(response, 'etag');
    return { values, version: typeof etag === 'string' ? etag : null, requestId: response.requestId };
  }

  async update(ref: RecordRef, fields: FieldValues, condition?: { version: string }): Promise<UpdateOutcome> {
    const response = await this.http.send({
      operation: 'update',
      method: 'PATCH',
      path: `${API}/${rowPath(ref)}`,
      // Never an upsert: without If-Match a PATCH to a missing row would create it.
      headers: { ...ODATA_HEADERS, 'if-match': condition?.version ?? '*' },
      body: fields,
    });
    return { requestId: response.requestId };
  }

  async lookupContact(keys: ContactLookupKeys): Promise<LookupResult> {
    const set = this.options.contactEntitySet ?? 'contacts';
    const idField = this.options.contactIdField ?? 'contactid';
    const candidates: Array<[string, string]> = [];
    if (keys.email) candidates.push([this.options.emailField ?? 'emailaddress1', keys.email]);
    if (keys.phone) candidates.push([this.options.phoneField ?? 'telephone1', keys.phone]);
    for (const [field, value] of candidates) {
      const filter = `${field} eq '${escapeODataString(value)}'`;
      const response = await this.http.send({
        operation: 'lookup',
        method: 'GET',
        path: `${API}/${set}?$select=${idField}&$filter=${encodeURIComponent(filter)}&$top=2`,
        headers: ODATA_HEADERS,
      });
      const rows = Array.isArray(asObject(response.body)['value'])
        ? (asObject(response.body)['value'] as unknown[])
        : [];
      if (rows.length > 1) return { status: 'ambiguous', count: rows.length };
      const id = rows.length === 1 ? asObject(rows[0])[idField] : undefined;
      if (typeof id === 'string') return { status: 'found', id };
    }
    return { status: 'not-found' };
  }

  async updateMany(batch: readonly BatchUpdate[]): Promise<BatchUpdateResult[]> {
    const limit = this.options.batchLimit ?? 1000;
    const results: BatchUpdateResult[] = [];
    const root = this.options.url.replace(/\/+$/, '');
    for (let start = 0; start < batch.length; start += limit) {
      const chunk = batch.slice(start, start + limit);
      const boundary = `batch_${randomUUID()}`;
      const body = buildBatchBody(
        boundary,
        chunk.map(({ ref, fields, condition }) => ({
          method: 'PATCH',
          url: `${root}${API}/${rowPath(ref)}`,
          headers: { 'content-type': 'application/json', 'if-match': condition?.version ?? '*' },
          body: JSON.stringify(fields),
        })),
      );
      const response = await this.http.send({
        operation: 'update_many',
        method: 'POST',
        path: `${API}/$batch`,
        headers: {
          ...ODATA_HEADERS,
          'content-type': `multipart/mixed; boundary="${boundary}"`,
          prefer: 'odata.continue-on-error',
        },
        body,
      });
      const parts = parseBatchResponse(headerOf(response, 'content-type'), response.rawBody);
      if (parts.length !== chunk.length) {
        throw new CrmUnavailableError(
          `dynamics $batch returned ${parts.length} parts for ${chunk.length} requests`,
        );
      }
      chunk.forEach(({ ref }, index) => {
        const part = parts[index]!;
        if (part.status >= 200 && part.status < 300) results.push({ ok: true, ref });
        else
          results.push({
            ok: false,
            ref,
            error: classifyCrmError({
              provider: 'dynamics',
              operation: 'update_many',
              status: part.status,
              body: part.body,
            }),
          });
      });
    }
    return results;
  }
}

/** `contacts(<guid>)`, or an alternate key such as `contacts(emailaddress1='a@b.c')` given as the id. */
export function rowPath(ref: RecordRef): string {
  if (GUID.test(ref.id)) return `${ref.object}(${ref.id})`;
  return `${ref.object}(${ref.id.split(',').map(encodeKeyPart).join(',')})`;
}

function encodeKeyPart(part: string): string {
  const eq = part.indexOf('=');
  if (eq < 0) return encodeURIComponent(part);
  return `${part.slice(0, eq)}=${encodeURIComponent(part.slice(eq + 1))}`;
}

/** OData string literal: single quotes are doubled. */
export function escapeODataString(value: string): string {
  return value.replace(/'/g, "''");
}
