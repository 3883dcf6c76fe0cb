// The aggregator's consume-transform-produce loop: one kafkajs group member reading the extractor's
// output, per-partition in-memory state restored from the changelog on every assignment, a
// transaction per fetched batch (records, updates, changelog and input offset together), and a
// periodic tick that flushes debounce / max-wait / grace deadlines when no input arrives.
// Batches, ticks and restores run under one lock, so they never interleave on state or producers.
import { performance } from 'node:perf_hooks';

import { type AggregationPolicy, toStateRecord } from '@crm/aggregation';
import { type AvroSerde, encodeKey, forwardHeaders, restartAfterFatalCrash } from '@crm/kafka-core';
import { type Logger } from '@crm/observability';
import { type Consumer, type EachBatchPayload, type IHeaders, type Kafka, type TopicMessages } from 'kafkajs';
import { type Registry } from 'prom-client';

import { type AggregatorMetrics, aggregatorMetrics } from './aggregator.metrics';
import { ConversationProcessor, type ProcessingResult, emptyResult } from './conversation.processor';
import { ConversationStore } from './conversation.store';
import { AtLeastOnceSink, type InputOffset, type OutputSink, TransactionalSink } from './output.sink';
import { SerialLock } from './serial.lock';
import { StateRestorer } from './state.restorer';
import { type AggregatorTopics, StreamCodec } from './stream.codec';

export const SERVICE_NAME = 'aggregator';

/** What holds the state lock, for its wait and hold metrics. */
type LockSection = 'batch' | 'tick' | 'restore' | 'stop';

/** What a partition has processed since its last commit: written in its next transaction. */
interface OpenUnit {
  readonly out: ProcessingResult;
  offset: InputOffset | null;
  records: number;
  readonly since: number;
}

export interface AggregatorOptions {
  readonly kafka: Kafka;
  readonly serde: AvroSerde;
  readonly topics: AggregatorTopics;
  readonly groupId: string;
  /** Kafka transactions (exactly-once); false runs at-least-once for comparison. */
  readonly eos: boolean;
  readonly transactionalIdPrefix: string;
  readonly transactionTimeoutMs: number;
  readonly tickMs: number;
  /** An open transaction commits once this old (ms) or this large (records), whichever first. */
  readonly commitIntervalMs: number;
  readonly commitMaxRecords: number;
  /** Partitions whose batches are processed at once (one commit in flight per partition). */
  readonly partitionConcurrency: number;
  /**
   * Conversations this instance holds at most, as far as ended ones can be let go early: past it,
   * a batch's partition evicts its longest-settled ended conversations down to 95 % of it.
   */
  readonly maxConversations: number;
  readonly maxBytesPerPartition: number;
  /**
   * Bytes one fetch may return across all its partitions. It bounds the records decoded and held
   * at once, which is most of the heap a catch-up needs (apps/aggregator/README.md "Memory").
   */
  readonly maxBytes: number;
  readonly sessionTimeoutMs: number;
  readonly policy: AggregationPolicy;
  readonly logger: Logger;
  readonly metrics: Registry;
}

function stringHeaders(headers: IHeaders | undefined): Record<string, string> | null {
  if (headers === undefined) return null;
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers)) {
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value !== undefined) out[name] = typeof value === 'string' ? value : value.toString('utf8');
  }
  return out;
}

export class AggregatorService {
  private readonly store = new ConversationStore();
  private readonly processor: ConversationProcessor;
  private readonly lock = new SerialLock();
  private readonly metrics: AggregatorMetrics;
  private readonly logger: Logger;
  private consumer: Consumer | undefined;
  private sink: OutputSink | undefined;
  private codec: StreamCodec | undefined;
  private restorer: StateRestorer | undefined;
  private timer: NodeJS.Timeout | undefined;
  private assignment: number[] = [];
  /** Assigned partitions whose state is not restored (after a join or a failed transaction). */
  private readonly unrestored = new Set<number>();
  /** Partitions to re-position at their committed offset once restored (after a failure). */
  private readonly rewind = new Set<number>();
  private readonly units = new Map<number, OpenUnit>();
  /** Batch commits running outside the lock, by partition. */
  private readonly committing = new Map<number, Promise<void>>();
  private joined = false;
  private running = false;
  private ticking = false;

  constructor(private readonly options: AggregatorOptions) {
    this.processor = new ConversationProcessor(this.store, options.policy);
    this.metrics = aggregatorMetrics(options.metrics);
    this.logger = options.logger.child({ component: 'AggregatorService' });
  }

  /** Ready once the member joined its group and the state of every assigned partition is restored. */
  isReady(): boolean {
    return this.running && this.joined && this.unrestored.size === 0;
  }

  openConversations(): number {
    return this.store.size();
  }

