import { loadConfigOrExit } from '@crm/config';
import { onShutdown } from '@crm/kafka-core';
import { createLogger } from '@crm/observability';
import { envSchema } from './config/env.schema';
import { loadExtractionOrExit } from './config/extraction-config.loader';
import { startExtractorApp } from './extractor.app';
import { SERVICE } from './extraction/extractor.runtime';

async function main(): Promise<void> {
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
  try {
    const app = await startExtractorApp(env, extraction, logger);
    onShutdown(logger, [{ name: 'extractor', close: () => app.stop() }]);
  } catch (error) {
    logger.fatal({ err: error }, 'start-up failed');
    process.exit(1);
  }
}

void main();
