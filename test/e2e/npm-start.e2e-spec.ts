// `npm start` as a user runs it: the whole pipeline on the local stack, the bundled sample
// conversations played, the CRM change table and the URLs printed, and nothing it started left
// behind — after DEMO_EXIT=1 and after Ctrl-C (SIGINT to its process group). The demo runs in a
// process group of its own, so "what it started" is exactly that group; ports are random.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { stackEnv, waitFor } from '@crm/testing';

const repoRoot = join(__dirname, '../..');
/** The demo's bundled conversations (tools/demo is no project, so it is loaded by path). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SAMPLE_CONVERSATIONS } = require(join(repoRoot, 'tools/demo/sample-conversations.ts')) as {
  SAMPLE_CONVERSATIONS: { expected: { contactId: string; changes: Record<string, string> } }[];
};
const PORT_VARIABLES = {
  ingest: 'DEMO_INGEST_PORT',
  extractor: 'DEMO_EXTRACTOR_PORT',
  aggregator: 'DEMO_AGGREGATOR_PORT',
  'crm-writer': 'DEMO_CRM_WRITER_PORT',
  'crm-simulator': 'DEMO_CRM_SIMULATOR_PORT',
} as const;
type App = keyof typeof PORT_VARIABLES;
const RUN_DEADLINE_MS = 150_000;
const NPM_START = ['npm', 'start', '--silent'];
// npm re-raises a SIGINT on itself once its script exits, whatever the script's status; the
// Ctrl-C test runs the script directly to see the launcher's own exit code.
const START_SCRIPT = [process.execPath, join(repoRoot, 'tools/demo/start.mjs')];

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface DemoRun {
  child: ChildProcess;
  ports: Record<App, number>;
  output(): string;
  exit(): Exit | undefined;
}

interface TableRow {
  contact: string;
  field: string;
  newValue: string;
  conversation: string;
}

const runs: DemoRun[] = [];

/** A free port in 3200-3999 (the range for what tests start), distinct from `taken`. */
async function freeTestPort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = 3200 + Math.floor(Math.random() * 800);
    if (!taken.has(port) && (await portIsFree(port))) {
      taken.add(port);
      return port;
    }
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1' }, () => server.close(() => resolve(true)));
  });
}

function reachable(address: string): Promise<boolean> {
  const [host, port] = address.split(':') as [string, string];
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(port) });
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Whether any process of the group is still alive (signal 0 checks without signalling). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** `npm start`, or the script it runs (`node tools/demo/start.mjs`), in a process group of its own. */
async function startDemo(command: string[], env: Record<string, string>): Promise<DemoRun> {
  const taken = new Set<number>();
  const ports = {} as Record<App, number>;
  for (const app of Object.keys(PORT_VARIABLES) as App[]) ports[app] = await freeTestPort(taken);
  const portEnv = Object.fromEntries(
    (Object.keys(PORT_VARIABLES) as App[]).map((app) => [PORT_VARIABLES[app], String(ports[app])]),
  );
  const child = spawn(command[0]!, command.slice(1), {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...portEnv, ...env },
  });
  let output = '';
  let exit: Exit | undefined;
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.once('exit', (code, signal) => (exit = { code, signal }));
  const run: DemoRun = { child, ports, output: () => output, exit: () => exit };
  runs.push(run);
  return run;
}

function exited(run: DemoRun, description: string): Promise<Exit> {
  return waitFor(() => run.exit(), { timeoutMs: RUN_DEADLINE_MS, intervalMs: 250, description }).catch(
    (error: unknown) => {
      throw new Error(`${(error as Error).message}\noutput so far:\n${run.output()}`);
    },
  );
}

/** The rows of the printed "CRM changes:" table: header, dashes, then two-space-indented rows. */
function changeTable(output: string): TableRow[] {
  const lines = output.split('\n');
  const start = lines.findIndex((line) => line.includes('[demo] CRM changes:'));
  if (start < 0) throw new Error(`no CRM change table in the output:\n${output}`);
  const rows: TableRow[] = [];
  for (const line of lines.slice(start + 3)) {
    if (!line.startsWith('  ')) break;
    const [contact = '', field = '', change = '', conversation = ''] = line.trim().split(/\s{2,}/);
    rows.push({ contact, field, newValue: change.split(' → ')[1] ?? '', conversation });
  }
  return rows;
}

