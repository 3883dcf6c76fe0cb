// Every variable this app reads, validated once at boot (README "Configuration").
import { aggregationPolicySchema, type AggregationPolicy } from '@crm/aggregation';
import { booleanFlag, checkKafkaEnv, integer, kafkaEnvShape, serviceEnvShape } from '@crm/config';
import { Topics } from '@crm/contracts';
import { z } from 'zod';

const optional = () => z.string().optional();

const envObject = z.object({
  ...serviceEnvShape(3002),
  ...kafkaEnvShape,
  AGGREGATOR_GROUP_ID: z.string().min(1).default('aggregator'),
  // Topic names are overridable so integration tests and benchmarks run on throw-away topics.
  AGGREGATOR_INPUT_TOPIC: z.string().min(1).default(Topics.entityExtracted),
  AGGREGATOR_OUTPUT_TOPIC: z.string().min(1).default(Topics.contactUpdateRequested),
  AGGREGATOR_STATE_TOPIC: z.string().min(1).default(Topics.aggregatorState),
  AGGREGATOR_EOS: booleanFlag(true),
  AGGREGATOR_TRANSACTIONAL_ID_PREFIX: z.string().min(1).default('aggregator'),
  AGGREGATOR_TRANSACTION_TIMEOUT_MS: integer(60_000, { min: 1_000, max: 900_000 }),
  AGGREGATOR_TICK_MS: integer(200, { min: 10, max: 10_000 }),
  AGGREGATOR_COMMIT_INTERVAL_MS: integer(100, { min: 0, max: 60_000 }),
  AGGREGATOR_COMMIT_MAX_RECORDS: integer(20_000, { min: 1 }),
  AGGREGATOR_PARTITION_CONCURRENCY: integer(6, { min: 1, max: 64 }),
  AGGREGATOR_MAX_CONVERSATIONS: integer(15_000, { min: 100 }),
  AGGREGATOR_MAX_BYTES_PER_PARTITION: integer(1_048_576, { min: 1_024 }),
  AGGREGATOR_MAX_BYTES: integer(1_048_576, { min: 1_024 }),
  AGGREGATOR_SESSION_TIMEOUT_MS: integer(30_000, { min: 6_000 }),
  AGGREGATOR_PROVISION_TOPICS: booleanFlag(true),
  AGGREGATION_CONTACT_ID_ATTRIBUTE: optional(),
  AGGREGATION_CRM_OBJECT: optional(),
  AGGREGATION_DIGITAL_MEDIA_TYPES: optional(),
  AGGREGATION_DEBOUNCE_MS: optional(),
  AGGREGATION_MAX_WAIT_MS: optional(),
  AGGREGATION_END_GRACE_MS: optional(),
  AGGREGATION_VOICE_MAX_WAIT_MS: optional(),
  AGGREGATION_AMBIGUITY_WINDOW_MS: optional(),
  AGGREGATION_MAX_CANDIDATES_PER_TYPE: optional(),
  AGGREGATION_DEDUPE_CAPACITY: optional(),
  AGGREGATION_ENDED_RETENTION_MS: optional(),
  AGGREGATION_IDLE_RETENTION_MS: optional(),
});

type EnvObject = z.output<typeof envObject>;

function policyInput(env: EnvObject): Record<string, string> {
  const fields: Record<string, string | undefined> = {
    contactIdAttribute: env.AGGREGATION_CONTACT_ID_ATTRIBUTE,
    crmObject: env.AGGREGATION_CRM_OBJECT,
    digitalMediaTypes: env.AGGREGATION_DIGITAL_MEDIA_TYPES,
    debounceMs: env.AGGREGATION_DEBOUNCE_MS,
    maxWaitMs: env.AGGREGATION_MAX_WAIT_MS,
    endGraceMs: env.AGGREGATION_END_GRACE_MS,
    voiceMaxWaitMs: env.AGGREGATION_VOICE_MAX_WAIT_MS,
    ambiguityWindowMs: env.AGGREGATION_AMBIGUITY_WINDOW_MS,
    maxCandidatesPerType: env.AGGREGATION_MAX_CANDIDATES_PER_TYPE,
    dedupeCapacity: env.AGGREGATION_DEDUPE_CAPACITY,
    endedRetentionMs: env.AGGREGATION_ENDED_RETENTION_MS,
    idleRetentionMs: env.AGGREGATION_IDLE_RETENTION_MS,
  };
  const present: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields))
    if (value !== undefined && value !== '') present[name] = value;
  return present;
}

export const envSchema = envObject.superRefine(checkKafkaEnv).transform((env, ctx) => {
  const parsed = aggregationPolicySchema.safeParse(policyInput(env));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      ctx.addIssue({
        code: 'custom',
        path: [`AGGREGATION policy ${issue.path.join('.')}`],
        message: issue.message,
      });
    }
    return z.NEVER;
  }
  const policy: AggregationPolicy = parsed.data;
  return { ...env, policy };
});

export type AppEnv = z.output<typeof envSchema>;
