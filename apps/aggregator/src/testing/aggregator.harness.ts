// Integration-test harness: throw-away topics, scripted conversations with their expected updates
// (computed by the pure domain library), an in-process aggregator, and a read_committed reader that
// knows when it has read a topic to its end.
import {
  type AggregationPolicy,
  DEFAULT_AGGREGATION_POLICY,
  type ConversationState,
  applyRecord,
  conversationIdOf,
  decide,
} from '@crm/aggregation';
import { T0, aContact, aLifecycle, anEntity } from '@crm/aggregation/testing';
import { type ContactUpdateRequested, type EntityStreamRecord, schemaOf, subjectFor } from '@crm/contracts';
import { ACKS_ALL, AvroSerde, createIdempotentProducer, decodeKey, encodeKey } from '@crm/kafka-core';
import { createLogger, createMetricsRegistry } from '@crm/observability';
import { stackEnv, uniqueName, waitFor } from '@crm/testing';
import { type Admin, type Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { type Registry } from 'prom-client';

import { AggregatorService } from '../aggregator/aggregator.service';
import { type AggregatorTopics } from '../aggregator/stream.codec';

export const TEST_POLICY: AggregationPolicy = {
  ...DEFAULT_AGGREGATION_POLICY,
  debounceMs: 300,
  maxWaitMs: 2_000,
};

export function testSerde(): AvroSerde {
  return AvroSerde.connect({ url: stackEnv().registryUrl });
}

export async function createAggregatorTopics(admin: Admin, partitions: number): Promise<AggregatorTopics> {
  const topics = {
    input: uniqueName('agg-in'),
    output: uniqueName('agg-out'),
    state: uniqueName('agg-state'),
  };
  await admin.createTopics({
    topics: [
      { topic: topics.input, numPartitions: partitions, replicationFactor: 1 },
      { topic: topics.output, numPartitions: partitions, replicationFactor: 1 },
      {
        topic: topics.state,
        numPartitions: partitions,
        replicationFactor: 1,
        configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
      },
    ],
  });
  // Under load kafkajs' own waitForLeaders can fail on a not-yet-hosted partition: poll instead.
  await waitFor(
    async () => {
      for (const topic of Object.values(topics)) {
        const offsets = await admin.fetchTopicOffsets(topic);
        if (offsets.length !== partitions) return false;
      }
      return true;
    },
    { timeoutMs: 30_000, description: 'test topics have leaders' },
  );
  return topics;
}

export function startInProcess(
  kafka: Kafka,
  topics: AggregatorTopics,
  groupId: string,
  overrides: {
    eos?: boolean;
    policy?: AggregationPolicy;
    commitIntervalMs?: number;
    transactionalIdPrefix?: string;
    maxConversations?: number;
    metrics?: Registry;
  } = {},
): AggregatorService {
  return new AggregatorService({
    kafka,
    serde: testSerde(),
    topics,
    groupId,
    eos: overrides.eos ?? true,
    transactionalIdPrefix: overrides.transactionalIdPrefix ?? uniqueName('agg-tx'),
    transactionTimeoutMs: 30_000,
    tickMs: 100,
    commitIntervalMs: overrides.commitIntervalMs ?? 100,
    commitMaxRecords: 20_000,
    partitionConcurrency: 6,
    maxConversations: overrides.maxConversations ?? 15_000,
    maxBytesPerPartition: 1_048_576,
    maxBytes: 1_048_576,
    sessionTimeoutMs: 10_000,
    policy: overrides.policy ?? TEST_POLICY,
    logger: createLogger({ service: 'aggregator-test', level: 'warn', format: 'json' }),
    metrics: overrides.metrics ?? createMetricsRegistry('aggregator-test'),
  });
}

/**
 * A voice conversation: repeated mentions, a contact, ANALYTICS_READY (first update), then a new
 * value after it (second update). Both flushes are due at once, so the expected updates do not
 * depend on timing or batch boundaries.
 */
export function voiceConversation(index: number): EntityStreamRecord[] {
  const conversationId = randomUUID();
  const base = { conversationId, mediaType: 'VOICE' as const };
  const order = String(1_000_000_000 + index);
  return [
    anEntity({ ...base, entityType: 'OrderNumber', value: order, occurredAt: T0 + 1_000 }),
    anEntity({ ...base, entityType: 'OrderNumber', value: order, occurredAt: T0 + 2_000 }),
    anEntity({ ...base, entityType: 'Email', value: `c${index}@example.com`, occurredAt: T0 + 3_000 }),
    aLifecycle('CONTACT_ATTRIBUTES', {
      ...base,
      contactHints: aContact({ contactId: `003${index}` }),
      occurredAt: T0 + 3_500,
    }),
    anEntity({ ...base, entityType: 'OrderNumber', value: order, occurredAt: T0 + 4_000 }),
    anEntity({ ...base, entityType: 'Email', value: `c${index}@example.com`, occurredAt: T0 + 5_000 }),
    aLifecycle('ANALYTICS_READY', { ...base, occurredAt: T0 + 10_000 }),
    anEntity({ ...base, entityType: 'AccountId', value: 'AC-12345678', occurredAt: T0 + 11_000 }),
  ];
}

/** The updateIds a conversation's records must yield, in order, deciding after every record. */
export function expectedUpdateIds(records: EntityStreamRecord[], policy: AggregationPolicy): string[] {
  let state: ConversationState | null = null;
  const ids: string[] = [];
  records.forEach((record, i) => {
    const now = T0 + i;
    state = applyRecord(state, record, now, policy).state;
    const decision = decide(state, now, policy);
    state = decision.state;
    if (decision.update !== null) ids.push(decision.update.updateId);
  });
  return ids;
}

export async function produceRecords(
  kafka: Kafka,
  serde: AvroSerde,
  topic: string,
  records: EntityStreamRecord[],
): Promise<void> {
  const handle = await serde.register<EntityStreamRecord>(
    subjectFor(topic, 'value'),
    schemaOf('entity-extracted', 'value'),
  );
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: ACKS_ALL,
      messages: records.map((record) => ({
        key: encodeKey(conversationIdOf(record)),
        value: serde.encode(handle, record),
      })),
    });
  } finally {
    await producer.disconnect();
  }
}