  async start(): Promise<void> {
    const { kafka, topics, groupId } = this.options;
    await this.checkCoPartitioned();
    this.codec = await StreamCodec.register(this.options.serde, topics);
    this.restorer = new StateRestorer({
      kafka,
      codec: this.codec,
      topic: topics.state,
      groupId,
      policy: this.options.policy,
      logger: this.logger,
    });
    const consumer = kafka.consumer({
      groupId,
      readUncommitted: false,
      sessionTimeout: this.options.sessionTimeoutMs,
      heartbeatInterval: 3_000,
      maxBytesPerPartition: this.options.maxBytesPerPartition,
      maxBytes: this.options.maxBytes,
      maxWaitTimeInMs: 250,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    this.sink = this.options.eos
      ? new TransactionalSink({
          kafka,
          groupId,
          transactionalIdPrefix: this.options.transactionalIdPrefix,
          inputTopic: topics.input,
          transactionTimeoutMs: this.options.transactionTimeoutMs,
        })
      : new AtLeastOnceSink(kafka, () => consumer);
    this.instrument(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [topics.input], fromBeginning: true });
    this.running = true;
    const run = () =>
      consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.partitionConcurrency,
        eachBatch: (payload) => this.onBatch(payload),
      });
    restartAfterFatalCrash({ consumer, groupId, logger: this.logger, isRunning: () => this.running, run });
    await run();
    this.timer = setInterval(() => this.scheduleTick(), this.options.tickMs);
    this.logger.info({ groupId, topics, eos: this.options.eos }, 'aggregator started');
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.consumer?.disconnect();
    await this.locked('stop', async () => {
      await this.commitOpen(() => true).catch((error: unknown) =>
        this.logger.warn(
          { err: error },
          'final commit failed; the next owner reprocesses from the committed offset',
        ),
      );
      await this.sink?.close();
    });
    this.joined = false;
  }

  /** The restore reads changelog partition p for input partition p: the counts must match. */
  private async checkCoPartitioned(): Promise<void> {
    const { input, state } = this.options.topics;
    const admin = this.options.kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [input, state] });
      const count = (name: string): number | undefined =>
        topics.find((t) => t.name === name)?.partitions.length;
      if (count(input) !== count(state)) {
        throw new Error(
          `${state} has ${count(state)} partitions but ${input} has ${count(input)}; they must match`,
        );
      }
    } finally {
      await admin.disconnect();
    }
  }

  private instrument(consumer: Consumer): void {
    const { groupId, topics } = this.options;
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      const assigned = [...(event.payload.memberAssignment[topics.input] ?? [])].sort((a, b) => a - b);
      // Set synchronously: a batch of the previous generation still queued sees what it lost.
      this.assignment = assigned;
      this.unrestored.clear();
      this.rewind.clear();
      for (const partition of assigned) this.unrestored.add(partition);
      this.joined = true;
      this.metrics.consumer.rebalances.inc({ group: groupId });
      this.logger.info({ groupId, assigned }, 'joined consumer group');
      void this.locked('restore', () => this.reassign(assigned)).catch((error: unknown) => {
        this.logger.error({ err: error, assigned }, 'state restore failed; retrying before the next batch');
      });
    });
    consumer.on(consumer.events.CRASH, (event) => {
      this.joined = false;
      this.logger.error({ err: event.payload.error, restart: event.payload.restart }, 'consumer crashed');
    });
    consumer.on(consumer.events.END_BATCH_PROCESS, (event) => {
      const { topic, partition, offsetLag, batchSize } = event.payload;
      this.metrics.consumer.lag.set(
        { topic, partition: String(partition), group: groupId },
        Number(offsetLag),
      );
      this.metrics.consumer.consumed.inc({ topic, group: groupId }, batchSize);
    });
  }

  /** A new assignment: drop every partition's state (another member may have moved it on), restore. */
  private async reassign(assigned: number[]): Promise<void> {
    if (assigned !== this.assignment) return; // superseded by a later join
    // A batch commit in flight finishes (or is fenced) before its producer is released.
    await Promise.allSettled([...this.committing.values()]);
    const held = this.store.owned();
    await this.sink?.release(held);
    // Uncommitted work is discarded: kafkajs resumes from the committed offsets after a join.
    for (const partition of held) this.store.drop(partition);
    this.units.clear();
    await this.restore(assigned);
  }

  private async restore(partitions: number[]): Promise<void> {
    const sink = this.sink;
    const restorer = this.restorer;
    if (sink === undefined || restorer === undefined || partitions.length === 0) return;
    // Fence first: once our producers own the partitions' transactional ids, no earlier owner can
    // commit to the changelog, so reading it to its end yields the final state.
    await sink.acquire(partitions);
    const result = await restorer.restore(partitions);
    for (const [partition, entries] of result.partitions) {
      this.store.install(partition, entries);
      this.unrestored.delete(partition);
    }
    this.metrics.restoreDuration.observe(result.durationMs / 1000);
    this.metrics.openConversations.set(this.store.size());
    this.logger.info(
      {
        partitions,
        records: result.records,
        conversations: this.store.size(),
        durationMs: result.durationMs,
      },
      'state restored',
    );
  }

  /** Restores partitions left unrestored and rewinds those whose last transaction failed. */
  private async recover(): Promise<void> {
    const partitions = this.assignment.filter((p) => this.unrestored.has(p));
    for (const partition of partitions) this.rewind.add(partition);
    await this.restore(partitions);
    const consumer = this.consumer;
    if (consumer === undefined || this.rewind.size === 0) return;
    const admin = this.options.kafka.admin();
    await admin.connect();
    try {
      const topic = this.options.topics.input;
      const [committed] = await admin.fetchOffsets({ groupId: this.options.groupId, topics: [topic] });
      const earliest = await admin.fetchTopicOffsets(topic);
      for (const partition of this.rewind) {
        const at = committed?.partitions.find((entry) => entry.partition === partition)?.offset ?? '-1';
        const low = earliest.find((entry) => entry.partition === partition)?.low ?? '0';
        const offset = BigInt(at) < 0n ? low : at;
        consumer.seek({ topic, partition, offset });
        this.logger.warn({ topic, partition, offset }, 'rewound to the committed offset');
      }
      this.rewind.clear();
    } finally {
      await admin.disconnect();
    }
  }

  /** Applies the batch under the lock; true when its partition's unit is due to commit. */
  private async handleBatch(payload: EachBatchPayload): Promise<boolean> {
    const { batch } = payload;
    const isStale = (): boolean => payload.isStale();
    const { partition, topic } = batch;
    if (!this.running || !this.assignment.includes(partition) || isStale()) return false;
    if (this.unrestored.size > 0) await this.recover();
    if (isStale() || !this.store.owns(partition)) return false;
    const codec = this.codec as StreamCodec;
    const now = Date.now();
    const unit = this.unitOf(partition, now);
    const out = unit.out;
    await codec.prepare(batch.messages.map((m) => m.value));
    for (const message of batch.messages) {
      if (message.value === null) continue;
      let record;
      try {
        record = codec.decodeInput(message.value);
      } catch (error) {
        this.logger.warn(
          { err: error, topic, partition, offset: message.offset },
          'skipped an undecodable record',
        );
        continue;
      }
      this.processor.apply(partition, record, stringHeaders(message.headers), now, out);
    }
    const excess = this.store.size() - this.options.maxConversations;
    if (excess > 0)
      this.processor.evict(partition, now, excess + Math.ceil(this.options.maxConversations * 0.05), out);
    const last = batch.messages[batch.messages.length - 1];
    if (last === undefined) return false;
    unit.offset = { topic, partition, offset: (BigInt(batch.lastOffset()) + 1n).toString() };
    unit.records += batch.messages.length;
    // Resolving before the commit only moves the fetch position; a failed commit rewinds it.
    payload.resolveOffset(last.offset);
    // An update goes out at once (end-to-end latency); state-only work waits to share a transaction.
    const age = Date.now() - unit.since;
    const full = unit.records >= this.options.commitMaxRecords;
    return unit.out.updates.length > 0 || full || age >= this.options.commitIntervalMs;
  }

  /**
   * One partition's batch: applied under the lock (state is shared), then, when due, committed
   * outside it, so other partitions' batches (kafkajs runs them concurrently) are processed while
   * this partition waits for its transaction. kafkajs hands a partition's next batch over only
   * once this one returns, and the tick skips a partition while its commit is in flight, so a
   * partition's unit is never touched during its own commit.
   */
  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { partition } = payload.batch;
    const due = await this.locked('batch', () => this.handleBatch(payload));
    if (!due) return;
    const committing = this.commitUnit(partition);
    this.committing.set(partition, committing);
    try {
      await committing;
    } finally {
      this.committing.delete(partition);
    }
  }

  /** Runs a section under the state lock, timing its wait and its hold. */
  private locked<T>(section: LockSection, work: () => Promise<T>): Promise<T> {
    const queued = performance.now();
    return this.lock.run(async () => {
      const entered = performance.now();
      this.metrics.lockWait.observe({ section }, (entered - queued) / 1000);
      try {
        return await work();
      } finally {
        this.metrics.lockHeld.observe({ section }, (performance.now() - entered) / 1000);
      }
    });
  }

  private unitOf(partition: number, now: number): OpenUnit {
    let unit = this.units.get(partition);
    if (unit === undefined) {
      unit = { out: emptyResult(), offset: null, records: 0, since: now };
      this.units.set(partition, unit);
    }
    return unit;
  }

  private async commitUnit(partition: number): Promise<void> {
    const unit = this.units.get(partition);
    if (unit === undefined) return;
    this.units.delete(partition);
    if (unit.offset === null && unit.out.states.size === 0 && unit.out.updates.length === 0) return;
    await this.commit(partition, unit.out, unit.offset);
  }

  private async commitOpen(due: (unit: OpenUnit, partition: number) => boolean): Promise<void> {
    for (const [partition, unit] of [...this.units])
      if (due(unit, partition)) await this.commitUnit(partition);
  }

  private scheduleTick(): void {
    if (this.ticking || !this.running) return;
    this.ticking = true;
    this.locked('tick', () => this.tick())
      .catch((error: unknown) => this.logger.error({ err: error }, 'flush tick failed'))
      .finally(() => {
        this.ticking = false;
      });
  }

  private async tick(): Promise<void> {
    if (!this.running || !this.joined) return;
    if (this.unrestored.size > 0) await this.recover();
    const now = Date.now();
    const idle = this.store.owned().filter((partition) => !this.committing.has(partition));
    for (const partition of idle) this.processor.tick(partition, now, this.unitOf(partition, now).out);
    // Flushes go out at once; input already processed waits for its commit interval, so the tick
    // does not add a transaction per partition to every batch's own.
    await this.commitOpen(
      (unit, partition) =>
        !this.committing.has(partition) &&
        (unit.out.updates.length > 0 || Date.now() - unit.since >= this.options.commitIntervalMs),
    );
    this.metrics.openConversations.set(this.store.size());
  }

  private async commit(partition: number, out: ProcessingResult, offset: InputOffset | null): Promise<void> {
    const sink = this.sink as OutputSink;
    const changelog = this.changelogOf(out);
    const began = performance.now();
    const took = (): number => (performance.now() - began) / 1000;
    try {
      await sink.write(partition, this.messagesOf(partition, out, changelog), offset);
    } catch (error) {
      this.metrics.transactions.inc({ outcome: 'aborted' });
      this.metrics.transactionDuration.observe({ outcome: 'aborted' }, took());
      this.logger.error({ err: error, partition }, 'output transaction failed; restoring the partition');
      // In-memory state already holds the batch: discard it, restore from the changelog and rewind
      // the input to the committed offset, so the batch is processed again from committed truth.
      this.store.drop(partition);
      this.units.delete(partition);
      this.unrestored.add(partition);
      this.rewind.add(partition);
      await sink.release([partition]);
      throw error;
    }
    this.metrics.transactions.inc({ outcome: 'committed' });
    this.metrics.transactionDuration.observe({ outcome: 'committed' }, took());
    // Committed: the conversations it changed are packed into the bytes the changelog now holds.
    this.store.compact(partition, (conversationId) => {
      const framed = changelog.get(conversationId);
      return framed ? StreamCodec.bodyOf(framed) : undefined;
    });
    for (const { update } of out.updates) this.metrics.flushes.inc({ trigger: update.trigger });
    for (const reason of out.suppressed) this.metrics.suppressed.inc({ reason });
    if (out.evicted > 0) this.metrics.evicted.inc(out.evicted);
    this.metrics.openConversations.set(this.store.size());
  }

  /** Each changed conversation's changelog value (null: a tombstone). */
  private changelogOf(out: ProcessingResult): Map<string, Buffer | null> {
    const codec = this.codec as StreamCodec;
    const values = new Map<string, Buffer | null>();
    for (const [conversationId, state] of out.states)
      values.set(conversationId, state === null ? null : codec.encodeState(toStateRecord(state)));
    return values;
  }

  private messagesOf(
    partition: number,
    out: ProcessingResult,
    changelog: Map<string, Buffer | null>,
  ): TopicMessages[] {
    const codec = this.codec as StreamCodec;
    const { output, state } = this.options.topics;
    const messages: TopicMessages[] = [];
    if (out.updates.length > 0) {
      messages.push({
        topic: output,
        messages: out.updates.map(({ conversationId, update, headers }) => ({
          key: encodeKey(conversationId),
          value: codec.encodeUpdate(update),
          headers: forwardHeaders(headers ?? undefined, SERVICE_NAME),
        })),
      });
    }
    if (changelog.size > 0) {
      messages.push({
        topic: state,
        // Same partition as the input: the changelog is co-partitioned, so a restore reads one.
        messages: [...changelog].map(([conversationId, value]) => ({
          key: encodeKey(conversationId),
          value,
          partition,
        })),
      });
    }
    return messages;
  }
}
