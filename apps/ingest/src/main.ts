import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfigOrExit } from '@crm/config';
import { createLogger, createMetricsRegistry, HealthRegistry } from '@crm/observability';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { AppModule, SERVICE } from './app.module';
import { envSchema } from './config/env.schema';
import { configureIngestHttp, ingestAdapter } from './http/ingest-http.setup';

async function bootstrap(): Promise<void> {
  const env = loadConfigOrExit(SERVICE, envSchema);
  const logger = createLogger({ service: SERVICE, level: env.LOG_LEVEL, format: env.LOG_FORMAT });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(env, logger, createMetricsRegistry(SERVICE), new HealthRegistry()),
    ingestAdapter(env),
    { bufferLogs: true, bodyParser: false },
  );
  app.useLogger(app.get(PinoNestLogger));
  configureIngestHttp(app, env);
  // SIGTERM: readiness drops, the publisher drains what it holds, the server closes, then the producer.
  app.enableShutdownHooks();
  await app.listen({ port: env.PORT, host: env.HOST });
  logger.info({ port: env.PORT, topic: env.INGEST_TOPIC }, 'listening');
}

void bootstrap();
