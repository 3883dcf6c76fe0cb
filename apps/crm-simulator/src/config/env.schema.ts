// Every variable this app reads, validated once at boot (README "Configuration").
import { logFormat, logLevel, port } from '@crm/config';
import { z } from 'zod';

export const envSchema = z.object({
  PORT: port(3100),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: logLevel(),
  LOG_FORMAT: logFormat(),
});

export type AppEnv = z.output<typeof envSchema>;
