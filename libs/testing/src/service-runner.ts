// Runs the pipeline's services as real child processes (the way they run in production, one
// process each), for the demo, end-to-end, chaos and benchmark tiers: start with an environment,
// wait for GET /health/ready with a deadline, stop with SIGTERM (graceful) or SIGKILL (chaos).
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { inheritedEnv } from './config/stack-env';
import { waitFor } from './wait-for';

const repoRoot = join(__dirname, '../../..');

export interface ServiceSpec {
  /** App folder under apps/. */
  app: string;
  port: number;
  env?: Record<string, string>;
  /** Run the webpack bundle in dist/ instead of the TypeScript sources. */
  built?: boolean;
  /** Extra node flags, e.g. ['--max-old-space-size=96']. */
  nodeArgs?: string[];
  /** Wraps the command, e.g. ['taskset', '-c', '1'] to pin a benchmark to one core. */
  wrapper?: string[];
  /** Instance name for logs when the same app runs twice. */
  instance?: string;
}

export interface RunningService {
  readonly spec: ServiceSpec;
  readonly url: string;
  readonly logFile: string;
  pid(): number | undefined;
  isRunning(): boolean;
  /** SIGTERM and wait for exit (deadline), SIGKILL after it. */
  stop(deadlineMs?: number): Promise<number | null>;
  /** SIGKILL: the crash a chaos test wants. */
  kill(): Promise<void>;
  /** Start again with the same spec and wait until ready. */
  restart(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export async function startService(
  spec: ServiceSpec,
  options: { logDir?: string; readyTimeoutMs?: number } = {},
): Promise<RunningService> {
  const logDir = options.logDir ?? join(repoRoot, '.local-stack', 'logs', 'services');
  mkdirSync(logDir, { recursive: true });
  const name = spec.instance ?? spec.app;
  const logFile = join(logDir, `${name}.log`);
  const url = `http://127.0.0.1:${spec.port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<number | null> = Promise.resolve(null);

  const launch = async (): Promise<void> => {
    const entry = spec.built
      ? [join(repoRoot, 'dist/apps', spec.app, 'main.js')]
      : ['-r', '@swc-node/register', join(repoRoot, 'apps', spec.app, 'src/main.ts')];
    const command = [...(spec.wrapper ?? []), process.execPath, ...(spec.nodeArgs ?? []), ...entry];
    const fd = openSync(logFile, 'a');
    const proc = spawn(command[0]!, command.slice(1), {
      cwd: repoRoot,
      stdio: ['ignore', fd, fd],
      env: {
        ...inheritedEnv(),
        SWC_NODE_PROJECT: join(repoRoot, 'apps', spec.app, 'tsconfig.app.json'),
        PORT: String(spec.port),
        LOG_FORMAT: 'json',
        ...spec.env,
      },
    });
    closeSync(fd);
    child = proc;
    exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
    const exitedEarly = (): boolean => proc.exitCode !== null || proc.signalCode !== null;
    try {
      await waitFor(
        async () => {
          // A process that died is final: stop polling at once rather than wait for the deadline.
          if (exitedEarly()) return 'exited';
          const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(1000) });
          return response.status === 200 ? 'ready' : undefined;
        },
        {
          timeoutMs: options.readyTimeoutMs ?? 60_000,
          intervalMs: 200,
          description: `${name} ready at ${url}`,
        },
      ).then((state) => {
        if (state === 'exited')
          throw new Error(`${name} exited with ${proc.exitCode ?? proc.signalCode} during start-up`);
      });
    } catch (error) {
      proc.kill('SIGKILL');
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}\nlast log lines of ${logFile}:\n${tail(logFile)}`,
      );
    }
  };

  await launch();
  return {
    spec,
    url,
    logFile,
    pid: () => child?.pid,
    isRunning: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    async stop(deadlineMs = 20_000) {
      if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), deadlineMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
    async restart() {
      await launch();
    },
  };
}
