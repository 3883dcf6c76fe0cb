// The whole pipeline as real processes on a private Kafka and registry (startPrivateStack), so the
// chaos test can SIGKILL services and restart the broker without touching the shared local stack.
// Composes startService like test/e2e/support/pipeline.ts, with settings that keep recovery short
// (session timeout, breaker reset, Retry-After) and an API over one service's crash and restart.
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { TOPIC_SPECS } from '@crm/contracts';
import { type GenesysFake, startGenesysFake } from '@crm/genesys/testing';
import { provisionTopics } from '@crm/kafka-core';
import {
  freePort,
  type PrivateStack,
  type RunningService,
  startPrivateStack,
  startService,
  waitFor,
} from '@crm/testing';
// The e2e tier's Pipeline API (post, admin, contacts) over our own processes; e2e has no npm alias.
// eslint-disable-next-line @nx/enforce-module-boundaries -- test tiers share support code by path
import { INGEST_TOKEN, Pipeline } from '../../e2e/support/pipeline';
// eslint-disable-next-line @nx/enforce-module-boundaries -- test tiers share support code by path
import { salesforceSimulatorEnv } from '../../e2e/support/simulator-client';

export { INGEST_TOKEN };

export type ChaosService = 'ingest' | 'extractor' | 'aggregator' | 'writer';

export interface ChaosPipeline {
  stack: PrivateStack;
  pipeline: Pipeline;
  kafka: Kafka;
  service(name: ChaosService): RunningService;
  /** SIGKILL the service, then start it again with the same environment and wait until ready. */
  crashAndRestart(name: ChaosService): Promise<void>;
  /**
   * Waits until every service reports ready again (after a broker restart, each must rejoin its
   * groups by itself, restarting any consumer kafkajs gave up on); fails naming the ones that did not.
   */
  waitAllReady(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

const logDir = join(__dirname, '../../../.local-stack/logs/chaos');

export async function startChaosPipeline(): Promise<ChaosPipeline> {
  const stack = await startPrivateStack('chaos');
  const services: RunningService[] = [];
  let genesys: GenesysFake | undefined;
  try {
    const kafka = new Kafka({ clientId: 'chaos-test', brokers: stack.brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await provisionTopics(admin, TOPIC_SPECS, { defaultPartitions: 6, replicationFactor: 1 });
    await admin.disconnect();

    genesys = await startGenesysFake();
    const kafkaEnv = { ...stack.env, LOG_LEVEL: 'warn' };
    const ports = {
      sim: await freePort(),
      writer: await freePort(),
      aggregator: await freePort(),
      extractor: await freePort(),
      ingest: await freePort(),
    };
    const simulatorUrl = `http://127.0.0.1:${ports.sim}`;
    const start = async (spec: Parameters<typeof startService>[0]): Promise<RunningService> => {
      const running = await startService(
        { ...spec, instance: `chaos-${spec.app}` },
        { logDir, readyTimeoutMs: 120_000 },
      );
      services.push(running);
      return running;
    };
    const simulator = await start({
      app: 'crm-simulator',
      port: ports.sim,
      env: { LOG_LEVEL: 'warn', SIMULATOR_SEED: 'empty', SIMULATOR_DAILY_API_LIMIT: '100000000' },
    });
    const [writer, aggregator, extractor, ingest] = await Promise.all([
      start({
        app: 'crm-writer',
        port: ports.writer,
        env: {
          ...kafkaEnv,
          ...salesforceSimulatorEnv(simulatorUrl),
          // A 30 s breaker reset would leave the run idle after every burst.
          CRM_BREAKER_RESET_MS: '2000',
          // Room for a 10-request burst before the breaker opens (it opens after 10 requests).
          CRM_RETRY_MAX_ATTEMPTS: '8',
        },
      }),
      start({
        app: 'aggregator',
        port: ports.aggregator,
        env: { ...kafkaEnv, AGGREGATION_END_GRACE_MS: '2000', AGGREGATOR_SESSION_TIMEOUT_MS: '10000' },
      }),
      start({ app: 'extractor', port: ports.extractor, env: kafkaEnv }),
      start({
        app: 'ingest',
        port: ports.ingest,
        env: {
          ...kafkaEnv,
          INGEST_BEARER_TOKENS: INGEST_TOKEN,
          INGEST_RETRY_AFTER_SECONDS: '1',
          INGEST_BROKER_PROBE_INTERVAL_MS: '500',
          GENESYS_API_BASE_URL: genesys.baseUrl,
          GENESYS_LOGIN_BASE_URL: genesys.loginUrl,
          GENESYS_CLIENT_ID: genesys.clientId,
          GENESYS_CLIENT_SECRET: genesys.clientSecret,
          GENESYS_POLLER_ENABLED: 'false',
          GENESYS_NOTIFICATIONS_ENABLED: 'false',
        },
      }),
    ]);
    const byName: Record<ChaosService, RunningService> = { ingest, extractor, aggregator, writer };
    const pipeline = new Pipeline(
      { simulator, writer, aggregator, extractor, ingest },
      `http://127.0.0.1:${ports.ingest}`,
      simulatorUrl,
      genesys,
    );
    return {
      stack,
      pipeline,
      kafka,
      service: (name) => byName[name],
      async crashAndRestart(name) {
        await byName[name].kill();
        await byName[name].restart();
      },
      async waitAllReady(timeoutMs) {
        const isReady = async (running: RunningService): Promise<boolean> => {
          const response = await fetch(`${running.url}/health/ready`, { signal: AbortSignal.timeout(1000) });
          return response.status === 200;
        };
        await Promise.all(
          (Object.keys(byName) as ChaosService[]).map((name) =>
            waitFor(() => isReady(byName[name]).catch(() => false), {
              timeoutMs,
              intervalMs: 250,
              description: `${name} ready again by itself`,
            }),
          ),
        );
      },
      async stop() {
        await pipeline.stop();
        await stack.destroy();
      },
    };
  } catch (error) {
    await Promise.all(services.map((running) => running.stop()));
    await genesys?.close();
    await stack.destroy();
    throw error;
  }
}
