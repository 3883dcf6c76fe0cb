// Where a partition's output goes. Exactly-once: one transactional producer per input partition,
// its id derived from the partition, so whoever takes the partition over fences every earlier
// owner (kafkajs' sendOffsets carries no consumer-group generation, so per-member ids with
// KIP-447 fencing are not available); output, changelog and input offsets commit atomically.
// At-least-once: one idempotent producer, then a plain offset commit; a crash in between repeats.
import {
  ACKS_ALL,
  chunkTopicMessages,
  createIdempotentProducer,
  createTransactionalProducer,
  type MessageProducer,
} from '@crm/kafka-core';
import { type Consumer, type Kafka, type Producer, type TopicMessages } from 'kafkajs';

export interface InputOffset {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to consume. */
  readonly offset: string;
}

export interface OutputSink {
  /** Makes the partitions writable; for transactions this fences any previous owner. */
  acquire(partitions: readonly number[]): Promise<void>;
  release(partitions: readonly number[]): Promise<void>;
  /** Writes output and, when given, the input offset, atomically when transactional. */
  write(partition: number, messages: TopicMessages[], offset: InputOffset | null): Promise<void>;
  close(): Promise<void>;
}

export interface TransactionalSinkOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly transactionalIdPrefix: string;
  readonly inputTopic: string;
  readonly transactionTimeoutMs: number;
}

export class TransactionalSink implements OutputSink {
  private readonly producers = new Map<number, Producer>();

  constructor(private readonly options: TransactionalSinkOptions) {}

  /** Stable per input partition: the fencing unit is the partition, whoever consumes it. */
  transactionalIdOf(partition: number): string {
    return `${this.options.transactionalIdPrefix}-${this.options.inputTopic}-${partition}`;
  }

  async acquire(partitions: readonly number[]): Promise<void> {
    await this.release(partitions);
    await Promise.all(
      partitions.map(async (partition) => {
        const producer = createTransactionalProducer(
          this.options.kafka,
          this.transactionalIdOf(partition),
          this.options.transactionTimeoutMs,
        );
        await producer.connect();
        // InitProducerId happens on the first transaction: begin and abort an empty one now, so the
        // epoch is bumped (previous owner fenced, its open transaction aborted) before the restore.
        const fence = await producer.transaction();
        await fence.abort();
        this.producers.set(partition, producer);
      }),
    );
  }

  async release(partitions: readonly number[]): Promise<void> {
    await Promise.all(
      partitions.map(async (partition) => {
        const producer = this.producers.get(partition);
        this.producers.delete(partition);
        await producer?.disconnect().catch(() => undefined);
      }),
    );
  }

  async write(partition: number, messages: TopicMessages[], offset: InputOffset | null): Promise<void> {
    const producer = this.producers.get(partition);
    if (producer === undefined) throw new Error(`no transactional producer for partition ${partition}`);
    const transaction = await producer.transaction();
    try {
      // A record batch over the broker's size limit would abort every retry of this unit too.
      for (const chunk of chunkTopicMessages(messages))
        await transaction.sendBatch({ acks: ACKS_ALL, topicMessages: chunk });
      if (offset !== null) {
        await transaction.sendOffsets({
          consumerGroupId: this.options.groupId,
          topics: [
            { topic: offset.topic, partitions: [{ partition: offset.partition, offset: offset.offset }] },
          ],
        });
      }
      await transaction.commit();
    } catch (error) {
      if (transaction.isActive()) await transaction.abort().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.release([...this.producers.keys()]);
  }
}

export class AtLeastOnceSink implements OutputSink {
  private readonly producer: MessageProducer;
  private connected: Promise<void> | undefined;

  constructor(
    kafka: Kafka,
    private readonly consumer: () => Consumer,
  ) {
    this.producer = createIdempotentProducer(kafka);
  }

  async acquire(): Promise<void> {
    this.connected ??= this.producer.connect();
    await this.connected;
  }

  release(): Promise<void> {
    return Promise.resolve();
  }

  async write(_partition: number, messages: TopicMessages[], offset: InputOffset | null): Promise<void> {
    for (const chunk of chunkTopicMessages(messages))
      await this.producer.sendBatch({ acks: ACKS_ALL, topicMessages: chunk });
    if (offset !== null) await this.consumer().commitOffsets([offset]);
  }

  async close(): Promise<void> {
    if (this.connected !== undefined) await this.producer.disconnect();
  }
}
