// Every variable this app reads, validated once at boot (README "Configuration").
import { booleanFlag, checkKafkaEnv, integer, kafkaEnvShape, serviceEnvShape } from '@crm/config';
import { z } from 'zod';

export const envSchema = z
  .object({
    ...kafkaEnvShape,
    ...serviceEnvShape(3001),
    ENTITY_DEFINITIONS_FILE: z.string().min(1).default('config/entity-definitions.json'),
    PRODUCT_CATALOGUE_FILE: z.string().min(1).default('config/product-catalogue.json'),
    DEFAULT_PHONE_REGION: z
      .string()
      .regex(/^[A-Z]{2}$/, 'expected an ISO 3166 alpha-2 region, e.g. US')
      .default('US'),
    /** When true, definitions that default to the customer's words also accept the agent's. */
    EXTRACTOR_AGENT_MENTIONS_COUNT: booleanFlag(false),
    EXTRACTOR_GROUP_ID: z.string().min(1).default('extractor'),
    /** Input partitions processed at once by this member; order holds per partition regardless. */
    EXTRACTOR_PARTITION_CONCURRENCY: integer(3, { min: 1, max: 64 }),
  })
  .superRefine(checkKafkaEnv);

export type AppEnv = z.output<typeof envSchema>;
