// Pipeline benchmark (DESIGN.md §9, issue 8 item 4): open-model load at fixed arrival rates
// (../support/open-model.mjs: uniform arrivals, each request sent when due whatever the answers) through ingest, with the
// broker, ingest, extractor, aggregator, crm-writer and the CRM simulator all on this box. Per step:
// the achieved rate, consumer-lag growth of every group (admin offsets), hop latency p50/p99 from
// the `x-hop-ts-<service>` headers of the final topic's records, RSS and CPU per process. Baseline in the
// same run: raw kafkajs produce→consume on the same broker. Runs on a private Kafka and registry
// (own ports and directory), so it never touches the shared stack or other tests' groups.
// The services run as they are deployed: their webpack bundles (built first) with the NODE_OPTIONS
// of their Kubernetes manifests; `--sources` runs the TypeScript sources under @swc-node/register
// instead, with Node's default heap (as the e2e tier does).
//   node test/bench/pipeline/pipeline.bench.mjs [--quick] [--rates=1000,2000,3500,5000] [--step-seconds=N] [--latency-rate=N] [--sources]
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { clearInterval, setInterval } from 'node:timers';
import { cpus, loadavg, tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { openModel } from '../support/open-model.mjs';
import { cpuMeter, jvmCompilerSeconds, statusMib } from '../support/proc-status.mjs';
import { deployedRuntime, describeRuntime } from '../support/deployed-runtime.mjs';
import { freePort } from '../support/free-port.mjs';

const require = createRequire(import.meta.url);
const { Kafka, logLevel } = require('kafkajs');

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const quick = process.argv.includes('--quick');
const ratesArg = process.argv.find((arg) => arg.startsWith('--rates='));
const RATES = ratesArg ? ratesArg.slice(8).split(',').map(Number) : [1000, 2000, 3500, 5000];
// --step-seconds=N shortens the steps for probing (a sustained verdict needs the full 5 minutes).
const stepArg = process.argv.find((arg) => arg.startsWith('--step-seconds='));
const STEP_SECONDS = stepArg ? Number(stepArg.slice(15)) : quick ? 8 : 300;
const DRAIN_SECONDS = quick ? 10 : 60;
// Unmeasured load before the first step: the services' JIT, ingest's first produce requests and
// the client's connections settle here instead of in the first step's tail (measured 2026-12-05:
// without it, the first 2–4 s of a 1,000/s step answered after up to 2.4 s). So does the broker's
// JIT: the broker is fresh, and its compiler threads took up to 0.45 cores for the first 60–90 s
// at 1,000 events/s (`/proc/<pid>/task`, 2026-12-05), when a step that started after 20 s of
// warm-up had an internal latency p99 of 177–201 ms in its first 20 s and 51–66 ms after its first
// minute. The warm-up runs at the first step's rate (at most 1,000/s) in 10-second slices until a
// slice in which the broker's compilers used under 0.05 cores, for at least WARMUP_MIN_SECONDS and
// at most WARMUP_MAX_SECONDS. A production broker has been running for days: its JIT is done.
const WARMUP_MIN_SECONDS = quick ? 3 : 30;
const WARMUP_MAX_SECONDS = quick ? 3 : 180;
const WARMUP_SLICE_SECONDS = 10;
const WARMUP_JIT_QUIET_CORES = 0.05;
const FROM_SOURCES = process.argv.includes('--sources');
// The step whose hop latencies are read (--latency-rate=N to look at another, e.g. an idle 50/s).
const latencyArg = process.argv.find((arg) => arg.startsWith('--latency-rate='));
const LATENCY_RATE = latencyArg ? Number(latencyArg.slice(15)) : 1000;
// Second baseline, same run: the pipeline's hops with none of our work (pipeline-floor.mjs), at the
// run's rates and the 5,000 events/s target, in shorter steps; --no-floor skips it,
// --floor-rates=… and --floor-step-seconds=N override.
const FLOOR = !process.argv.includes('--no-floor');
const floorRatesArg = process.argv.find((arg) => arg.startsWith('--floor-rates='));
const FLOOR_RATES = floorRatesArg
  ? floorRatesArg.slice(14).split(',').map(Number)
  : [...new Set([...RATES, 5000])].sort((a, b) => a - b);
const floorStepArg = process.argv.find((arg) => arg.startsWith('--floor-step-seconds='));
const FLOOR_STEP_SECONDS = floorStepArg ? Number(floorStepArg.slice(21)) : quick ? 8 : 60;
const TOKEN = 'pipeline-bench-token';
const MESSAGES_PER_CONVERSATION = 4;
const GROUPS = [
  ['extractor', 'genesys.external.conversation-events.v1'],
  ['aggregator', 'crm.internal.entity-extracted.v1'],
  ['crm-writer-resolve', 'crm.internal.contact-update-requested.v1'],
  ['crm-writer-apply', 'crm.internal.contact-update-by-record.v1'],
];
const FINAL_TOPIC = 'crm.internal.contact-update-result.v1';
const HOPS = ['extractor', 'aggregator', 'crm-writer'];

async function poll(probe, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch {
      // not there yet
    }
    if (Date.now() > deadline) throw new Error(`${what} not reached in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// A private stack, as libs/testing's startPrivateStack does, through the same stack.mjs.
const stackDir = mkdtempSync(join(tmpdir(), 'stack-pipeline-bench-'));
// Ports below Linux's default ephemeral range (32768–60999), which client connections draw from.
const base = 15000 + Math.floor(Math.random() * (32768 - 3 - 15000));
const stackEnv = {
  ...process.env,
  LOCAL_STACK_DIR: stackDir,
  LOCAL_KAFKA_PORT: String(base),
  LOCAL_KAFKA_CONTROLLER_PORT: String(base + 1),
  LOCAL_REGISTRY_PORT: String(base + 2),
};
const stack = (command) =>
  spawnSync(process.execPath, [join(root, 'tools/local-stack/stack.mjs'), command], {
    env: stackEnv,
    stdio: 'inherit',
  });
const brokers = [`127.0.0.1:${base}`];
const kafkaEnv = {
  KAFKA_BROKERS: brokers[0],
  SCHEMA_REGISTRY_URL: `http://127.0.0.1:${base + 2}/apis/ccompat/v7`,
  LOG_LEVEL: 'warn',
};
const kafka = new Kafka({ clientId: 'pipeline-bench', brokers, logLevel: logLevel.NOTHING });
const children = [];
const logDir = join(root, '.local-stack', 'logs', 'pipeline-bench');
mkdirSync(logDir, { recursive: true });

const APPS = ['crm-simulator', 'crm-writer', 'aggregator', 'extractor', 'ingest'];

if (!FROM_SOURCES) {
  const built = spawnSync(
    'npx',
    ['nx', 'run-many', '-t', 'build', '-p', APPS.join(','), '--output-style=static'],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (built.status !== 0) throw new Error('building the service bundles failed');
}

// BENCH_NODE_ARGS_<APP> (e.g. BENCH_NODE_ARGS_CRM_WRITER='--cpu-prof --cpu-prof-dir=/tmp/p'): node
// flags for one service's command line, for profiling it under the pipeline's load (--cpu-prof is
// not allowed in NODE_OPTIONS).
function extraNodeArgs(app) {
  return (process.env[`BENCH_NODE_ARGS_${app.toUpperCase().replace(/-/g, '_')}`] ?? '')
    .split(' ')
    .filter(Boolean);
}

async function startApp(app, port, env) {
  const fd = openSync(join(logDir, `${app}.log`), 'w');
  const deployed = FROM_SOURCES ? { nodeArgs: [], env: {} } : deployedRuntime(root, app);
  const child = spawn(
    process.execPath,
    [
      ...deployed.nodeArgs,
      ...extraNodeArgs(app),
      ...(FROM_SOURCES
        ? ['-r', '@swc-node/register', join(root, 'apps', app, 'src/main.ts')]
        : [join(root, 'dist/apps', app, 'main.js')]),
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        ...(FROM_SOURCES ? { SWC_NODE_PROJECT: join(root, 'apps', app, 'tsconfig.app.json') } : deployed.env),
        PORT: String(port),
        LOG_FORMAT: 'json',
        ...env,
      },
      stdio: ['ignore', fd, fd],
    },
  );
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await poll(
    async () => {
      if (child.exitCode !== null) throw new Error(`${app} exited`);
      return (await fetch(`${url}/health/ready`)).ok;
    },
    120_000,
    `${app} ready`,
  );
  return { app, url, pid: child.pid };
}

const rssMib = (pid) => statusMib(pid, 'VmRSS');

/** This run's Kafka and registry JVMs (the local stack's pid files), to count their CPU. */
function stackPids() {
  return ['kafka', 'registry'].flatMap((name) => {
    try {
      return [[name, JSON.parse(readFileSync(join(stackDir, 'run', `${name}.json`), 'utf8')).pid]];
    } catch {
      return []; // not started by this run: its CPU is not counted
    }
  });
}

/**
 * CPU used over a step, in cores, by each service, the broker, the registry and this process (the
 * load generator and lag sampler): what a rate costs the box.
 */
function stepCpuMeter(services) {
  return cpuMeter([...services.map((s) => [s.app, s.pid]), ...stackPids()]);
}
const percentile = (sorted, p) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;

// kafkajs' leader wait can read metadata before the broker serves a new topic and fail with
// UNKNOWN_TOPIC_OR_PARTITION although the topic was created; poll the leaders instead.
async function createTopics(admin, topics) {
  await admin.createTopics({ waitForLeaders: false, topics });
  const names = topics.map((topic) => topic.topic);
  await poll(
    async () => {
      const metadata = await admin.fetchTopicMetadata({ topics: names });
      return metadata.topics.every(
        (topic) => topic.partitions.length > 0 && topic.partitions.every((p) => p.leader >= 0),
      );
    },
    60_000,
    'topic leaders',
  );
}

async function totalLag(admin) {
  const lag = {};
  for (const [groupId, topic] of GROUPS) {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    lag[groupId] = ends.reduce((sum, end) => {
      const at = Number(committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? -1);
      return sum + Math.max(0, Number(end.high) - Math.max(at, 0));
    }, 0);
  }
  return lag;
}

// Baseline: the pipeline's shape with none of our work (pipeline-floor.mjs), on the private stack,
// before the services start. One row per rate.
function pipelineFloor() {
  const child = spawnSync(
    process.execPath,
    [
      join(root, 'test/bench/pipeline/pipeline-floor.mjs'),
      `--rates=${FLOOR_RATES.join(',')}`,
      `--step-seconds=${FLOOR_STEP_SECONDS}`,
      // The broker is fresh: its JIT compilers take up to 0.4 cores in its first 90 seconds.
      `--warmup-seconds=${quick ? WARMUP_MIN_SECONDS : 90}`,
    ],
    {
      cwd: root,
      env: { ...process.env, KAFKA_BROKERS: brokers[0], LOCAL_STACK_DIR: stackDir },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: (FLOOR_RATES.length * (FLOOR_STEP_SECONDS + 120) + 120) * 1000,
    },
  );
  const rows = child.stdout
    .split('\n')
    .filter((line) => line.startsWith('{"target_per_s"'))
    .map((line) => JSON.parse(line));
  if (child.status !== 0 || rows.length !== FLOOR_RATES.length)
    throw new Error(`pipeline floor failed (exit ${child.status}): ${child.stdout}`);
  for (const row of rows)
    process.stdout.write(`[bench] floor ${row.target_per_s}/s: ${JSON.stringify(row)}\n`);
  return rows;
}

// Baseline: what this broker does with plain kafkajs, 500-byte records, produce then consume.
async function brokerBaseline(count) {
  const admin = kafka.admin();
  await admin.connect();
  const topic = `bench-baseline-${Date.now()}`;
  await createTopics(admin, [{ topic, numPartitions: 6 }]);
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  const value = Buffer.alloc(500, 'x');
  const started = Date.now();
  for (let sent = 0; sent < count; sent += 500) {
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: 500 }, (_, i) => ({ key: String(sent + i), value })),
    });
  }
  const produceSeconds = (Date.now() - started) / 1000;
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: `${topic}-group` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  const consumeStart = Date.now();
  await consumer.run({ eachBatch: async ({ batch }) => void (seen += batch.messages.length) });
  await poll(() => seen >= count, 120_000, 'baseline consumed');
  const consumeSeconds = (Date.now() - consumeStart) / 1000;
  await consumer.disconnect();
  return {
    produce_per_s: Math.round(count / produceSeconds),
    consume_per_s: Math.round(count / consumeSeconds),
  };
}

