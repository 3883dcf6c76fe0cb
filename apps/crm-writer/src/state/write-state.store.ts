// The per-record stale-write state (which conversation last wrote each field), held in memory and
// restored at start from the compacted crm-write-state topic. Only the partition owner of a record
// writes it, so the in-memory copy is authoritative for the records this instance owns.
import { type CrmWriteState } from '@crm/contracts';
import { type AvroSerde, type SchemaHandle } from '@crm/kafka-core';
import { type Logger } from '@crm/observability';
import { waitForOffsets } from './offsets';
import { type Kafka } from 'kafkajs';

export class WriteStateStore {
  private readonly states = new Map<string, CrmWriteState>();

  get(recordKey: string): CrmWriteState | null {
    return this.states.get(recordKey) ?? null;
  }

  set(state: CrmWriteState): void {
    this.states.set(state.recordKey, state);
  }

  get size(): number {
    return this.states.size;
  }

  /** Reads the compacted topic from the beginning up to its current end. */
  async restore(
    kafka: Kafka,
    topic: string,
    serde: AvroSerde,
    handle: SchemaHandle<CrmWriteState>,
    logger: Logger,
    groupId: string,
  ): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
    const targets = new Map(
      ends.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high) - 1n]),
    );
    if (targets.size === 0) return;
    const reached = new Set<number>();
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          const key = message.key?.toString('utf8');
          if (key) {
            if (message.value === null) this.states.delete(key);
            else this.set(await serde.decodeAsync(message.value, handle));
          }
          if (BigInt(message.offset) >= (targets.get(partition) ?? -1n)) reached.add(partition);
        },
      });
      await waitForOffsets(() => reached.size >= targets.size, 60_000);
    } finally {
      await consumer.disconnect();
    }
    logger.info({ records: this.states.size, topic }, 'restored crm write state');
  }
}
