// A consumer-group member that hands whole batches to the service with manual offset control:
// offsets are resolved by the handler, record by record, only once its output is safely written,
// and committed behind the batch loop: the next fetch does not wait for the commit, commits never
// overlap, and what batches resolve meanwhile is coalesced into the next one (one OffsetCommit
// for many batches at low load, where each batch is small, instead of one per batch), at most one
// every `commitIntervalMs` (OffsetCommit requests cost the broker as much as fetches). Readiness
// flips on GROUP_JOIN; pause/resume are exposed for the circuit breaker; stop() drains the batch
// in flight and commits what it resolved before leaving the group.
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
  /**
   * Least time between the starts of two offset commits (default 100 ms); what batches resolve
   * meanwhile goes in the next. Longer: fewer requests, more records processed again after a crash.
   */
  commitIntervalMs?: number;
  handleBatch: (payload: EachBatchPayload) => Promise<void>;
}

export const DEFAULT_COMMIT_INTERVAL_MS = 100;

interface PartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}

export class BatchConsumer {
  readonly consumer: Consumer;
  private joined = false;
  private running = false;
  /** Offsets resolved since the last commit began, latest per partition. */
  private readonly uncommitted = new Map<string, PartitionOffset>();
  private committing: Promise<void> | undefined;
  private lastCommitAt = -Infinity;
  /** Ends the wait for the commit interval early (stop() wants the final commit now). */
  private endWait: (() => void) | undefined;
  /** Batches being handled (stop() waits for them before the final commit). */
  private readonly inFlight = new Set<Promise<void>>();

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
      // A partition another member now owns must not get our older offset on top of its commits.
      for (const [key, { topic, partition }] of this.uncommitted)
        if (!(event.payload.memberAssignment[topic] ?? []).includes(partition)) this.uncommitted.delete(key);
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
      eachBatch: (payload) => {
        const work = this.handle(payload);
        this.inFlight.add(work);
        return work.finally(() => this.inFlight.delete(work));
      },
    });
  }

  /** Runs the handler, then queues exactly what it resolved for the next commit. */
  private async handle(payload: EachBatchPayload): Promise<void> {
    // With autoCommit off, kafkajs' commitOffsetsIfNecessary would commit nothing: track it here.
    let resolved: string | undefined;
    const resolveOffset = (offset: string): void => {
      resolved = offset;
      payload.resolveOffset(offset);
    };
    // Overrides a property the payload already has, which V8 does not promote (the rule is about adding one).
    // eslint-disable-next-line no-restricted-syntax
    await this.options.handleBatch({ ...payload, resolveOffset });
    if (resolved === undefined || payload.isStale()) return;
    const { topic, partition } = payload.batch;
    this.uncommitted.set(`${topic}:${partition}`, {
      topic,
      partition,
      offset: (BigInt(resolved) + 1n).toString(),
    });
    void this.commit();
  }

  pause(): void {
    this.consumer.pause(this.options.topics.map((topic) => ({ topic })));
  }

  resume(): void {
    this.consumer.resume(this.options.topics.map((topic) => ({ topic })));
  }

  /**
   * Commits what was resolved, one commit at a time; whatever is resolved while one runs goes in
   * the next. A failed commit (a rebalance took the partition, the broker restarted) is logged and
   * not retried: the records are at-least-once, and the next owner or the next batch moves on.
   */
  private commit(): Promise<void> {
    if (this.committing !== undefined) return this.committing;
    this.committing = (async () => {
      while (this.uncommitted.size > 0) {
        await this.commitInterval();
        const offsets = [...this.uncommitted.values()];
        this.uncommitted.clear();
        if (offsets.length === 0) continue; // a rebalance took them during the wait
        this.lastCommitAt = Date.now();
        try {
          await this.consumer.commitOffsets(offsets);
        } catch (error) {
          this.options.logger.warn(
            { err: error, groupId: this.options.groupId, offsets },
            'offset commit failed; those records may be processed again',
          );
        }
      }
    })().finally(() => {
      this.committing = undefined;
    });
    return this.committing;
  }

  /** Waits out the rest of the commit interval, unless stopping. */
  private commitInterval(): Promise<void> {
    const wait =
      this.lastCommitAt + (this.options.commitIntervalMs ?? DEFAULT_COMMIT_INTERVAL_MS) - Date.now();
    if (wait <= 0 || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const end = (): void => {
        clearTimeout(timer);
        this.endWait = undefined;
        resolve();
      };
      const timer = setTimeout(end, wait);
      this.endWait = end;
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    this.endWait?.();
    // Stop fetching, let the batch in flight finish, commit what it resolved, then leave the group.
    try {
      this.pause();
    } catch {
      // never ran (kafkajs refuses pause before run): nothing to drain
    }
    await Promise.allSettled([...this.inFlight]);
    await this.commit();
    await this.consumer.disconnect();
  }
}
