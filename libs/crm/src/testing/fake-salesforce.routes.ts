// Salesforce REST wire behaviour for FakeCrmServer.
import { type FakeReply, type FakeRequest } from './fake-crm.server';
import { type FakeCrmState } from './fake-crm.state';

const json = 'application/json;charset=UTF-8';

export function handleSalesforce(state: FakeCrmState, req: FakeRequest): FakeReply {
  const path = req.url.pathname;
  if (req.method === 'POST' && path === '/services/oauth2/token') return token(state, req);
  const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (!auth || !state.validTokens.has(auth)) {
    return {
      status: 401,
      headers: { 'www-authenticate': 'Token' },
      body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
    };
  }
  state.apiUsage += 1;
  const limit = state.faults.dailyLimit ?? 100_000;
  const usage = { 'sforce-limit-info': `api-usage=${state.apiUsage}/${limit}`, 'content-type': json };
  if (state.apiUsage > limit) {
    return {
      status: 403,
      headers: usage,
      body: [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
    };
  }
  const burst = state.takeBurst();
  if (burst) {
    const headers =
      burst.retryAfterSeconds === undefined
        ? usage
        : { ...usage, 'retry-after': String(burst.retryAfterSeconds) };
    return {
      status: burst.status,
      headers,
      body: [{ message: 'Service unavailable', errorCode: 'SERVER_UNAVAILABLE' }],
    };
  }
  const reply = route(state, req);
  return { ...reply, headers: { ...usage, ...(reply.headers ?? {}) } };
}

function route(state: FakeCrmState, req: FakeRequest): FakeReply {
  const path = req.url.pathname;
  const row = /^\/services\/data\/v\d+\.\d+\/sobjects\/([^/]+)\/([^/]+)$/.exec(path);
  if (row)
    return req.method === 'GET'
      ? readRow(state, row[1]!, decodeURIComponent(row[2]!), req)
      : patchRow(state, row[1]!, decodeURIComponent(row[2]!), req);
  if (req.method === 'GET' && /^\/services\/data\/v\d+\.\d+\/query$/.test(path))
    return query(state, req.url.searchParams.get('q') ?? '');
  if (req.method === 'PATCH' && /^\/services\/data\/v\d+\.\d+\/composite\/sobjects$/.test(path))
    return collection(state, req);
  return {
    status: 404,
    body: [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }],
  };
}

function token(state: FakeCrmState, req: FakeRequest): FakeReply {
  const form = new URLSearchParams(req.body);
  const fault = state.faults.tokenError;
  if (fault) return { status: 400, body: { error: fault, error_description: 'authentication failure' } };
  if (
    form.get('grant_type') !== 'client_credentials' ||
    !form.get('client_id') ||
    !form.get('client_secret')
  ) {
    return { status: 400, body: { error: 'invalid_grant', error_description: 'authentication failure' } };
  }
  return {
    status: 200,
    body: {
      access_token: state.issueToken('00Dfake!sf'),
      instance_url: 'http://fake',
      id: 'https://login.salesforce.com/id/00Dfake/005fake',
      token_type: 'Bearer',
      issued_at: String(Date.now()),
      signature: 'c2lnbmF0dXJl',
    },
  };
}

function missing(state: FakeCrmState, object: string, id: string): FakeReply | null {
  const record = state.get(object, id);
  if (!record)
    return {
      status: 404,
      body: [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }],
    };
  if (record.deleted)
    return {
      status: 404,
      body: [{ message: 'entity is deleted', errorCode: 'ENTITY_IS_DELETED', fields: [] }],
    };
  return null;
}

function readRow(state: FakeCrmState, object: string, id: string, req: FakeRequest): FakeReply {
  const gone = missing(state, object, id);
  if (gone) return gone;
  const record = state.get(object, id)!;
  const fields = (req.url.searchParams.get('fields') ?? '').split(',').filter(Boolean);
  const body: Record<string, unknown> = { attributes: { type: object, url: req.url.pathname } };
  for (const field of fields) {
    body[field] = field === 'LastModifiedDate' ? sfDate(record.lastModified) : (record.fields[field] ?? null);
  }
  body['Id'] = id;
  return { status: 200, body };
}