let conversationSeq = 0;
function nextBody(contactIds) {
  const n = conversationSeq++;
  const conversation = Math.floor(n / MESSAGES_PER_CONVERSATION);
  const part = n % MESSAGES_PER_CONVERSATION;
  const order = String(1_000_000_000 + (conversation % 8_000_000_000)).padStart(10, '0');
  const texts = [
    `hi, my order number is ${order}`,
    'it has not arrived yet',
    `order ${order} again`,
    'thanks, bye',
  ];
  return JSON.stringify({
    conversationId: `bench-${process.pid}-${conversation}`,
    contactId: contactIds[conversation % contactIds.length],
    mediaType: 'message',
    messages: [{ id: `m${part}`, from: 'customer', text: texts[part], timestamp: Date.now() }],
    ...(part === MESSAGES_PER_CONVERSATION - 1 ? { ended: true } : {}),
  });
}

/**
 * Every service's /metrics at a step's start and end, into the log directory
 * (`<app>.<rate>-start.prom`, `<app>.<rate>-end.prom`): their difference is what the step did
 * inside each service (e.g. the aggregator's lock waits and transaction durations).
 */
async function saveMetrics(services, label) {
  await Promise.all(
    services.map(async ({ app, url }) => {
      const text = await fetch(`${url}/metrics`)
        .then((response) => response.text())
        .catch((error) => `# not read: ${error.message}\n`);
      writeFileSync(join(logDir, `${app}.${label}.prom`), text);
    }),
  );
}

