// Wires @crm/kafka-core's ServiceKafka into Nest: the client, the registry serde and a connected
// idempotent producer, topic provisioning at start, readiness while the producer is connected, and
// an orderly disconnect on shutdown. No Kafka logic lives here.
import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { AvroSerde, createServiceKafka, type ServiceKafka, type ServiceKafkaOptions } from '@crm/kafka-core';
import { HealthRegistry } from '@crm/observability';

export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');
export const KAFKA_PRODUCER = Symbol('KAFKA_PRODUCER');
export const SERVICE_KAFKA = Symbol('SERVICE_KAFKA');

export type KafkaModuleOptions = ServiceKafkaOptions;

@Injectable()
export class KafkaLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(SERVICE_KAFKA) private readonly resources: ServiceKafka,
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
  ) {
    // Registered at construction, so the app is not ready before the producer connected.
    this.health.register('kafka-producer', () => this.resources.producer.isConnected());
  }

  onModuleInit(): Promise<void> {
    return this.resources.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.resources.stop();
  }
}

@Module({})
export class KafkaModule {
  static forRoot(options: KafkaModuleOptions): DynamicModule {
    const resources = createServiceKafka(options);
    return {
      module: KafkaModule,
      global: true,
      providers: [
        { provide: SERVICE_KAFKA, useValue: resources },
        { provide: KAFKA_CLIENT, useValue: resources.kafka },
        { provide: KAFKA_PRODUCER, useValue: resources.producer },
        { provide: AvroSerde, useValue: resources.serde },
        KafkaLifecycle,
      ],
      exports: [KAFKA_CLIENT, KAFKA_PRODUCER, AvroSerde],
    };
  }
}
