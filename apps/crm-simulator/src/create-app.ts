// Builds the Nest application (health and metrics through Nest, CRM routes as plain Fastify
// routes) for main.ts and for startCrmSimulator().
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createMetricsRegistry, HealthRegistry, type Logger } from '@crm/observability';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { type AppEnv } from './config/env.schema';
import { CrmSimulator } from './crm-simulator';
import { DEFAULT_SEED, type SeedSet } from './domain/seed';
import { type FaultConfigInput } from './faults/fault-config';
import { requestCounter } from './http/request-metrics';
import { registerSimulatorRoutes } from './http/simulator.routes';
import { type SimulatorSettings } from './simulator-context';

export const SERVICE = 'crm-simulator';

export function settingsFromEnv(env: AppEnv, seed?: SeedSet): SimulatorSettings {
  return {
    salesforce: {
      clientId: env.SIMULATOR_SALESFORCE_CLIENT_ID,
      clientSecret: env.SIMULATOR_SALESFORCE_CLIENT_SECRET,
      refreshToken: env.SIMULATOR_SALESFORCE_REFRESH_TOKEN,
      upsertUpdateStatus: env.SIMULATOR_SALESFORCE_UPSERT_UPDATE_STATUS,
      externalIdFields: env.SIMULATOR_SALESFORCE_EXTERNAL_ID_FIELDS,
    },
    dynamics: {
      clientId: env.SIMULATOR_DYNAMICS_CLIENT_ID,
      clientSecret: env.SIMULATOR_DYNAMICS_CLIENT_SECRET,
      alternateKeys: env.SIMULATOR_DYNAMICS_ALTERNATE_KEYS,
    },
    seed: seed ?? (env.SIMULATOR_SEED === 'empty' ? { salesforce: [], dynamics: [] } : DEFAULT_SEED),
  };
}

/** The JSON faults with the single-purpose variables laid over them. */
export function faultsFromEnv(env: AppEnv): FaultConfigInput {
  const base = env.SIMULATOR_FAULTS;
  const ttl = { ...base.tokenTtlSeconds };
  if (env.SIMULATOR_TOKEN_TTL_SECONDS_SALESFORCE !== undefined)
    ttl.salesforce = env.SIMULATOR_TOKEN_TTL_SECONDS_SALESFORCE;
  if (env.SIMULATOR_TOKEN_TTL_SECONDS_DYNAMICS !== undefined)
    ttl.dynamics = env.SIMULATOR_TOKEN_TTL_SECONDS_DYNAMICS;
  const latency =
    env.SIMULATOR_LATENCY_MS > 0 || env.SIMULATOR_LATENCY_JITTER_MS > 0
      ? { fixedMs: env.SIMULATOR_LATENCY_MS, jitterMs: env.SIMULATOR_LATENCY_JITTER_MS }
      : base.latency;
  return {
    ...base,
    tokenTtlSeconds: ttl,
    latency,
    dailyApiLimit: base.dailyApiLimit ?? env.SIMULATOR_DAILY_API_LIMIT,
  };
}

export async function createSimulatorApp(
  env: AppEnv,
  logger: Logger,
  options: { faults?: FaultConfigInput; seed?: SeedSet } = {},
): Promise<{ app: NestFastifyApplication; simulator: CrmSimulator }> {
  const metrics = createMetricsRegistry(SERVICE);
  const health = new HealthRegistry();
  const simulator = new CrmSimulator(
    settingsFromEnv(env, options.seed),
    options.faults ?? faultsFromEnv(env),
    requestCounter(metrics),
  );
  health.register('simulator', () => true);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(env, logger, metrics, health, simulator),
    new FastifyAdapter({ bodyLimit: 16 * 1024 * 1024 }),
    {
      bufferLogs: true,
      bodyParser: false,
    },
  );
  app.useLogger(app.get(PinoNestLogger));
  registerSimulatorRoutes(app.getHttpAdapter().getInstance(), simulator);
  return { app, simulator };
}
