// Dataverse Web API v9.2 wire behaviour for FakeCrmServer.
import { type FakeReply, type FakeRequest } from './fake-crm.server';
import { type FakeCrmState } from './fake-crm.state';

const ROW = /^\/api\/data\/v9\.2\/(\w+)\(([^)]+)\)$/;

export function handleDynamics(state: FakeCrmState, req: FakeRequest): FakeReply {
  const path = req.url.pathname;
  if (req.method === 'POST' && /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(path)) return token(state, req);
  const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (!auth || !state.validTokens.has(auth)) {
    return {
      status: 401,
      headers: { 'www-authenticate': 'Bearer' },
      body: { error: { code: '0x80072243', message: 'ExpiredAuthTicket' } },
    };
  }
  const burst = state.takeBurst();
  if (burst) {
    return {
      status: burst.status,
      headers:
        burst.retryAfterSeconds === undefined ? {} : { 'retry-after': String(burst.retryAfterSeconds) },
      body: {
        error: {
          code: '0x80072322',
          message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.',
        },
      },
    };
  }
  if (req.method === 'POST' && path === '/api/data/v9.2/$batch') return batch(state, req);
  const row = ROW.exec(decodeURIComponent(path));
  if (row && req.method === 'GET') return readRow(state, row[1]!, row[2]!, req);
  if (row && req.method === 'PATCH')
    return patchRow(state, row[1]!, row[2]!, req.headers['if-match'], req.body);
  const set = /^\/api\/data\/v9\.2\/(\w+)$/.exec(path);
  if (set && req.method === 'GET') return filter(state, set[1]!, req);
  return {
    status: 404,
    body: { error: { code: '0x80060888', message: 'Resource not found for the segment.' } },
  };
}

function token(state: FakeCrmState, req: FakeRequest): FakeReply {
  const form = new URLSearchParams(req.body);
  const fault = state.faults.tokenError;
  if (fault)
    return {
      status: 400,
      body: {
        error: fault,
        error_description: 'AADSTS7000215: Invalid client secret provided.',
        error_codes: [7000215],
      },
    };
  if (form.get('grant_type') !== 'client_credentials' || !form.get('scope')?.endsWith('/.default')) {
    return {
      status: 400,
      body: { error: 'invalid_scope', error_description: 'AADSTS70011: invalid scope', error_codes: [70011] },
    };
  }
  return {
    status: 200,
    body: {
      token_type: 'Bearer',
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: state.issueToken('eyJfake'),
    },
  };
}

/** Resolves a GUID or an alternate key (`emailaddress1='a@b.c'`) to the stored id. */
function resolveId(state: FakeCrmState, set: string, key: string): string | null {
  const alt = /^(\w+)='(.*)'$/.exec(key);
  if (!alt) return key;
  const value = alt[2]!.replace(/''/g, "'");
  for (const [storedKey, record] of state.records) {
    if (storedKey.startsWith(`${set}:`) && record.fields[alt[1]!] === value)
      return storedKey.slice(set.length + 1);
  }
  return null;
}

function notFound(set: string, key: string): FakeReply {
  return {
    status: 404,
    body: {
      error: { code: '0x80040217', message: `${set.replace(/s$/, '')} With Id = ${key} Does Not Exist` },
    },
  };
}

function readRow(state: FakeCrmState, set: string, key: string, req: FakeRequest): FakeReply {
  const id = resolveId(state, set, key);
  const record = id === null ? undefined : state.get(set, id);
  if (!record || record.deleted) return notFound(set, key);
  const body: Record<string, unknown> = {
    '@odata.context': `http://fake/api/data/v9.2/$metadata#${set}/$entity`,
    '@odata.etag': `W/"${record.version}"`,
  };
  for (const field of (req.url.searchParams.get('$select') ?? '').split(',').filter(Boolean))
    body[field] = record.fields[field] ?? null;
  return { status: 200, body };
}

