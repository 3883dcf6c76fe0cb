import { Test } from '@nestjs/testing';
import { loadConfig, kafkaEnvSchema } from '@crm/config';
import { AvroSerde } from '@crm/kafka-core';
import { createLogger, createMetricsRegistry, HealthRegistry } from '@crm/observability';
import { HealthModule } from '@crm/observability/nest';
import { stackEnv, testKafka, uniqueName } from '@crm/testing';
import { type Producer } from 'kafkajs';
import { KAFKA_PRODUCER, KafkaModule } from './kafka.module';

describe(KafkaModule.name, () => {
  it('provisions declared topics, connects the producer, reports ready, and disconnects on close', async () => {
    const topic = uniqueName('nest-provisioned');
    const health = new HealthRegistry();
    const env = loadConfig('test', kafkaEnvSchema, {
      KAFKA_BROKERS: stackEnv().brokers.join(','),
      SCHEMA_REGISTRY_URL: stackEnv().registryUrl,
    });
    const moduleRef = await Test.createTestingModule({
      imports: [
        HealthModule.forRoot(health, createMetricsRegistry('test')),
        KafkaModule.forRoot({
          service: 'test',
          env,
          logger: createLogger({ service: 'test', level: 'silent', format: 'json' }),
          provision: [{ name: topic, cleanupPolicy: 'delete', retentionMs: 60_000, partitions: 2 }],
        }),
      ],
    }).compile();
    const sut = moduleRef;
    expect((await health.readiness()).ready).toBe(false);

    await sut.init();

    expect((await health.readiness()).checks['kafka-producer']).toBe(true);
    expect(sut.get(AvroSerde)).toBeInstanceOf(AvroSerde);
    const admin = testKafka().admin();
    await admin.connect();
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.disconnect();
    expect(metadata.topics[0]?.partitions).toHaveLength(2);
    await sut.get<Producer>(KAFKA_PRODUCER).send({ topic, acks: -1, messages: [{ key: 'k', value: 'v' }] });

    await sut.close();
    expect((await health.readiness()).checks['kafka-producer']).toBe(false);
  });
});
