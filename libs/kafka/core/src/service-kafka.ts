// A service's Kafka resources, framework-free: the client, the registry serde and one idempotent
// producer; `start` provisions the declared topics and connects the producer, `stop` disconnects
// it. The Nest KafkaModule (@crm/kafka-nest) wires this into modules; a service without Nest
// (the extractor) calls start and stop itself.
import { type KafkaEnv } from '@crm/config';
import { type Logger } from '@crm/observability';
import { type Kafka } from 'kafkajs';
import { AvroSerde } from './avro-serde';
import { createKafka, kafkaConfigFrom } from './kafka.factory';
import { createIdempotentProducer } from './producer';
import { provisionTopics, type TopicDeclaration } from './provisioning';
import { type SafeIdempotentProducer } from './safe-producer';

export interface ServiceKafkaOptions {
  readonly service: string;
  readonly env: KafkaEnv;
  readonly logger: Logger;
  /** Topics this service declares; created if missing before the producer connects. */
  readonly provision?: readonly TopicDeclaration[];
  /** Producer sends in flight at once (a producer each; SafeIdempotentProducer). Default 1. */
  readonly producerConcurrency?: number;
}

export interface ServiceKafka {
  readonly kafka: Kafka;
  readonly producer: SafeIdempotentProducer;
  readonly serde: AvroSerde;
  /** Provisions the declared topics, then connects the producer. */
  start(): Promise<void>;
  /** Disconnects the producer. */
  stop(): Promise<void>;
}

export function createServiceKafka(options: ServiceKafkaOptions): ServiceKafka {
  const { env, logger } = options;
  const kafka = createKafka(kafkaConfigFrom(env, options.service), logger);
  const producer = createIdempotentProducer(kafka, {
    concurrency: options.producerConcurrency ?? 1,
    onRenew: (error) =>
      logger.warn({ err: error }, 'a send failed and may have been written; its producer was replaced'),
  });
  const serde = AvroSerde.connect({
    url: env.SCHEMA_REGISTRY_URL,
    username: env.SCHEMA_REGISTRY_USERNAME,
    password: env.SCHEMA_REGISTRY_PASSWORD,
  });
  return {
    kafka,
    producer,
    serde,
    async start() {
      const declared = options.provision ?? [];
      if (declared.length > 0) {
        const admin = kafka.admin();
        await admin.connect();
        try {
          const report = await provisionTopics(admin, declared, {
            defaultPartitions: env.KAFKA_TOPIC_PARTITIONS,
            replicationFactor: env.KAFKA_REPLICATION_FACTOR,
          });
          if (report.created.length > 0) logger.info({ created: report.created }, 'provisioned topics');
        } finally {
          await admin.disconnect();
        }
      }
      await producer.connect();
    },
    stop: () => producer.disconnect(),
  };
}
