// The writer's Kafka edges: stage 1 consumes update requests, resolves the contact and re-keys the
// update by CRM record; stage 2 consumes the re-keyed topic (one partition owns each record) and
// applies it. Each stage records its result or dead letter before resolving the input offset, so a
// crash replays, never loses. The breaker pauses both consumers while open.
import {
  type ContactUpdateRequested,
  type ContactUpdateResult,
  type CrmWriteState,
  type DeadLetter,
  schemaOf,
  type UpdateOutcome,
  subjectFor,
  Topics,
} from '@crm/contracts';
import { type CrmClient, type CrmProvider, parseRecordKey, type ProviderMapping } from '@crm/crm';
import {
  type AvroSerde,
  BatchConsumer,
  forwardHeaders,
  hopTimestamps,
  type SchemaHandle,
} from '@crm/kafka-core';
import { type Logger } from '@crm/observability';
import { type EachBatchPayload, type IHeaders, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import { type Registry } from 'prom-client';
import { type AlertWebhook } from './alert/alert-webhook';
import { ContactResolver } from './contact/contact.resolver';
import { type CrmCallCounter } from './crm-call.counter';
import { type WriterMetrics } from './crm-writer.metrics';
import { WriteStateStore } from './state/write-state.store';
import { LingerBatcher } from './batching/linger.batcher';
import { WriterFailures } from './writer.failures';
import {
  type ApplyContactUpdateCommand,
  ApplyContactUpdateUseCase,
  type RetryHooks,
} from './usecases/apply-contact-update.usecase';
import { ApplyContactUpdatesUseCase, type BatchItemResult } from './usecases/apply-contact-updates.usecase';
import { ResolveContactUseCase } from './usecases/resolve-contact.usecase';

export const SERVICE = 'crm-writer';
const CALLS_HEADER = 'x-crm-calls';

export interface WriterTopics {
  requests: string;
  byRecord: string;
  results: string;
  deadLetter: string;
  writeState: string;
}

export const DEFAULT_TOPICS: WriterTopics = {
  requests: Topics.contactUpdateRequested,
  byRecord: Topics.contactUpdateByRecord,
  results: Topics.contactUpdateResult,
  deadLetter: Topics.deadLetter,
  writeState: Topics.crmWriteState,
};

export interface WriterPipelineOptions {
  kafka: Kafka;
  producer: Producer;
  serde: AvroSerde;
  logger: Logger;
  registry: Registry;
  metrics: WriterMetrics;
  crm: CrmClient;
  provider: CrmProvider;
  mapping: ProviderMapping;
  alert: AlertWebhook;
  callCounter: CrmCallCounter;
  topics?: WriterTopics;
  groupPrefix: string;
  retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
  lookupTtlMs: number;
  batch: { size: number; lingerMs: number; maxUnconditionalAgeMs: number };
}

interface Routed {
  key: string;
  value: Buffer;
  headers: IHeaders;
}

interface ApplyItem {
  command: ApplyContactUpdateCommand;
  payload: EachBatchPayload;
}

interface ApplyItemResult {
  result: BatchItemResult;
  /** This update's share of the batch's CRM calls (calls divided equally among its updates). */
  calls: number;
}

interface Handles {
  request: SchemaHandle<ContactUpdateRequested>;
  byRecord: SchemaHandle<ContactUpdateRequested>;
  result: SchemaHandle<ContactUpdateResult>;
  deadLetter: SchemaHandle<DeadLetter>;
  state: SchemaHandle<CrmWriteState>;
}

export class WriterPipeline {
  readonly store = new WriteStateStore();
  private readonly topics: WriterTopics;
  private readonly resolveUseCase: ResolveContactUseCase;
  private readonly applyUseCase: ApplyContactUpdatesUseCase;
  private readonly batcher: LingerBatcher<ApplyItem, ApplyItemResult>;
  private handles!: Handles;
  private readonly failures: WriterFailures;
  private resolveConsumer!: BatchConsumer;
  private applyConsumer!: BatchConsumer;

  constructor(private readonly options: WriterPipelineOptions) {
    this.topics = options.topics ?? DEFAULT_TOPICS;
    const resolver = new ContactResolver(options.crm.adapter, options.lookupTtlMs);
    this.resolveUseCase = new ResolveContactUseCase(
      options.provider,
      options.mapping.object,
      resolver,
      options.retry,
    );
    const single = new ApplyContactUpdateUseCase(
      options.crm.adapter,
      options.mapping,
      this.store,
      options.retry,
    );
    this.applyUseCase = new ApplyContactUpdatesUseCase(
      options.crm.adapter,
      options.mapping,
      this.store,
      single,
      options.retry,
      { batchSize: options.batch.size, maxUnconditionalAgeMs: options.batch.maxUnconditionalAgeMs },
    );
    this.failures = new WriterFailures({
      service: SERVICE,
      producer: options.producer,
      serde: options.serde,
      logger: options.logger,
      metrics: options.metrics,
      alert: options.alert,
      provider: options.provider,
      crmObject: options.mapping.object,
      topics: this.topics,
      handles: () => this.handles,
    });
    this.batcher = new LingerBatcher(
      { maxSize: options.batch.size, lingerMs: options.batch.lingerMs },
      (items) => this.applyItems(items),
    );
  }

  isReady(): boolean {
    return this.resolveConsumer?.isReady() === true && this.applyConsumer?.isReady() === true;
  }

  async start(): Promise<void> {
    const { serde, kafka, logger, groupPrefix } = this.options;
    const register = <T>(topic: string, message: Parameters<typeof schemaOf>[0]) =>
      serde.register<T>(subjectFor(topic, 'value'), schemaOf(message, 'value'));
    this.handles = {
      request: await register(this.topics.requests, 'contact-update-requested'),
      byRecord: await register(this.topics.byRecord, 'contact-update-requested'),
      result: await register(this.topics.results, 'contact-update-result'),
      deadLetter: await register(this.topics.deadLetter, 'dead-letter'),
      state: await register(this.topics.writeState, 'crm-write-state'),
    };
    await this.options.producer.connect();
    await this.store.restore(
      kafka,
      this.topics.writeState,
      serde,
      this.handles.state,
      logger,
      `${groupPrefix}-state-restore-${process.pid}-${Date.now()}`,
    );
    const common = { kafka, logger, metrics: this.options.registry, concurrency: 4 };
    this.applyConsumer = new BatchConsumer({
      ...common,
      groupId: `${groupPrefix}-apply`,
      topics: [this.topics.byRecord],
      handleBatch: (p) => this.onApplyBatch(p),
    });
    this.resolveConsumer = new BatchConsumer({
      ...common,
      groupId: `${groupPrefix}-resolve`,
      topics: [this.topics.requests],
      handleBatch: (p) => this.onResolveBatch(p),
    });
    this.watchRebalances(this.applyConsumer, this.topics.byRecord);
    this.options.metrics.breakerState(this.options.provider, this.options.crm.breaker.state);
    this.options.crm.breaker.onStateChange((state) => {
      this.options.metrics.breakerState(this.options.provider, state);
      logger.warn({ provider: this.options.provider, state }, 'crm circuit breaker changed state');
      // Half-open lets the in-flight probe through; consumption resumes once the CRM answered.
      if (state === 'open') [this.resolveConsumer, this.applyConsumer].forEach((c) => c.pause());
      if (state === 'closed') [this.resolveConsumer, this.applyConsumer].forEach((c) => c.resume());
    });
    await this.applyConsumer.start();
    await this.resolveConsumer.start();
  }

  async stop(): Promise<void> {
    await this.resolveConsumer?.stop();
    await this.applyConsumer?.stop();
    await this.options.producer.disconnect();
    this.options.crm.breaker.shutdown();
  }

  private waitForBreaker(payloads: readonly EachBatchPayload[]): Promise<void> {
    const breaker = this.options.crm.breaker;
    if (breaker.state !== 'open') return Promise.resolve();
    return new Promise((resolve) => {
      const beat = setInterval(
        () => payloads.forEach((payload) => void payload.heartbeat().catch(() => undefined)),
        3_000,
      );
      const off = breaker.onStateChange((state) => {
        if (state === 'open') return;
        clearInterval(beat);
        off();
        resolve();
      });
    });
  }

  /** Stage 1: resolve the contact and re-key by record, or dead-letter CONTACT_UNRESOLVED. */
  /**
   * Stage 1 for a fetched batch: resolved updates are produced together (in chunks of the batch
   * size), so the updates that arrived together also reach the apply stage together and share its
   * batched CRM calls; offsets are resolved only once their re-keyed message is on the topic.
   */
  private async onResolveBatch(payload: EachBatchPayload): Promise<void> {
    const hooks: RetryHooks = {
      onRetry: () => payload.heartbeat(),
      waitForBreaker: () => this.waitForBreaker([payload]),
    };
    let routed: Routed[] = [];
    let handled: string[] = [];
    const flush = async () => {
      if (routed.length > 0)
        await this.options.producer.send({ topic: this.topics.byRecord, messages: routed });
      handled.forEach((offset) => payload.resolveOffset(offset));
      routed = [];
      handled = [];
      await payload.heartbeat();
    };
    for (const message of payload.batch.messages) {
      if (!payload.isRunning() || payload.isStale()) break;
      const next = await this.resolve(message, payload, hooks);
      if (next) routed.push(next);
      handled.push(message.offset);
      if (routed.length >= this.options.batch.size) await flush();
    }
    await flush();
  }

  /** Resolves one request; returns the re-keyed message to produce, or null once dead-lettered. */
  private async resolve(
    message: KafkaMessage,
    payload: EachBatchPayload,
    hooks: RetryHooks,
  ): Promise<Routed | null> {
    const started = Date.now();
    this.options.metrics.updateReceived(hopTimestamps(message.headers)['ingest'], started);
    const request = await this.failures.decode(message, payload, this.handles.request);
    if (!request) return null;
    const counted = this.options.callCounter.run(0, () => this.resolveUseCase.execute(request, hooks));
    const calls = {
      get count() {
        return counted.calls();
      },
    };
    try {
      const outcome = await counted.result;
      if (outcome.status === 'resolved') {
        const headers = { ...forwardHeaders(message.headers, SERVICE), [CALLS_HEADER]: String(calls.count) };
        return {
          key: outcome.recordKey,
          value: this.options.serde.encode(this.handles.byRecord, outcome.request),
          headers,
        };
      }
      this.options.logger.warn(
        { conversationId: request.conversationId, updateId: request.updateId, why: outcome.why },
        'contact unresolved',
      );
      await this.failures.fail(
        message,
        payload,
        request,
        null,
        'CONTACT_UNRESOLVED',
        new Error(`contact unresolved: ${outcome.why}`),
        false,
        outcome.attempts,
        started,
        calls.count,
      );
    } catch (error) {
      await this.failures.failFromError(message, payload, request, null, error, started, calls.count);
    }
    return null;
  }

  /**
   * Stage 2, in chunks of the batch size: the chunk's updates (with other partitions' updates that
   * arrive within the linger) are read and written together; then each result or dead letter is
   * produced, and only then are the chunk's offsets resolved.
   */
  private async onApplyBatch(payload: EachBatchPayload): Promise<void> {
    const messages = payload.batch.messages;
    const size = this.options.batch.size;
    for (let start = 0; start < messages.length; start += size) {
      if (!payload.isRunning() || payload.isStale()) break;
      const chunk = messages.slice(start, start + size);
      await this.applyChunk(chunk, payload);
      for (const message of chunk) payload.resolveOffset(message.offset);
      await payload.heartbeat();
    }
  }

  private async applyChunk(messages: readonly KafkaMessage[], payload: EachBatchPayload): Promise<void> {
    const started = Date.now();
    const items: Array<{
      message: KafkaMessage;
      request: ContactUpdateRequested;
      key: string;
      before: number;
    }> = [];
    for (const message of messages) {
      const request = await this.failures.decode(message, payload, this.handles.byRecord);
      if (!request) continue;
      const key = message.key?.toString('utf8') ?? '';
      const before = Number(headerValue(message.headers, CALLS_HEADER) ?? 0);
      if (!parseRecordKey(key)) {
        await this.failures.fail(
          message,
          payload,
          request,
          key,
          'INVALID_RECORD_KEY',
          new Error('record key is not <provider>:<object>:<id>'),
          false,
          0,
          started,
          before,
        );
        continue;
      }
      items.push({ message, request, key, before });
    }
    if (items.length === 0) return;
    const outcomes = await this.batcher.submit(
      items.map(({ request, key }) => ({
        command: { request, recordKey: key, ref: parseRecordKey(key)!.ref },
        payload,
      })),
    );
    const topicMessages: Array<{
      topic: string;
      messages: Array<{ key: string; value: Buffer; headers: IHeaders }>;
    }> = [];
    const done: Array<{
      request: ContactUpdateRequested;
      outcome: UpdateOutcome;
      written: number;
      calls: number;
    }> = [];
    for (const [index, { message, request, key, before }] of items.entries()) {
      const { result, calls } = outcomes[index]!;
      if (!result.ok) {
        await this.failures.failFromError(
          message,
          payload,
          request,
          key,
          result.error,
          started,
          before + calls,
        );
        continue;
      }
      const ref = parseRecordKey(key)!.ref;
      const value: ContactUpdateResult = {
        updateId: request.updateId,
        conversationId: request.conversationId,
        outcome: result.value.outcome,
        provider: this.options.provider,
        crmObject: ref.object,
        recordId: ref.id,
        fieldsWritten: result.value.fieldsWritten,
        fieldsSkipped: result.value.fieldsSkipped,
        crmRequestIds: result.value.crmRequestIds,
        attempts: result.value.attempts,
        latencyMs: Date.now() - started,
        error: null,
        completedAt: Date.now(),
      };
      topicMessages.push({
        topic: this.topics.results,
        messages: [
          {
            key: request.conversationId,
            value: this.options.serde.encode(this.handles.result, value),
            headers: forwardHeaders(message.headers, SERVICE),
          },
        ],
      });
      if (result.value.state) {
        this.store.set(result.value.state);
        topicMessages.push({
          topic: this.topics.writeState,
          messages: [
            { key, value: this.options.serde.encode(this.handles.state, result.value.state), headers: {} },
          ],
        });
      }
      done.push({
        request,
        outcome: result.value.outcome,
        written: result.value.fieldsWritten.length,
        calls: before + calls,
      });
    }
    if (topicMessages.length > 0) await this.options.producer.sendBatch({ topicMessages });
    for (const { request, outcome, written, calls } of done) {
      this.options.metrics.updateCompleted(outcome, calls);
      this.options.logger.info(
        { conversationId: request.conversationId, updateId: request.updateId, outcome, written },
        'contact update done',
      );
    }
  }

  /** One flush of the batcher: the use case runs inside a call counter whose total is shared out. */
  private async applyItems(items: ApplyItem[]): Promise<ApplyItemResult[]> {
    const payloads = [...new Set(items.map((item) => item.payload))];
    const hooks: RetryHooks = {
      onRetry: async () => {
        await Promise.all(payloads.map((payload) => payload.heartbeat()));
      },
      waitForBreaker: () => this.waitForBreaker(payloads),
    };
    const counted = this.options.callCounter.run(0, () =>
      this.applyUseCase.execute(
        items.map((item) => item.command),
        hooks,
      ),
    );
    const results = await counted.result;
    const share = counted.calls() / items.length;
    return results.map((result) => ({ result, calls: share }));
  }

  /** Each instance takes its partition share of the org's rate budget, recomputed on every rebalance. */
  private watchRebalances(consumer: BatchConsumer, topic: string): void {
    consumer.consumer.on(consumer.consumer.events.GROUP_JOIN, (event) => {
      void (async () => {
        const admin = this.options.kafka.admin();
        await admin.connect();
        try {
          const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
          const total = metadata.topics[0]?.partitions.length ?? 0;
          const assigned = event.payload.memberAssignment[topic]?.length ?? 0;
          this.options.crm.limiter.setShare(assigned, total);
          this.options.logger.info(
            { assigned, total, ratePerSecond: this.options.crm.limiter.effectiveRate() },
            'crm rate share updated',
          );
        } finally {
          await admin.disconnect();
        }
      })().catch((error: unknown) =>
        this.options.logger.warn({ err: error }, 'could not update the crm rate share'),
      );
    });
  }
}

function headerValue(headers: IHeaders | undefined, name: string): string | undefined {
  const raw = headers?.[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value === undefined ? undefined : value.toString();
}