async function assertNothingLeft(run: DemoRun): Promise<void> {
  const pgid = run.child.pid!;
  await waitFor(() => !groupAlive(pgid), {
    timeoutMs: 10_000,
    description: `every process of the demo's group ${pgid} exited`,
  });
  const busy: string[] = [];
  for (const [app, port] of Object.entries(run.ports)) if (!(await portIsFree(port))) busy.push(app);
  expect(busy).toEqual([]);
  // The shared Kafka was up before the run, so the demo must have left it running.
  expect(await reachable(stackEnv().brokers[0]!)).toBe(true);
}

describe('npm start (tools/demo)', () => {
  beforeAll(() => {
    // npm start runs `npm ci` when node_modules is older than the lockfile; that must never happen
    // from a test on a shared checkout.
    const marker = join(repoRoot, 'node_modules', '.package-lock.json');
    const upToDate =
      existsSync(marker) && statSync(marker).mtimeMs >= statSync(join(repoRoot, 'package-lock.json')).mtimeMs;
    if (!upToDate) throw new Error('node_modules is older than package-lock.json: run npm ci first');
  });

  afterEach(() => {
    // A failed test may leave its demo running: stop that group (only processes this test started).
    for (const run of runs.splice(0)) {
      if (run.child.pid !== undefined && groupAlive(run.child.pid)) process.kill(-run.child.pid, 'SIGKILL');
    }
  });

  it('plays the sample conversations, prints their CRM changes and the URLs, and exits leaving nothing running', async () => {
    const sut = await startDemo(NPM_START, { DEMO_EXIT: '1' });

    const { code } = await exited(sut, 'npm start with DEMO_EXIT=1 exited');

    const output = sut.output();
    expect(code).toBe(0);
    const { salesforce } = JSON.parse(readFileSync(join(repoRoot, 'config/field-mapping.json'), 'utf8')) as {
      salesforce: { conversationIdField: string };
    };
    const rows = changeTable(output);
    const conversations = new Set<string>();
    for (const { expected } of SAMPLE_CONVERSATIONS) {
      const ofContact = rows.filter((row) => row.contact.endsWith(`(${expected.contactId})`));
      const conversation = ofContact[0]?.conversation ?? '(none)';
      conversations.add(conversation);
      expect(ofContact.map((row) => row.conversation)).toEqual(ofContact.map(() => conversation));
      expect(Object.fromEntries(ofContact.map((row) => [row.field, row.newValue]))).toEqual({
        ...expected.changes,
        [salesforce.conversationIdField]: expect.stringMatching(
          new RegExp(`^${conversation}-[0-9a-f-]+$`),
        ) as unknown,
      });
      expect(ofContact).toHaveLength(Object.keys(expected.changes).length + 1);
    }
    expect(conversations.size).toBe(SAMPLE_CONVERSATIONS.length);
    expect(rows).toHaveLength(
      SAMPLE_CONVERSATIONS.reduce((sum, { expected }) => sum + Object.keys(expected.changes).length + 1, 0),
    );

    expect(output).toContain(`CRM simulator page: http://127.0.0.1:${sut.ports['crm-simulator']}/`);
    for (const [app, port] of Object.entries(sut.ports)) {
      expect(output).toMatch(new RegExp(`metrics ${app} +http://127\\.0\\.0\\.1:${port}/metrics`));
    }
    await assertNothingLeft(sut);
  });

  it('stops exactly what it started on Ctrl-C', async () => {
    const sut = await startDemo(START_SCRIPT, {});
    await waitFor(() => sut.output().includes('press Ctrl-C') || sut.exit(), {
      timeoutMs: RUN_DEADLINE_MS,
      intervalMs: 250,
      description: 'the demo printed its URLs and waits for Ctrl-C',
    });
    // An early exit shows the demo's own account of why (its last lines) in the failure.
    expect({ exit: sut.exit(), tail: sut.exit() ? sut.output().slice(-4000) : '' }).toEqual({
      exit: undefined,
      tail: '',
    });
    const listening: string[] = [];
    for (const [app, port] of Object.entries(sut.ports)) if (!(await portIsFree(port))) listening.push(app);
    expect(listening.sort()).toEqual(Object.keys(PORT_VARIABLES).sort());

    // What a terminal does on Ctrl-C: SIGINT to every process of the foreground group.
    process.kill(-sut.child.pid!, 'SIGINT');
    const { code } = await exited(sut, 'npm start exited after SIGINT');

    expect(code).toBe(0);
    expect(sut.output()).toContain('stopping the services this demo started');
    await assertNothingLeft(sut);
  });
});
