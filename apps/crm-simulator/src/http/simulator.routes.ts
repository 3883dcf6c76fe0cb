// Plain Fastify routes for the CRM endpoints: Nest's router cannot express `contacts(<key>)`
// segments or pass multipart/mixed bodies through untouched, so these bypass it.
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { handleAdmin } from '../admin/admin.handler';
import { CrmSimulator } from '../crm-simulator';
import { renderContactsPage } from '../web/contacts.page';
import { type SimRequest, type SimResponse } from './sim-http';

function toSimRequest(request: FastifyRequest): SimRequest {
  const [rawPath = '/', rawQuery = ''] = request.url.split('?', 2);
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    path = rawPath;
  }
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers))
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return {
    method: request.method,
    path,
    query: new URLSearchParams(rawQuery),
    headers,
    body: typeof request.body === 'string' ? request.body : '',
  };
}

async function send(reply: FastifyReply, response: SimResponse): Promise<void> {
  void reply.code(response.status).headers(response.headers);
  if (response.body === undefined) return reply.send();
  // A Buffer keeps the content type exactly as the CRM sends it (Fastify rewrites it for strings).
  return reply.send(
    Buffer.from(typeof response.body === 'string' ? response.body : JSON.stringify(response.body)),
  );
}

export function registerSimulatorRoutes(fastify: FastifyInstance, sim: CrmSimulator): void {
  // Every body arrives as text: each endpoint parses its own format and answers parse errors the way its CRM does.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  const crm = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const req = toSimRequest(request);
    const provider = CrmSimulator.providerOf(req.path);
    if (provider === undefined)
      return send(reply, { status: 404, headers: {}, body: { error: 'not found' } });
    const baseUrl = `${request.protocol}://${request.headers.host ?? request.hostname}`;
    return send(reply, await sim.handle(provider, req, baseUrl));
  };
  fastify.post('/services/oauth2/token', crm);
  fastify.post('/:tenant/oauth2/v2.0/token', crm);
  fastify.all('/services/data/*', crm);
  fastify.all('/api/data/*', crm);

  const admin = async (request: FastifyRequest, reply: FastifyReply): Promise<void> =>
    send(reply, handleAdmin(sim, toSimRequest(request)));
  fastify.all('/__admin/*', admin);

  fastify.get('/', async (_request, reply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(renderContactsPage(sim)),
  );
}
