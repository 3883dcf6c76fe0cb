// The foundation demo: provision every topic of the pipeline, register the schemas, send a sample
// ConversationEvent through the raw topic in Avro, read it back and print it decoded.
import { loadConfig, kafkaEnvSchema } from '@crm/config';
import { type ConversationEvent, MESSAGE_SCHEMAS, TOPIC_SPECS, Topics, subjectFor } from '@crm/contracts';
import {
  AvroSerde,
  createIdempotentProducer,
  createKafka,
  decodeKey,
  encodeKey,
  forwardHeaders,
  kafkaConfigFrom,
  provisionTopics,
} from '@crm/kafka-core';
import { createLogger } from '@crm/observability';

const say = (line: string): void => {
  process.stdout.write(`[demo] ${line}\n`);
};

async function main(): Promise<void> {
  const env = loadConfig('demo', kafkaEnvSchema, {
    KAFKA_BROKERS: process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092',
    SCHEMA_REGISTRY_URL: process.env['SCHEMA_REGISTRY_URL'] ?? 'http://127.0.0.1:8081/apis/ccompat/v7',
  });
  const logger = createLogger({ service: 'demo', level: 'warn', format: 'json' });
  const kafka = createKafka(kafkaConfigFrom(env, 'demo'), logger);

  const admin = kafka.admin();
  await admin.connect();
  const report = await provisionTopics(admin, TOPIC_SPECS, {
    defaultPartitions: env.KAFKA_TOPIC_PARTITIONS,
    replicationFactor: 1,
  });
  await admin.disconnect();
  say(
    `topics: ${report.created.length} created, ${report.existing.length} already there (${TOPIC_SPECS.length} declared)`,
  );

  const serde = AvroSerde.connect({ url: env.SCHEMA_REGISTRY_URL });
  const topic = Topics.conversationEvents;
  const handle = await serde.register<ConversationEvent>(
    subjectFor(topic, 'value'),
    MESSAGE_SCHEMAS['conversation-event'].value,
  );
  say(`schema ${subjectFor(topic, 'value')} registered with id ${handle.id}`);

  const now = Date.now();
  const conversationId = `demo-${now.toString(36)}`;
  const event: ConversationEvent = {
    eventId: `demo-event-${now}`,
    conversationId,
    communicationId: null,
    source: 'WEBHOOK',
    kind: 'MESSAGE',
    mediaType: 'MESSAGE',
    participant: 'CUSTOMER',
    text: 'Hi, my order number is 0012345678 and my email is Jane.Doe@Example.com',
    confidence: null,
    words: [],
    vendorEntities: [],
    sentimentScore: null,
    attributes: {},
    contactHints: { contactId: '003DEMO000000001', externalContactId: null, email: null, phone: null },
    occurredAt: now,
    receivedAt: now,
  };

  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  const [metadata] = await producer.send({
    topic,
    acks: -1,
    messages: [
      {
        key: encodeKey(conversationId),
        value: serde.encode(handle, event),
        headers: forwardHeaders(undefined, 'demo', now),
      },
    ],
  });
  await producer.disconnect();
  say(
    `sent conversation ${conversationId} to ${topic} partition ${metadata?.partition} offset ${metadata?.baseOffset}`,
  );

  const consumer = kafka.consumer({ groupId: `demo-reader-${now}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const decoded = await new Promise<ConversationEvent>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error('did not read the sample back within 30 s')), 30_000);
    void consumer.run({
      eachMessage: async ({ message }) => {
        if (decodeKey(message.key) !== conversationId) return;
        clearTimeout(deadline);
        resolve(await serde.decodeAsync(message.value, handle));
      },
    });
  });
  await consumer.disconnect();
  say('read it back and decoded it:');
  process.stdout.write(`${JSON.stringify(decoded, null, 2)}\n`);
  say(`Kafka: ${env.KAFKA_BROKERS.join(',')}   schema registry: ${env.SCHEMA_REGISTRY_URL}`);
  say('the stack keeps running; stop it with: npm run stack:down');
}

main().catch((error: unknown) => {
  process.stderr.write(`[demo] failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
