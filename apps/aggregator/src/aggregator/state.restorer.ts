// Reads the state changelog of the given partitions to its end (read_committed, so aborted
// transactions are invisible) and rebuilds the in-memory entries. kafkajs cannot assign partitions
// without a group, so a throw-away group reads the topic, pausing the partitions not asked for; the
// end is the last stable offset measured after this member's producers fenced any previous owner.
import { type AggregationPolicy, fromStateRecord } from '@crm/aggregation';
import { decodeKey } from '@crm/kafka-core';
import { type Logger } from '@crm/observability';
import { type Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';

import { type PackedEntry } from './conversation.store';
import { restoredEntry } from './conversation.processor';
import { StatePacker } from './state.packer';
import { type StreamCodec } from './stream.codec';

export interface RestoreResult {
  readonly partitions: Map<number, Map<string, PackedEntry>>;
  readonly records: number;
  readonly durationMs: number;
}

export interface StateRestorerOptions {
  readonly kafka: Kafka;
  readonly codec: StreamCodec;
  readonly topic: string;
  readonly groupId: string;
  readonly policy: AggregationPolicy;
  readonly logger: Logger;
  readonly timeoutMs?: number;
}

export class StateRestorer {
  private readonly packer = new StatePacker();

  constructor(private readonly options: StateRestorerOptions) {}

  async restore(partitions: readonly number[]): Promise<RestoreResult> {
    const started = Date.now();
    const result = new Map<number, Map<string, PackedEntry>>(partitions.map((p) => [p, new Map()]));
    const ends = await this.endOffsets(partitions);
    if (ends.size === 0) return { partitions: result, records: 0, durationMs: Date.now() - started };
    const records = await this.readToEnd(ends, result);
    return { partitions: result, records, durationMs: Date.now() - started };
  }

  /** Last stable offset per partition that has anything to read. */
  private async endOffsets(partitions: readonly number[]): Promise<Map<number, bigint>> {
    const admin = this.options.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(this.options.topic);
      const ends = new Map<number, bigint>();
      for (const entry of offsets) {
        if (!partitions.includes(entry.partition)) continue;
        if (BigInt(entry.high) > BigInt(entry.low)) ends.set(entry.partition, BigInt(entry.high));
      }
      return ends;
    } finally {
      await admin.disconnect();
    }
  }

  private async readToEnd(
    ends: Map<number, bigint>,
    result: Map<number, Map<string, PackedEntry>>,
  ): Promise<number> {
    const { kafka, topic, codec, policy } = this.options;
    const consumer = kafka.consumer({
      groupId: `${this.options.groupId}.restore.${randomUUID()}`,
      readUncommitted: false,
      maxBytesPerPartition: 4 * 1_048_576,
      maxWaitTimeInMs: 50,
      allowAutoTopicCreation: false,
    });
    const pending = new Set(ends.keys());
    let records = 0;
    let finish: (() => void) | undefined;
    let fail: ((error: unknown) => void) | undefined;
    const done = new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    const reached = (partition: number, lastOffset: string): void => {
      const end = ends.get(partition);
      if (end === undefined || BigInt(lastOffset) < end - 1n) return;
      pending.delete(partition);
      if (pending.size === 0) finish?.();
    };
    // Batches holding only control records or aborted data never reach eachBatch; this event does.
    consumer.on(consumer.events.END_BATCH_PROCESS, (event) => {
      if (event.payload.topic === topic) reached(event.payload.partition, event.payload.lastOffset);
    });
    consumer.on(consumer.events.CRASH, (event) => fail?.(event.payload.error));
    const timer = setTimeout(
      () => fail?.(new Error(`state restore of ${topic} did not reach the end in time`)),
      this.options.timeoutMs ?? 120_000,
    );
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async (payload) => {
          const { batch } = payload;
          const end = ends.get(batch.partition);
          const entries = result.get(batch.partition);
          if (end === undefined || entries === undefined || !pending.has(batch.partition)) {
            payload.pause();
            return;
          }
          await codec.prepare(batch.messages.map((m) => m.value));
          for (const message of batch.messages) {
            if (BigInt(message.offset) >= end) break;
            const conversationId = decodeKey(message.key);
            if (conversationId === null) continue;
            records += 1;
            if (message.value === null) {
              entries.delete(conversationId);
              continue;
            }
            // Packed at once (re-encoded, in case an older writer schema wrote it), so a restore
            // never holds a partition's states as objects all at the same time.
            const state = fromStateRecord(codec.decodeState(message.value));
            const { dueAt, evictableAt } = restoredEntry(state, policy);
            entries.set(conversationId, { packed: this.packer.pack(state), dueAt, evictableAt });
          }
        },
      });
      await done;
      return records;
    } finally {
      clearTimeout(timer);
      await consumer.disconnect();
    }
  }
}
