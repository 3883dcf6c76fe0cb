// Salesforce REST under /services/data/vXX.X: auth, limits and faults first, then the route.
import {
  emptyResponse,
  isPlainObject,
  jsonResponse,
  parseJsonBody,
  type SimRequest,
  type SimResponse,
} from '../http/sim-http';
import { parseSoql, SoqlParseError } from '../query/soql.parser';
import { type SimContext } from '../simulator-context';
import { canonicalSfField, noSuchColumn } from './contact-schema';
import { updateCollection } from './salesforce-collections';
import { upsertCollection } from './salesforce-collections-upsert';
import { NOT_FOUND, type SfError, sfError, sfErrorResponse } from './salesforce-errors';
import { findSfContact, prepareChanges, prepareUpdate, sfRecordJson } from './salesforce-record';

const DATA_PATH = /^\/services\/data\/(v\d+\.\d)(?:\/(.*))?$/;

export function handleSalesforceData(ctx: SimContext, req: SimRequest): SimResponse {
  const response = route(ctx, req);
  response.headers['sforce-limit-info'] = ctx.faults.limitInfo();
  return response;
}

function route(ctx: SimContext, req: SimRequest): SimResponse {
  const match = DATA_PATH.exec(req.path);
  if (!match) return sfErrorResponse(NOT_FOUND);
  const version = match[1] ?? '';
  const segments = (match[2] ?? '').split('/').filter((segment) => segment !== '');

  const auth = ctx.tokens.check('salesforce', req.headers['authorization']);
  if (auth !== 'valid') {
    const message = ctx.faults.sessionInvalidForRest()
      ? 'This session is not valid for use with the REST API'
      : 'Session expired or invalid';
    return sfErrorResponse(sfError(401, 'INVALID_SESSION_ID', message), { 'www-authenticate': 'Token' });
  }
  const burst = ctx.faults.burst('salesforce');
  if (burst !== undefined) return burstResponse(burst.status, burst.retryAfterSeconds);
  if (!ctx.faults.countApiCall())
    return sfErrorResponse(sfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'));

  // Clients without PATCH support tunnel it through POST (documented).
  const method = req.method === 'POST' && req.query.get('_HttpMethod') === 'PATCH' ? 'PATCH' : req.method;
  const [first, type, second, third, ...extra] = segments;
  if (first === 'query' && segments.length === 1)
    return method === 'GET' ? query(ctx, req, version) : methodNotAllowed(method, 'GET');
  if (first === 'composite' && type === 'sobjects' && segments.length === 2) {
    return method === 'PATCH'
      ? withJsonBody(req, (body) => updateCollection(ctx, body))
      : methodNotAllowed(method, 'PATCH');
  }
  if (
    first === 'composite' &&
    type === 'sobjects' &&
    second !== undefined &&
    third !== undefined &&
    extra.length === 0
  ) {
    return method === 'PATCH'
      ? withJsonBody(req, (body) => upsertCollection(ctx, second, third, body))
      : methodNotAllowed(method, 'PATCH');
  }
  if (first !== 'sobjects' || type === undefined || extra.length > 0) return sfErrorResponse(NOT_FOUND);
  if (type.toLowerCase() !== 'contact')
    return sfErrorResponse(sfError(404, 'NOT_FOUND', `The requested resource does not exist`));
  if (second !== undefined && third !== undefined) {
    return method === 'PATCH'
      ? withJsonBody(req, (body) => upsert(ctx, req, version, second, third, body))
      : methodNotAllowed(method, 'GET,PATCH');
  }
  if (second === undefined) return sfErrorResponse(NOT_FOUND);
  switch (method) {
    case 'GET':
      return getRecord(ctx, req, version, second);
    case 'PATCH':
      return withJsonBody(req, (body) => patchRecord(ctx, req, second, body));
    default:
      return methodNotAllowed(method, 'GET,HEAD,PATCH,DELETE');
  }
}

function methodNotAllowed(method: string, allowed: string): SimResponse {
  return sfErrorResponse(
    sfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are ${allowed}`),
  );
}

export function burstResponse(status: number, retryAfterSeconds: number): SimResponse {
  switch (status) {
    case 403:
      return sfErrorResponse(sfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'));
    case 429:
      // Core REST documents no 429; modelled on the Marketing Cloud shape, which carries Retry-After.
      return sfErrorResponse(sfError(429, 'REQUEST_LIMIT_EXCEEDED', 'Rate limit exceeded'), {
        'retry-after': String(retryAfterSeconds),
      });
    default:
      return sfErrorResponse(sfError(status, 'SERVER_UNAVAILABLE', 'Service temporarily unavailable'), {
        'retry-after': String(retryAfterSeconds),
      });
  }
}

function withJsonBody(req: SimRequest, handle: (body: Record<string, unknown>) => SimResponse): SimResponse {
  const parsed = parseJsonBody(req.body === '' ? '{}' : req.body);
  if (!parsed.ok)
    return sfErrorResponse(sfError(400, 'JSON_PARSER_ERROR', `Unexpected character: ${parsed.message}`));
  if (!isPlainObject(parsed.value))
    return sfErrorResponse(
      sfError(400, 'JSON_PARSER_ERROR', 'Cannot deserialize instance of sObject from START_ARRAY value'),
    );
  return handle(parsed.value);
}

function getRecord(ctx: SimContext, req: SimRequest, version: string, rawId: string): SimResponse {
  const found = findSfContact(ctx, rawId);
  if ('error' in found) return sfErrorResponse(found.error);
  const fieldsParam = req.query.get('fields');
  let fields: string[] | undefined;
  if (fieldsParam !== null) {
    fields = [];
    for (const name of fieldsParam
      .split(',')
      .map((field) => field.trim())
      .filter((field) => field !== '')) {
      const field = canonicalSfField(name);
      if (field === undefined) return sfErrorResponse(noSuchColumn(name));
      fields.push(field);
    }
  }
  return jsonResponse(200, sfRecordJson(found.record, version, fields));
}

function preconditionFailed(req: SimRequest, lastModifiedAt: number): SfError | undefined {
  const header = req.headers['if-unmodified-since'];
  if (header === undefined) return undefined;
  const since = Date.parse(header);
  if (Number.isNaN(since))
    return sfError(400, 'INVALID_HEADER_TYPE', `Invalid If-Unmodified-Since header: ${header}`);
  // HTTP dates have whole seconds; a record modified within the same second counts as unmodified.
  return Math.floor(lastModifiedAt / 1000) * 1000 > since
    ? sfError(
        412,
        'PRECONDITION_FAILED',
        'The resource has been modified since the time specified in If-Unmodified-Since',
      )
    : undefined;
}

function patchRecord(
  ctx: SimContext,
  req: SimRequest,
  rawId: string,
  body: Record<string, unknown>,
): SimResponse {
  const found = findSfContact(ctx, rawId);
  if ('error' in found) return sfErrorResponse(found.error);
  const precondition = preconditionFailed(req, found.record.lastModifiedAt);
  if (precondition !== undefined) return sfErrorResponse(precondition);
  const prepared = prepareUpdate(ctx, rawId, body);
  if ('error' in prepared) return sfErrorResponse(prepared.error);
  ctx.store.write(prepared.record, prepared.changes, 'PATCH');
  return emptyResponse(204);
}

function upsert(
  ctx: SimContext,
  req: SimRequest,
  version: string,
  extFieldRaw: string,
  extId: string,
  body: Record<string, unknown>,
): SimResponse {
  const extField = ctx.settings.salesforce.externalIdFields.find(
    (field) => field.toLowerCase() === extFieldRaw.toLowerCase(),
  );
  if (extField === undefined) return sfErrorResponse(NOT_FOUND);
  const matches = ctx.store.findBy('salesforce', { [extField]: extId });
  if (matches.length > 1) {
    return jsonResponse(
      300,
      matches.map((record) => `/services/data/${version}/sobjects/Contact/${record.id}`),
    );
  }
  const existing = matches[0];
  if (existing === undefined && req.query.get('updateOnly') === 'true') return sfErrorResponse(NOT_FOUND);
  const prepared = prepareChanges(ctx, existing?.id, body);
  if ('error' in prepared) return sfErrorResponse(prepared.error);
  if (existing === undefined) {
    const record = ctx.store.create('salesforce', { ...prepared.changes, [extField]: extId }, 'upsert');
    return jsonResponse(201, { id: record.id, success: true, errors: [], created: true });
  }
  ctx.store.write(existing, prepared.changes, 'upsert');
  return ctx.settings.salesforce.upsertUpdateStatus === 204
    ? emptyResponse(204)
    : jsonResponse(200, { id: existing.id, success: true, errors: [], created: false });
}

const QUERYABLE = new Set(['Id', 'Email', 'Phone', 'MobilePhone']);

function query(ctx: SimContext, req: SimRequest, version: string): SimResponse {
  const text = req.query.get('q');
  if (text === null) return sfErrorResponse(sfError(400, 'MALFORMED_QUERY', 'Query parameter q is required'));
  try {
    const soql = parseSoql(text);
    if (soql.object.toLowerCase() !== 'contact')
      throw new SoqlParseError(`sObject type '${soql.object}' is not supported by the simulator`);
    const fields = soql.fields.map((name) => {
      const field = canonicalSfField(name);
      if (field === undefined) throw new SoqlParseError(`No such column '${name}' on entity 'Contact'`);
      return field;
    });
    const conditions = soql.conditions.map(({ field: name, value }) => {
      const field = canonicalSfField(name);
      if (field === undefined || (!QUERYABLE.has(field) && !field.endsWith('__c')))
        throw new SoqlParseError(
          `the simulator only filters contacts by Id, Email, Phone, MobilePhone or a custom field, not '${name}'`,
        );
      return { field, value };
    });
    const live = ctx.store.list('salesforce').filter((record) => !record.deleted);
    const matching = live.filter((record) => {
      const tests = conditions.map(({ field, value }) => {
        const actual = field === 'Id' ? record.id : record.fields[field];
        return typeof actual === 'string' && actual.toLowerCase() === value.toLowerCase();
      });
      if (tests.length === 0) return true;
      return soql.join === 'or' ? tests.some(Boolean) : tests.every(Boolean);
    });
    const limited = soql.limit === undefined ? matching : matching.slice(0, soql.limit);
    const records = limited.map((record) => sfRecordJson(record, version, fields));
    return jsonResponse(200, { totalSize: records.length, done: true, records });
  } catch (error) {
    if (error instanceof SoqlParseError)
      return sfErrorResponse(sfError(400, 'MALFORMED_QUERY', error.message));
    throw error;
  }
}
