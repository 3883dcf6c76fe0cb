import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfigOrExit } from '@crm/config';
import { createLogger, createMetricsRegistry, HealthRegistry } from '@crm/observability';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { envSchema } from './config/env.schema';
import { loadExtractionOrExit } from './config/extraction-config.loader';

const SERVICE = 'extractor';

async function bootstrap(): Promise<void> {
  const env = loadConfigOrExit(SERVICE, envSchema);
  const logger = createLogger({ service: SERVICE, level: env.LOG_LEVEL, format: env.LOG_FORMAT });
  // Bad definitions or catalogue: a readable message and a non-zero exit before anything connects.
  const extraction = loadExtractionOrExit({
    definitionsFile: env.ENTITY_DEFINITIONS_FILE,
    catalogueFile: env.PRODUCT_CATALOGUE_FILE,
    defaultRegion: env.DEFAULT_PHONE_REGION,
    agentMentionsCount: env.EXTRACTOR_AGENT_MENTIONS_COUNT,
  });
  logger.info(
    { definitionsVersion: extraction.definitionsVersion, definitions: extraction.definitions.length },
    'entity definitions loaded',
  );
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(env, extraction, logger, createMetricsRegistry(SERVICE), new HealthRegistry()),
    new FastifyAdapter(),
    { bufferLogs: true },
  );
  app.useLogger(app.get(PinoNestLogger));
  app.enableShutdownHooks();
  await app.listen({ port: env.PORT, host: env.HOST });
  logger.info({ port: env.PORT }, 'listening');
}

void bootstrap();
