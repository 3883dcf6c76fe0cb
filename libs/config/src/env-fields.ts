// Reusable zod fields for environment variables (all strings on the way in).
import { z } from 'zod';

export const commaList = () =>
  z.string().transform((raw) =>
    raw
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part.length > 0),
  );

export const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
    .optional()
    .transform((raw) => (raw === undefined ? fallback : ['true', '1', 'yes'].includes(raw)));

export const integer = (fallback: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) {
        ctx.addIssue({ code: 'custom', message: `expected an integer from ${min} to ${max}` });
        return z.NEVER;
      }
      return value;
    });

export const decimal = (fallback: number, { min = -Infinity, max = Infinity } = {}) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return fallback;
      const value = Number(raw);
      if (!Number.isFinite(value) || value < min || value > max) {
        ctx.addIssue({ code: 'custom', message: `expected a number from ${min} to ${max}` });
        return z.NEVER;
      }
      return value;
    });

export const httpUrl = () => z.url({ protocol: /^https?$/, message: 'expected an http(s) URL' });

export const port = (fallback: number) => integer(fallback, { min: 1, max: 65535 });

export const logLevel = () =>
  z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

export const logFormat = () => z.enum(['json', 'pretty']).default('json');

/** What every HTTP service reads: where it listens and how it logs. */
export const serviceEnvShape = (defaultPort: number) => ({
  PORT: port(defaultPort),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: logLevel(),
  LOG_FORMAT: logFormat(),
});
