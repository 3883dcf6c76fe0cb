import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { topicSpec, Topics } from '@crm/contracts';
import { KafkaModule } from '@crm/kafka-nest';
import { HealthRegistry, type Logger } from '@crm/observability';
import { HealthModule } from '@crm/observability/nest';
import { LoggerModule } from 'nestjs-pino';
import { type Registry } from 'prom-client';
import { type AppEnv } from './config/env.schema';
import { IngestModule } from './ingest/ingest.module';

export const SERVICE = 'ingest';

@Module({})
export class AppModule {
  /** `extra` takes further feature modules (the Notifications subscriber, the poller). */
  static forRoot(
    env: AppEnv,
    logger: Logger,
    metrics: Registry,
    health: HealthRegistry,
    extra: ModuleMetadata['imports'] = [],
  ): DynamicModule {
    const spec = topicSpec(Topics.conversationEvents);
    return {
      module: AppModule,
      imports: [
        // No pino-http middleware: ingest logs nothing per request, and the middleware's per-request
        // child logger and AsyncLocalStorage cost more CPU than the rest of the request path.
        LoggerModule.forRoot({ pinoHttp: { logger, autoLogging: false }, forRoutes: [] }),
        HealthModule.forRoot(health, metrics),
        KafkaModule.forRoot({
          service: SERVICE,
          env,
          logger,
          provision: [
            { name: env.INGEST_TOPIC, cleanupPolicy: spec.cleanupPolicy, retentionMs: spec.retentionMs },
          ],
          // A producer per concurrent send (the poller shares them).
          producerConcurrency: env.INGEST_PRODUCE_CONCURRENCY,
        }),
        IngestModule.forRoot(env),
        ...extra,
      ],
    };
  }
}
