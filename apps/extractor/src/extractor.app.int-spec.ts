import { createServer } from 'node:net';
import { join } from 'node:path';
import { loadConfig } from '@crm/config';
import { type ConversationEvent, MESSAGE_SCHEMAS, subjectFor } from '@crm/contracts';
import { aChatMessage } from '@crm/extraction/testing';
import { AvroSerde, createIdempotentProducer, encodeKey, type MessageProducer } from '@crm/kafka-core';
import { createLogger } from '@crm/observability';
import {
  collectTopic,
  createTestTopic,
  freePort,
  stackEnv,
  testKafka,
  uniqueName,
  waitFor,
} from '@crm/testing';
import { type Admin } from 'kafkajs';
import { type AppEnv, envSchema } from './config/env.schema';
import { loadExtraction } from './config/extraction-config.loader';
import { type ExtractorApp, startExtractorApp } from './extractor.app';
import { type ExtractorTopics } from './extraction/extractor-topics';

const CONFIG_DIR = join(__dirname, '..', '..', '..', 'config');
const extraction = loadExtraction({
  definitionsFile: join(CONFIG_DIR, 'entity-definitions.json'),
  catalogueFile: join(CONFIG_DIR, 'product-catalogue.json'),
  defaultRegion: 'US',
  agentMentionsCount: false,
});
const logger = createLogger({ service: 'extractor-test', level: 'warn', format: 'json' });

function envFor(port: number, groupId: string): AppEnv {
  return loadConfig('extractor-test', envSchema, {
    KAFKA_BROKERS: stackEnv().brokers.join(','),
    SCHEMA_REGISTRY_URL: stackEnv().registryUrl,
    EXTRACTOR_GROUP_ID: groupId,
    HOST: '127.0.0.1',
    PORT: String(port),
  });
}

describe(startExtractorApp.name, () => {
  let admin: Admin;
  let producer: MessageProducer;

  beforeAll(async () => {
    admin = testKafka().admin();
    await admin.connect();
    producer = createIdempotentProducer(testKafka());
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await admin.disconnect();
  });

  it('serves its probes and scrape, extracts, and on stop drains, commits and closes', async () => {
    const topics: ExtractorTopics = {
      input: await createTestTopic(admin, { prefix: 'extractor-app-in', partitions: 2 }),
      extracted: await createTestTopic(admin, { prefix: 'extractor-app-out' }),
      rejected: await createTestTopic(admin, { prefix: 'extractor-app-rejected' }),
      deadLetter: await createTestTopic(admin, { prefix: 'extractor-app-dlq' }),
    };
    const serde = AvroSerde.connect({ url: stackEnv().registryUrl });
    const handle = await serde.register<ConversationEvent>(
      subjectFor(topics.input, 'value'),
      MESSAGE_SCHEMAS['conversation-event'].value,
    );
    const groupId = uniqueName('extractor-app');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const extracted = await collectTopic(testKafka(), topics.extracted);
    let app: ExtractorApp | undefined;
    try {
      app = await startExtractorApp(envFor(port, groupId), extraction, logger, { topics });

      expect((await fetch(`${base}/health/live`)).status).toBe(200);
      await waitFor(async () => (await fetch(`${base}/health/ready`)).status === 200, {
        description: 'extractor ready',
        timeoutMs: 30_000,
      });
      const event = aChatMessage('my order number is 1234567890', { conversationId: uniqueName('conv') });
      await producer.send({
        topic: topics.input,
        acks: -1,
        messages: [{ key: encodeKey(event.conversationId), value: serde.encode(handle, event) }],
      });
      const [record] = await extracted.waitForCount(1, { timeoutMs: 30_000 });
      expect(record?.message.key?.toString()).toBe(event.conversationId);
      const scrape = await (await fetch(`${base}/metrics`)).text();
      expect(scrape).toMatch(/extractor_entities_total\{[^}]*entity_type="OrderNumber"[^}]*\} 1/);
      expect(scrape).toContain('process_resident_memory_bytes');

      await app.stop();
      app = undefined;

      await expect(fetch(`${base}/health/live`)).rejects.toThrow();
      const committed = await admin.fetchOffsets({ groupId, topics: [topics.input] });
      const offsets = committed[0]?.partitions.map((partition) => Number(partition.offset)) ?? [];
      expect(offsets.reduce((sum, offset) => sum + Math.max(offset, 0), 0)).toBe(1);
    } finally {
      await app?.stop();
      await extracted.stop();
    }
  }, 60_000);

  it('fails to start, leaving nothing running, when its port is taken', async () => {
    const port = await freePort();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      await expect(
        startExtractorApp(envFor(port, uniqueName('extractor-app')), extraction, logger, {
          topics: {
            input: 'unused-in',
            extracted: 'unused-out',
            rejected: 'unused-r',
            deadLetter: 'unused-d',
          },
        }),
      ).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