/** Load until the broker's JIT is quiet (see WARMUP_MIN_SECONDS); what it did, for the report. */
async function warmUp(ingestUrl, contactIds, rate) {
  const kafkaPid = stackPids().find(([name]) => name === 'kafka')?.[1];
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  let compilerCores = NaN;
  while (elapsed() < WARMUP_MAX_SECONDS) {
    const quiet = kafkaPid === undefined || compilerCores < WARMUP_JIT_QUIET_CORES;
    if (elapsed() >= WARMUP_MIN_SECONDS && quiet) break;
    const compiledBefore = kafkaPid === undefined ? 0 : jvmCompilerSeconds(kafkaPid);
    const sliceStarted = performance.now();
    await openModel({
      origin: ingestUrl,
      path: '/v1/genesys/events',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: () => nextBody(contactIds),
      rate,
      seconds: Math.min(WARMUP_SLICE_SECONDS, WARMUP_MAX_SECONDS - elapsed()),
    });
    if (kafkaPid !== undefined)
      compilerCores =
        (jvmCompilerSeconds(kafkaPid) - compiledBefore) / ((performance.now() - sliceStarted) / 1000);
  }
  return {
    rate_per_s: rate,
    seconds: Math.round(elapsed()),
    // NaN (not measured) when the broker was not started by this run.
    broker_jit_cores_last_slice: Math.round(compilerCores * 100) / 100,
  };
}

