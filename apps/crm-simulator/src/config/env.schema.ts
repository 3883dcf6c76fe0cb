// Every variable this app reads, validated once at boot (README "Configuration").
import { commaList, integer, serviceEnvShape } from '@crm/config';
import { z } from 'zod';
import { faultConfigSchema } from '../faults/fault-config';

const faultsJson = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (raw === undefined || raw.trim() === '') return faultConfigSchema.parse({});
    try {
      return faultConfigSchema.parse(JSON.parse(raw));
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected a JSON fault configuration (README "Faults")' });
      return z.NEVER;
    }
  });

const optionalSeconds = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) {
      ctx.addIssue({ code: 'custom', message: 'expected a positive number of seconds' });
      return z.NEVER;
    }
    return value;
  });

export const envSchema = z.object({
  ...serviceEnvShape(3100),
  SIMULATOR_SALESFORCE_CLIENT_ID: z.string().min(1).default('sim-salesforce-client'),
  SIMULATOR_SALESFORCE_CLIENT_SECRET: z.string().min(1).default('sim-salesforce-secret'),
  SIMULATOR_SALESFORCE_REFRESH_TOKEN: z.string().min(1).default('sim-salesforce-refresh-token'),
  SIMULATOR_SALESFORCE_UPSERT_UPDATE_STATUS: z
    .enum(['200', '204'])
    .default('200')
    .transform(Number)
    .pipe(z.union([z.literal(200), z.literal(204)])),
  SIMULATOR_SALESFORCE_EXTERNAL_ID_FIELDS: commaList().default(['Last_Conversation_Id__c', 'Account_Id__c']),
  SIMULATOR_DYNAMICS_CLIENT_ID: z.string().min(1).default('sim-dynamics-client'),
  SIMULATOR_DYNAMICS_CLIENT_SECRET: z.string().min(1).default('sim-dynamics-secret'),
  /** Alternate keys on contact: keys separated by ';', columns of one key by ','. */
  SIMULATOR_DYNAMICS_ALTERNATE_KEYS: z
    .string()
    .default('emailaddress1;telephone1')
    .transform((raw) =>
      raw
        .split(';')
        .map((key) =>
          key
            .split(',')
            .map((column) => column.trim())
            .filter((column) => column !== ''),
        )
        .filter((key) => key.length > 0),
    ),
  SIMULATOR_SEED: z.enum(['demo', 'empty']).default('demo'),
  SIMULATOR_TOKEN_TTL_SECONDS_SALESFORCE: optionalSeconds,
  SIMULATOR_TOKEN_TTL_SECONDS_DYNAMICS: optionalSeconds,
  SIMULATOR_LATENCY_MS: integer(0),
  SIMULATOR_LATENCY_JITTER_MS: integer(0),
  SIMULATOR_DAILY_API_LIMIT: integer(15_000, { min: 1 }),
  /** Any fault of the admin API's PUT /__admin/faults body, as JSON; the variables above override its fields. */
  SIMULATOR_FAULTS: faultsJson,
});

export type AppEnv = z.output<typeof envSchema>;
