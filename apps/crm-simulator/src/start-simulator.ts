// Starts a simulator in-process for tests and the demo: startCrmSimulator({ port: 0 }) picks a free port.
import 'reflect-metadata';
import { createLogger } from '@crm/observability';
import { envSchema } from './config/env.schema';
import { createSimulatorApp, SERVICE } from './create-app';
import { type CrmSimulator } from './crm-simulator';
import { type SeedSet } from './domain/seed';
import { type FaultConfigInput } from './faults/fault-config';

export interface StartCrmSimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  faults?: FaultConfigInput;
  seed?: SeedSet;
  /** Variables as in README "Configuration" (credentials, alternate keys, …); defaults otherwise. */
  env?: Record<string, string>;
}

export interface RunningCrmSimulator {
  url: string;
  simulator: CrmSimulator;
  close(): Promise<void>;
}

export async function startCrmSimulator(
  options: StartCrmSimulatorOptions = {},
): Promise<RunningCrmSimulator> {
  const env = envSchema.parse({ LOG_LEVEL: 'silent', ...options.env });
  const logger = createLogger({ service: SERVICE, level: env.LOG_LEVEL, format: 'json' });
  const { app, simulator } = await createSimulatorApp(env, logger, {
    ...(options.faults === undefined ? {} : { faults: options.faults }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return { url: `http://${host}:${String(port)}`, simulator, close: () => app.close() };
}
