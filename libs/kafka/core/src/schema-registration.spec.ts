import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { InfrastructureUnavailableError, SchemaMismatchError } from './errors';
import { restRegisterSchema } from './schema-registration';

interface Seen {
  method: string;
  url: string;
  contentType: string | undefined;
  authorization: string | undefined;
  body: string;
}

type Answer = (response: ServerResponse) => void;

/** A registry fake that answers POST /subjects/{subject}/versions from a script, one answer each. */
async function fakeRegistry(
  script: Answer[],
): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      seen.push({
        method: request.method ?? '',
        url: request.url ?? '',
        contentType: request.headers['content-type'],
        authorization: request.headers.authorization,
        body,
      });
      const answer = script.shift();
      if (answer) answer(response);
      else response.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/apis/ccompat/v7`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const json =
  (status: number, body: unknown, type = 'application/vnd.schemaregistry.v1+json'): Answer =>
  (response) => {
    response.writeHead(status, { 'content-type': type });
    response.end(JSON.stringify(body));
  };

const SCHEMA = JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'string' }] });

describe(restRegisterSchema.name, () => {
  const originalFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = originalFetch;
  });

  it('posts the schema to the subject and answers its id, without fetch', async () => {
    globalThis.fetch = jest.fn(() => Promise.reject(new Error('fetch must not be used')));
    const registry = await fakeRegistry([json(200, { id: 42 })]);
    try {
      const register = restRegisterSchema({ url: registry.url, username: 'svc', password: 's3cret' });

      await expect(register('topic.a-value', SCHEMA)).resolves.toBe(42);

      expect(registry.seen).toEqual([
        {
          method: 'POST',
          url: '/apis/ccompat/v7/subjects/topic.a-value/versions',
          contentType: 'application/vnd.schemaregistry.v1+json',
          authorization: `Basic ${Buffer.from('svc:s3cret').toString('base64')}`,
          body: JSON.stringify({ schema: SCHEMA }),
        },
      ]);
      expect(globalThis.fetch).not.toHaveBeenCalled();
    } finally {
      await registry.close();
    }
  });

  it('reads an id answered as plain application/json', async () => {
    const registry = await fakeRegistry([json(200, { id: 7 }, 'application/json')]);
    try {
      await expect(restRegisterSchema({ url: registry.url })('s', SCHEMA)).resolves.toBe(7);
    } finally {
      await registry.close();
    }
  });

  it('retries a 5xx and a dropped connection, then registers', async () => {
    const registry = await fakeRegistry([
      json(503, { error_code: 50003, message: 'storage not ready' }),
      (response) => response.destroy(),
      json(200, { id: 3 }),
    ]);
    try {
      const register = restRegisterSchema({ url: registry.url }, { backoffMs: 1 });
      await expect(register('s', SCHEMA)).resolves.toBe(3);
      expect(registry.seen).toHaveLength(3);
    } finally {
      await registry.close();
    }
  });

  it('reports an incompatible schema (409) as a SchemaMismatchError at once', async () => {
    const registry = await fakeRegistry([
      json(409, { error_code: 409, message: 'Schema being registered is incompatible' }),
    ]);
    try {
      const failure = restRegisterSchema({ url: registry.url }, { backoffMs: 1 })('s', SCHEMA);
      await expect(failure).rejects.toBeInstanceOf(SchemaMismatchError);
      await expect(failure).rejects.toThrow(/incompatible/);
      expect(registry.seen).toHaveLength(1);
    } finally {
      await registry.close();
    }
  });

  it('does not retry another 4xx, and says the registry did not register', async () => {
    const registry = await fakeRegistry([json(401, { error_code: 401, message: 'Unauthorized' })]);
    try {
      const failure = restRegisterSchema({ url: registry.url }, { backoffMs: 1 })('s', SCHEMA);
      await expect(failure).rejects.toBeInstanceOf(InfrastructureUnavailableError);
      await expect(failure.catch((error: Error) => String(error.cause))).resolves.toMatch(/HTTP 401/);
      expect(registry.seen).toHaveLength(1);
    } finally {
      await registry.close();
    }
  });

  it('gives up after its attempts when the registry cannot be reached', async () => {
    const registry = await fakeRegistry([]);
    const url = registry.url;
    await registry.close();

    const failure = restRegisterSchema({ url }, { attempts: 2, backoffMs: 1 })('s', SCHEMA);

    await expect(failure).rejects.toBeInstanceOf(InfrastructureUnavailableError);
    await expect(failure.catch((error: Error) => String(error.cause))).resolves.toMatch(/ECONNREFUSED/);
  });
});
