// Every variable the replay tool reads, validated once at start (README "Configuration").
import { checkKafkaEnv, kafkaEnvShape, logLevel } from '@crm/config';
import { Topics } from '@crm/contracts';
import { z } from 'zod';

export const envSchema = z
  .object({
    ...kafkaEnvShape,
    LOG_LEVEL: logLevel(),
    /** Where replay checkpoints are kept (`<dir>/<replay-id>.json`). */
    REPLAY_CHECKPOINT_DIR: z.string().min(1).default('.replay'),
    /** Consumer groups of replay runs are `<prefix>-<run id>`, deleted when the run completes. */
    REPLAY_GROUP_PREFIX: z.string().min(1).default('replay'),
    /** Topics the commands read by default (tests point the tool at topics of their own). */
    REPLAY_DEAD_LETTER_TOPIC: z.string().min(1).default(Topics.deadLetter),
    REPLAY_EVENTS_TOPIC: z.string().min(1).default(Topics.conversationEvents),
    REPLAY_REQUESTS_TOPIC: z.string().min(1).default(Topics.contactUpdateRequested),
    ENTITY_DEFINITIONS_FILE: z.string().min(1).default('config/entity-definitions.json'),
    PRODUCT_CATALOGUE_FILE: z.string().min(1).default('config/product-catalogue.json'),
    DEFAULT_PHONE_REGION: z
      .string()
      .regex(/^[A-Z]{2}$/, 'expected an ISO 3166 alpha-2 region, e.g. US')
      .default('US'),
    FIELD_MAPPING_FILE: z.string().min(1).default('config/field-mapping.json'),
  })
  .superRefine(checkKafkaEnv);

export type AppEnv = z.output<typeof envSchema>;
