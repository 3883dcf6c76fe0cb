// Kafka and schema-registry variables shared by every service (DESIGN.md §7, §10).
import { z } from 'zod';
import { booleanFlag, commaList, httpUrl, integer } from './env-fields';

export const kafkaEnvShape = {
  KAFKA_BROKERS: commaList().pipe(
    z.array(z.string().regex(/^[^:\s]+:\d+$/, 'expected host:port')).min(1, 'at least one broker'),
  ),
  KAFKA_CLIENT_ID: z.string().min(1).optional(),
  KAFKA_SSL: booleanFlag(false),
  KAFKA_SSL_CA_FILE: z.string().min(1).optional(),
  KAFKA_SSL_REJECT_UNAUTHORIZED: booleanFlag(true),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  KAFKA_CONNECTION_TIMEOUT_MS: integer(3000, { min: 100 }),
  KAFKA_REQUEST_TIMEOUT_MS: integer(30000, { min: 100 }),
  KAFKA_TOPIC_PARTITIONS: integer(6, { min: 1, max: 10000 }),
  KAFKA_REPLICATION_FACTOR: integer(1, { min: 1, max: 10 }),
  SCHEMA_REGISTRY_URL: httpUrl(),
  SCHEMA_REGISTRY_USERNAME: z.string().min(1).optional(),
  SCHEMA_REGISTRY_PASSWORD: z.string().min(1).optional(),
};

const kafkaEnvObject = z.object(kafkaEnvShape);

/** Cross-field rules: SASL needs all three settings. */
export function checkKafkaEnv(env: z.output<typeof kafkaEnvObject>, ctx: z.RefinementCtx): void {
  const sasl = [env.KAFKA_SASL_MECHANISM, env.KAFKA_SASL_USERNAME, env.KAFKA_SASL_PASSWORD];
  if (sasl.some((value) => value !== undefined) && sasl.some((value) => value === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['KAFKA_SASL_MECHANISM'],
      message: 'KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD go together',
    });
  }
}

export const kafkaEnvSchema = kafkaEnvObject.superRefine(checkKafkaEnv);
export type KafkaEnv = z.output<typeof kafkaEnvSchema>;
