// The contact's JSON shape on the wire: @odata.etag, @odata.context and selected columns.
import { type ContactRecord } from '../domain/contact';
import { type SimRequest } from '../http/sim-http';
import { ODataParseError } from '../query/odata-filter.parser';
import { isKnownColumn } from './contact-columns';

export const DV_ROOT = '/api/data/v9.2';

export function etag(record: ContactRecord): string {
  return `W/"${record.version}"`;
}

export function entityUrl(baseUrl: string, record: ContactRecord): string {
  return `${baseUrl}${DV_ROOT}/contacts(${record.id})`;
}

export function selectColumns(req: SimRequest): string[] | undefined {
  const select = req.query.get('$select');
  if (select === null) return undefined;
  const columns = select
    .split(',')
    .map((column) => column.trim())
    .filter((column) => column !== '');
  const unknown = columns.find((column) => !isKnownColumn(column));
  if (unknown !== undefined)
    throw new ODataParseError(
      `Could not find a property named '${unknown}' on type 'Microsoft.Dynamics.CRM.contact'.`,
    );
  return columns;
}

export function contactJson(
  record: ContactRecord,
  columns: readonly string[] | undefined,
): Record<string, unknown> {
  const all: Record<string, unknown> = {
    contactid: record.id,
    createdon: new Date(record.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    modifiedon: new Date(record.lastModifiedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    versionnumber: record.version,
    ...record.fields,
  };
  const selected =
    columns === undefined
      ? all
      : Object.fromEntries<unknown>([
          ['contactid', record.id],
          ...columns.map((column): [string, unknown] => [column, all[column] ?? null]),
        ]);
  return { '@odata.etag': etag(record), ...selected };
}

export function context(baseUrl: string, columns: readonly string[] | undefined, entity: boolean): string {
  return `${baseUrl}${DV_ROOT}/$metadata#contacts${columns === undefined ? '' : `(${columns.join(',')})`}${entity ? '/$entity' : ''}`;
}
