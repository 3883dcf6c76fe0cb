// Nest wiring of the analytics poller: needs KafkaModule (client, producer, serde) and a
// HealthRegistry; registers readiness `genesys-poller`, starts after the module graph is built and
// drains on shutdown. Disabled by GENESYS_POLLER_ENABLED=false.
import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type MessageProducer, AvroSerde } from '@crm/kafka-core';
import { KAFKA_CLIENT, KAFKA_PRODUCER } from '@crm/kafka-nest';
import { HealthRegistry, type Logger } from '@crm/observability';
import { type Kafka } from 'kafkajs';
import { type Registry } from 'prom-client';
import { AnalyticsPoller } from './analytics-poller';
import { genesysClientFromEnv } from './genesys-client.factory';
import { type PollerEnv } from './poller.env';

export const POLLER_OPTIONS = Symbol('POLLER_OPTIONS');

export interface PollerModuleOptions {
  env: PollerEnv;
  logger: Logger;
  metrics: Registry;
  /** Test and demo overrides; default to the contract constants. */
  topics?: { events?: string; output?: string; schedule?: string };
}

@Injectable()
export class PollerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private poller: AnalyticsPoller | undefined;
  private closeClient: (() => Promise<void>) | undefined;

  constructor(
    @Inject(POLLER_OPTIONS) private readonly options: PollerModuleOptions,
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(KAFKA_PRODUCER) private readonly producer: MessageProducer,
    @Inject(AvroSerde) private readonly serde: AvroSerde,
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { env, logger, metrics, topics } = this.options;
    if (!env.GENESYS_POLLER_ENABLED) return;
    const log = logger.child({ context: 'AnalyticsPoller' });
    const client = genesysClientFromEnv(env, log);
    this.closeClient = () => client.close();
    this.poller = new AnalyticsPoller({
      kafka: this.kafka,
      producer: this.producer,
      serde: this.serde,
      genesys: client,
      logger: log,
      metrics,
      groupId: env.GENESYS_POLLER_GROUP_ID,
      ...(topics?.events ? { eventsTopic: topics.events } : {}),
      ...(topics?.output ? { outputTopic: topics.output } : {}),
      ...(topics?.schedule ? { scheduleTopic: topics.schedule } : {}),
      schedule: {
        initialDelayMs: env.GENESYS_POLL_INITIAL_DELAY_MS,
        baseDelayMs: env.GENESYS_POLL_BASE_DELAY_MS,
        maxDelayMs: env.GENESYS_POLL_MAX_DELAY_MS,
        maxWaitMs: env.GENESYS_POLL_MAX_WAIT_MS,
      },
      mediaTypes: env.GENESYS_POLL_MEDIA_TYPES,
      contactIdAttributes: env.GENESYS_CONTACT_ID_ATTRIBUTES,
      tickMs: env.GENESYS_POLL_TICK_MS,
      concurrency: env.GENESYS_POLL_CONCURRENCY,
    });
    const poller = this.poller;
    this.health.register('genesys-poller', () => poller.isReady());
    await poller.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.poller?.stop();
    await this.closeClient?.();
  }
}

@Module({})
export class PollerModule {
  static forRoot(options: PollerModuleOptions): DynamicModule {
    return {
      module: PollerModule,
      providers: [{ provide: POLLER_OPTIONS, useValue: options }, PollerLifecycle],
    };
  }
}
