// Baseline for the ingest benchmark: a bare Fastify server that parses the same JSON body and answers
// 202, with no auth, no Kafka. Started by ingest.bench.mjs on the same pinned core.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Fastify = require('fastify');

const app = Fastify({ logger: false });
app.post('/v1/genesys/events', async (request, reply) => {
  reply.code(202);
  return { accepted: 1, eventIds: [String(request.body?.conversationId ?? '')] };
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.stdout.write('listening\n');
