// The extractor process without its signal handling: probes and scrape on node:http, then the
// Kafka runtime. main.ts runs it with the contract topics; the benchmark runs the same composition
// on throw-away topics, so the memory it measures is the service's (README "Why no Nest").
import { TOPIC_SPECS } from '@crm/contracts';
import {
  createMetricsRegistry,
  type HealthServer,
  HealthRegistry,
  type Logger,
  startHealthServer,
} from '@crm/observability';
import { type AppEnv } from './config/env.schema';
import { type LoadedExtraction } from './config/extraction-config.loader';
import { DEFAULT_EXTRACTOR_TOPICS, type ExtractorTopics } from './extraction/extractor-topics';
import { ExtractorRuntime, SERVICE } from './extraction/extractor.runtime';

export interface ExtractorAppOverrides {
  /** Throw-away topics (benchmark, tests): nothing is provisioned. Default: the contract topics. */
  readonly topics?: ExtractorTopics;
  readonly maxBytesPerPartition?: number;
}

export interface ExtractorApp {
  readonly runtime: ExtractorRuntime;
  readonly http: HealthServer;
  /** Not ready, drain and leave the group, disconnect, then close the HTTP server. */
  stop(): Promise<void>;
}

const OWN_TOPICS = new Set<string>(Object.values(DEFAULT_EXTRACTOR_TOPICS));

export async function startExtractorApp(
  env: AppEnv,
  extraction: LoadedExtraction,
  logger: Logger,
  overrides: ExtractorAppOverrides = {},
): Promise<ExtractorApp> {
  const metrics = createMetricsRegistry(SERVICE);
  const health = new HealthRegistry();
  const runtime = new ExtractorRuntime({
    env,
    extractor: extraction.extractor,
    topics: overrides.topics ?? DEFAULT_EXTRACTOR_TOPICS,
    provision: overrides.topics ? [] : TOPIC_SPECS.filter((spec) => OWN_TOPICS.has(spec.name)),
    logger,
    metrics,
    health,
    ...(overrides.maxBytesPerPartition === undefined
      ? {}
      : { maxBytesPerPartition: overrides.maxBytesPerPartition }),
  });
  // HTTP first: liveness answers while Kafka connects, readiness says 503 until it has.
  const http = await startHealthServer({ health, metrics, port: env.PORT, host: env.HOST, logger });
  logger.info({ port: http.port }, 'listening');
  try {
    await runtime.start();
  } catch (error) {
    // Whatever did start (the producer, the group membership) is let go before the error surfaces.
    await runtime.stop().catch(() => undefined);
    await http.close().catch(() => undefined);
    throw error;
  }
  return {
    runtime,
    http,
    async stop() {
      try {
        await runtime.stop();
      } finally {
        await http.close();
      }
    },
  };
}
