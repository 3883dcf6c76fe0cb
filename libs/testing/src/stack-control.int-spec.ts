// The local-stack script itself, on a second stack with its own directory and ports, so the shared
// stack the other tests use is never touched.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { privateStackEnv, STACK_SCRIPT as script } from './config/private-stack';

describe('tools/local-stack/stack.mjs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stack-test-'));
  const env = privateStackEnv(dir);
  const base = Number(env.LOCAL_KAFKA_PORT);
  const stack = (...args: string[]) =>
    spawnSync(process.execPath, [script, ...args], { env, encoding: 'utf8', timeout: 300_000 });
  const pidOf = (name: string): number =>
    (JSON.parse(readFileSync(join(dir, 'run', `${name}.json`), 'utf8')) as { pid: number }).pid;
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  afterAll(() => {
    stack('down');
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts both, is a no-op when up, restarts a dead process, and stops exactly what it started', () => {
    const sharedBefore = spawnSync(process.execPath, [script, 'status'], { encoding: 'utf8' }).status;

    const first = stack('up');
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(stack('status').status).toBe(0);
    const kafkaPid = pidOf('kafka');
    const registryPid = pidOf('registry');

    const again = stack('up');
    expect(again.stdout).toContain('already up');
    expect([pidOf('kafka'), pidOf('registry')]).toEqual([kafkaPid, registryPid]);

    process.kill(registryPid, 'SIGKILL');
    expect(stack('status').status).toBe(3);
    const revived = stack('up');
    expect(revived.status).toBe(0);
    expect(revived.stdout).toContain('registry had died; restarting it');
    expect(pidOf('kafka')).toBe(kafkaPid);
    const newRegistryPid = pidOf('registry');
    expect(newRegistryPid).not.toBe(registryPid);

    const down = stack('down');
    expect(down.status).toBe(0);
    expect(alive(kafkaPid)).toBe(false);
    expect(alive(newRegistryPid)).toBe(false);
    // The shared stack the rest of the suite uses is untouched.
    expect(spawnSync(process.execPath, [script, 'status'], { encoding: 'utf8' }).status).toBe(sharedBefore);
  });

  it('refuses a port that is taken and names the fix', () => {
    const taken = spawnSync(process.execPath, [script, 'up'], {
      env: {
        ...env,
        LOCAL_STACK_DIR: join(dir, 'other'),
        LOCAL_REGISTRY_PORT: String(base + 3),
        LOCAL_KAFKA_PORT: process.env['KAFKA_BROKERS']?.split(':')[1] ?? '9092',
      },
      encoding: 'utf8',
    });
    expect(taken.status).toBe(1);
    expect(taken.stderr).toMatch(
      /port \d+ on 127\.0\.0\.1 is taken by .*\n.*fix: stop that process, or set LOCAL_KAFKA_PORT/,
    );
  });

  it('rejects an unknown command with the usage', () => {
    const result = stack('explode');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('usage: stack.mjs up|down|status|restart');
  });
});
