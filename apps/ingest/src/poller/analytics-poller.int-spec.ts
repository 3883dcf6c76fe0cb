import { type AnalyticsPoll, type ConversationEvent, schemaOf, subjectFor } from '@crm/contracts';
import { GenesysClient } from '@crm/genesys';
import { type GenesysFake, startGenesysFake } from '@crm/genesys/testing';
import { AvroSerde, createIdempotentProducer, encodeKey, type MessageProducer } from '@crm/kafka-core';
import { createLogger } from '@crm/observability';
import { collectTopic, createTestTopic, stackEnv, testKafka, uniqueName, waitFor } from '@crm/testing';
import { type Admin, type Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import { AnalyticsPoller } from './analytics-poller';

const logger = createLogger({ service: 'test', level: 'silent', format: 'json' });
const ENDED_AT = Date.now();

describe(AnalyticsPoller.name, () => {
  let kafka: Kafka;
  let admin: Admin;
  let producer: MessageProducer;
  let serde: AvroSerde;
  let fake: GenesysFake;
  let client: GenesysClient;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
    producer = createIdempotentProducer(kafka);
    await producer.connect();
    serde = AvroSerde.connect({ url: stackEnv().registryUrl });
  });

  beforeEach(async () => {
    fake = await startGenesysFake({ heartbeatIntervalMs: 0 });
    client = new GenesysClient({
      endpoints: { apiBaseUrl: fake.baseUrl, loginBaseUrl: fake.loginUrl },
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
    });
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
    await client.close();
    await fake.close();
  });

  afterAll(async () => {
    await producer.disconnect();
    await admin.disconnect();
  });

  async function topics(): Promise<{ events: string; schedule: string }> {
    const events = await createTestTopic(admin, { prefix: 'poller-events', partitions: 3 });
    const schedule = await createTestTopic(admin, {
      prefix: 'poller-schedule',
      partitions: 3,
      configs: { 'cleanup.policy': 'compact' },
    });
    return { events, schedule };
  }

  function poller(
    t: { events: string; schedule: string },
    groupId: string,
    metrics: Registry,
  ): AnalyticsPoller {
    const sut = new AnalyticsPoller({
      kafka,
      producer,
      serde,
      genesys: client,
      logger,
      metrics,
      groupId,
      eventsTopic: t.events,
      scheduleTopic: t.schedule,
      schedule: { initialDelayMs: 0, baseDelayMs: 200, maxDelayMs: 400, maxWaitMs: 10 * 60_000 },
      tickMs: 50,
    });
    cleanups.push(() => sut.stop());
    return sut;
  }

  async function produceEnded(topic: string, conversationId: string, communicationId: string): Promise<void> {
    const handle = await serde.register<ConversationEvent>(
      subjectFor(topic, 'value'),
      schemaOf('conversation-event', 'value'),
    );
    const ended: ConversationEvent = {
      eventId: uniqueName('ended'),
      conversationId,
      communicationId,
      source: 'NOTIFICATION',
      kind: 'CONVERSATION_ENDED',
      mediaType: 'VOICE',
      participant: 'SYSTEM',
      text: null,
      confidence: null,
      words: [],
      vendorEntities: [],
      sentimentScore: null,
      attributes: {},
      contactHints: { contactId: null, externalContactId: null, email: null, phone: null },
      occurredAt: ENDED_AT,
      receivedAt: ENDED_AT,
    };
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key: encodeKey(conversationId), value: serde.encode(handle, ended) }],
    });
  }

  async function decodeAll(values: Array<Buffer | null>): Promise<ConversationEvent[]> {
    const handle = await serde.register<ConversationEvent>(
      'poller-int-reader-value',
      schemaOf('conversation-event', 'value'),
    );
    return Promise.all(values.map((value) => serde.decodeAsync(value, handle)));
  }

  function addVoiceConversation(conversationId: string, transcriptReadyAfterPolls: number): void {
    fake.addConversation({
      conversationId,
      communicationId: `${conversationId}-comm`,
      endTime: ENDED_AT,
      customerAttributes: { SF_ContactId: '003XX0000004DcY' },
      sentimentScore: -0.25,
      transcriptReadyAfterPolls,
      phrases: [
        { participantPurpose: 'external', text: 'my order number is 1234567890' },
        { participantPurpose: 'internal', text: 'thanks, let me check' },
      ],
    });
  }

  it('retries while Genesys says not ready, then emits the utterances and ANALYTICS_READY and tombstones the schedule', async () => {
    const t = await topics();
    const conversationId = uniqueName('conv');
    addVoiceConversation(conversationId, 2);
    const metrics = new Registry();
    const sut = poller(t, uniqueName('poller'), metrics);
    await sut.start();
    const collector = await collectTopic(kafka, t.events);
    cleanups.push(() => collector.stop());
    const schedule = await collectTopic(kafka, t.schedule);
    cleanups.push(() => schedule.stop());

    await produceEnded(t.events, conversationId, `${conversationId}-comm`);

    const collected = await collector.waitForCount(6, { timeoutMs: 30_000 });
    const events = await decodeAll(collected.map((c) => c.message.value));
    expect(events.map((e) => e.kind)).toEqual([
      'CONVERSATION_ENDED',
      'CONTACT_ATTRIBUTES',
      'UTTERANCE',
      'UTTERANCE',
      'SENTIMENT',
      'ANALYTICS_READY',
    ]);
    expect(events.slice(1).every((e) => e.source === 'POLL' && e.conversationId === conversationId)).toBe(
      true,
    );
    expect(events[2]).toMatchObject({
      participant: 'CUSTOMER',
      text: 'my order number is 1234567890',
      contactHints: { contactId: '003XX0000004DcY' },
    });
    expect(new Set(collected.map((c) => c.partition)).size).toBe(1);
    expect(fake.transcriptPolls(conversationId)).toBe(3);
    await waitFor(() => schedule.messages.some((m) => m.message.value === null), {
      description: 'schedule tombstone',
    });
    const scheduleValues = schedule.messages.map((m) => m.message.value);
    const attempts = await Promise.all(
      scheduleValues
        .filter((v): v is Buffer => v !== null)
        .map(
          async (v) => (await serde.decodeAsync<AnalyticsPoll>(v, await scheduleHandle(t.schedule))).attempt,
        ),
    );
    expect(attempts).toEqual([0, 1, 2]);
    expect(scheduleValues.at(-1)).toBeNull();
    const counts = await metrics.getSingleMetricAsString('genesys_poller_attempts_total');
    expect(counts).toContain('outcome="not_ready"} 2');
    expect(counts).toContain('outcome="ready"} 1');
  });

  it('resumes a pending poll from the schedule topic after a restart', async () => {
    const t = await topics();
    const conversationId = uniqueName('conv');
    addVoiceConversation(conversationId, 1_000);
    const groupId = uniqueName('poller');
    const first = poller(t, groupId, new Registry());
    await first.start();
    await produceEnded(t.events, conversationId, `${conversationId}-comm`);
    await waitFor(() => fake.transcriptPolls(conversationId) >= 2, {
      description: 'first poller retrying',
      timeoutMs: 30_000,
    });
    await first.stop();
    const committed = await admin.fetchOffsets({ groupId, topics: [t.events] });
    const high = await admin.fetchTopicOffsets(t.events);
    const endedPartition = high.find((p) => p.high !== '0')!;
    // The CONVERSATION_ENDED was consumed and committed: the restarted poller can only resume from the schedule.
    expect(committed[0]!.partitions.find((p) => p.partition === endedPartition.partition)?.offset).toBe(
      endedPartition.high,
    );

    addVoiceConversation(conversationId, 0);
    const collector = await collectTopic(kafka, t.events);
    cleanups.push(() => collector.stop());
    const metrics = new Registry();
    const second = poller(t, groupId, metrics);
    await second.start();

    const collected = await collector.waitForCount(6, { timeoutMs: 30_000 });
    const events = await decodeAll(collected.map((c) => c.message.value));
    expect(events.at(-1)).toMatchObject({ kind: 'ANALYTICS_READY', conversationId, source: 'POLL' });
    expect(await metrics.getSingleMetricAsString('genesys_poller_attempts_total')).toContain(
      'outcome="ready"} 1',
    );
  });

  async function scheduleHandle(topic: string) {
    return serde.register<AnalyticsPoll>(subjectFor(topic, 'value'), schemaOf('analytics-poll', 'value'));
  }
});
