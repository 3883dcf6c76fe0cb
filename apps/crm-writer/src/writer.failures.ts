// The writer's failure edge: undecodable messages and failed updates go to the dead-letter topic
// (with a FAILED result for updates), counted, logged without values, and alerted on.
import { type ContactUpdateRequested, type ContactUpdateResult, type DeadLetter } from '@crm/contracts';
import { type CrmProvider, isCrmError, parseRecordKey, RetriesExhaustedError } from '@crm/crm';
import {
  type MessageProducer,
  type AvroSerde,
  forwardHeaders,
  type SchemaHandle,
  toDeadLetter,
} from '@crm/kafka-core';
import { type Logger } from '@crm/observability';
import { type EachBatchPayload, type IHeaders, type KafkaMessage } from 'kafkajs';
import { type AlertWebhook } from './alert/alert-webhook';
import { type WriterMetrics } from './crm-writer.metrics';

export interface WriterFailuresDeps {
  service: string;
  producer: MessageProducer;
  serde: AvroSerde;
  logger: Logger;
  metrics: WriterMetrics;
  alert: AlertWebhook;
  provider: CrmProvider;
  /** Reported as the object of updates that failed before a record was known. */
  crmObject: string;
  topics: { results: string; deadLetter: string };
  /** Registered at start. */
  handles: () => { result: SchemaHandle<ContactUpdateResult>; deadLetter: SchemaHandle<DeadLetter> };
}

export class WriterFailures {
  constructor(private readonly deps: WriterFailuresDeps) {}

  async decode(
    message: KafkaMessage,
    payload: EachBatchPayload,
    handle: SchemaHandle<ContactUpdateRequested>,
  ): Promise<ContactUpdateRequested | null> {
    try {
      return await this.deps.serde.decodeAsync(message.value, handle);
    } catch (error) {
      if (isCrmError(error) || (error as { retriable?: boolean }).retriable === true) throw error;
      await this.deadLetter(message, payload, null, error, undefined, 1);
      return null;
    }
  }

  async failFromError(
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

  async fail(
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
      provider: this.deps.provider,
      crmObject: parsed?.ref.object ?? this.deps.crmObject,
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
        topic: this.deps.topics.results,
        messages: [
          {
            key: request.conversationId,
            value: this.deps.serde.encode(this.deps.handles().result, result),
            headers: forwardHeaders(message.headers, this.deps.service),
          },
        ],
      },
    ]);
    this.deps.metrics.updateCompleted('FAILED', calls);
    this.deps.logger.warn(
      { conversationId: request.conversationId, updateId: request.updateId, reason, retriable, attempts },
      'contact update dead-lettered',
    );
    await this.deps.alert.send({
      service: this.deps.service,
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
      service: this.deps.service,
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
    await this.deps.producer.sendBatch({
      topicMessages: [
        {
          topic: this.deps.topics.deadLetter,
          messages: [
            {
              key: dlKey,
              value: this.deps.serde.encode(this.deps.handles().deadLetter, value),
              headers: forwardHeaders(message.headers, this.deps.service),
            },
          ],
        },
        ...extra,
      ],
    });
    this.deps.metrics.deadLettered(value.reason);
  }
}
