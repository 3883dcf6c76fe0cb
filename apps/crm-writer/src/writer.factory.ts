// Builds the writer from validated settings: CRM client with metrics hooks, Kafka clients, pipeline.
import { readFileSync } from 'node:fs';
import { type CrmClient, createCrmClient, parseFieldMapping } from '@crm/crm';
import { AvroSerde, createIdempotentProducer, createKafka, kafkaConfigFrom } from '@crm/kafka-core';
import { type Logger } from '@crm/observability';
import { type Dispatcher } from 'undici';
import { type Registry } from 'prom-client';
import { AlertWebhook } from './alert/alert-webhook';
import { type AppEnv } from './config/env.schema';
import { CrmCallCounter } from './crm-call.counter';
import { WriterMetrics } from './crm-writer.metrics';
import { SERVICE, type WriterTopics, WriterPipeline } from './writer.pipeline';

export interface WriterOverrides {
  topics?: WriterTopics;
  dispatcher?: Dispatcher;
}

export function createWriter(
  env: AppEnv,
  logger: Logger,
  registry: Registry,
  overrides: WriterOverrides = {},
): { pipeline: WriterPipeline; crm: CrmClient } {
  const mapping = parseFieldMapping(JSON.parse(readFileSync(env.FIELD_MAPPING_FILE, 'utf8')));
  const provider = env.CRM_PROVIDER;
  const providerMapping = mapping[provider];
  const metrics = new WriterMetrics(registry);
  const counter = new CrmCallCounter();
  const sf = provider === 'salesforce';
  const crm = createCrmClient({
    provider,
    baseUrl: (sf ? env.SALESFORCE_INSTANCE_URL : env.DYNAMICS_URL)!,
    tokenUrl: (sf ? env.SALESFORCE_TOKEN_URL : env.DYNAMICS_TOKEN_URL)!,
    clientId: (sf ? env.SALESFORCE_CLIENT_ID : env.DYNAMICS_CLIENT_ID)!,
    clientSecret: (sf ? env.SALESFORCE_CLIENT_SECRET : env.DYNAMICS_CLIENT_SECRET)!,
    apiVersion: env.SALESFORCE_API_VERSION,
    timeoutMs: env.CRM_TIMEOUT_MS,
    rateLimit: {
      ratePerSecond: env.CRM_RATE_PER_SECOND,
      burst: env.CRM_RATE_BURST,
      maxConcurrent: env.CRM_MAX_CONCURRENT,
      slowdownFromFraction: env.CRM_DAILY_SLOWDOWN_FRACTION,
    },
    breaker: {
      errorThresholdPercentage: env.CRM_BREAKER_ERROR_PERCENT,
      volumeThreshold: env.CRM_BREAKER_VOLUME,
      resetTimeoutMs: env.CRM_BREAKER_RESET_MS,
    },
    mapping: providerMapping,
    ...(overrides.dispatcher ? { dispatcher: overrides.dispatcher } : {}),
    observer: {
      request: (p, operation, status, seconds) => {
        metrics.request(p, operation, status, seconds);
        counter.increment();
      },
      rateLimited: (p) => metrics.rateLimited(p),
      tokenRefresh: (p, outcome) => metrics.tokenRefresh(p, outcome),
    },
  });
  const kafka = createKafka(kafkaConfigFrom(env, SERVICE), logger);
  const pipeline = new WriterPipeline({
    kafka,
    // Resolve and apply stages send at the same time: a producer each.
    producer: createIdempotentProducer(kafka, {
      concurrency: 2,
      onRenew: (error) =>
        logger.warn({ err: error }, 'a send failed and may have been written; its producer was replaced'),
    }),
    serde: AvroSerde.connect({
      url: env.SCHEMA_REGISTRY_URL,
      username: env.SCHEMA_REGISTRY_USERNAME,
      password: env.SCHEMA_REGISTRY_PASSWORD,
    }),
    logger,
    registry,
    metrics,
    crm,
    provider,
    mapping: providerMapping,
    alert: new AlertWebhook(env.ALERT_WEBHOOK_URL, logger),
    callCounter: counter,
    groupPrefix: env.CRM_WRITER_GROUP_PREFIX,
    retry: {
      maxAttempts: env.CRM_RETRY_MAX_ATTEMPTS,
      baseDelayMs: env.CRM_RETRY_BASE_MS,
      maxDelayMs: env.CRM_RETRY_MAX_MS,
    },
    lookupTtlMs: env.CONTACT_LOOKUP_TTL_MS,
    batch: {
      size: env.CRM_BATCH_SIZE,
      lingerMs: env.CRM_BATCH_LINGER_MS,
      maxUnconditionalAgeMs: env.CRM_BATCH_MAX_UNCONDITIONAL_AGE_MS,
    },
    topics: overrides.topics ?? {
      requests: env.CRM_WRITER_REQUESTS_TOPIC,
      byRecord: env.CRM_WRITER_BY_RECORD_TOPIC,
      results: env.CRM_WRITER_RESULTS_TOPIC,
      deadLetter: env.CRM_WRITER_DEAD_LETTER_TOPIC,
      writeState: env.CRM_WRITER_STATE_TOPIC,
    },
  });
  return { pipeline, crm };
}
