import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MessageProducer } from '@crm/kafka-core';
import { collectTopic, createTestTopic, useKafkaClients, waitFor } from '@crm/testing';
import { testToolContext } from '../testing/tool-context.fixture';
import { resolveTopicWindow } from '../window/window.resolver';
import { newCheckpoint, runReplay } from './run-replay.usecase';
import { ReplayHeaders } from './replay-headers';

describe(runReplay.name, () => {
  const { kafka, admin, producer } = useKafkaClients();

  async function seed(topic: string, conversations: string[], perConversation: number): Promise<void> {
    await producer.send({
      topic,
      acks: -1,
      messages: conversations.flatMap((conversation) =>
        Array.from({ length: perConversation }, (_, index) => ({
          key: conversation,
          value: Buffer.from(`${conversation}:${index}`),
          headers: { traceparent: `tp-${conversation}-${index}` },
        })),
      ),
    });
  }

  it('re-publishes a time window with keys, headers and a replay marker, and nothing before it', async () => {
    const source = await createTestTopic(admin, { partitions: 3 });
    const target = await createTestTopic(admin, { partitions: 3 });
    await seed(source, ['early-1', 'early-2'], 2);
    const from = Date.now() + 1;
    await waitFor(() => Date.now() > from, { description: 'clock past the window start', timeoutMs: 1_000 });
    await seed(source, ['c-1', 'c-2', 'c-3'], 4);
    const ctx = await testToolContext();
    const windows = await resolveTopicWindow(ctx.admin, source, { kind: 'time', at: from }, null);
    const collector = await collectTopic(kafka, target);

    const summary = await runReplay(
      ctx,
      newCheckpoint({
        replayId: 'r-window',
        topic: source,
        target,
        conversations: ['c-1', 'c-3'],
        includeReplayed: false,
        windows,
        now: new Date(),
      }),
    );

    expect(summary).toMatchObject({ completed: true, read: 12, published: 8, skipped: 4 });
    const received = await collector.waitForCount(8);
    expect(new Set(received.map(({ message }) => message.key?.toString()))).toEqual(new Set(['c-1', 'c-3']));
    const first = received[0]!.message;
    expect(first.headers?.['traceparent']?.toString()).toMatch(/^tp-c-[13]-\d$/);
    expect(first.headers?.[ReplayHeaders.replayId]?.toString()).toBe('r-window');
    expect(first.headers?.[ReplayHeaders.replayedFrom]?.toString()).toMatch(
      new RegExp(`^${source}/\\d/\\d+$`),
    );
    expect(ctx.checkpoints.load('r-window').completed).toBe(true);
    await collector.stop();
    await ctx.close();
  });

  it('stops cleanly when interrupted and resumes from the checkpoint without re-publishing a record', async () => {
    const source = await createTestTopic(admin, { partitions: 3 });
    const target = await createTestTopic(admin, { partitions: 3 });
    await seed(source, ['a', 'b', 'c', 'd', 'e', 'f'], 5);
    const checkpointDir = mkdtempSync(join(tmpdir(), 'replay-resume-'));
    // Interrupt (as SIGINT does) once the first batch is on the broker.
    const interrupted = await testToolContext({
      checkpointDir,
      wrapProducer: (real, abort) =>
        ({
          send: async (record: Parameters<MessageProducer['send']>[0]) => {
            const result = await real.send(record);
            abort.abort();
            return result;
          },
          disconnect: () => real.disconnect(),
        }) as unknown as MessageProducer,
    });
    const windows = await resolveTopicWindow(interrupted.admin, source, { kind: 'offset', offset: 0 }, null);
    const collector = await collectTopic(kafka, target);

    const partial = await runReplay(
      interrupted,
      newCheckpoint({
        replayId: 'r-resume',
        topic: source,
        target,
        conversations: [],
        includeReplayed: false,
        windows,
        now: new Date(),
      }),
    );
    await interrupted.close();

    expect(partial.completed).toBe(false);
    expect(partial.published).toBeGreaterThan(0);
    expect(partial.published).toBeLessThan(30);
    const resumedCtx = await testToolContext({ checkpointDir });
    const resumed = await runReplay(resumedCtx, resumedCtx.checkpoints.load('r-resume'));

    expect(resumed.completed).toBe(true);
    expect(partial.published + resumed.published).toBe(30);
    const received = await collector.waitForCount(30);
    const positions = received.map(({ message }) =>
      message.headers?.[ReplayHeaders.replayedFrom]?.toString(),
    );
    expect(new Set(positions).size).toBe(30);
    expect(resumedCtx.checkpoints.load('r-resume')).toMatchObject({ completed: true, published: 30 });
    await collector.stop();
    await resumedCtx.close();
  });

  it('replays a window into its own topic twice and re-publishes only the original records each time', async () => {
    const topic = await createTestTopic(admin, { partitions: 2 });
    await seed(topic, ['x', 'y'], 3);
    const ctx = await testToolContext();
    const replayWhole = async (replayId: string) =>
      runReplay(
        ctx,
        newCheckpoint({
          replayId,
          topic,
          target: topic,
          conversations: [],
          includeReplayed: false,
          windows: await resolveTopicWindow(ctx.admin, topic, { kind: 'offset', offset: 0 }, null),
          now: new Date(),
        }),
      );

    const first = await replayWhole('r-twice-1');
    const second = await replayWhole('r-twice-2');

    expect(first).toMatchObject({ completed: true, read: 6, published: 6, skippedReplayed: 0 });
    expect(second).toMatchObject({ completed: true, read: 12, published: 6, skippedReplayed: 6 });
    await ctx.close();
  });
});
