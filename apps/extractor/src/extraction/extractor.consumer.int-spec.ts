import { join } from 'node:path';
import {
  type ConversationEvent,
  type DeadLetter,
  type EntityExtracted,
  type EntityRejected,
  type EntityStreamRecord,
  MESSAGE_SCHEMAS,
  subjectFor,
} from '@crm/contracts';
import { aChatMessage, aLifecycleEvent, aVoiceUtterance } from '@crm/extraction/testing';
import {
  AvroSerde,
  createIdempotentProducer,
  encodeKey,
  type MessageProducer,
  type SchemaHandle,
} from '@crm/kafka-core';
import { createLogger } from '@crm/observability';
import {
  collectTopic,
  createTestTopic,
  stackEnv,
  testKafka,
  type TopicCollector,
  uniqueName,
  waitFor,
} from '@crm/testing';
import { type Admin, type Kafka, type KafkaMessage } from 'kafkajs';
import { Registry } from 'prom-client';
import { loadExtraction } from '../config/extraction-config.loader';
import { ExtractorConsumer } from './extractor.consumer';
import { type ExtractorTopics } from './extractor-topics';

const CONFIG_DIR = join(__dirname, '..', '..', '..', '..', 'config');
const CARD_NUMBER = '4111111111111111';

interface Harness {
  topics: ExtractorTopics;
  serde: AvroSerde;
  eventHandle: SchemaHandle<ConversationEvent>;
  send(events: readonly ConversationEvent[]): Promise<void>;
  sendRaw(messages: { key: string; value: Buffer }[]): Promise<void>;
  startSut(concurrency?: number): Promise<ExtractorConsumer>;
  collect(topic: string): Promise<TopicCollector>;
  decode<T>(message: KafkaMessage, topic: string, schema: object | string): Promise<T>;
}

