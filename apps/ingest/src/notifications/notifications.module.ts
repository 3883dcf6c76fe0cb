// Nest wiring of the Notifications subscriber: needs KafkaModule (client) and HealthRegistry; the
// app supplies the handler (map with @crm/genesys formats, then produce) through a factory.
// Disabled by GENESYS_NOTIFICATIONS_ENABLED=false. Readiness never depends on holding the lease:
// only the holder subscribes, and every instance is healthy.
import {
  type DynamicModule,
  Inject,
  Injectable,
  type InjectionToken,
  Module,
  type ModuleMetadata,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { KAFKA_CLIENT } from '@crm/kafka-nest';
import { type Logger } from '@crm/observability';
import { type Kafka } from 'kafkajs';
import { type Registry } from 'prom-client';
import { genesysClientFromEnv } from '../poller/genesys-client.factory';
import { type GenesysConnectionEnv } from '../poller/poller.env';
import { type NotificationHandler, NotificationsRunner } from './notifications-runner';
import { type NotificationsEnv } from './notifications.env';

export const NOTIFICATIONS_OPTIONS = Symbol('NOTIFICATIONS_OPTIONS');
export const NOTIFICATION_HANDLER = Symbol('NOTIFICATION_HANDLER');

export interface NotificationsModuleOptions {
  env: GenesysConnectionEnv & NotificationsEnv;
  logger: Logger;
  metrics: Registry;
  /** Builds the handler every notification goes to (e.g. map with the formats lib and produce). */
  handler: { inject?: InjectionToken[]; useFactory: (...deps: never[]) => NotificationHandler };
  /** Modules the handler factory needs. */
  imports?: ModuleMetadata['imports'];
}

@Injectable()
export class NotificationsLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private runner: NotificationsRunner | undefined;
  private closeClient: (() => Promise<void>) | undefined;

  constructor(
    @Inject(NOTIFICATIONS_OPTIONS) private readonly options: NotificationsModuleOptions,
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(NOTIFICATION_HANDLER) private readonly handler: NotificationHandler,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { env, metrics } = this.options;
    if (!env.GENESYS_NOTIFICATIONS_ENABLED) return;
    const logger = this.options.logger.child({ context: 'NotificationsSubscriber' });
    if (env.GENESYS_NOTIFICATION_TOPICS.length === 0) {
      logger.warn('notifications enabled without GENESYS_NOTIFICATION_TOPICS; not subscribing');
      return;
    }
    const client = genesysClientFromEnv(env, logger);
    this.closeClient = () => client.close();
    this.runner = new NotificationsRunner({
      kafka: this.kafka,
      api: client,
      topics: env.GENESYS_NOTIFICATION_TOPICS,
      handler: this.handler,
      logger,
      metrics,
      leaseTopic: env.GENESYS_NOTIFICATIONS_LEASE_TOPIC,
      leaseGroupId: env.GENESYS_NOTIFICATIONS_LEASE_GROUP_ID,
      leaseSessionTimeoutMs: env.GENESYS_NOTIFICATIONS_LEASE_SESSION_TIMEOUT_MS,
      backfill: env.GENESYS_NOTIFICATIONS_BACKFILL,
      renewBeforeMs: env.GENESYS_NOTIFICATIONS_RENEW_BEFORE_MS,
      idleTimeoutMs: env.GENESYS_NOTIFICATIONS_IDLE_TIMEOUT_MS,
      reconnectMaxDelayMs: env.GENESYS_NOTIFICATIONS_RECONNECT_MAX_DELAY_MS,
    });
    await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner?.stop();
    await this.closeClient?.();
  }
}

@Module({})
export class NotificationsModule {
  static forRoot(options: NotificationsModuleOptions): DynamicModule {
    return {
      module: NotificationsModule,
      imports: options.imports ?? [],
      providers: [
        { provide: NOTIFICATIONS_OPTIONS, useValue: options },
        {
          provide: NOTIFICATION_HANDLER,
          inject: options.handler.inject ?? [],
          useFactory: options.handler.useFactory as (...deps: unknown[]) => NotificationHandler,
        },
        NotificationsLifecycle,
      ],
    };
  }
}
