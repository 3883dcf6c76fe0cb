// The extractor's Kafka side as one unit: its topics provisioned, the producer connected, the
// consumer started; readiness while both hold; on stop: not ready at once, the batch in flight
// drained and the group left, then the producer disconnected (its outputs are acked by then).
import { type Extractor } from '@crm/extraction';
import { createServiceKafka, type ServiceKafka, type TopicDeclaration } from '@crm/kafka-core';
import { type HealthRegistry, type Logger } from '@crm/observability';
import { type Registry } from 'prom-client';
import { type AppEnv } from '../config/env.schema';
import { ExtractorConsumer } from './extractor.consumer';
import { type ExtractorTopics } from './extractor-topics';

export const SERVICE = 'extractor';

export interface ExtractorRuntimeOptions {
  readonly env: AppEnv;
  readonly extractor: Extractor;
  readonly topics: ExtractorTopics;
  /** Topics to create if missing at start (the service's own; none for throw-away topics). */
  readonly provision: readonly TopicDeclaration[];
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly health: HealthRegistry;
  /** Fetch size per partition; ExtractorConsumer's default unless set. */
  readonly maxBytesPerPartition?: number;
}

export class ExtractorRuntime {
  readonly consumer: ExtractorConsumer;
  private readonly kafka: ServiceKafka;

  constructor(private readonly options: ExtractorRuntimeOptions) {
    const { env, logger, health } = options;
    this.kafka = createServiceKafka({
      service: SERVICE,
      env,
      logger,
      provision: options.provision,
      // One producer for the partitions processed at once: what their batches send while it is
      // busy goes in its next request (SafeIdempotentProducer), one produce request where there
      // was one per partition batch (≈190 a second instead of ≈250 at 1,000 events/s).
      producerConcurrency: 1,
    });
    this.consumer = new ExtractorConsumer({
      kafka: this.kafka.kafka,
      producer: this.kafka.producer,
      serde: this.kafka.serde,
      extractor: options.extractor,
      topics: options.topics,
      groupId: env.EXTRACTOR_GROUP_ID,
      logger: logger.child({ context: 'ExtractorConsumer' }),
      metrics: options.metrics,
      concurrency: env.EXTRACTOR_PARTITION_CONCURRENCY,
      ...(options.maxBytesPerPartition === undefined
        ? {}
        : { maxBytesPerPartition: options.maxBytesPerPartition }),
    });
    // Registered before start, so the service is not ready until both are up.
    health.register('kafka-producer', () => this.kafka.producer.isConnected());
    health.register('extractor-consumer', () => this.consumer.isReady());
  }

  async start(): Promise<void> {
    await this.kafka.start();
    await this.consumer.start();
    this.options.logger.info('extractor consumer started');
  }

  async stop(): Promise<void> {
    this.options.health.markShuttingDown();
    try {
      await this.consumer.stop();
    } finally {
      await this.kafka.stop();
    }
  }
}
