import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfigOrExit } from '@crm/config';
import { createLogger, createMetricsRegistry, HealthRegistry } from '@crm/observability';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { AppModule, SERVICE } from './app.module';
import { envSchema } from './config/env.schema';
import { configureIngestHttp, ingestAdapter } from './http/ingest-http.setup';
import { INGEST_SETTINGS, type IngestSettings } from './ingest/ingest-settings';
import { notificationPublisher } from './notifications/notification-publisher.factory';
import { NotificationsModule } from './notifications/notifications.module';
import { PollerModule } from './poller/poller.module';
import { ConversationEventPublisher } from './publish/conversation-event.publisher';

async function bootstrap(): Promise<void> {
  const env = loadConfigOrExit(SERVICE, envSchema);
  const logger = createLogger({ service: SERVICE, level: env.LOG_LEVEL, format: env.LOG_FORMAT });
  const metrics = createMetricsRegistry(SERVICE);
  // The analytics poller runs inside ingest; it stays idle unless GENESYS_POLLER_ENABLED=true.
  const poller = PollerModule.forRoot({ env, logger, metrics });
  // The Notifications WebSocket (one lease holder at a time); idle unless GENESYS_NOTIFICATIONS_ENABLED=true.
  const notifications = NotificationsModule.forRoot({
    env,
    logger,
    metrics,
    handler: {
      inject: [ConversationEventPublisher, INGEST_SETTINGS],
      useFactory: (publisher: ConversationEventPublisher, settings: IngestSettings) =>
        notificationPublisher(publisher, settings, logger.child({ component: 'notifications' })),
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(env, logger, metrics, new HealthRegistry(), [poller, notifications]),
    ingestAdapter(env),
    { bufferLogs: true, bodyParser: false },
  );
  app.useLogger(app.get(PinoNestLogger));
  configureIngestHttp(app, env, logger.child({ component: 'http' }));
  // SIGTERM: readiness drops, the publisher drains what it holds, the server closes, then the producer.
  app.enableShutdownHooks();
  await app.listen({ port: env.PORT, host: env.HOST });
  logger.info({ port: env.PORT, topic: env.INGEST_TOPIC }, 'listening');
}

void bootstrap();
