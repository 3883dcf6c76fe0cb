import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIdempotentProducer } from '@crm/kafka-core';
import { createTestTopic, inheritedEnv, stackEnv, testKafka } from '@crm/testing';

const repoRoot = join(__dirname, '../../..');

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { brokers, registryUrl } = stackEnv();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', join(__dirname, 'main.ts'), ...args],
      {
        cwd: repoRoot,
        timeout: 60_000,
        env: {
          ...inheritedEnv(),
          SWC_NODE_PROJECT: join(repoRoot, 'apps/replay/tsconfig.app.json'),
          KAFKA_BROKERS: brokers.join(','),
          SCHEMA_REGISTRY_URL: registryUrl,
          REPLAY_CHECKPOINT_DIR: mkdtempSync(join(tmpdir(), 'replay-cli-')),
          LOG_LEVEL: 'warn',
        },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('replay command line', () => {
  it('answers bad arguments with the usage text on stderr and exit code 64', async () => {
    const run = await cli(['--topic', 'conversationEvents', '--from', 'yesterday']);

    expect(run.code).toBe(64);
    expect(run.stderr).toContain('--from expects an ISO 8601 time');
    expect(run.stderr).toContain('Usage:');
    expect(run.stdout).toBe('');
  });

  it('dry-runs a window with counts and a metadata-only sample, never a value', async () => {
    const kafka = testKafka();
    const admin = kafka.admin();
    const producer = createIdempotentProducer(kafka);
    await Promise.all([admin.connect(), producer.connect()]);
    const topic = await createTestTopic(admin, { partitions: 2 });
    await producer.send({
      topic,
      acks: -1,
      messages: ['c-1', 'c-1', 'c-2'].map((key, index) => ({
        key,
        value: Buffer.from(`SECRET-TEXT-${index}`),
      })),
    });
    await Promise.all([producer.disconnect(), admin.disconnect()]);

    const run = await cli(['--topic', topic, '--from', '0', '--dry-run', '--sample', '2']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('dry run: 3 of 3 records in the window would be re-published');
    expect(run.stdout).toMatch(/^c-1\s+2$/m);
    expect(run.stdout).toMatch(/^c-2\s+1$/m);
    expect(run.stdout).not.toContain('SECRET-TEXT');
  });
});