function patchRow(
  state: FakeCrmState,
  set: string,
  key: string,
  ifMatch: string | undefined,
  rawBody: string,
): FakeReply {
  const id = resolveId(state, set, key);
  const record = id === null ? undefined : state.get(set, id);
  if (ifMatch !== undefined && (!record || record.deleted)) return notFound(set, key);
  if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== `W/"${record!.version}"`) {
    return {
      status: 412,
      body: {
        error: {
          code: '0x80060882',
          message: "The version of the existing record doesn't match the RowVersion property provided.",
        },
      },
    };
  }
  const rule = id === null ? undefined : state.faults.validation?.[id];
  if (rule)
    return {
      status: 400,
      body: {
        error: {
          code: '0x80044331',
          message: 'The length of the attribute exceeded the maximum allowed length',
        },
      },
    };
  // Without If-Match a PATCH is an upsert.
  state.write(set, id ?? key, JSON.parse(rawBody) as Record<string, string>);
  return { status: 204, headers: { 'odata-entityid': `http://fake/api/data/v9.2/${set}(${id ?? key})` } };
}

function filter(state: FakeCrmState, set: string, req: FakeRequest): FakeReply {
  const match = /^(\w+) eq '((?:[^']|'')*)'$/.exec(req.url.searchParams.get('$filter') ?? '');
  if (!match)
    return { status: 400, body: { error: { code: '0x80060888', message: 'Could not parse $filter' } } };
  const value = match[2]!.replace(/''/g, "'");
  const idField = (req.url.searchParams.get('$select') ?? 'contactid').split(',')[0]!;
  const top = Number(req.url.searchParams.get('$top') ?? '5000');
  const rows = [...state.records.entries()]
    .filter(
      ([key, record]) => key.startsWith(`${set}:`) && !record.deleted && record.fields[match[1]!] === value,
    )
    .slice(0, top)
    .map(([key, record]) => ({
      '@odata.etag': `W/"${record.version}"`,
      [idField]: key.slice(set.length + 1),
    }));
  return {
    status: 200,
    body: { '@odata.context': `http://fake/api/data/v9.2/$metadata#${set}(${idField})`, value: rows },
  };
}

function batch(state: FakeCrmState, req: FakeRequest): FakeReply {
  const boundary = /boundary="?([^";]+)"?/.exec(req.headers['content-type'] ?? '')?.[1];
  if (!boundary) return { status: 400, body: { error: { code: '0x80048d19', message: 'missing boundary' } } };
  const continueOnError = (req.headers['prefer'] ?? '').includes('odata.continue-on-error');
  const out = `batchresponse_${Math.random().toString(36).slice(2)}`;
  const parts: string[] = [];
  for (const section of req.body.split(`--${boundary}`)) {
    const line = /(PATCH|GET) (\S+) HTTP\/1\.1\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/.exec(
      section.replace(/\r\n$/, ''),
    );
    if (!line) continue;
    const url = new URL(line[2]!, 'http://fake');
    const headerLines = Object.fromEntries(
      line[3]!
        .split('\r\n')
        .map((h) => [h.slice(0, h.indexOf(':')).toLowerCase(), h.slice(h.indexOf(':') + 1).trim()]),
    );
    const row = ROW.exec(decodeURIComponent(url.pathname));
    const reply = row
      ? patchRow(state, row[1]!, row[2]!, headerLines['if-match'], line[4]!.trim())
      : { status: 400, body: { error: { code: '', message: 'bad part' } } };
    const status = `HTTP/1.1 ${reply.status} ${reply.status < 300 ? 'No Content' : 'Error'}`;
    const body =
      reply.body === undefined
        ? ''
        : `Content-Type: application/json; odata.metadata=minimal\r\n\r\n${JSON.stringify(reply.body)}`;
    parts.push(
      `--${out}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n${status}\r\n${body === '' ? '\r\n' : body}\r\n`,
    );
    if (reply.status >= 400 && !continueOnError) break;
  }
  return {
    status: 200,
    headers: { 'content-type': `multipart/mixed; boundary=${out}` },
    body: `${parts.join('')}--${out}--\r\n`,
  };
}
