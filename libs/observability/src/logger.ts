// pino, configured once per process, with personal data and secrets redacted centrally. Call sites
// still must not put transcript text or entity values in info-level logs: redaction is the net,
// not the rule.
import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** Paths censored wherever they appear one or two levels deep in a log object. */
export const REDACTED_PATHS = [
  'text',
  'rawValue',
  'value',
  'values',
  'transcript',
  'body',
  'password',
  'secret',
  'token',
  'accessToken',
  'access_token',
  'refresh_token',
  'client_secret',
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers["x-signature"]',
  'req.headers.cookie',
].flatMap((path) => (path.includes('.') ? [path] : [path, `*.${path}`]));

export interface LoggerSettings {
  service: string;
  level: string;
  format: 'json' | 'pretty';
}

export function createLogger(settings: LoggerSettings, destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = {
    name: settings.service,
    level: settings.level,
    base: { service: settings.service },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  if (destination) return pino(options, destination);
  if (settings.format === 'pretty') {
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { colorize: true, singleLine: true } },
    });
  }
  return pino(options);
}
