// A consumer-group member that hands whole batches to the service with manual offset control:
// offsets are resolved by the handler, record by record, only once its output is safely written,
// and committed after the batch. Readiness flips on GROUP_JOIN; pause/resume are exposed for the
// circuit breaker; stop() drains the batch in flight before leaving the group.
import { type Logger } from '@crm/observability';
import { type Consumer, type EachBatchPayload, type Kafka } from 'kafkajs';
import { type Registry } from 'prom-client';
import { consumerMetrics } from './consumer-metrics';
import { restartAfterFatalCrash } from './crash-recovery';

export interface BatchConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  logger: Logger;
  metrics?: Registry;
  fromBeginning?: boolean;
  /** Default read_committed, so aborted transactions are never seen. */
  readUncommitted?: boolean;
  sessionTimeoutMs?: number;
  maxBytesPerPartition?: number;
  /** Partitions processed concurrently by this member (kafkajs partitionsConsumedConcurrently). */
  concurrency?: number;
  handleBatch: (payload: EachBatchPayload) => Promise<void>;
}

export class BatchConsumer {
  readonly consumer: Consumer;
  private joined = false;
  private running = false;

  constructor(private readonly options: BatchConsumerOptions) {
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      readUncommitted: options.readUncommitted ?? false,
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 3_000,
      maxBytesPerPartition: options.maxBytesPerPartition ?? 1_048_576,
      allowAutoTopicCreation: false,
    });
    const metrics = options.metrics ? consumerMetrics(options.metrics) : undefined;
    this.consumer.on(this.consumer.events.GROUP_JOIN, (event) => {
      this.joined = true;
      metrics?.rebalances.inc({ group: options.groupId });
      options.logger.info(
        { groupId: options.groupId, memberAssignment: event.payload.memberAssignment },
        'joined consumer group',
      );
    });
    this.consumer.on(this.consumer.events.CRASH, (event) => {
      this.joined = false;
      options.logger.error(
        { groupId: options.groupId, err: event.payload.error, restart: event.payload.restart },
        'consumer crashed',
      );
    });
    this.consumer.on(this.consumer.events.STOP, () => {
      this.joined = false;
    });
    restartAfterFatalCrash({
      consumer: this.consumer,
      groupId: options.groupId,
      logger: options.logger,
      isRunning: () => this.running,
      run: () => this.run(),
    });
    this.consumer.on(this.consumer.events.END_BATCH_PROCESS, (event) => {
      const { topic, partition, offsetLag, batchSize } = event.payload;
      metrics?.lag.set({ topic, partition: String(partition), group: options.groupId }, Number(offsetLag));
      metrics?.consumed.inc({ topic, group: options.groupId }, batchSize);
    });
  }

  /** Ready once the member joined its group and got its assignment. */
  isReady(): boolean {
    return this.running && this.joined;
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: this.options.topics,
      fromBeginning: this.options.fromBeginning ?? true,
    });
    this.running = true;
    await this.run();
  }

  private async run(): Promise<void> {
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.concurrency ?? 1,
      eachBatch: async (payload) => {
        // Track what the handler resolved, and commit exactly that once the handler returns:
        // with autoCommit off, kafkajs' commitOffsetsIfNecessary would commit nothing.
        let resolved: string | undefined;
        const resolveOffset = (offset: string): void => {
          resolved = offset;
          payload.resolveOffset(offset);
        };
        await this.options.handleBatch({ ...payload, resolveOffset });
        if (resolved !== undefined && !payload.isStale()) {
          const { topic, partition } = payload.batch;
          await this.consumer.commitOffsets([
            { topic, partition, offset: (BigInt(resolved) + 1n).toString() },
          ]);
        }
      },
    });
  }

  pause(): void {
    this.consumer.pause(this.options.topics.map((topic) => ({ topic })));
  }

  resume(): void {
    this.consumer.resume(this.options.topics.map((topic) => ({ topic })));
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.consumer.disconnect();
  }
}