function patchRow(state: FakeCrmState, object: string, id: string, req: FakeRequest): FakeReply {
  const gone = missing(state, object, id);
  if (gone) return gone;
  const failure = recordFailure(state, id);
  if (failure)
    return {
      status: 400,
      body: [{ message: failure.message, errorCode: failure.code, fields: failure.fields }],
    };
  const since = req.headers['if-unmodified-since'];
  if (typeof since === 'string') {
    const limit = Date.parse(since);
    if (Number.isNaN(limit))
      return { status: 400, body: [{ message: 'invalid If-Unmodified-Since', errorCode: 'INVALID_HEADER' }] };
    if (state.get(object, id)!.lastModified > limit)
      return { status: 412, body: [{ message: 'precondition failed', errorCode: 'PRECONDITION_FAILED' }] };
  }
  state.write(object, id, JSON.parse(req.body) as Record<string, string>);
  return { status: 204 };
}

function recordFailure(
  state: FakeCrmState,
  id: string,
): { code: string; message: string; fields: string[] } | null {
  if (state.takeLock(id))
    return {
      code: 'UNABLE_TO_LOCK_ROW',
      message: 'unable to obtain exclusive access to this record',
      fields: [],
    };
  const rule = state.faults.validation?.[id];
  if (rule) return { code: rule.code, message: 'rejected by a validation rule', fields: rule.fields };
  return null;
}

/** SOQL subset: `SELECT a, b FROM X WHERE F = 'v' [OR F = 'v' …] [LIMIT n]`, as Salesforce answers it. */
function query(state: FakeCrmState, soql: string): FakeReply {
  const malformed = { status: 400, body: [{ message: 'unexpected token', errorCode: 'MALFORMED_QUERY' }] };
  const match = /^SELECT ([\w, ]+) FROM (\w+) WHERE (.+?)(?: LIMIT (\d+))?$/.exec(soql);
  if (!match) return malformed;
  const [, select, object, where, limit] = match;
  const conditions: Array<[string, string]> = [];
  const condition = /^(\w+) = '((?:[^'\\]|\\.)*)'(?: OR |$)/;
  for (let rest = where!; rest !== '';) {
    const next = condition.exec(rest);
    if (!next) return malformed;
    conditions.push([next[1]!, next[2]!.replace(/\\(.)/g, '$1')]);
    rest = rest.slice(next[0].length);
  }
  const fields = select!.split(',').map((f) => f.trim());
  const records = [...state.records.entries()]
    .filter(([key, record]) => {
      if (!key.startsWith(`${object}:`) || record.deleted) return false;
      const id = key.slice(object!.length + 1);
      return conditions.some(([field, value]) => (field === 'Id' ? id : record.fields[field]) === value);
    })
    .slice(0, limit === undefined ? 2000 : Number(limit))
    .map(([key, record]) => {
      const id = key.slice(object!.length + 1);
      const row: Record<string, unknown> = {
        attributes: { type: object, url: `/services/data/v62.0/sobjects/${object}/${id}` },
      };
      for (const field of fields)
        row[field] =
          field === 'Id'
            ? id
            : field === 'LastModifiedDate'
              ? sfDate(record.lastModified)
              : (record.fields[field] ?? null);
      return row;
    });
  return { status: 200, body: { totalSize: records.length, done: true, records } };
}

function collection(state: FakeCrmState, req: FakeRequest): FakeReply {
  const payload = JSON.parse(req.body) as { allOrNone?: boolean; records?: Array<Record<string, unknown>> };
  const records = payload.records ?? [];
  if (records.length > 200)
    return { status: 400, body: [{ message: 'too many records', errorCode: 'EXCEEDED_ID_LIMIT' }] };
  const results = records.map((record) => {
    const id = String(record['id']);
    const type = String((record['attributes'] as { type?: string } | undefined)?.type);
    const stored = state.get(type, id);
    if (!stored)
      return { id, success: false, errors: [{ statusCode: 'NOT_FOUND', message: 'not found', fields: [] }] };
    if (stored.deleted)
      return {
        id,
        success: false,
        errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }],
      };
    const failure = recordFailure(state, id);
    if (failure)
      return {
        id,
        success: false,
        errors: [{ statusCode: failure.code, message: failure.message, fields: failure.fields }],
      };
    const { attributes: _attributes, id: _id, ...fields } = record;
    state.write(type, id, fields as Record<string, string>);
    return { id, success: true, errors: [] };
  });
  return { status: 200, body: results };
}

/** Salesforce's datetime format, e.g. 2026-11-30T12:00:00.000+0000. */
function sfDate(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}
