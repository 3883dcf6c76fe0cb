// What can be injected, as accepted by SIMULATOR_FAULTS (JSON) and POST /__admin/faults.
import { z } from 'zod';

const provider = z.enum(['salesforce', 'dynamics']);
/** A fault applies to the next `count` matching requests, or for `durationSeconds`, or (neither) until cleared. */
const window = {
  count: z.number().int().positive().optional(),
  durationSeconds: z.number().positive().optional(),
};

export const burstSchema = z.object({
  provider: provider.optional(),
  status: z.union([z.literal(403), z.literal(429), z.literal(500), z.literal(502), z.literal(503)]),
  retryAfterSeconds: z.number().int().nonnegative().default(1),
  ...window,
});

export const lockRowSchema = z.object({ recordId: z.string().optional(), ...window });

export const fieldErrorSchema = z.object({
  provider: provider.optional(),
  field: z.string().min(1),
  errorCode: z.string().min(1).default('FIELD_CUSTOM_VALIDATION_EXCEPTION'),
  message: z.string().optional(),
  ...window,
});

export const tokenErrorSchema = z.object({
  provider: provider.optional(),
  error: z.enum(['invalid_grant', 'invalid_client', 'server_error']),
  ...window,
});

export const faultConfigSchema = z.object({
  /** Salesforce sessions last this long (no expires_in is sent); Dynamics tokens too (sent as expires_in). */
  tokenTtlSeconds: z
    .object({ salesforce: z.number().positive().optional(), dynamics: z.number().positive().optional() })
    .default({}),
  /** Every Salesforce 401 says "not valid for use with the REST API", which no refresh fixes. */
  sessionInvalidForRest: z.boolean().default(false),
  tokenErrors: z.array(tokenErrorSchema).default([]),
  bursts: z.array(burstSchema).default([]),
  latency: z
    .object({ fixedMs: z.number().nonnegative().default(0), jitterMs: z.number().nonnegative().default(0) })
    .default({ fixedMs: 0, jitterMs: 0 }),
  lockRow: z.array(lockRowSchema).default([]),
  fieldErrors: z.array(fieldErrorSchema).default([]),
  /** Salesforce daily API allocation reported in Sforce-Limit-Info; exhausted → 403 REQUEST_LIMIT_EXCEEDED. */
  dailyApiLimit: z.number().int().positive().optional(),
  /** Starting usage for the daily counter (e.g. to test slowing near the limit). */
  apiUsage: z.number().int().nonnegative().optional(),
});

export type FaultConfig = z.output<typeof faultConfigSchema>;
export type FaultConfigInput = z.input<typeof faultConfigSchema>;
export type BurstFault = z.output<typeof burstSchema>;
export type FieldErrorFault = z.output<typeof fieldErrorSchema>;
export type TokenErrorFault = z.output<typeof tokenErrorSchema>;
