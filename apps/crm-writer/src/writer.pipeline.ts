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
  subjectFor,
  Topics,
} from '@crm/contracts';
import {
  type CrmClient,
  type CrmProvider,
  isCrmError,
  parseRecordKey,
  type ProviderMapping,
  RetriesExhaustedError,
} from '@crm/crm';
import {
  type AvroSerde,
  BatchConsumer,
  forwardHeaders,
  type SchemaHandle,
  toDeadLetter,
} from '@crm/kafka-core';
import { type Logger } from '@crm/observability';
import { type EachBatchPayload, type IHeaders, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import { type Registry } from 'prom-client';
import { type AlertWebhook } from './alert/alert-webhook';
import { ContactResolver } from './contact/contact.resolver';
import { type CrmCallCounter } from './crm-call.counter';
import { type WriterMetrics } from './crm-writer.metrics';
import { WriteStateStore } from './state/write-state.store';
import { ApplyContactUpdateUseCase, type RetryHooks } from './usecases/apply-contact-update.usecase';
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
  private readonly applyUseCase: ApplyContactUpdateUseCase;
  private handles!: Handles;
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
    this.applyUseCase = new ApplyContactUpdateUseCase(
      options.crm.adapter,
      options.mapping,
      this.store,
      options.retry,
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
      handleBatch: (p) => this.onBatch(p, (m, h) => this.apply(m, p, h)),
    });
    this.resolveConsumer = new BatchConsumer({
      ...common,
      groupId: `${groupPrefix}-resolve`,
      topics: [this.topics.requests],
      handleBatch: (p) => this.onBatch(p, (m, h) => this.resolve(m, p, h)),
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

  private async onBatch(
    payload: EachBatchPayload,
    handle: (message: KafkaMessage, hooks: RetryHooks) => Promise<void>,
  ): Promise<void> {
    const hooks: RetryHooks = {
      onRetry: () => payload.heartbeat(),
      waitForBreaker: () => this.waitForBreaker(payload),
    };
    for (const message of payload.batch.messages) {
      if (!payload.isRunning() || payload.isStale()) break;
      await handle(message, hooks);
      payload.resolveOffset(message.offset);
      await payload.heartbeat();
    }
  }

  private waitForBreaker(payload: EachBatchPayload): Promise<void> {
    const breaker = this.options.crm.breaker;
    if (breaker.state !== 'open') return Promise.resolve();
    return new Promise((resolve) => {
      const beat = setInterval(() => void payload.heartbeat().catch(() => undefined), 3_000);
      const off = breaker.onStateChange((state) => {
        if (state === 'open') return;
        clearInterval(beat);
        off();
        resolve();
      });
    });
  }

  /** Stage 1: resolve the contact and re-key by record, or dead-letter CONTACT_UNRESOLVED. */
  private async resolve(message: KafkaMessage, payload: EachBatchPayload, hooks: RetryHooks): Promise<void> {
    const started = Date.now();
    const request = await this.decode(message, payload, this.handles.request);
    if (!request) return;
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
        await this.options.producer.send({
          topic: this.topics.byRecord,
          messages: [
            {
              key: outcome.recordKey,
              value: this.options.serde.encode(this.handles.byRecord, outcome.request),
              headers,
            },
          ],
        });
        return;
      }
      this.options.logger.warn(
        { conversationId: request.conversationId, updateId: request.updateId, why: outcome.why },
        'contact unresolved',
      );
      await this.fail(
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
      await this.failFromError(message, payload, request, null, error, started, calls.count);
    }
  }

  /** Stage 2: read → decide → PATCH, then state and result, then the offset. */
  private async apply(message: KafkaMessage, payload: EachBatchPayload, hooks: RetryHooks): Promise<void> {
    const started = Date.now();
    const request = await this.decode(message, payload, this.handles.byRecord);
    if (!request) return;
    const key = message.key?.toString('utf8') ?? '';
    const parsed = parseRecordKey(key);
    const before = Number(headerValue(message.headers, CALLS_HEADER) ?? 0);
    if (!parsed) {
      await this.fail(
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
      return;
    }
    const counted = this.options.callCounter.run(before, () =>
      this.applyUseCase.execute({ request, recordKey: key, ref: parsed.ref }, hooks),
    );
    const calls = {
      get count() {
        return counted.calls();
      },
    };
    try {
      const result = await counted.result;
      const value: ContactUpdateResult = {
        updateId: request.updateId,
        conversationId: request.conversationId,
        outcome: result.outcome,
        provider: this.options.provider,
        crmObject: parsed.ref.object,
        recordId: parsed.ref.id,
        fieldsWritten: result.fieldsWritten,
        fieldsSkipped: result.fieldsSkipped,
        crmRequestIds: result.crmRequestIds,
        attempts: result.attempts,
        latencyMs: Date.now() - started,
        error: null,
        completedAt: Date.now(),
      };
      const topicMessages = [
        {
          topic: this.topics.results,
          messages: [
            {
              key: request.conversationId,
              value: this.options.serde.encode(this.handles.result, value),
              headers: forwardHeaders(message.headers, SERVICE),
            },
          ],
        },
      ];
      if (result.state) {
        this.store.set(result.state);
        topicMessages.push({
          topic: this.topics.writeState,
          messages: [
            { key, value: this.options.serde.encode(this.handles.state, result.state), headers: {} },
          ],
        });
      }
      await this.options.producer.sendBatch({ topicMessages });
      this.options.metrics.updateCompleted(result.outcome, calls.count);
      this.options.logger.info(
        {
          conversationId: request.conversationId,
          updateId: request.updateId,
          outcome: result.outcome,
          written: result.fieldsWritten.length,
        },
        'contact update done',
      );
    } catch (error) {
      await this.failFromError(message, payload, request, key, error, started, calls.count);
    }
  }

  private async decode(
    message: KafkaMessage,
    payload: EachBatchPayload,
    handle: SchemaHandle<ContactUpdateRequested>,
  ): Promise<ContactUpdateRequested | null> {
    try {
      return await this.options.serde.decodeAsync(message.value, handle);
    } catch (error) {
      if (isCrmError(error) || (error as { retriable?: boolean }).retriable === true) throw error;
      await this.deadLetter(message, payload, null, error, undefined, 1);
      return null;
    }
  }

  private async failFromError(
    message: KafkaMessage,
    payload: EachBatchPayload,
    request: ContactUpdateRequested,
    key: string | null,
    error: unknown,
    started: number,
    calls: number,
  ): Promise<void> {
    const exhausted = error instanceof RetriesExhaustedError;
    const cause = exhausted ? error.lastError : error;
    if (!isCrmError(cause)) throw error; // not a CRM outcome (e.g. Kafka down): let the batch fail and be redelivered
    await this.fail(
      message,
      payload,
      request,
      key,
      cause.reason,
      cause,
      cause.retriable,
      exhausted ? error.attempts : 1,
      started,
      calls,
    );
  }

  private async fail(
    message: KafkaMessage,
    payload: EachBatchPayload,
    request: ContactUpdateRequested,
    key: string | null,
    reason: string,
    error: unknown,
    retriable: boolean,
    attempts: number,
    started: number,
    calls: number,
  ): Promise<void> {
    const detail = error instanceof Error ? error.message : String(error);
    const parsed = key ? parseRecordKey(key) : null;
    const result: ContactUpdateResult = {
      updateId: request.updateId,
      conversationId: request.conversationId,
      outcome: 'FAILED',
      provider: this.options.provider,
      crmObject: parsed?.ref.object ?? this.options.mapping.object,
      recordId: parsed?.ref.id ?? null,
      fieldsWritten: [],
      fieldsSkipped: [],
      crmRequestIds: [],
      attempts,
      latencyMs: Date.now() - started,
      error: reason,
      completedAt: Date.now(),
    };
    await this.deadLetter(message, payload, request.conversationId, error, reason, attempts, retriable, [
      {
        topic: this.topics.results,
        messages: [
          {
            key: request.conversationId,
            value: this.options.serde.encode(this.handles.result, result),
            headers: forwardHeaders(message.headers, SERVICE),
          },
        ],
      },
    ]);
    this.options.metrics.updateCompleted('FAILED', calls);
    this.options.logger.warn(
      { conversationId: request.conversationId, updateId: request.updateId, reason, retriable, attempts },
      'contact update dead-lettered',
    );
    await this.options.alert.send({
      service: SERVICE,
      reason,
      conversationId: request.conversationId,
      updateId: request.updateId,
      recordKey: key,
      detail,
      retriable,
      at: Date.now(),
    });
  }

  private async deadLetter(
    message: KafkaMessage,
    payload: EachBatchPayload,
    conversationId: string | null,
    error: unknown,
    reason: string | undefined,
    attempts: number,
    retriable?: boolean,
    extra: Array<{ topic: string; messages: Array<{ key: string; value: Buffer; headers: IHeaders }> }> = [],
  ): Promise<void> {
    const record = toDeadLetter({
      service: SERVICE,
      topic: payload.batch.topic,
      partition: payload.batch.partition,
      message,
      error,
      ...(conversationId ? { conversationId } : {}),
      ...(reason ? { reason } : {}),
      attempts,
    });
    const value: DeadLetter = { ...record, retriable: retriable ?? record.retriable };
    const dlKey = conversationId ?? message.key?.toString('utf8') ?? 'unknown';
    await this.options.producer.sendBatch({
      topicMessages: [
        {
          topic: this.topics.deadLetter,
          messages: [
            {
              key: dlKey,
              value: this.options.serde.encode(this.handles.deadLetter, value),
              headers: forwardHeaders(message.headers, SERVICE),
            },
          ],
        },
        ...extra,
      ],
    });
    this.options.metrics.deadLettered(value.reason);
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