describe(ExtractorConsumer.name, () => {
  let kafka: Kafka;
  let admin: Admin;
  let producer: MessageProducer;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
    producer = createIdempotentProducer(kafka);
    await producer.connect();
  });

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  afterAll(async () => {
    await producer.disconnect();
    await admin.disconnect();
  });

  async function harness(inputPartitions: number): Promise<Harness> {
    const topics: ExtractorTopics = {
      input: await createTestTopic(admin, { prefix: 'extractor-in', partitions: inputPartitions }),
      extracted: await createTestTopic(admin, { prefix: 'extractor-out', partitions: 4 }),
      rejected: await createTestTopic(admin, { prefix: 'extractor-rejected' }),
      deadLetter: await createTestTopic(admin, { prefix: 'extractor-dlq' }),
    };
    // A new topic can take a moment to have a leader for every partition on a busy broker.
    await waitFor(
      async () =>
        (
          await admin.fetchTopicMetadata({
            topics: [topics.input, topics.extracted, topics.rejected, topics.deadLetter],
          })
        ).topics.every((topic) => topic.partitions.every((partition) => partition.leader >= 0)),
      { description: 'leaders for the test topics', timeoutMs: 30_000 },
    );
    const serde = AvroSerde.connect({ url: stackEnv().registryUrl });
    const eventHandle = await serde.register<ConversationEvent>(
      subjectFor(topics.input, 'value'),
      MESSAGE_SCHEMAS['conversation-event'].value,
    );
    const readers = new Map<string, SchemaHandle<unknown>>();
    return {
      topics,
      serde,
      eventHandle,
      send: async (events) => {
        await producer.send({
          topic: topics.input,
          acks: -1,
          messages: events.map((event) => ({
            key: encodeKey(event.conversationId),
            value: serde.encode(eventHandle, event),
            headers: { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` },
          })),
        });
      },
      sendRaw: async (messages) => {
        await producer.send({
          topic: topics.input,
          acks: -1,
          messages: messages.map(({ key, value }) => ({ key: encodeKey(key), value })),
        });
      },
      startSut: async (concurrency = 1) => {
        const sut = new ExtractorConsumer({
          kafka,
          producer,
          serde,
          extractor: loadExtraction({
            definitionsFile: join(CONFIG_DIR, 'entity-definitions.json'),
            catalogueFile: join(CONFIG_DIR, 'product-catalogue.json'),
            defaultRegion: 'US',
            agentMentionsCount: false,
          }).extractor,
          topics,
          groupId: uniqueName('extractor-test'),
          logger: createLogger({ service: 'extractor-test', level: 'warn', format: 'json' }),
          metrics: new Registry(),
          concurrency,
        });
        closers.push(() => sut.stop());
        await sut.start();
        return sut;
      },
      collect: async (topic) => {
        const collector = await collectTopic(kafka, topic);
        closers.push(() => collector.stop());
        return collector;
      },
      decode: async <T>(message: KafkaMessage, topic: string, schema: object | string): Promise<T> => {
        let reader = readers.get(topic);
        if (reader === undefined) {
          reader = await serde.register(subjectFor(topic, 'value'), schema);
          readers.set(topic, reader);
        }
        return serde.decodeAsync(message.value, reader as SchemaHandle<T>);
      },
    };
  }

  it('emits accepted entities, rejections and forwarded lifecycle events, keyed by conversation', async () => {
    const h = await harness(1);
    const conversationId = uniqueName('conv');
    const order = aChatMessage('hi, my order number is 4155550132', { conversationId });
    const mumbled = aVoiceUtterance('my account is A C dash one two three four five six seven eight', {
      conversationId,
      confidence: 0.6,
    });
    const card = aChatMessage(`please charge my card ${CARD_NUMBER}`, { conversationId });
    const ended = aLifecycleEvent('CONVERSATION_ENDED', { conversationId, mediaType: 'CHAT' });
    await h.send([order, mumbled, card, ended]);

    const extracted = await h.collect(h.topics.extracted);
    const rejected = await h.collect(h.topics.rejected);
    await h.startSut();
    const streamed = await extracted.waitForCount(2, { timeoutMs: 30_000 });
    const held = await rejected.waitForCount(2, { timeoutMs: 30_000 });

    const stream = await Promise.all(
      streamed.map(({ message }) =>
        h.decode<EntityStreamRecord>(message, h.topics.extracted, MESSAGE_SCHEMAS['entity-extracted'].value),
      ),
    );
    const entity = stream[0]!.payload as { 'crm.extraction.EntityExtracted': EntityExtracted };
    expect(entity['crm.extraction.EntityExtracted']).toMatchObject({
      conversationId,
      sourceEventId: order.eventId,
      entityType: 'OrderNumber',
      value: '4155550132',
      method: 'REGEX',
      definitionsVersion: '2025-01-01.1',
    });
    expect(stream[1]!.payload).toEqual({
      'crm.extraction.ConversationLifecycle': expect.objectContaining({
        eventId: ended.eventId,
        conversationId,
        kind: 'CONVERSATION_ENDED',
      }) as unknown,
    });
    for (const { message } of [...streamed, ...held]) {
      expect(message.key?.toString()).toBe(conversationId);
      expect(message.headers?.['traceparent']?.toString()).toBe(`00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`);
      expect(Number(message.headers?.['x-hop-ts-extractor']?.toString())).toBeGreaterThan(0);
      expect(message.value?.includes(CARD_NUMBER)).toBe(false);
    }

    const rejections = await Promise.all(
      held.map(({ message }) =>
        h.decode<EntityRejected>(message, h.topics.rejected, MESSAGE_SCHEMAS['entity-rejected'].value),
      ),
    );
    expect(rejections.map((r) => [r.sourceEventId, r.entityType, r.reason, r.value])).toEqual([
      [mumbled.eventId, 'AccountId', 'LOW_CONFIDENCE', 'AC-12345678'],
      [card.eventId, 'CardNumber', 'REDACTED_PCI', null],
    ]);
    expect(rejections[1]!.rawValue).toBeNull();
  });

  it('keeps each conversation in input order under batching across partitions', async () => {
    const h = await harness(3);
    const conversations = Array.from({ length: 30 }, () => uniqueName('conv'));
    // Per conversation: utterances with entities interleaved with lifecycle events.
    const script = (conversationId: string, step: number): ConversationEvent => {
      const digits = String(1_000_000_000 + step * 7919).slice(0, 10);
      switch (step % 5) {
        case 0:
        case 3:
          return aChatMessage(`my order number is ${digits}`, { conversationId });
        case 1:
          return aChatMessage(`my email is person${step}@example.com and order number ${digits}`, {
            conversationId,
          });
        case 2:
          return aLifecycleEvent('SENTIMENT', { conversationId, sentimentScore: 0.5, mediaType: 'CHAT' });
        default:
          return aLifecycleEvent('CONTACT_ATTRIBUTES', { conversationId, mediaType: 'CHAT' });
      }
    };
    const perConversation = new Map<string, ConversationEvent[]>();
    const events: ConversationEvent[] = [];
    for (let step = 0; step < 20; step++) {
      for (const conversationId of conversations) {
        const event =
          step === 19
            ? aLifecycleEvent('ANALYTICS_READY', { conversationId, mediaType: 'CHAT' })
            : script(conversationId, step);
        events.push(event);
        perConversation.set(conversationId, [...(perConversation.get(conversationId) ?? []), event]);
      }
    }
    // Everything is on the input topic before the consumer starts, so it arrives in large batches.
    await h.send(events);
    const expectedOutputs = events.reduce(
      (sum, event) => sum + (event.kind === 'MESSAGE' ? (event.text?.includes('@') ? 2 : 1) : 1),
      0,
    );

    const extracted = await h.collect(h.topics.extracted);
    await h.startSut(3);
    const collected = await extracted.waitForCount(expectedOutputs, { timeoutMs: 60_000 });

    const sequences = new Map<string, number[]>();
    for (const { message } of collected) {
      const record = await h.decode<EntityStreamRecord>(
        message,
        h.topics.extracted,
        MESSAGE_SCHEMAS['entity-extracted'].value,
      );
      const [conversationId, sourceEventId] =
        'crm.extraction.EntityExtracted' in record.payload
          ? [
              record.payload['crm.extraction.EntityExtracted'].conversationId,
              record.payload['crm.extraction.EntityExtracted'].sourceEventId,
            ]
          : [
              record.payload['crm.extraction.ConversationLifecycle'].conversationId,
              record.payload['crm.extraction.ConversationLifecycle'].eventId,
            ];
      const index = perConversation
        .get(conversationId)!
        .findIndex((event) => event.eventId === sourceEventId);
      expect(index).toBeGreaterThanOrEqual(0);
      sequences.set(conversationId, [...(sequences.get(conversationId) ?? []), index]);
    }
    expect(collected).toHaveLength(expectedOutputs);
    for (const conversationId of conversations) {
      const sequence = sequences.get(conversationId)!;
      expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
      expect(sequence.at(-1)).toBe(19);
    }
  });

  it('dead-letters poison records with reason and position and carries on with later ones', async () => {
    const h = await harness(1);
    const conversationId = uniqueName('conv');
    const other = await h.serde.register<DeadLetter>(
      uniqueName('extractor-foreign-value'),
      MESSAGE_SCHEMAS['dead-letter'].value,
    );
    const eventSchema = MESSAGE_SCHEMAS['conversation-event'].value;
    const withoutConversationId = {
      ...eventSchema,
      name: 'ConversationEventWithoutConversationId',
      fields: eventSchema.fields.filter((field) => field.name !== 'conversationId'),
    };
    const missingField = await h.serde.register<Omit<ConversationEvent, 'conversationId'>>(
      uniqueName('extractor-missing-value'),
      withoutConversationId,
    );
    const { conversationId: _dropped, ...eventWithoutId } = aChatMessage('order number 1111111111', {
      conversationId,
    });
    const good = h.serde.encode(
      h.eventHandle,
      aChatMessage('my order number is 4155550132', { conversationId }),
    );
    const unknownId = Buffer.from(good);
    unknownId.writeInt32BE(2_000_000_000, 1);
    const poison: { value: Buffer; reason: string }[] = [
      { value: Buffer.from('not avro at all'), reason: 'DECODE_FAILED' },
      { value: unknownId, reason: 'DECODE_FAILED' },
      { value: good.subarray(0, 12), reason: 'DECODE_FAILED' },
      {
        value: h.serde.encode(other, {
          service: 'x',
          originalTopic: 't',
          partition: 0,
          offset: '0',
          key: null,
          value: null,
          headers: {},
          conversationId: null,
          errorClass: 'E',
          reason: 'R',
          detail: '',
          retriable: false,
          attempts: 1,
          firstFailureAt: 0,
          lastFailureAt: 0,
        }),
        reason: 'SCHEMA_MISMATCH',
      },
      { value: h.serde.encode(missingField, eventWithoutId), reason: 'SCHEMA_MISMATCH' },
      {
        value: h.serde.encode(h.eventHandle, aChatMessage('hello', { conversationId: '' })),
        reason: 'MISSING_FIELDS',
      },
    ];
    await h.sendRaw([{ key: conversationId, value: good }]);
    await h.sendRaw(poison.map(({ value }) => ({ key: conversationId, value })));
    const later = aChatMessage('and my email is later@example.com', { conversationId });
    await h.send([later]);

    const deadLetters = await h.collect(h.topics.deadLetter);
    const extracted = await h.collect(h.topics.extracted);
    await h.startSut();
    const letters = await deadLetters.waitForCount(poison.length, { timeoutMs: 30_000 });
    const entities = await extracted.waitForCount(2, { timeoutMs: 30_000 });

    const decoded = await Promise.all(
      letters.map(({ message }) =>
        h.decode<DeadLetter>(message, h.topics.deadLetter, MESSAGE_SCHEMAS['dead-letter'].value),
      ),
    );
    expect(decoded.map((letter) => [letter.offset, letter.reason])).toEqual(
      poison.map(({ reason }, index) => [String(index + 1), reason]),
    );
    for (const [index, letter] of decoded.entries()) {
      expect(letter).toMatchObject({ service: 'extractor', originalTopic: h.topics.input, partition: 0 });
      expect(letter.value?.equals(poison[index]!.value)).toBe(true);
    }
    const last = await h.decode<EntityStreamRecord>(
      entities[1]!.message,
      h.topics.extracted,
      MESSAGE_SCHEMAS['entity-extracted'].value,
    );
    expect(last.payload).toEqual({
      'crm.extraction.EntityExtracted': expect.objectContaining({
        sourceEventId: later.eventId,
        value: 'later@example.com',
      }) as unknown,
    });
  });
});
