// Every variable this app reads, validated once at boot (README "Configuration").
import { checkKafkaEnv, decimal, httpUrl, integer, kafkaEnvShape, serviceEnvShape } from '@crm/config';
import { Topics } from '@crm/contracts';
import { z } from 'zod';

export const envSchema = z
  .object({
    ...serviceEnvShape(3003),
    ...kafkaEnvShape,
    CRM_PROVIDER: z.enum(['salesforce', 'dynamics']).default('salesforce'),
    SALESFORCE_INSTANCE_URL: httpUrl().optional(),
    SALESFORCE_TOKEN_URL: httpUrl().optional(),
    SALESFORCE_CLIENT_ID: z.string().min(1).optional(),
    SALESFORCE_CLIENT_SECRET: z.string().min(1).optional(),
    SALESFORCE_API_VERSION: z
      .string()
      .regex(/^\d+\.\d$/, 'expected e.g. 62.0')
      .default('62.0'),
    DYNAMICS_URL: httpUrl().optional(),
    DYNAMICS_TOKEN_URL: httpUrl().optional(),
    DYNAMICS_CLIENT_ID: z.string().min(1).optional(),
    DYNAMICS_CLIENT_SECRET: z.string().min(1).optional(),
    FIELD_MAPPING_FILE: z.string().min(1).default('config/field-mapping.json'),
    ALERT_WEBHOOK_URL: httpUrl().optional(),
    CRM_TIMEOUT_MS: integer(10_000, { min: 100 }),
    /** Org-wide budget; each instance takes its partition share of it. */
    CRM_RATE_PER_SECOND: decimal(20, { min: 0.01 }),
    CRM_RATE_BURST: integer(20, { min: 1 }),
    CRM_MAX_CONCURRENT: integer(10, { min: 1 }),
    CRM_DAILY_SLOWDOWN_FRACTION: decimal(0.8, { min: 0, max: 1 }),
    CRM_BREAKER_ERROR_PERCENT: integer(50, { min: 1, max: 100 }),
    CRM_BREAKER_VOLUME: integer(10, { min: 1 }),
    CRM_BREAKER_RESET_MS: integer(30_000, { min: 100 }),
    CRM_RETRY_MAX_ATTEMPTS: integer(5, { min: 1, max: 50 }),
    CRM_RETRY_BASE_MS: integer(500, { min: 1 }),
    CRM_RETRY_MAX_MS: integer(30_000, { min: 1 }),
    /** Records per multi-record read and sObject Collections / $batch write (collections take ≤200). */
    CRM_BATCH_SIZE: integer(50, { min: 1, max: 200 }),
    /** How long the apply stage waits for other partitions' updates to join a batch. */
    CRM_BATCH_LINGER_MS: integer(20, { min: 0 }),
    /** Oldest read an unconditional (Salesforce collection) write may rely on; older → conditional single PATCH. */
    CRM_BATCH_MAX_UNCONDITIONAL_AGE_MS: integer(1_000, { min: 0 }),
    CONTACT_LOOKUP_TTL_MS: integer(300_000, { min: 0 }),
    CRM_WRITER_GROUP_PREFIX: z.string().min(1).default('crm-writer'),
    /** Topic names (defaults: the contract topics); tests point a spawned writer at topics of their own. */
    CRM_WRITER_REQUESTS_TOPIC: z.string().min(1).default(Topics.contactUpdateRequested),
    CRM_WRITER_BY_RECORD_TOPIC: z.string().min(1).default(Topics.contactUpdateByRecord),
    CRM_WRITER_RESULTS_TOPIC: z.string().min(1).default(Topics.contactUpdateResult),
    CRM_WRITER_DEAD_LETTER_TOPIC: z.string().min(1).default(Topics.deadLetter),
    CRM_WRITER_STATE_TOPIC: z.string().min(1).default(Topics.crmWriteState),
  })
  .superRefine(checkKafkaEnv)
  .superRefine((env, ctx) => {
    const needed =
      env.CRM_PROVIDER === 'salesforce'
        ? ([
            'SALESFORCE_INSTANCE_URL',
            'SALESFORCE_TOKEN_URL',
            'SALESFORCE_CLIENT_ID',
            'SALESFORCE_CLIENT_SECRET',
          ] as const)
        : (['DYNAMICS_URL', 'DYNAMICS_TOKEN_URL', 'DYNAMICS_CLIENT_ID', 'DYNAMICS_CLIENT_SECRET'] as const);
    for (const name of needed) {
      if (env[name] === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `required when CRM_PROVIDER=${env.CRM_PROVIDER}`,
        });
    }
  });

export type AppEnv = z.output<typeof envSchema>;