export interface ReadUpdate {
  readonly conversationId: string;
  readonly update: ContactUpdateRequested;
}

/** Reads `topic` read_committed up to its last stable offset, decoding every update. */
export async function readCommittedUpdates(
  kafka: Kafka,
  serde: AvroSerde,
  topic: string,
): Promise<ReadUpdate[]> {
  const handle = await serde.register<ContactUpdateRequested>(
    subjectFor(topic, 'value'),
    schemaOf('contact-update-requested', 'value'),
  );
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const ends = new Map(
    offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => [o.partition, BigInt(o.high)]),
  );
  const found: ReadUpdate[] = [];
  if (ends.size === 0) return found;
  const consumer = kafka.consumer({
    groupId: uniqueName('agg-reader'),
    readUncommitted: false,
    maxWaitTimeInMs: 50,
  });
  const pending = new Set(ends.keys());
  const reached = (partition: number, lastOffset: string): void => {
    const end = ends.get(partition);
    if (end !== undefined && BigInt(lastOffset) >= end - 1n) pending.delete(partition);
  };
  consumer.on(consumer.events.END_BATCH_PROCESS, (event) =>
    reached(event.payload.partition, event.payload.lastOffset),
  );
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) {
        const end = ends.get(batch.partition);
        if (end === undefined || BigInt(message.offset) >= end) continue;
        found.push({
          conversationId: decodeKey(message.key) ?? '',
          update: await serde.decodeAsync(message.value, handle),
        });
      }
    },
  });
  try {
    await waitFor(() => pending.size === 0, { timeoutMs: 30_000, description: `${topic} read to its end` });
  } finally {
    await consumer.disconnect();
  }
  return found;
}

/**
 * Reads `topic` once it holds at least `count` committed updates. The input's committed offsets
 * can be visible before the output's transaction markers (the coordinator writes them partition by
 * partition), so "input consumed" alone does not mean the output is readable yet. Past the
 * deadline it returns what it read, for the caller's assertions to show what is missing.
 */
export async function readCommittedUpdatesAtLeast(
  kafka: Kafka,
  serde: AvroSerde,
  topic: string,
  count: number,
): Promise<ReadUpdate[]> {
  let read: ReadUpdate[] = [];
  await waitFor(
    async () => {
      read = await readCommittedUpdates(kafka, serde, topic);
      return read.length >= count;
    },
    { timeoutMs: 30_000, description: `${count} committed updates on ${topic}` },
  ).catch(() => undefined);
  return read;
}

/** conversationId → updateIds in the order read. */
export function byConversation(updates: readonly ReadUpdate[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { conversationId, update } of updates)
    out.set(conversationId, [...(out.get(conversationId) ?? []), update.updateId]);
  return out;
}

export async function committedOffsetsReachEnd(
  admin: Admin,
  groupId: string,
  topic: string,
): Promise<boolean> {
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const ends = await admin.fetchTopicOffsets(topic);
  return ends.every((end) => {
    const at = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
    return end.high === end.low || BigInt(at) >= BigInt(end.high);
  });
}
