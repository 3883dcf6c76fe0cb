// The aggregator against the real broker and registry, in process: per-conversation batching,
// a rebalance between two members, replayed input, and a transaction that fails after its batch
// was processed (the commit is pipelined, so later batches were processed on top of it).
import { conversationIdOf } from '@crm/aggregation';
import { T0, aLifecycle, anEntity } from '@crm/aggregation/testing';
import { createTransactionalProducer } from '@crm/kafka-core';
import { createMetricsRegistry } from '@crm/observability';
import { testKafka, uniqueName, waitFor } from '@crm/testing';
import { type Admin, type Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';

import {
  TEST_POLICY,
  byConversation,
  committedOffsetsReachEnd,
  createAggregatorTopics,
  expectedUpdateIds,
  produceRecords,
  readCommittedUpdates,
  readCommittedUpdatesAtLeast,
  startInProcess,
  testSerde,
  voiceConversation,
} from '../testing/aggregator.harness';
import { AggregatorService } from './aggregator.service';

describe(AggregatorService.name, () => {
  let kafka: Kafka;
  let admin: Admin;
  const serde = testSerde();
  const running: AggregatorService[] = [];

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((sut) => sut.stop()));
  });

  afterAll(async () => {
    await admin.disconnect();
  });

  async function start(
    topics: Awaited<ReturnType<typeof createAggregatorTopics>>,
    groupId: string,
    overrides: Parameters<typeof startInProcess>[3] = {},
  ): Promise<AggregatorService> {
    const sut = startInProcess(kafka, topics, groupId, overrides);
    running.push(sut);
    await sut.start();
    await waitFor(() => sut.isReady(), { timeoutMs: 30_000, description: 'aggregator ready' });
    return sut;
  }

  it('turns a burst of repeated chat mentions into one debounced update', async () => {
    const topics = await createAggregatorTopics(admin, 1);
    const groupId = uniqueName('agg-group');
    await start(topics, groupId);
    const conversationId = randomUUID();
    const burst = Array.from({ length: 30 }, (_, i) =>
      anEntity({
        conversationId,
        mediaType: 'CHAT',
        entityType: i % 3 === 0 ? 'Email' : 'OrderNumber',
        value: i % 3 === 0 ? 'burst@example.com' : '1234567890',
        occurredAt: T0 + i * 100,
      }),
    );
    await produceRecords(kafka, serde, topics.input, burst);
    await waitFor(async () => (await readCommittedUpdates(kafka, serde, topics.output)).length >= 1, {
      timeoutMs: 20_000,
      description: 'the debounced update',
    });
    // The sentinel is behind the burst on the one partition: once its updates are out, anything the
    // burst would still cause (a second debounce or max-wait flush) would have shown up too.
    const sentinel = voiceConversation(1);
    await produceRecords(kafka, serde, topics.input, sentinel);
    await waitFor(async () => (await readCommittedUpdates(kafka, serde, topics.output)).length >= 3, {
      timeoutMs: 20_000,
      description: 'the sentinel updates behind the burst',
    });

    const updates = await readCommittedUpdates(kafka, serde, topics.output);
    const forBurst = updates.filter((u) => u.conversationId === conversationId);
    expect(forBurst).toHaveLength(1);
    expect(forBurst[0]?.update.trigger).toBe('DEBOUNCE');
    expect(Object.keys(forBurst[0]?.update.values ?? {}).sort()).toEqual(['Email', 'OrderNumber']);
  });

  it('hands conversations over between two members without losing or repeating an update', async () => {
    const topics = await createAggregatorTopics(admin, 4);
    const groupId = uniqueName('agg-group');
    const conversations = Array.from({ length: 24 }, (_, i) => voiceConversation(i));
    const wave = (from: number, to: number) => conversations.flatMap((records) => records.slice(from, to));

    const first = await start(topics, groupId);
    await produceRecords(kafka, serde, topics.input, wave(0, 4));
    await waitFor(() => committedOffsetsReachEnd(admin, groupId, topics.input), {
      timeoutMs: 30_000,
      description: 'wave 1',
    });

    const second = await start(topics, groupId);
    await waitFor(() => first.isReady() && second.isReady(), {
      timeoutMs: 30_000,
      description: 'both members ready',
    });
    await produceRecords(kafka, serde, topics.input, wave(4, 7));
    await waitFor(() => committedOffsetsReachEnd(admin, groupId, topics.input), {
      timeoutMs: 30_000,
      description: 'wave 2',
    });

    await first.stop();
    running.splice(running.indexOf(first), 1);
    await produceRecords(kafka, serde, topics.input, wave(7, 8));
    await waitFor(() => committedOffsetsReachEnd(admin, groupId, topics.input), {
      timeoutMs: 30_000,
      description: 'wave 3',
    });

    const read = byConversation(
      await readCommittedUpdatesAtLeast(kafka, serde, topics.output, conversations.length * 2),
    );
    for (const records of conversations) {
      expect(read.get(conversationIdOf(records[0]!))).toEqual(expectedUpdateIds(records, TEST_POLICY));
    }
    expect([...read.values()].flat()).toHaveLength(conversations.length * 2);
  });

  it('stays within maxConversations by evicting ended conversations, losing no update, also after a restore', async () => {
    const topics = await createAggregatorTopics(admin, 1);
    const groupId = uniqueName('agg-group');
    const metrics = createMetricsRegistry('agg-evict-test');
    const first = await start(topics, groupId, { maxConversations: 10, metrics });
    const conversations = Array.from({ length: 30 }, (_, i) => {
      const records = voiceConversation(i);
      const conversationId = conversationIdOf(records[0] as (typeof records)[0]);
      return [...records, aLifecycle('CONVERSATION_ENDED', { conversationId, occurredAt: T0 + 12_000 })];
    });
    await produceRecords(kafka, serde, topics.input, conversations.flat());
    const expected = conversations.flatMap((records) => expectedUpdateIds(records, TEST_POLICY));
    const updates = await readCommittedUpdatesAtLeast(kafka, serde, topics.output, expected.length);
    await waitFor(() => committedOffsetsReachEnd(admin, groupId, topics.input), {
      timeoutMs: 30_000,
      description: 'input committed',
    });

    expect(expected).toHaveLength(60);
    expect(updates.map((u) => u.update.updateId).sort()).toEqual([...expected].sort());
    expect(first.openConversations()).toBeLessThanOrEqual(10);
    const evicted = (await metrics.getSingleMetric('aggregator_states_evicted_total')?.get())?.values[0]
      ?.value;
    expect(evicted).toBeGreaterThanOrEqual(20);

    await first.stop();
    running.splice(running.indexOf(first), 1);
    const second = await start(topics, groupId, { maxConversations: 10 });
    expect(second.openConversations()).toBeLessThanOrEqual(10);
  });

  it('produces no new update when the same input is replayed', async () => {
    const topics = await createAggregatorTopics(admin, 1);
    const groupId = uniqueName('agg-group');
    await start(topics, groupId);
    const conversations = Array.from({ length: 5 }, (_, i) => voiceConversation(i));
    await produceRecords(kafka, serde, topics.input, conversations.flat());
    await waitFor(() => committedOffsetsReachEnd(admin, groupId, topics.input), {
      timeoutMs: 30_000,
      description: 'first pass',
    });
    const before = await readCommittedUpdatesAtLeast(kafka, serde, topics.output, 10);

    await produceRecords(kafka, serde, topics.input, conversations.flat());
    await waitFor(() => committedOffsetsReachEnd(admin, groupId, topics.input), {
      timeoutMs: 30_000,
      description: 'replay',
    });
    // A sentinel behind the replay on the one partition: once its updates are readable, any update
    // the replay caused would be too.
    await produceRecords(kafka, serde, topics.input, voiceConversation(99));
    const after = (await readCommittedUpdatesAtLeast(kafka, serde, topics.output, 12)).slice(0, -2);

    expect(before).toHaveLength(10);
    expect(after.map((u) => u.update.updateId)).toEqual(before.map((u) => u.update.updateId));
  });

  it('restores and reprocesses a partition whose transaction failed, losing and repeating nothing', async () => {
    const topics = await createAggregatorTopics(admin, 1);
    const groupId = uniqueName('agg-group');
    const transactionalIdPrefix = uniqueName('agg-tx');
    const metrics = createMetricsRegistry('aggregator-test');
    await start(topics, groupId, { transactionalIdPrefix, metrics });
    const conversations = Array.from({ length: 10 }, (_, i) => voiceConversation(i));
    const wave = (from: number, to: number) => conversations.flatMap((records) => records.slice(from, to));
    await produceRecords(kafka, serde, topics.input, wave(0, 4));
    await waitFor(() => committedOffsetsReachEnd(admin, groupId, topics.input), {
      timeoutMs: 30_000,
      description: 'wave 1',
    });

    // A zombie takes the partition's transactional id: the aggregator's next commit is fenced.
    const zombie = createTransactionalProducer(kafka, `${transactionalIdPrefix}-${topics.input}-0`);
    await zombie.connect();
    await (await zombie.transaction()).abort();
    await zombie.disconnect();
    await produceRecords(kafka, serde, topics.input, wave(4, 8));
    await waitFor(() => committedOffsetsReachEnd(admin, groupId, topics.input), {
      timeoutMs: 30_000,
      description: 'wave 2, after the failed transaction',
    });

    const transactions = await metrics.getSingleMetric('aggregator_transactions_total')?.get();
    const aborted = transactions?.values.find((v) => v.labels['outcome'] === 'aborted')?.value ?? 0;
    expect(aborted).toBeGreaterThanOrEqual(1);
    const read = byConversation(
      await readCommittedUpdatesAtLeast(kafka, serde, topics.output, conversations.length * 2),
    );
    for (const records of conversations) {
      expect(read.get(conversationIdOf(records[0]!))).toEqual(expectedUpdateIds(records, TEST_POLICY));
    }
    expect([...read.values()].flat()).toHaveLength(conversations.length * 2);
  });
});
