// Exactly-once across a crash: the real aggregator process is SIGKILLed mid-stream and restarted;
// every conversation must yield exactly its expected updates, read_committed.
import { conversationIdOf } from '@crm/aggregation';
import { testKafka, uniqueName, waitFor } from '@crm/testing';
import { type Admin, type Kafka } from 'kafkajs';

import {
  TEST_POLICY,
  byConversation,
  committedOffsetsReachEnd,
  createAggregatorTopics,
  expectedUpdateIds,
  produceRecords,
  readCommittedUpdates,
  readCommittedUpdatesAtLeast,
  testSerde,
  voiceConversation,
} from '../testing/aggregator.harness';
import { type AggregatorProcess, kill, spawnAggregator, waitUntilReady } from '../testing/aggregator.process';
import { AggregatorService } from './aggregator.service';

describe(`${AggregatorService.name} (process killed)`, () => {
  let kafka: Kafka;
  let admin: Admin;
  const serde = testSerde();
  const processes: AggregatorProcess[] = [];
  const policyEnv = {
    AGGREGATION_DEBOUNCE_MS: String(TEST_POLICY.debounceMs),
    AGGREGATION_MAX_WAIT_MS: String(TEST_POLICY.maxWaitMs),
  };

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await Promise.all(processes.map((proc) => kill(proc, 'SIGKILL')));
    await admin.disconnect();
  });

  it('yields every expected update exactly once when killed with SIGKILL mid-stream and restarted', async () => {
    const topics = await createAggregatorTopics(admin, 3);
    const groupId = uniqueName('agg-crash');
    const conversations = Array.from({ length: 300 }, (_, i) => voiceConversation(i));
    // Interleave the conversations, as real traffic is: record k of every conversation, then k+1.
    const stream = conversations[0]!.flatMap((_, k) => conversations.map((records) => records[k]!));

    const first = await spawnAggregator(topics, groupId, policyEnv);
    processes.push(first);
    await waitUntilReady(first);
    // The first part runs through ANALYTICS_READY (record 6 of 8), so updates appear while the
    // rest of it is still being processed; the kill lands as soon as the first one is visible.
    const half = conversations.length * 7;
    for (let from = 0; from < half; from += 100)
      await produceRecords(kafka, serde, topics.input, stream.slice(from, Math.min(from + 100, half)));
    await waitFor(async () => (await readCommittedUpdates(kafka, serde, topics.output)).length > 0, {
      timeoutMs: 30_000,
      description: 'first updates before the kill',
    });
    const producing = (async () => {
      for (let from = half; from < stream.length; from += 100)
        await produceRecords(kafka, serde, topics.input, stream.slice(from, from + 100));
    })();
    await kill(first, 'SIGKILL');
    await producing;

    const second = await spawnAggregator(topics, groupId, policyEnv);
    processes.push(second);
    await waitUntilReady(second);
    await waitFor(() => committedOffsetsReachEnd(admin, groupId, topics.input), {
      timeoutMs: 60_000,
      description: 'input consumed',
    });

    const expectedCount = conversations.reduce(
      (sum, records) => sum + expectedUpdateIds(records, TEST_POLICY).length,
      0,
    );
    const read = byConversation(
      await readCommittedUpdatesAtLeast(kafka, serde, topics.output, expectedCount),
    );
    const missingOrWrong = conversations.filter((records) => {
      const actual = read.get(conversationIdOf(records[0]!)) ?? [];
      return JSON.stringify(actual) !== JSON.stringify(expectedUpdateIds(records, TEST_POLICY));
    });
    expect(missingOrWrong).toHaveLength(0);
    expect([...read.values()].flat()).toHaveLength(conversations.length * 2);
    // Graceful shutdown leaves the group and exits on SIGTERM (Nest re-raises the signal).
    await kill(second, 'SIGTERM');
    expect(second.child.signalCode ?? String(second.child.exitCode)).toMatch(/^(SIGTERM|0)$/);
  });
});
