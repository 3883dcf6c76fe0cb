// Runs the real aggregator (main.ts under @swc-node/register) as a child process, so a test can
// SIGKILL it mid-stream exactly as an OOM kill or node failure would.
import { inheritedEnv, stackEnv, waitFor } from '@crm/testing';
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { type AggregatorTopics } from '../aggregator/stream.codec';

const ROOT = join(__dirname, '../../../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

export interface AggregatorProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly output: string[];
}

export async function spawnAggregator(
  topics: AggregatorTopics,
  groupId: string,
  extraEnv: Record<string, string> = {},
): Promise<AggregatorProcess> {
  const port = await freePort();
  const { brokers, registryUrl } = stackEnv();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/aggregator/src/main.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: inheritedEnv()['PATH'] ?? '',
      SWC_NODE_PROJECT: 'apps/aggregator/tsconfig.app.json',
      KAFKA_BROKERS: brokers.join(','),
      SCHEMA_REGISTRY_URL: registryUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      AGGREGATOR_GROUP_ID: groupId,
      AGGREGATOR_INPUT_TOPIC: topics.input,
      AGGREGATOR_OUTPUT_TOPIC: topics.output,
      AGGREGATOR_STATE_TOPIC: topics.state,
      AGGREGATOR_TRANSACTIONAL_ID_PREFIX: groupId,
      AGGREGATOR_PROVISION_TOPICS: 'false',
      AGGREGATOR_TICK_MS: '100',
      ...extraEnv,
    },
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return { child, port, output };
}

export async function waitUntilReady(proc: AggregatorProcess, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    async () => {
      if (proc.child.exitCode !== null)
        throw new Error(`aggregator exited: ${proc.output.join('').slice(-2000)}`);
      const response = await fetch(`http://127.0.0.1:${proc.port}/health/ready`);
      return response.status === 200;
    },
    { timeoutMs, intervalMs: 100, description: 'aggregator process ready' },
  );
}

/** Sends `signal` and resolves once the process is gone. */
export async function kill(proc: AggregatorProcess, signal: NodeJS.Signals): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.child.once('exit', () => resolve()));
  proc.child.kill(signal);
  await exited;
}
