// The extractor's Kafka edge: one BatchConsumer on the conversation events. Per input partition
// batch: extract (ExtractBatchUseCase), send every output in one idempotent acks=all sendBatch,
// and only then resolve the batch's last offset, so the commit never runs ahead of the outputs and
// a conversation's outputs keep their input order (README "Ordering").
import { type Extractor } from '@crm/extraction';
import { type MessageProducer, ACKS_ALL, type AvroSerde, BatchConsumer } from '@crm/kafka-core';
import { type Logger } from '@crm/observability';
import { type EachBatchPayload, type Kafka } from 'kafkajs';
import { type Registry } from 'prom-client';
import { type ExtractionObserver } from './extraction-observer';
import { ExtractBatchUseCase } from './extract-batch.usecase';
import { extractorMetrics } from './extractor.metrics';
import { type ExtractorTopics } from './extractor-topics';

export interface ExtractorConsumerOptions {
  readonly kafka: Kafka;
  /** Connected idempotent producer. */
  readonly producer: MessageProducer;
  readonly serde: AvroSerde;
  readonly extractor: Extractor;
  readonly topics: ExtractorTopics;
  readonly groupId: string;
  readonly logger: Logger;
  readonly metrics?: Registry;
  /** Input partitions handled at once; each partition's batches stay strictly sequential. */
  readonly concurrency?: number;
  readonly fromBeginning?: boolean;
  /** Fetch size per partition: bounds the records held in memory at once (RSS budget 128 MiB). */
  readonly maxBytesPerPartition?: number;
}

export const DEFAULT_MAX_BYTES_PER_PARTITION = 262_144;

function observerFor(registry: Registry | undefined): ExtractionObserver | undefined {
  if (registry === undefined) return undefined;
  const metrics = extractorMetrics(registry);
  const accepted = new Map<string, ReturnType<typeof metrics.entities.labels>>();
  return {
    accepted: (entityType) => {
      let counter = accepted.get(entityType);
      if (counter === undefined) {
        counter = metrics.entities.labels({ entity_type: entityType, outcome: 'accepted' });
        accepted.set(entityType, counter);
      }
      counter.inc();
    },
    rejected: (entityType, reason) => {
      metrics.entities.inc({ entity_type: entityType, outcome: 'rejected' });
      metrics.rejections.inc({ reason });
    },
    pciRedactions: (count) => metrics.pciRedactions.inc(count),
    deadLettered: (reason) => metrics.deadLetters.inc({ reason }),
    processed: (seconds) => metrics.processingDuration.observe(seconds),
  };
}

export class ExtractorConsumer {
  private consumer: BatchConsumer | undefined;
  private useCase: ExtractBatchUseCase | undefined;
  /** Input records handled (all outputs acked) since start; read by the benchmark. */
  processed = 0;

  constructor(private readonly options: ExtractorConsumerOptions) {}

  isReady(): boolean {
    return this.consumer?.isReady() ?? false;
  }

  async start(): Promise<void> {
    const { options } = this;
    this.useCase = await ExtractBatchUseCase.create(
      options.serde,
      options.extractor,
      options.topics,
      observerFor(options.metrics),
    );
    this.consumer = new BatchConsumer({
      kafka: options.kafka,
      groupId: options.groupId,
      topics: [options.topics.input],
      logger: options.logger,
      ...(options.metrics ? { metrics: options.metrics } : {}),
      concurrency: options.concurrency ?? 1,
      maxBytesPerPartition: options.maxBytesPerPartition ?? DEFAULT_MAX_BYTES_PER_PARTITION,
      fromBeginning: options.fromBeginning ?? true,
      handleBatch: (payload) => this.handleBatch(payload),
    });
    await this.consumer.start();
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const useCase = this.useCase;
    if (useCase === undefined || batch.messages.length === 0 || !payload.isRunning() || payload.isStale())
      return;
    const result = await useCase.execute({
      topic: batch.topic,
      partition: batch.partition,
      messages: batch.messages,
    });
    if (result.topicMessages.length > 0) {
      await this.options.producer.sendBatch({ topicMessages: result.topicMessages, acks: ACKS_ALL });
    }
    payload.resolveOffset(batch.lastOffset());
    this.processed += batch.messages.length;
    await payload.heartbeat();
  }
}
