// Dataverse Web API v9.2 under /api/data/v9.2: auth and faults first, then the contacts routes.
import { type ContactRecord, type FieldValue } from '../domain/contact';
import {
  emptyResponse,
  isPlainObject,
  jsonResponse,
  parseJsonBody,
  type SimRequest,
  type SimResponse,
} from '../http/sim-http';
import {
  type EntityKey,
  ODataParseError,
  parseEntityKey,
  parseODataFilter,
} from '../query/odata-filter.parser';
import { type SimContext } from '../simulator-context';
import { isKnownColumn, validateDvChanges } from './contact-columns';
import { handleBatch } from './dynamics-batch.handler';
import { contactJson, context, DV_ROOT, entityUrl, etag, selectColumns } from './dynamics-contact.mapper';
import {
  doesNotExist,
  duplicateRecord,
  DV_JSON,
  type DvError,
  dvError,
  dvErrorResponse,
  unknownProperty,
  versionMismatch,
} from './dynamics-errors';

export function handleDynamicsData(ctx: SimContext, req: SimRequest, baseUrl: string): SimResponse {
  if (ctx.tokens.check('dynamics', req.headers['authorization']) !== 'valid') {
    return emptyResponse(401, {
      'www-authenticate': `Bearer authorization_uri=https://login.microsoftonline.com/common/oauth2/authorize, resource_id=${baseUrl}`,
    });
  }
  const burst = ctx.faults.burst('dynamics');
  if (burst !== undefined) {
    const retryAfter = { 'retry-after': String(burst.retryAfterSeconds) };
    switch (burst.status) {
      case 429:
        return dvErrorResponse(
          dvError(
            429,
            '0x80072322',
            'Number of requests exceeded the limit of 6000 over time window of 300 seconds.',
          ),
          retryAfter,
        );
      case 403:
        return dvErrorResponse(
          dvError(403, '0x80040220', 'Principal user is missing prvWriteContact privilege.'),
        );
      default:
        return dvErrorResponse(dvError(burst.status, '', 'Service Unavailable'), retryAfter);
    }
  }
  if (req.path === `${DV_ROOT}/$batch`)
    return req.method === 'POST'
      ? handleBatch(ctx, req, baseUrl, routeDynamics)
      : dvErrorResponse(dvError(405, '0x80060888', 'Method not allowed'));
  return routeDynamics(ctx, req, baseUrl);
}

/** One entity request, as sent directly or embedded in a $batch. */
export function routeDynamics(ctx: SimContext, req: SimRequest, baseUrl: string): SimResponse {
  const rest = req.path.startsWith(`${DV_ROOT}/`) ? req.path.slice(DV_ROOT.length + 1) : undefined;
  const match = rest === undefined ? null : /^([A-Za-z_]+)(?:\((.*)\))?$/s.exec(rest);
  if (!match)
    return dvErrorResponse(
      dvError(404, '0x80060888', `Resource not found for the segment '${rest ?? req.path}'.`),
    );
  const [, entitySet = '', keyText] = match;
  if (entitySet !== 'contacts')
    return dvErrorResponse(dvError(404, '0x80060888', `Resource not found for the segment '${entitySet}'.`));
  try {
    if (keyText === undefined) {
      if (req.method === 'GET') return listContacts(ctx, req, baseUrl);
      if (req.method === 'POST') return createContact(ctx, req, baseUrl);
      return dvErrorResponse(
        dvError(405, '0x80060888', `The HTTP method '${req.method}' is not allowed on the entity set.`),
      );
    }
    const key = parseEntityKey(keyText);
    switch (req.method) {
      case 'GET':
        return getContact(ctx, req, baseUrl, key);
      case 'PATCH':
        return patchContact(ctx, req, baseUrl, key);
      default:
        // PUT replaces one property (contacts(id)/firstname) in Dataverse; on the entity it is not supported.
        return dvErrorResponse(
          dvError(405, '0x80060888', `The HTTP method '${req.method}' is not supported on this resource.`),
        );
    }
  } catch (error) {
    if (error instanceof ODataParseError) return dvErrorResponse(dvError(400, '0x80060888', error.message));
    throw error;
  }
}

function listContacts(ctx: SimContext, req: SimRequest, baseUrl: string): SimResponse {
  const columns = selectColumns(req);
  const filterText = req.query.get('$filter');
  const filter = filterText === null ? undefined : parseODataFilter(filterText);
  const unknown = filter?.conditions.find(({ field }) => !isKnownColumn(field));
  if (unknown !== undefined) return dvErrorResponse(unknownProperty(unknown.field));
  const matching = ctx.store.list('dynamics').filter((record) => {
    if (record.deleted) return false;
    if (filter === undefined) return true;
    const tests = filter.conditions.map(({ field, value }) => {
      const actual = field === 'contactid' ? record.id : record.fields[field];
      return typeof actual === 'string' && actual.toLowerCase() === value.toLowerCase();
    });
    return filter.join === 'or' ? tests.some(Boolean) : tests.every(Boolean);
  });
  const top = Number(req.query.get('$top') ?? Number.NaN);
  const limited = Number.isInteger(top) && top > 0 ? matching.slice(0, top) : matching;
  return jsonResponse(
    200,
    {
      '@odata.context': context(baseUrl, columns, false),
      value: limited.map((record) => contactJson(record, columns)),
    },
    DV_JSON,
    { 'odata-version': '4.0' },
  );
}

