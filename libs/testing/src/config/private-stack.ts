// A second local stack with its own directory and ports, for tests that stop or restart the broker
// (chaos, broker outage): the shared stack the other tests use is never touched.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type StackEnv } from './stack-env';

const run = promisify(execFile);
const script = join(__dirname, '../../../../tools/local-stack/stack.mjs');

export interface PrivateStack extends StackEnv {
  /** KAFKA_BROKERS and SCHEMA_REGISTRY_URL for services started against this stack. */
  env: Record<'KAFKA_BROKERS' | 'SCHEMA_REGISTRY_URL', string>;
  /** `stack.mjs <command> [target]` on this stack, e.g. `('down', 'kafka')`, `('up')`. */
  control(command: 'up' | 'down' | 'status' | 'restart', target?: 'kafka' | 'registry'): Promise<void>;
  /** Stops both processes and deletes the stack's directory. */
  destroy(): Promise<void>;
}

/** The path of the stack script, for tests of the script itself. */
export const STACK_SCRIPT = script;

/**
 * The first port the kernel hands out to outgoing connections (Linux; 32768 elsewhere). A port
 * chosen above it can be taken by any test's client connection before the stack binds it (seen
 * in CI: the registry found its port in use).
 */
function ephemeralPortsStart(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 1024 ? low : 32768;
  } catch {
    return 32768;
  }
}

/** The environment `stack.mjs` needs to run a stack of its own in `dir`, on random ports. */
export function privateStackEnv(dir: string): NodeJS.ProcessEnv & { LOCAL_KAFKA_PORT: string } {
  // Three consecutive ports, all below the ephemeral range.
  const top = ephemeralPortsStart() - 3;
  const bottom = Math.min(15000, top - 1000);
  const base = bottom + Math.floor(Math.random() * (top - bottom));
  return {
    ...process.env,
    LOCAL_STACK_DIR: dir,
    LOCAL_KAFKA_PORT: String(base),
    LOCAL_KAFKA_CONTROLLER_PORT: String(base + 1),
    LOCAL_REGISTRY_PORT: String(base + 2),
    LOCAL_KAFKA_HEAP: '384m',
    LOCAL_REGISTRY_HEAP: '256m',
  };
}

/** Starts a private stack on random ports; resolves once Kafka and the registry answer. */
export async function startPrivateStack(name: string): Promise<PrivateStack> {
  const dir = mkdtempSync(join(tmpdir(), `stack-${name}-`));
  const stackEnv = privateStackEnv(dir);
  const base = Number(stackEnv.LOCAL_KAFKA_PORT);
  const control: PrivateStack['control'] = async (command, target) => {
    try {
      await run(process.execPath, [script, command, ...(target ? [target] : [])], {
        env: stackEnv,
        timeout: 300_000,
      });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(`stack.mjs ${command} ${target ?? ''} failed: ${stderr || stdout || String(error)}`);
    }
  };
  await control('up');
  const brokers = [`127.0.0.1:${base}`];
  const registryUrl = `http://127.0.0.1:${base + 2}/apis/ccompat/v7`;
  return {
    brokers,
    registryUrl,
    env: { KAFKA_BROKERS: brokers.join(','), SCHEMA_REGISTRY_URL: registryUrl },
    control,
    destroy: async () => {
      await control('down').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
