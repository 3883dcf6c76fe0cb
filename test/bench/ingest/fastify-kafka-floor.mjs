// Second baseline for the ingest benchmark: the least a Fastify service can do and still answer
// only after a Kafka acks=all: it keeps the raw body, checks it is JSON, and hands the body as the
// record value to one idempotent kafkajs producer, sends queued records together while no send is
// in flight (ingest's batching), and answers 202 once the broker acknowledged. No auth, no format
// detection, no Avro, no metrics, no NestJS. Its CPU per request is the floor of this stack (Node,
// Fastify, kafkajs) on this machine: what ingest's own work is measured against.
// Started by ingest.bench.mjs on the same pinned core; PORT, KAFKA_BROKERS, TOPIC from the env.
import { createRequire } from 'node:module';

import { batchingSend } from '../support/batching-send.mjs';

const require = createRequire(import.meta.url);
const Fastify = require('fastify');
const { Kafka, logLevel } = require('kafkajs');

const kafka = new Kafka({
  clientId: 'ingest-bench-floor',
  brokers: process.env.KAFKA_BROKERS.split(','),
  logLevel: logLevel.NOTHING,
});
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
await producer.connect();

const publish = batchingSend(producer, process.env.TOPIC);

const app = Fastify({ logger: false });
app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
  done(null, body),
);
app.post('/v1/genesys/events', async (request, reply) => {
  const event = JSON.parse(request.body.toString('utf8'));
  await publish({ key: String(event.conversationId), value: request.body });
  reply.code(202).type('application/json; charset=utf-8');
  return `{"accepted":1,"eventIds":[${JSON.stringify(String(event.conversationId))}]}`;
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.stdout.write('listening\n');
process.on('SIGTERM', () => {
  void app
    .close()
    .then(() => producer.disconnect())
    .finally(() => process.exit(0));
});
