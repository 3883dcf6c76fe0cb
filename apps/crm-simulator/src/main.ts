import 'reflect-metadata';
import { loadConfigOrExit } from '@crm/config';
import { createLogger } from '@crm/observability';
import { envSchema } from './config/env.schema';
import { createSimulatorApp, SERVICE } from './create-app';

async function bootstrap(): Promise<void> {
  const env = loadConfigOrExit(SERVICE, envSchema);
  const logger = createLogger({ service: SERVICE, level: env.LOG_LEVEL, format: env.LOG_FORMAT });
  const { app } = await createSimulatorApp(env, logger);
  app.enableShutdownHooks();
  await app.listen({ port: env.PORT, host: env.HOST });
  logger.info({ port: env.PORT }, 'listening');
}

void bootstrap();
