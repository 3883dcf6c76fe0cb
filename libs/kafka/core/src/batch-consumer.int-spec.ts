import { createTestTopic, testKafka, uniqueName, waitFor } from '@crm/testing';
import { createLogger } from '@crm/observability';
import { type Admin, type Kafka, KafkaJSNonRetriableError } from 'kafkajs';
import { Registry } from 'prom-client';
import { BatchConsumer } from './batch-consumer';
import { createIdempotentProducer } from './producer';

const logger = createLogger({ service: 'test', level: 'silent', format: 'json' });

describe(BatchConsumer.name, () => {
  let kafka: Kafka;
  let admin: Admin;

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
  });

  const cleanups: Array<() => Promise<void>> = [];

  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup().catch(() => undefined)));
  });

  afterAll(async () => {
    await admin.disconnect();
  });

  function member(
    groupId: string,
    topic: string,
    seen: Map<string, number>,
    registry?: Registry,
  ): BatchConsumer {
    const consumer = new BatchConsumer({
      kafka,
      groupId,
      topics: [topic],
      logger,
      sessionTimeoutMs: 10_000,
      ...(registry ? { metrics: registry } : {}),
      handleBatch: async ({ batch, resolveOffset, heartbeat }) => {
        for (const message of batch.messages) {
          const id = message.value!.toString();
          seen.set(id, (seen.get(id) ?? 0) + 1);
          resolveOffset(message.offset);
        }
        await heartbeat();
      },
    });
    cleanups.push(() => consumer.stop());
    return consumer;
  }

  async function connectedProducer() {
    const producer = createIdempotentProducer(kafka);
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    return producer;
  }

  it('shares partitions between two members after a rebalance and loses nothing', async () => {
    const topic = await createTestTopic(admin, { partitions: 4 });
    const groupId = uniqueName('rebalance');
    const producer = await connectedProducer();
    const send = (from: number, to: number) =>
      producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: to - from }, (_, i) => ({
          key: `conv-${(from + i) % 17}`,
          value: `m-${from + i}`,
        })),
      });

    const seenByFirst = new Map<string, number>();
    const seenBySecond = new Map<string, number>();
    const registry = new Registry();
    const first = member(groupId, topic, seenByFirst, registry);
    await first.start();
    await waitFor(() => first.isReady(), { description: 'first member joined', timeoutMs: 30_000 });
    await send(0, 200);
    await waitFor(() => seenByFirst.size === 200, { description: 'first member read all' });

    const second = member(groupId, topic, seenBySecond);
    await second.start();
    await waitFor(
      async () => {
        const description = await admin.describeGroups([groupId]);
        return description.groups[0]?.members.length === 2 && first.isReady() && second.isReady();
      },
      { description: 'two members in the group', timeoutMs: 30_000 },
    );
    await send(200, 400);

    const all = () => new Set([...seenByFirst.keys(), ...seenBySecond.keys()]);
    await waitFor(() => all().size === 400, {
      description: 'both members together read the second half',
      timeoutMs: 30_000,
    });

    expect(seenBySecond.size).toBeGreaterThan(0);
    expect([...seenBySecond.keys()].every((id) => Number(id.slice(2)) >= 200)).toBe(true);
    expect(await registry.getSingleMetricAsString('kafka_consumer_lag')).toContain(`topic="${topic}"`);
  });

  it('comes back after kafkajs gives up on it for good (a non-retriable crash) and loses nothing', async () => {
    const topic = await createTestTopic(admin);
    const producer = await connectedProducer();
    await producer.send({ topic, acks: -1, messages: [{ value: 'm-0' }, { value: 'm-1' }] });
    const seen = new Set<string>();
    const crashes: boolean[] = [];
    let failNext = true;
    const sut = new BatchConsumer({
      kafka,
      groupId: uniqueName('fatal'),
      topics: [topic],
      logger,
      sessionTimeoutMs: 10_000,
      handleBatch: async ({ batch, resolveOffset }) => {
        // What a broker restart can end a consumer with: kafkajs disconnects it and stops for good.
        if (failNext) {
          failNext = false;
          throw new KafkaJSNonRetriableError('Failed to find group coordinator');
        }
        for (const message of batch.messages) {
          seen.add(message.value!.toString());
          resolveOffset(message.offset);
        }
        await Promise.resolve();
      },
    });
    sut.consumer.on(sut.consumer.events.CRASH, (event) => crashes.push(event.payload.restart));
    cleanups.push(() => sut.stop());
    await sut.start();

    await waitFor(() => seen.size === 2, {
      description: 'both messages after the restart',
      timeoutMs: 30_000,
    });
    expect(crashes).toEqual([false]);
    expect(sut.isReady()).toBe(true);
  });

  it('commits every offset it resolved by the time stop() returns', async () => {
    const topic = await createTestTopic(admin, { partitions: 3 });
    const groupId = uniqueName('stop-commit');
    const producer = await connectedProducer();
    const seen = new Map<string, number>();
    const sut = member(groupId, topic, seen);
    await sut.start();
    await waitFor(() => sut.isReady(), { description: 'joined', timeoutMs: 30_000 });
    // Many small sends, so commits run behind many batches and coalesce.
    for (let i = 0; i < 30; i++)
      await producer.send({ topic, acks: -1, messages: [{ key: `k-${i % 7}`, value: `m-${i}` }] });
    await waitFor(() => seen.size === 30, { description: 'all handled', timeoutMs: 30_000 });

    await sut.stop();

    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    const behind = ends.filter(
      (end) =>
        end.high !== end.low &&
        committed?.partitions.find((p) => p.partition === end.partition)?.offset !== end.high,
    );
    expect(ends.some((end) => end.high !== end.low)).toBe(true);
    expect(behind).toEqual([]);
  });

  it('starts at most one offset commit per commit interval, coalescing the batches between', async () => {
    const topic = await createTestTopic(admin);
    const groupId = uniqueName('commit-interval');
    const producer = await connectedProducer();
    let batches = 0;
    let handled = 0;
    const sut = new BatchConsumer({
      kafka,
      groupId,
      topics: [topic],
      logger,
      sessionTimeoutMs: 10_000,
      commitIntervalMs: 1_000,
      handleBatch: ({ batch, resolveOffset }) => {
        batches += 1;
        for (const message of batch.messages) {
          handled += 1;
          resolveOffset(message.offset);
        }
        return Promise.resolve();
      },
    });
    cleanups.push(() => sut.stop());
    const commitStarts: number[] = [];
    sut.consumer.on(sut.consumer.events.REQUEST, (event) => {
      if (event.payload.apiName === 'OffsetCommit') commitStarts.push(event.payload.sentAt);
    });
    await sut.start();
    await waitFor(() => sut.isReady(), { description: 'joined', timeoutMs: 30_000 });

    // One record per send, each awaited: a batch each, far more batches than commit intervals.
    for (let i = 0; i < 30; i++) await producer.send({ topic, acks: -1, messages: [{ value: `m-${i}` }] });
    await waitFor(() => handled === 30, { description: 'all handled', timeoutMs: 30_000 });
    await waitFor(
      async () => {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        return committed?.partitions[0]?.offset === '30';
      },
      { description: 'all committed', timeoutMs: 30_000 },
    );

    expect(batches).toBeGreaterThanOrEqual(10);
    const gaps = commitStarts.slice(1).map((at, i) => at - commitStarts[i]!);
    expect(commitStarts.length).toBeLessThan(batches);
    expect(gaps.filter((gap) => gap < 950)).toEqual([]); // kafkajs' sentAt, a clock of its own
  });

  it('reports not ready before joining and after stopping', async () => {
    const topic = await createTestTopic(admin);
    const sut = member(uniqueName('ready'), topic, new Map());
    expect(sut.isReady()).toBe(false);
    await sut.start();
    await waitFor(() => sut.isReady(), { description: 'joined', timeoutMs: 30_000 });
    await sut.stop();
    expect(sut.isReady()).toBe(false);
  });
});