async function step(rate, ingestUrl, contactIds, services) {
  const admin = kafka.admin();
  await admin.connect();
  const samples = [];
  const sampler = setInterval(
    () =>
      void totalLag(admin)
        .then((lag) => samples.push({ at: Date.now(), lag }))
        .catch(() => undefined), // a sample lost to a metadata refresh; the next one counts
    2000,
  );
  await saveMetrics(services, `${rate}-start`);
  const startedAt = Date.now();
  const cpu = stepCpuMeter(services);
  // Each process's cores every 10 s of the step, into `<logDir>/cpu.<rate>.csv` (when it is busy).
  const cpuRows = [];
  let slice = stepCpuMeter(services);
  const cpuSampler = setInterval(() => {
    cpuRows.push({ second: Math.round((Date.now() - startedAt) / 1000), ...slice() });
    slice = stepCpuMeter(services);
  }, 10_000);
  const result = await openModel({
    origin: ingestUrl,
    path: '/v1/genesys/events',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: () => nextBody(contactIds),
    rate,
    seconds: STEP_SECONDS,
  });
  const endedAt = Date.now();
  const cpuCores = cpu();
  clearInterval(sampler);
  clearInterval(cpuSampler);
  if (cpuRows.length > 0) {
    const names = Object.keys(cpuRows[0]);
    writeFileSync(
      join(logDir, `cpu.${rate}.csv`),
      `${[names.join(','), ...cpuRows.map((row) => names.map((name) => row[name]).join(','))].join('\n')}\n`,
    );
  }
  await saveMetrics(services, `${rate}-end`);
  const rss = Object.fromEntries(services.map((s) => [s.app, Math.round(rssMib(s.pid))]));
  const sum = (lag) => Object.values(lag).reduce((a, b) => a + b, 0);
  // Lag growth: the second half of the step ends with more backlog than it started with, beyond
  // a quarter second of arrivals (batches in flight).
  const half = samples.filter((s) => s.at >= startedAt + (STEP_SECONDS * 1000) / 2);
  const growth = half.length >= 2 ? sum(half.at(-1).lag) - sum(half[0].lag) : 0;
  const achieved = result.achieved_per_s;
  await admin.disconnect();
  return {
    target_per_s: rate,
    achieved_per_s: Math.round(achieved),
    non_2xx: result.non2xx + result.errors,
    ingest_latency_p50_ms: result.p50_ms,
    ingest_latency_p99_ms: result.p99_ms,
    max_outstanding: result.max_outstanding,
    worst_seconds: result.worst_seconds,
    lag_growth: growth,
    lag_at_end: samples.at(-1)?.lag ?? {},
    sustained: achieved >= rate * 0.95 && result.non2xx + result.errors === 0 && growth <= rate * 0.25,
    rss_mib: rss,
    cpu_cores: cpuCores,
    startedAt,
    endedAt,
  };
}