/** The live record a key names; alternate keys must be defined on the table. */
function resolve(
  ctx: SimContext,
  key: EntityKey,
): { record: ContactRecord | undefined } | { error: DvError } {
  if (key.kind === 'id') {
    const record = ctx.store.get('dynamics', key.id);
    return { record: record?.deleted === true ? undefined : record };
  }
  const wanted = Object.keys(key.values).sort().join(',');
  const defined = ctx.settings.dynamics.alternateKeys.some(
    (columns) => [...columns].sort().join(',') === wanted,
  );
  if (!defined)
    return {
      error: dvError(
        400,
        '0x80060891',
        `The key attributes (${wanted}) do not match any alternate key defined on entity contact.`,
      ),
    };
  const [record] = ctx.store.findBy('dynamics', key.values);
  return { record };
}

function describeKey(key: EntityKey): string {
  return key.kind === 'id'
    ? key.id
    : Object.entries(key.values)
        .map(([column, value]) => `${column}:${value}`)
        .join(',');
}

function getContact(ctx: SimContext, req: SimRequest, baseUrl: string, key: EntityKey): SimResponse {
  const columns = selectColumns(req);
  const resolved = resolve(ctx, key);
  if ('error' in resolved) return dvErrorResponse(resolved.error);
  if (resolved.record === undefined) return dvErrorResponse(doesNotExist(describeKey(key)));
  return jsonResponse(
    200,
    { '@odata.context': context(baseUrl, columns, true), ...contactJson(resolved.record, columns) },
    DV_JSON,
    {
      'odata-version': '4.0',
      etag: etag(resolved.record),
    },
  );
}

function parseBody(req: SimRequest): { body: Record<string, unknown> } | { error: DvError } {
  const parsed = parseJsonBody(req.body === '' ? '{}' : req.body);
  if (!parsed.ok || !isPlainObject(parsed.value))
    return {
      error: dvError(
        400,
        '0x80048d19',
        "Error identified in Payload provided by the user for Entity :'contacts'.",
      ),
    };
  return { body: parsed.value };
}

function checkWrite(
  ctx: SimContext,
  recordId: string | undefined,
  body: Record<string, unknown>,
): { changes: Record<string, FieldValue> } | { error: DvError } {
  const validated = validateDvChanges(body);
  if ('error' in validated) return validated;
  const fault = ctx.faults.fieldError('dynamics', Object.keys(validated.changes));
  if (fault !== undefined)
    return {
      error: dvError(
        400,
        '0x80044331',
        fault.message ?? `A validation error occurred (${fault.errorCode}) on '${fault.field}'.`,
      ),
    };
  if (recordId !== undefined && ctx.faults.lockedRow(recordId)) return { error: versionMismatch() };
  return validated;
}

function written(ctx: SimContext, req: SimRequest, baseUrl: string, record: ContactRecord): SimResponse {
  const headers = {
    'odata-version': '4.0',
    'odata-entityid': entityUrl(baseUrl, record),
    etag: etag(record),
  };
  if (/return=representation/.test(req.headers['prefer'] ?? '')) {
    const columns = selectColumns(req);
    return jsonResponse(
      200,
      { '@odata.context': context(baseUrl, columns, true), ...contactJson(record, columns) },
      DV_JSON,
      {
        ...headers,
        'preference-applied': 'return=representation',
      },
    );
  }
  return emptyResponse(204, headers);
}

function patchContact(ctx: SimContext, req: SimRequest, baseUrl: string, key: EntityKey): SimResponse {
  const parsed = parseBody(req);
  if ('error' in parsed) return dvErrorResponse(parsed.error);
  const resolved = resolve(ctx, key);
  if ('error' in resolved) return dvErrorResponse(resolved.error);
  const { record } = resolved;
  const ifMatch = req.headers['if-match'];
  const ifNoneMatch = req.headers['if-none-match'];
  if (record === undefined && ifMatch !== undefined) return dvErrorResponse(doesNotExist(describeKey(key)));
  if (record !== undefined && ifNoneMatch === '*') return dvErrorResponse(duplicateRecord());
  if (record !== undefined && ifMatch !== undefined && ifMatch !== '*' && ifMatch !== etag(record))
    return dvErrorResponse(versionMismatch());
  const checked = checkWrite(ctx, record?.id, parsed.body);
  if ('error' in checked) return dvErrorResponse(checked.error);
  if (record !== undefined) {
    ctx.store.write(record, checked.changes, 'PATCH');
    return written(ctx, req, baseUrl, record);
  }
  // No If-Match: PATCH is an upsert and creates the row the key names.
  const keyColumns = key.kind === 'alternate' ? key.values : {};
  const created = ctx.store.create(
    'dynamics',
    { ...keyColumns, ...checked.changes },
    'upsert',
    key.kind === 'id' ? key.id : undefined,
  );
  return written(ctx, req, baseUrl, created);
}

function createContact(ctx: SimContext, req: SimRequest, baseUrl: string): SimResponse {
  const parsed = parseBody(req);
  if ('error' in parsed) return dvErrorResponse(parsed.error);
  const checked = checkWrite(ctx, undefined, parsed.body);
  if ('error' in checked) return dvErrorResponse(checked.error);
  const record = ctx.store.create('dynamics', checked.changes, 'POST');
  return written(ctx, req, baseUrl, record);
}
