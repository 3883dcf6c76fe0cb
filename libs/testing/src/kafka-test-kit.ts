// Helpers for integration tests against the real local broker: clients, throw-away topics, and a
// collector that reads a topic (read_committed by default) into memory.
import { type Admin, Kafka, logLevel, type KafkaMessage, type Producer } from 'kafkajs';
import { stackEnv } from './config/stack-env';
import { uniqueName } from './unique';
import { waitFor, type WaitOptions } from './wait-for';

export function testKafka(clientId = uniqueName('test')): Kafka {
  return new Kafka({
    clientId,
    brokers: stackEnv().brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 5, initialRetryTime: 100 },
  });
}

export interface KafkaClients {
  kafka: Kafka;
  admin: Admin;
  /** Idempotent, acks=all by default. */
  producer: Producer;
}

/** For one spec file: an admin and a producer, connected before its tests, disconnected after. */
export function useKafkaClients(): KafkaClients {
  const kafka = testKafka();
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  beforeAll(async () => {
    await Promise.all([admin.connect(), producer.connect()]);
  });
  afterAll(async () => {
    await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
  });
  return { kafka, admin, producer };
}

export async function createTestTopic(
  admin: Admin,
  options: { prefix?: string; partitions?: number; configs?: Record<string, string> } = {},
): Promise<string> {
  const topic = uniqueName(options.prefix ?? 'test');
  const partitions = options.partitions ?? 1;
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: partitions,
          replicationFactor: 1,
          configEntries: Object.entries(options.configs ?? {}).map(([name, value]) => ({ name, value })),
        },
      ],
    });
  } catch (error) {
    // kafkajs' leader wait can read metadata before the broker serves the new topic and fail with
    // UNKNOWN_TOPIC_OR_PARTITION although the topic was created; the wait below settles it.
    if ((error as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw error;
  }
  await waitFor(
    async () => {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      const found = metadata.topics[0]?.partitions ?? [];
      return found.length === partitions && found.every((partition) => partition.leader >= 0);
    },
    { description: `leaders for ${topic}`, timeoutMs: 30_000, intervalMs: 100 },
  );
  return topic;
}

export interface CollectedMessage {
  partition: number;
  message: KafkaMessage;
}

export interface TopicCollector {
  messages: CollectedMessage[];
  waitForCount(count: number, options?: WaitOptions): Promise<CollectedMessage[]>;
  stop(): Promise<void>;
}

const openCollectors = new Set<() => Promise<void>>();

/**
 * Stops every collector a test file left running (a failed expectation skips its `stop()`), so a
 * failure is reported as itself instead of as a Jest run that never exits. Registered in
 * `afterAll` by the integration tier's setup file.
 */
export async function stopOpenCollectors(): Promise<void> {
  const stops = [...openCollectors];
  openCollectors.clear();
  await Promise.all(stops.map((stop) => stop().catch(() => undefined)));
}

/** Reads `topic` from the beginning in a group of its own; read_committed unless told otherwise. */
export async function collectTopic(
  kafka: Kafka,
  topic: string,
  options: { readUncommitted?: boolean } = {},
): Promise<TopicCollector> {
  const consumer = kafka.consumer({
    groupId: uniqueName('collector'),
    readUncommitted: options.readUncommitted ?? false,
    maxWaitTimeInMs: 100,
  });
  const messages: CollectedMessage[] = [];
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
  });
  const stop = async () => {
    openCollectors.delete(stop);
    await consumer.disconnect();
  };
  openCollectors.add(stop);
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: ({ partition, message }) => {
      messages.push({ partition, message });
      return Promise.resolve();
    },
  });
  await waitFor(() => joined, { description: `collector joined for ${topic}`, timeoutMs: 30_000 });
  return {
    messages,
    waitForCount: (count, waitOptions) =>
      waitFor(() => (messages.length >= count ? messages : undefined), {
        description: `${count} messages on ${topic}`,
        ...waitOptions,
      }),
    stop,
  };
}
