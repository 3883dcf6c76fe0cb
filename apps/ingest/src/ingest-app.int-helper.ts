// Starts the real ingest app in-process on a random port for integration tests (and for the lead's
// broker stop/restart test): real KafkaModule, real registry, the test's own topic.
import { type AddressInfo } from 'node:net';
import { Test } from '@nestjs/testing';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@crm/config';
import { KafkaLifecycle } from '@crm/kafka-nest';
import { createLogger, createMetricsRegistry, HealthRegistry } from '@crm/observability';
import { stackEnv } from '@crm/testing';
import { type Registry } from 'prom-client';
import { AppModule, SERVICE } from './app.module';
import { type AppEnv, envSchema } from './config/env.schema';
import { configureIngestHttp, ingestAdapter } from './http/ingest-http.setup';

export const TEST_TOKEN = 'integration-test-token';
export const TEST_HMAC_SECRET = 'integration-test-hmac-secret';

export interface RunningIngest {
  url: string;
  env: AppEnv;
  metrics: Registry;
  health: HealthRegistry;
  close(): Promise<void>;
}

export interface StartOptions {
  topic: string;
  env?: Record<string, string>;
  /** Skip the producer connect (and topic provisioning): the broker is meant to be unreachable. */
  withoutBrokerConnect?: boolean;
}

export async function startIngest(options: StartOptions): Promise<RunningIngest> {
  const stack = stackEnv();
  const env = loadConfig(SERVICE, envSchema, {
    KAFKA_BROKERS: stack.brokers.join(','),
    SCHEMA_REGISTRY_URL: stack.registryUrl,
    INGEST_BEARER_TOKENS: TEST_TOKEN,
    INGEST_HMAC_SECRET: TEST_HMAC_SECRET,
    INGEST_TOPIC: options.topic,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const metrics = createMetricsRegistry(SERVICE);
  const health = new HealthRegistry();
  const logger = createLogger({ service: SERVICE, level: env.LOG_LEVEL, format: 'json' });
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(env, logger, metrics, health)] });
  if (options.withoutBrokerConnect) {
    builder = builder.overrideProvider(KafkaLifecycle).useValue({
      onModuleInit: () => health.register('kafka-producer', () => false),
    });
  }
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(ingestAdapter(env), {
    bodyParser: false,
  });
  configureIngestHttp(app, env);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, env, metrics, health, close: () => app.close() };
}
