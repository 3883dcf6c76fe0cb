// Wires @crm/kafka-core into Nest: the client, the registry serde and a connected idempotent
// producer, topic provisioning at start, readiness while the producer is connected, and an
// orderly disconnect on shutdown. No Kafka logic lives here.
import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { type KafkaEnv } from '@crm/config';
import {
  AvroSerde,
  createIdempotentProducer,
  type SafeIdempotentProducer,
  createKafka,
  kafkaConfigFrom,
  provisionTopics,
  type TopicDeclaration,
} from '@crm/kafka-core';
import { HealthRegistry, type Logger } from '@crm/observability';
import { type Kafka } from 'kafkajs';

export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');
export const KAFKA_PRODUCER = Symbol('KAFKA_PRODUCER');
export const KAFKA_OPTIONS = Symbol('KAFKA_OPTIONS');

export interface KafkaModuleOptions {
  service: string;
  env: KafkaEnv;
  logger: Logger;
  /** Topics this service declares; created if missing before the producer reports ready. */
  provision?: readonly TopicDeclaration[];
  /** Producer sends in flight at once (a producer each; SafeIdempotentProducer). Default 1. */
  producerConcurrency?: number;
}

@Injectable()
export class KafkaLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(KAFKA_OPTIONS) private readonly options: KafkaModuleOptions,
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(KAFKA_PRODUCER) private readonly producer: SafeIdempotentProducer,
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
  ) {
    // Registered at construction, so the app is not ready before the producer connected.
    this.health.register('kafka-producer', () => this.producer.isConnected());
  }

  async onModuleInit(): Promise<void> {
    if (this.options.provision && this.options.provision.length > 0) {
      const admin = this.kafka.admin();
      await admin.connect();
      try {
        const report = await provisionTopics(admin, this.options.provision, {
          defaultPartitions: this.options.env.KAFKA_TOPIC_PARTITIONS,
          replicationFactor: this.options.env.KAFKA_REPLICATION_FACTOR,
        });
        if (report.created.length > 0)
          this.options.logger.info({ created: report.created }, 'provisioned topics');
      } finally {
        await admin.disconnect();
      }
    }
    await this.producer.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }
}

@Module({})
export class KafkaModule {
  static forRoot(options: KafkaModuleOptions): DynamicModule {
    const kafka = createKafka(kafkaConfigFrom(options.env, options.service), options.logger);
    return {
      module: KafkaModule,
      global: true,
      providers: [
        { provide: KAFKA_OPTIONS, useValue: options },
        { provide: KAFKA_CLIENT, useValue: kafka },
        {
          provide: KAFKA_PRODUCER,
          useFactory: () =>
            createIdempotentProducer(kafka, {
              concurrency: options.producerConcurrency ?? 1,
              onRenew: (error) =>
                options.logger.warn(
                  { err: error },
                  'a send failed and may have been written; its producer was replaced',
                ),
            }),
        },
        {
          provide: AvroSerde,
          useFactory: () =>
            AvroSerde.connect({
              url: options.env.SCHEMA_REGISTRY_URL,
              username: options.env.SCHEMA_REGISTRY_USERNAME,
              password: options.env.SCHEMA_REGISTRY_PASSWORD,
            }),
        },
        KafkaLifecycle,
      ],
      exports: [KAFKA_CLIENT, KAFKA_PRODUCER, AvroSerde],
    };
  }
}