/**
 * Hop latencies of every record the step sent. Also writes them record by record to
 * `<logDir>/hops.<rate>.csv` (ingest timestamp, then each hop's latency), to see when the tail happens.
 */
async function hopLatencies(since, until, rate) {
  const consumer = kafka.consumer({ groupId: `pipeline-bench-latency-${Date.now()}` });
  const perHop = Object.fromEntries(HOPS.map((hop) => [hop, []]));
  const rows = [`ingest_ts,${HOPS.map((hop) => `${hop}_ms`).join(',')}`];
  await consumer.connect();
  await consumer.subscribe({ topic: FINAL_TOPIC, fromBeginning: true });
  let last = Date.now();
  await consumer.run({
    eachMessage: async ({ message }) => {
      last = Date.now();
      const ingestAt = Number(message.headers?.['x-hop-ts-ingest']?.toString());
      if (!(ingestAt >= since && ingestAt <= until)) return;
      const row = [ingestAt];
      for (const hop of HOPS) {
        const at = Number(message.headers?.[`x-hop-ts-${hop}`]?.toString());
        if (Number.isFinite(at)) perHop[hop].push(at - ingestAt);
        row.push(Number.isFinite(at) ? at - ingestAt : '');
      }
      rows.push(row.join(','));
    },
  });
  await poll(() => Date.now() - last > 3000, 120_000, 'final topic read');
  await consumer.disconnect();
  writeFileSync(join(logDir, `hops.${rate}.csv`), `${rows.join('\n')}\n`);
  return Object.fromEntries(
    HOPS.map((hop) => {
      const sorted = perHop[hop].sort((a, b) => a - b);
      return [
        `ingest→${hop}`,
        { records: sorted.length, p50_ms: percentile(sorted, 50), p99_ms: percentile(sorted, 99) },
      ];
    }),
  );
}

