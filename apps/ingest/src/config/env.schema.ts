// Every variable this app reads, validated once at boot (README "Configuration").
import { booleanFlag, checkKafkaEnv, commaList, integer, kafkaEnvShape, serviceEnvShape } from '@crm/config';
import { Topics } from '@crm/contracts';
import { z } from 'zod';
import { notificationsEnvShape } from '../notifications/notifications.env';
import { checkGenesysEnv, genesysConnectionEnvShape, pollerEnvShape } from '../poller/poller.env';

export const envSchema = z
  .object({
    ...serviceEnvShape(3000),
    ...kafkaEnvShape,
    /** Accepted bearer tokens, comma-separated. */
    INGEST_BEARER_TOKENS: commaList().default([]),
    /** Shared secret for `x-signature: sha256=<hex>` over `<timestamp>.<raw body>`. */
    INGEST_HMAC_SECRET: z.string().min(16, 'at least 16 characters').optional(),
    INGEST_HMAC_TOLERANCE_SECONDS: integer(300, { min: 1, max: 86_400 }),
    INGEST_BODY_LIMIT_BYTES: integer(1_048_576, { min: 1024, max: 64 * 1_048_576 }),
    INGEST_MAX_EVENTS_PER_REQUEST: integer(500, { min: 1, max: 10_000 }),
    INGEST_CONTACT_ID_ATTRIBUTES: commaList().default(['SF_ContactId']),
    INGEST_ACCEPT_GUIDE_FORMAT: booleanFlag(true),
    /** Topic override for isolated benchmarks and tests; production keeps the contract topic. */
    INGEST_TOPIC: z.string().min(1).default(Topics.conversationEvents),
    /** A send not acknowledged within this answers 503 (the idempotent producer itself retries forever). */
    INGEST_SEND_TIMEOUT_MS: integer(5_000, { min: 100, max: 120_000 }),
    /** Records queued or in flight beyond which requests are refused with 503 (saturation). */
    INGEST_MAX_PENDING_RECORDS: integer(20_000, { min: 1 }),
    INGEST_MAX_BATCH_RECORDS: integer(2_000, { min: 1 }),
    /** Concurrent shared sends. kafkajs serialises idempotent produce requests per broker, so more than 1 mostly shrinks batches. */
    INGEST_PRODUCE_CONCURRENCY: integer(1, { min: 1, max: 5 }),
    /** Wait this long for more requests before sending a batch; 0 sends what queued during the previous send. */
    INGEST_LINGER_MS: integer(0, { min: 0, max: 100 }),
    INGEST_RETRY_AFTER_SECONDS: integer(5, { min: 1, max: 3600 }),
    /** How often readiness asks the broker for metadata (the producer itself never reports a lost broker). */
    INGEST_BROKER_PROBE_INTERVAL_MS: integer(2_000, { min: 100, max: 60_000 }),
    ...genesysConnectionEnvShape,
    ...pollerEnvShape,
    ...notificationsEnvShape,
  })
  .superRefine(checkKafkaEnv)
  .superRefine(checkGenesysEnv)
  .superRefine((env, ctx) => {
    if (env.INGEST_BEARER_TOKENS.length === 0 && env.INGEST_HMAC_SECRET === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['INGEST_BEARER_TOKENS'],
        message:
          'no authentication configured: set INGEST_BEARER_TOKENS and/or INGEST_HMAC_SECRET (ingest never accepts unauthenticated events)',
      });
    }
  });

export type AppEnv = z.output<typeof envSchema>;
