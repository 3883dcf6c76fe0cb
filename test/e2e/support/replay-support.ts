// Support for the replay end-to-end tests: runs the replay CLI as a process (as an operator would),
// counts CRM writes in the simulator's request log, sums a service's metric, and starts a fresh
// downstream (simulator, aggregator, writer on topics of their own) to replay a window into.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestTopic,
  freePort,
  inheritedEnv,
  type RunningService,
  stackEnv,
  startService,
  testKafka,
} from '@crm/testing';
import { salesforceSimulatorEnv, SimulatorClient } from './simulator-client';

const repoRoot = join(__dirname, '../../..');
const checkpointDir = mkdtempSync(join(tmpdir(), 'replay-e2e-'));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run replay -- <args>`, without npm: the tool's entry through @swc-node/register. */
export function runReplayCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const { brokers, registryUrl } = stackEnv();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', join(repoRoot, 'apps/replay/src/main.ts'), ...args],
      {
        cwd: repoRoot,
        timeout: 120_000,
        env: {
          ...inheritedEnv(),
          SWC_NODE_PROJECT: join(repoRoot, 'apps/replay/tsconfig.app.json'),
          KAFKA_BROKERS: brokers.join(','),
          SCHEMA_REGISTRY_URL: registryUrl,
          REPLAY_CHECKPOINT_DIR: checkpointDir,
          LOG_LEVEL: 'warn',
          ...env,
        },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The replay id a completed `replay` run printed. */
export function replayIdOf(result: CliResult): string {
  const match = /^replay (\S+): completed/m.exec(result.stdout);
  if (!match) throw new Error(`replay did not complete: ${result.stdout}\n${result.stderr}`);
  return match[1]!;
}

const WRITE_OPERATIONS = new Set(['patch', 'collections', 'upsert', 'batch', 'create']);

/** CRM writes (PATCH, collections, upserts, $batch, creates) the simulator has answered. */
export async function crmWrites(simulator: { admin: SimulatorClient['admin'] }): Promise<number> {
  const { requests } = await simulator.admin<{ requests: Array<{ operation: string }> }>('/requests');
  return requests.filter((request) => WRITE_OPERATIONS.has(request.operation)).length;
}

/** Sum of every sample of a metric on a service's /metrics. */
export async function metricSum(service: RunningService, name: string): Promise<number> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

export interface FreshDownstream {
  /** Where a replay of the extractor's output goes: the fresh aggregator's input. */
  inputTopic: string;
  simulator: SimulatorClient;
  stop(): Promise<void>;
}

/**
 * An aggregator and a writer that have never seen anything (their own topics, groups and state),
 * writing to a CRM simulator of their own: a fresh pipeline behind the extractor.
 */
export async function startFreshDownstream(): Promise<FreshDownstream> {
  const admin = testKafka().admin();
  await admin.connect();
  const compact = { 'cleanup.policy': 'compact' };
  const [input, requests, aggregatorState, byRecord, results, deadLetter, writeState] = await Promise.all([
    createTestTopic(admin, { prefix: 'fresh-extracted', partitions: 3 }),
    createTestTopic(admin, { prefix: 'fresh-requests', partitions: 3 }),
    createTestTopic(admin, { prefix: 'fresh-agg-state', partitions: 3, configs: compact }),
    createTestTopic(admin, { prefix: 'fresh-by-record', partitions: 3 }),
    createTestTopic(admin, { prefix: 'fresh-results', partitions: 3 }),
    createTestTopic(admin, { prefix: 'fresh-dead-letter', partitions: 3 }),
    createTestTopic(admin, { prefix: 'fresh-write-state', partitions: 3, configs: compact }),
  ]);
  await admin.disconnect();
  const { brokers, registryUrl } = stackEnv();
  const kafkaEnv = { KAFKA_BROKERS: brokers.join(','), SCHEMA_REGISTRY_URL: registryUrl, LOG_LEVEL: 'info' };
  const ports = { sim: await freePort(), aggregator: await freePort(), writer: await freePort() };
  const simulatorUrl = `http://127.0.0.1:${ports.sim}`;
  const suffix = input.slice(-8);
  const simulator = await startService({
    app: 'crm-simulator',
    port: ports.sim,
    instance: `crm-simulator-fresh-${suffix}`,
    env: { SIMULATOR_SEED: 'empty' },
  });
  const [aggregator, writer] = await Promise.all([
    startService({
      app: 'aggregator',
      port: ports.aggregator,
      instance: `aggregator-fresh-${suffix}`,
      env: {
        ...kafkaEnv,
        AGGREGATION_END_GRACE_MS: '2000',
        AGGREGATOR_GROUP_ID: `aggregator-fresh-${suffix}`,
        AGGREGATOR_TRANSACTIONAL_ID_PREFIX: `aggregator-fresh-${suffix}`,
        AGGREGATOR_INPUT_TOPIC: input,
        AGGREGATOR_OUTPUT_TOPIC: requests,
        AGGREGATOR_STATE_TOPIC: aggregatorState,
        AGGREGATOR_PROVISION_TOPICS: 'false',
      },
    }),
    startService({
      app: 'crm-writer',
      port: ports.writer,
      instance: `crm-writer-fresh-${suffix}`,
      env: {
        ...kafkaEnv,
        ...salesforceSimulatorEnv(simulatorUrl),
        CRM_WRITER_GROUP_PREFIX: `crm-writer-fresh-${suffix}`,
        CRM_WRITER_REQUESTS_TOPIC: requests,
        CRM_WRITER_BY_RECORD_TOPIC: byRecord,
        CRM_WRITER_RESULTS_TOPIC: results,
        CRM_WRITER_DEAD_LETTER_TOPIC: deadLetter,
        CRM_WRITER_STATE_TOPIC: writeState,
      },
    }),
  ]);
  return {
    inputTopic: input,
    simulator: new SimulatorClient(simulatorUrl),
    stop: async () => {
      await Promise.all([aggregator.stop(), writer.stop(), simulator.stop()]);
    },
  };
}
