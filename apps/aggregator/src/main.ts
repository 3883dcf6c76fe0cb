import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfigOrExit } from '@crm/config';
import { createLogger, createMetricsRegistry, HealthRegistry } from '@crm/observability';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { envSchema } from './config/env.schema';

const SERVICE = 'aggregator';

async function bootstrap(): Promise<void> {
  const env = loadConfigOrExit(SERVICE, envSchema);
  const logger = createLogger({ service: SERVICE, level: env.LOG_LEVEL, format: env.LOG_FORMAT });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(env, logger, createMetricsRegistry(SERVICE), new HealthRegistry()),
    new FastifyAdapter(),
    { bufferLogs: true },
  );
  app.useLogger(app.get(PinoNestLogger));
  app.enableShutdownHooks();
  await app.listen({ port: env.PORT, host: env.HOST });
  logger.info({ port: env.PORT }, 'listening');
}

void bootstrap();
