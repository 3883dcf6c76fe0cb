// Holds the pending polls of the schedule partitions this instance owns and runs them when due.
// The compacted schedule topic is the only durable state: the scheduler reads its partitions from
// the beginning in a group of its own (offsets are never committed, so every start and rebalance
// reloads), and acts on a partition only after reading it to the end, so a poll finished before a
// restart is not repeated. Its own writes are applied at once and the echo is reconciled by attempt.
import { type AnalyticsPoll } from '@crm/contracts';
import { type AvroSerde, decodeKey, type SchemaHandle } from '@crm/kafka-core';
import { type Logger } from '@crm/observability';
import { type Consumer, type Kafka } from 'kafkajs';
import { type AttemptDecision } from './run-poll-attempt.usecase';

export interface PollSchedulerOptions {
  kafka: Kafka;
  serde: AvroSerde;
  schema: SchemaHandle<AnalyticsPoll>;
  groupId: string;
  scheduleTopic: string;
  attempt: (poll: AnalyticsPoll) => Promise<AttemptDecision>;
  logger: Logger;
  tickMs?: number;
  concurrency?: number;
  /** Wait after an attempt that failed on our side (Kafka), before trying the poll again. */
  errorBackoffMs?: number;
  now?: () => number;
  onAttempt?: (decision: AttemptDecision) => void;
  onPending?: (pending: number) => void;
}

interface Entry {
  poll: AnalyticsPoll;
  partition: number;
}

export class PollScheduler {
  private readonly entries = new Map<string, Entry>();
  /** Conversations this instance tombstoned whose tombstone it has not read back yet. */
  private readonly finished = new Set<string>();
  private readonly inFlight = new Set<string>();
  private readonly positions = new Map<number, bigint>();
  private readonly targets = new Map<number, bigint>();
  private readonly loaded = new Set<number>();
  private assigned = new Set<number>();
  private consumer: Consumer | undefined;
  private timer: NodeJS.Timeout | undefined;
  private joined = false;
  private readonly now: () => number;

  constructor(private readonly options: PollSchedulerOptions) {
    this.now = options.now ?? Date.now;
  }

  isReady(): boolean {
    return this.joined;
  }

  pending(): number {
    return this.entries.size;
  }

  /** True once every assigned partition was read to the end. */
  isLoaded(): boolean {
    return this.joined && [...this.assigned].every((partition) => this.loaded.has(partition));
  }

  async start(): Promise<void> {
    const consumer = this.options.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 250,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      this.joined = true;
      void this.onAssignment(event.payload.memberAssignment[this.options.scheduleTopic] ?? []);
    });
    consumer.on(consumer.events.CRASH, () => {
      this.joined = false;
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [this.options.scheduleTopic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          const conversationId = decodeKey(message.key);
          if (conversationId !== null) await this.apply(conversationId, batch.partition, message.value);
          this.positions.set(batch.partition, BigInt(message.offset));
        }
        this.checkLoaded(batch.partition);
        this.options.onPending?.(this.entries.size);
      },
    });
    this.timer = setInterval(() => this.runDue(), this.options.tickMs ?? 1_000);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.joined = false;
    await this.consumer?.disconnect();
  }

  private async onAssignment(partitions: number[]): Promise<void> {
    const previous = this.assigned;
    this.assigned = new Set(partitions);
    for (const partition of this.assigned) if (!previous.has(partition)) this.positions.delete(partition);
    for (const [conversationId, entry] of this.entries) {
      if (!this.assigned.has(entry.partition)) this.entries.delete(conversationId);
    }
    this.loaded.clear();
    const admin = this.options.kafka.admin();
    try {
      await admin.connect();
      const offsets = await admin.fetchTopicOffsets(this.options.scheduleTopic);
      for (const { partition, high, low } of offsets) {
        if (!this.assigned.has(partition)) continue;
        if (high === low) this.loaded.add(partition);
        else this.targets.set(partition, BigInt(high) - 1n);
        this.checkLoaded(partition);
      }
    } catch (error) {
      this.options.logger.error(
        { err: error, topic: this.options.scheduleTopic },
        'could not read schedule offsets; polls wait for the next rebalance',
      );
    } finally {
      await admin.disconnect();
    }
    this.options.logger.info({ partitions, pending: this.entries.size }, 'poll schedule assignment');
  }

  private checkLoaded(partition: number): void {
    const target = this.targets.get(partition);
    const position = this.positions.get(partition);
    if (target !== undefined && position !== undefined && position >= target) this.loaded.add(partition);
  }

  private async apply(conversationId: string, partition: number, value: Buffer | null): Promise<void> {
    if (value === null) {
      this.entries.delete(conversationId);
      this.finished.delete(conversationId);
      return;
    }
    if (this.finished.has(conversationId)) return;
    let poll: AnalyticsPoll;
    try {
      poll = await this.options.serde.decodeAsync(value, this.options.schema);
    } catch (error) {
      this.options.logger.warn(
        { err: error, conversationId, partition },
        'skipping undecodable schedule entry',
      );
      return;
    }
    const current = this.entries.get(conversationId);
    // Our own writes come back later, and a repeated CONVERSATION_ENDED restarts at attempt 0:
    // neither may roll a pending poll back.
    if (current && current.poll.attempt > poll.attempt) return;
    this.entries.set(conversationId, { poll, partition });
  }

  private runDue(): void {
    const now = this.now();
    const limit = this.options.concurrency ?? 8;
    for (const [conversationId, entry] of this.entries) {
      if (this.inFlight.size >= limit) break;
      if (
        entry.poll.nextAttemptAt > now ||
        this.inFlight.has(conversationId) ||
        !this.loaded.has(entry.partition)
      )
        continue;
      this.inFlight.add(conversationId);
      void this.run(conversationId, entry);
    }
  }

  private async run(conversationId: string, entry: Entry): Promise<void> {
    try {
      const decision = await this.options.attempt(entry.poll);
      this.options.onAttempt?.(decision);
      if (decision.next === null) {
        this.entries.delete(conversationId);
        this.finished.add(conversationId);
      } else if (this.assigned.has(entry.partition)) {
        this.entries.set(conversationId, { poll: decision.next, partition: entry.partition });
      }
    } catch (error) {
      this.options.logger.error({ err: error, conversationId }, 'analytics poll attempt failed; will retry');
      const current = this.entries.get(conversationId);
      if (current)
        current.poll = {
          ...current.poll,
          nextAttemptAt: this.now() + (this.options.errorBackoffMs ?? 5_000),
        };
    } finally {
      this.inFlight.delete(conversationId);
      this.options.onPending?.(this.entries.size);
    }
  }
}
