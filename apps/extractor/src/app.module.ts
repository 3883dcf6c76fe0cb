import { type DynamicModule, Module } from '@nestjs/common';
import { TOPIC_SPECS } from '@crm/contracts';
import { type MessageProducer, AvroSerde } from '@crm/kafka-core';
import { KAFKA_CLIENT, KAFKA_PRODUCER, KafkaModule } from '@crm/kafka-nest';
import { HealthModule, type HealthRegistry, type Logger } from '@crm/observability';
import { type Kafka } from 'kafkajs';
import { LoggerModule } from 'nestjs-pino';
import { type Registry } from 'prom-client';
import { type AppEnv } from './config/env.schema';
import { type LoadedExtraction } from './config/extraction-config.loader';
import { ExtractorConsumer } from './extraction/extractor.consumer';
import { EXTRACTOR_LOGGER, ExtractorLifecycle } from './extraction/extractor.lifecycle';
import { DEFAULT_EXTRACTOR_TOPICS } from './extraction/extractor-topics';

const SERVICE = 'extractor';
const OWN_TOPICS = new Set<string>(Object.values(DEFAULT_EXTRACTOR_TOPICS));

@Module({})
export class AppModule {
  static forRoot(
    env: AppEnv,
    extraction: LoadedExtraction,
    logger: Logger,
    metrics: Registry,
    health: HealthRegistry,
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // No pino-http middleware: its AsyncLocalStorage, entered by the first health probe, turns
        // on promise hooks for the whole process, which then tax every promise the Kafka loop makes.
        LoggerModule.forRoot({ pinoHttp: { logger, autoLogging: false }, forRoutes: [] }),
        HealthModule.forRoot(health, metrics),
        KafkaModule.forRoot({
          service: SERVICE,
          env,
          logger,
          provision: TOPIC_SPECS.filter((spec) => OWN_TOPICS.has(spec.name)),
          // One producer for the partitions processed at once: what their batches send while it is
          // busy goes in its next request (SafeIdempotentProducer), one produce request where there
          // was one per partition batch (≈190 a second instead of ≈250 at 1,000 events/s).
          producerConcurrency: 1,
        }),
      ],
      providers: [
        { provide: EXTRACTOR_LOGGER, useValue: logger.child({ context: 'ExtractorConsumer' }) },
        {
          provide: ExtractorConsumer,
          inject: [KAFKA_CLIENT, KAFKA_PRODUCER, AvroSerde],
          useFactory: (kafka: Kafka, producer: MessageProducer, serde: AvroSerde) =>
            new ExtractorConsumer({
              kafka,
              producer,
              serde,
              extractor: extraction.extractor,
              topics: DEFAULT_EXTRACTOR_TOPICS,
              groupId: env.EXTRACTOR_GROUP_ID,
              logger: logger.child({ context: 'ExtractorConsumer' }),
              metrics,
              concurrency: env.EXTRACTOR_PARTITION_CONCURRENCY,
            }),
        },
        ExtractorLifecycle,
      ],
    };
  }
}