async function main() {
  if (stack('up').status !== 0) throw new Error('private stack did not start');
  const admin = kafka.admin();
  await admin.connect();
  const compacted = new Set([
    'crm.internal.aggregator-state.v1',
    'crm.internal.crm-write-state.v1',
    'genesys.internal.analytics-poll-schedule.v1',
  ]);
  const topics = [
    ...GROUPS.map(([, topic]) => topic),
    FINAL_TOPIC,
    ...compacted,
    'crm.internal.entity-rejected.v1',
    'crm.internal.dead-letter.v1',
  ];
  await createTopics(
    admin,
    topics.map((topic) => ({
      topic,
      numPartitions: 6,
      configEntries: compacted.has(topic) ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
    })),
  );
  await admin.disconnect();

  const baseline = await brokerBaseline(quick ? 20_000 : 200_000);
  const floor = FLOOR ? pipelineFloor() : [];
  const simPort = await freePort();
  const simulator = await startApp('crm-simulator', simPort, {
    LOG_LEVEL: 'warn',
    SIMULATOR_SEED: 'empty',
    SIMULATOR_DAILY_API_LIMIT: '1000000000',
  });
  const seeded = await (
    await fetch(`${simulator.url}/__admin/contacts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        provider: 'salesforce',
        contacts: Array.from({ length: 500 }, (_, i) => ({ fields: { LastName: `Bench ${i}` } })),
      }),
    })
  ).json();
  const contactIds = seeded.contacts.map((contact) => contact.id);
  const services = [
    simulator,
    ...(await Promise.all([
      startApp('crm-writer', await freePort(), {
        ...kafkaEnv,
        CRM_PROVIDER: 'salesforce',
        SALESFORCE_INSTANCE_URL: simulator.url,
        SALESFORCE_TOKEN_URL: `${simulator.url}/services/oauth2/token`,
        SALESFORCE_CLIENT_ID: 'sim-salesforce-client',
        SALESFORCE_CLIENT_SECRET: 'sim-salesforce-secret',
        // The simulator is local: the org budget (20/s by default) would measure the limit, not us.
        CRM_RATE_PER_SECOND: '1000',
        CRM_RATE_BURST: '1000',
      }),
      startApp('aggregator', await freePort(), kafkaEnv),
      startApp('extractor', await freePort(), kafkaEnv),
      startApp('ingest', await freePort(), { ...kafkaEnv, INGEST_BEARER_TOKENS: TOKEN }),
    ])),
  ];
  const ingest = services.find((s) => s.app === 'ingest');

  const warmup = await warmUp(ingest.url, contactIds, Math.min(RATES[0], 1000));
  process.stdout.write(`[bench] warm-up: ${JSON.stringify(warmup)}\n`);
  const steps = [];
  let latency;
  for (const rate of RATES) {
    const result = await step(rate, ingest.url, contactIds, services);
    // Let the backlog drain before the next rate, so each step starts from an empty pipeline.
    const drainAdmin = kafka.admin();
    await drainAdmin.connect();
    await poll(
      async () => Object.values(await totalLag(drainAdmin)).every((lag) => lag <= 6),
      DRAIN_SECONDS * 1000,
      'lag drained',
    ).catch(() => undefined);
    await drainAdmin.disconnect();
    if (rate === LATENCY_RATE)
      // Every record sent during the step, also those the client sent late.
      latency = await hopLatencies(result.startedAt, result.endedAt, rate);
    steps.push(result);
    process.stdout.write(`[bench] ${rate}/s: ${JSON.stringify(result)}\n`);
  }
  const best = steps.filter((s) => s.sustained).map((s) => s.target_per_s);
  // DESIGN.md §9 report shape. Internal latency is ingest → update request: the aggregator hop.
  const internal = latency?.['ingest→aggregator'];
  const report = {
    name: 'pipeline',
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      node: process.version,
      model: cpus()[0]?.model,
      loadavg_at_end: loadavg().map((l) => l.toFixed(2)),
    },
    results: {
      events_per_s: best.length ? Math.max(...best) : null,
      [`p50_ms_at_${LATENCY_RATE}`]: internal?.p50_ms ?? null,
      [`p99_ms_at_${LATENCY_RATE}`]: internal?.p99_ms ?? null,
      // Our services only: the CRM simulator is a test tool that keeps every request.
      rss_mib_max: Math.max(
        0,
        ...steps.flatMap((step) =>
          Object.entries(step.rss_mib)
            .filter(([app]) => app !== 'crm-simulator')
            .map(([, mib]) => mib),
        ),
      ),
    },
    baseline: {
      kafkajs_produce_per_s: baseline.produce_per_s,
      kafkajs_consume_per_s: baseline.consume_per_s,
      ...(floor.length
        ? {
            floor_events_per_s: Math.max(
              0,
              ...floor.filter((row) => row.sustained).map((row) => row.target_per_s),
            ),
            [`floor_p50_ms_at_${LATENCY_RATE}`]:
              floorAt(floor, LATENCY_RATE)?.latency['ingest→txn'].p50_ms ?? null,
            [`floor_p99_ms_at_${LATENCY_RATE}`]:
              floorAt(floor, LATENCY_RATE)?.latency['ingest→txn'].p99_ms ?? null,
          }
        : {}),
    },
    floor_step_seconds: FLOOR_STEP_SECONDS,
    floor,
    quick,
    services: FROM_SOURCES
      ? 'sources under @swc-node/register, default heap'
      : Object.fromEntries(
          APPS.map((app) => [app, `dist bundle, ${describeRuntime(deployedRuntime(root, app))}`]),
        ),
    step_seconds: STEP_SECONDS,
    warmup,
    highest_sustained_events_per_s: best.length ? Math.max(...best) : null,
    latency_rate_per_s: LATENCY_RATE,
    latency: latency ?? null,
    steps: steps.map((s) =>
      Object.fromEntries(Object.entries(s).filter(([key]) => key !== 'startedAt' && key !== 'endedAt')),
    ),
  };
  console.table(
    Object.fromEntries(
      steps.map((s) => [
        `${s.target_per_s}/s`,
        {
          achieved: s.achieved_per_s,
          errors: s.non_2xx,
          'ingest p99 ms': s.ingest_latency_p99_ms,
          'lag growth': s.lag_growth,
          sustained: s.sustained,
          'CPU cores': s.cpu_cores.total,
        },
      ]),
    ),
  );
  console.log(
    'services:',
    FROM_SOURCES
      ? 'from sources (--sources), default heap'
      : "dist bundles with their manifests' node flags, NODE_OPTIONS and MALLOC_* (report: services)",
  );
  console.log('baseline (raw kafkajs on the same broker):', baseline);
  if (floor.length) {
    console.log(`baseline 2, the pipeline's shape with none of our work (${FLOOR_STEP_SECONDS}-s steps):`);
    console.table(
      Object.fromEntries(
        floor.map((row) => [
          `${row.target_per_s}/s`,
          {
            achieved: row.achieved_per_s,
            sustained: row.sustained,
            'CPU cores': row.cpu_cores.total,
            broker: row.cpu_cores.kafka,
            'internal p50 ms': row.latency['ingest→txn'].p50_ms,
            'internal p99 ms': row.latency['ingest→txn'].p99_ms,
          },
        ]),
      ),
    );
  }
  console.log(`hop latency at ${LATENCY_RATE} events/s:`, latency);
  console.log(
    'RSS MiB per service (end of each step):',
    Object.fromEntries(steps.map((s) => [s.target_per_s, s.rss_mib])),
  );
  console.log(
    'CPU cores used per step (the box has 2):',
    Object.fromEntries(steps.map((s) => [s.target_per_s, s.cpu_cores])),
  );
  mkdirSync(join(root, 'reports', 'bench'), { recursive: true });
  writeFileSync(join(root, 'reports', 'bench', 'pipeline.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log('wrote reports/bench/pipeline.json');
}

function floorAt(floor, rate) {
  return floor.find((row) => row.target_per_s === rate);
}

// A graceful stop first (SIGTERM, as Kubernetes does), so that a service's --cpu-prof is written.
async function stopServices() {
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
  for (const child of running) child.kill('SIGTERM');
  await Promise.race([
    Promise.all(running.map((child) => new Promise((resolve) => child.once('exit', resolve)))),
    new Promise((resolve) => setTimeout(resolve, 15_000)),
  ]);
}

let cleaned = false;
const cleanup = () => {
  if (cleaned) return;
  cleaned = true;
  for (const child of children) child.kill('SIGKILL');
  stack('down');
  rmSync(stackDir, { recursive: true, force: true });
};
// Whatever ends the run, leave no service or private broker behind.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => (cleanup(), process.exit(130)));
process.on('uncaughtException', (error) => (console.error(error), cleanup(), process.exit(1)));
main()
  .then(stopServices)
  .then(cleanup)
  .catch((error) => {
    console.error(error);
    cleanup();
    process.exitCode = 1;
  });
