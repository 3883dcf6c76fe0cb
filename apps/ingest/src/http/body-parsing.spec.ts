// patches/fastify+5.11.3.patch: Fastify parses a request body without AsyncResource.bind (on Node 20
// it builds property descriptors and deprecation wrappers per call, ≈9 % of ingest's allocations),
// and the handler still runs in the request's async context, which is what the bind was for.
import Fastify from 'fastify';
import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';

describe('request body parsing (patched fastify)', () => {
  afterEach(() => jest.restoreAllMocks());

  it('binds no AsyncResource per request, and the handler keeps the request’s async context', async () => {
    const context = new AsyncLocalStorage<string>();
    const app = Fastify();
    app.addHook('onRequest', (request, _reply, done) => {
      context.run(String(request.headers['x-request-name']), done);
    });
    app.post('/events', (request, reply) => {
      void reply.send({ body: request.body, context: context.getStore() ?? null });
    });
    await app.ready();
    const bind = jest.spyOn(AsyncResource.prototype, 'bind');
    try {
      const responses = await Promise.all(
        ['first', 'second'].map((name) =>
          app.inject({
            method: 'POST',
            url: '/events',
            headers: { 'content-type': 'application/json', 'x-request-name': name },
            payload: { name },
          }),
        ),
      );
      expect(responses.map((response) => response.json<unknown>())).toEqual([
        { body: { name: 'first' }, context: 'first' },
        { body: { name: 'second' }, context: 'second' },
      ]);
      expect(bind).not.toHaveBeenCalled();
    } finally {
      await app.close();
    }
  });
});
