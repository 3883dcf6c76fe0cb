// Produces ConversationEvents to the conversation-events topic, keyed by conversationId, Avro in the
// registry wire format, with a traceparent and this hop's timestamp. Requests share producer sends
// through the BatchingPublisher; a request resolves only once the broker acknowledged its records.
import { type BeforeApplicationShutdown, Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type ConversationEvent, MESSAGE_SCHEMAS, subjectFor } from '@crm/contracts';
import {
  type MessageProducer,
  AvroSerde,
  encodeKey,
  hopTimestampHeader,
  HeaderNames,
  type SchemaHandle,
} from '@crm/kafka-core';
import { KAFKA_PRODUCER } from '@crm/kafka-nest';
import { HealthRegistry } from '@crm/observability';
import { type Message } from 'kafkajs';
import { IngestMetrics } from '../ingest/ingest.metrics';
import { INGEST_SETTINGS, type IngestSettings } from '../ingest/ingest-settings';
import { BatchingPublisher } from './batching-publisher';
import { BrokerReachability } from './broker-reachability';

const HOP_HEADER = hopTimestampHeader('ingest');

@Injectable()
export class ConversationEventPublisher implements OnModuleInit, BeforeApplicationShutdown {
  private handle: SchemaHandle<ConversationEvent> | undefined;
  private readonly batches: BatchingPublisher<Message>;

  constructor(
    @Inject(KAFKA_PRODUCER) private readonly producer: MessageProducer,
    @Inject(AvroSerde) private readonly serde: AvroSerde,
    @Inject(INGEST_SETTINGS) private readonly settings: IngestSettings,
    @Inject(IngestMetrics) metrics: IngestMetrics,
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
    @Inject(BrokerReachability) reachability: BrokerReachability,
  ) {
    const topic = settings.INGEST_TOPIC;
    this.batches = new BatchingPublisher<Message>(
      async (messages) => {
        await this.producer.send({ topic, messages, acks: -1 });
      },
      {
        maxPendingRecords: settings.INGEST_MAX_PENDING_RECORDS,
        maxBatchRecords: settings.INGEST_MAX_BATCH_RECORDS,
        concurrency: settings.INGEST_PRODUCE_CONCURRENCY,
        lingerMs: settings.INGEST_LINGER_MS,
        sendTimeoutMs: settings.INGEST_SEND_TIMEOUT_MS,
      },
      {
        onBatch: (records, seconds, outcome) => {
          metrics.produceDuration.observe({ outcome }, seconds);
          metrics.produceBatchRecords.observe(records);
          reachability.observeSend(outcome);
        },
      },
    );
  }

  async onModuleInit(): Promise<void> {
    this.health.register('conversation-event-schema', () => this.handle !== undefined);
    this.handle = await this.serde.register<ConversationEvent>(
      subjectFor(this.settings.INGEST_TOPIC, 'value'),
      MESSAGE_SCHEMAS['conversation-event'].value,
    );
  }

  /** Resolves after the broker acknowledged every event (acks=all); rejects with a retriable PipelineError otherwise. */
  publish(events: readonly ConversationEvent[], traceparent: string): Promise<void> {
    const handle = this.handle;
    if (!handle) throw new Error('ConversationEventPublisher used before its schema was registered');
    const now = String(Date.now());
    const messages = events.map((event): Message => ({
      key: encodeKey(event.conversationId),
      value: this.serde.encode(handle, event),
      headers: { [HeaderNames.traceparent]: traceparent, [HOP_HEADER]: now },
    }));
    return this.batches.publish(messages);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.health.markShuttingDown();
    await this.batches.drain();
  }
}
