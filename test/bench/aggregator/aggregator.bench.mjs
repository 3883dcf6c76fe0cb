// Aggregator throughput with Kafka transactions vs at-least-once, RSS with 7,000 open
// conversations, and heap per open conversation (state-heap.bench.mjs) (DESIGN.md §9, issue 6).
// Pre-fills one input topic with N records spread over 7,000 interleaved conversations, then runs
// the real app (apps/aggregator/src/main.ts) over it with AGGREGATOR_EOS=true and with false, each
// run on fresh output/state topics and group, timing from readiness until the group's committed
// offsets reach the end of the input. `--pairs N` (3 by default, 1 with --quick) repeats the pair,
// alternating which mode goes first; rates are the median per mode, the cost is taken from the
// medians and printed per pair too, since a single pair on a shared box can swing either way.
//   node test/bench/aggregator/aggregator.bench.mjs [--quick] [--records N] [--pairs N] [--sources] [--node-flags '...']
// Runs dist/apps/aggregator/main.js when built (npx nx build aggregator), else the sources.
// Writes reports/bench/aggregator.json. Needs the local stack (npm run stack:up).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { statusMib } from '../support/proc-status.mjs';
import { freePort } from '../support/free-port.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

if (process.env.AGGREGATOR_BENCH_CHILD !== '1') {
  const child = spawnSync(
    process.execPath,
    ['-r', '@swc-node/register', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        AGGREGATOR_BENCH_CHILD: '1',
        SWC_NODE_PROJECT: join(root, 'tsconfig.base.json'),
      },
    },
  );
  process.exit(child.status ?? 1);
}

const require = createRequire(import.meta.url);
const { Kafka, logLevel } = require('kafkajs');
const { AvroSerde, encodeKey, createIdempotentProducer } = require(
  join(root, 'libs/kafka/core/src/index.ts'),
);
const { schemaOf, subjectFor } = require(join(root, 'libs/contracts/src/index.ts'));
const { anEntity, aLifecycle, aContact, T0 } = require(join(root, 'libs/aggregation/src/testing.ts'));

const quick = process.argv.includes('--quick');
const recordsArg = process.argv.indexOf('--records');
const RECORDS = recordsArg > 0 ? Number(process.argv[recordsArg + 1]) : quick ? 60_000 : 300_000;
const pairsArg = process.argv.indexOf('--pairs');
const PAIRS = pairsArg > 0 ? Number(process.argv[pairsArg + 1]) : quick ? 1 : 3;
const CONVERSATIONS = 7_000;
const PARTITIONS = 6;
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const registryUrl = process.env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
const run = `${Date.now().toString(36)}`;
// Node flags for the app under test, as a deployment would set them (see apps/aggregator/README.md).
const flagsArg = process.argv.indexOf('--node-flags');
const NODE_FLAGS = (
  flagsArg > 0 ? process.argv[flagsArg + 1] : '--max-semi-space-size=1 --max-old-space-size=96'
)
  .split(' ')
  .filter(Boolean);
// The webpack bundle when built (what production runs), else the sources under @swc-node/register.
const bundle = join(root, 'dist/apps/aggregator/main.js');
const entry =
  process.argv.includes('--sources') || !existsSync(bundle)
    ? ['-r', '@swc-node/register', 'apps/aggregator/src/main.ts']
    : [bundle];

// Settings passed on to the app from the bench's environment, to compare one against the default:
// glibc malloc tunables (apps/aggregator/README.md "Memory"), fetch size per partition, partitions
// processed at once, records per transaction.
const PASSED_THROUGH = [
  'MALLOC_ARENA_MAX',
  'MALLOC_MMAP_THRESHOLD_',
  'MALLOC_TRIM_THRESHOLD_',
  'AGGREGATOR_MAX_BYTES_PER_PARTITION',
  'AGGREGATOR_MAX_BYTES',
  'AGGREGATOR_PARTITION_CONCURRENCY',
  'AGGREGATOR_COMMIT_MAX_RECORDS',
];
function passedThrough() {
  return Object.fromEntries(
    PASSED_THROUGH.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]]),
  );
}

const kafka = new Kafka({ clientId: `agg-bench-${run}`, brokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const serde = AvroSerde.connect({ url: registryUrl });

function conversationId(c) {
  return `bench-${run}-${String(c).padStart(5, '0')}`;
}

/** Record k of conversation c: mostly repeated mentions of a few values, like real calls and chats. */
function recordOf(c, k) {
  const id = conversationId(c);
  const mediaType = c % 5 === 0 ? 'CHAT' : 'VOICE';
  const occurredAt = T0 + k * 1_000;
  const base = { conversationId: id, mediaType };
  if (k === 1)
    return aLifecycle('CONTACT_ATTRIBUTES', {
      ...base,
      contactHints: aContact({ contactId: `003${c}` }),
      occurredAt,
    });
  if (k > 0 && k % 7 === 0)
    return aLifecycle('SENTIMENT', { ...base, sentimentScore: (k % 10) / 10, occurredAt });
  const types = ['OrderNumber', 'Email', 'AccountId', 'Phone'];
  const entityType = types[k % types.length];
  const value = {
    OrderNumber: String(1_000_000_000 + c),
    Email: `c${c}@example.com`,
    AccountId: `AC-${String(10_000_000 + c)}`,
    Phone: `+1415555${String(c % 10_000).padStart(4, '0')}`,
  }[entityType];
  return anEntity({
    ...base,
    entityId: `${id}-e${k}`,
    sourceEventId: `${id}-s${k}`,
    entityType,
    value,
    rawValue: value,
    occurredAt,
  });
}

async function createTopic(topic, compact = false) {
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      {
        topic,
        numPartitions: PARTITIONS,
        replicationFactor: 1,
        configEntries: compact ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
      },
    ],
  });
}

async function prefill(topic) {
  const handle = await serde.register(subjectFor(topic, 'value'), schemaOf('entity-extracted', 'value'));
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  const started = Date.now();
  const chunk = 5_000;
  for (let from = 0; from < RECORDS; from += chunk) {
    const messages = [];
    for (let i = from; i < Math.min(from + chunk, RECORDS); i++) {
      const c = i % CONVERSATIONS;
      const k = Math.floor(i / CONVERSATIONS);
      messages.push({ key: encodeKey(conversationId(c)), value: serde.encode(handle, recordOf(c, k)) });
    }
    await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();
  return Date.now() - started;
}

const poll = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function committedAtEnd(groupId, topic, ends) {
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return ends.every((end) => {
    const at = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
    return end.high === end.low || BigInt(at) >= BigInt(end.high);
  });
}

async function metric(port, name) {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(' ').pop()) : NaN;
}

/** Where the process's memory is (MiB): RSS, V8 heap used and reserved, off-heap (Buffers). */
async function memory(port) {
  const mib = async (name) => (await metric(port, name)) / 1_048_576;
  return {
    rss: await mib('process_resident_memory_bytes'),
    heapUsed: await mib('nodejs_heap_size_used_bytes'),
    heapTotal: await mib('nodejs_heap_size_total_bytes'),
    external: await mib('nodejs_external_memory_bytes'),
  };
}

/**
 * RSS once the app is idle after the run, holding its open conversations: sampled every 500 ms
 * until four samples in a row (2 s) lie within 0.5 MiB, or 30 s. The sample taken the moment the
 * input is committed lands at an arbitrary point of V8's collection cycle (the last full GC of the
 * run usually follows it within a second), so it measures GC timing more than what is held.
 */
async function settledMemory(port) {
  const window = [];
  const deadline = Date.now() + 30_000;
  for (;;) {
    window.push(await memory(port));
    if (window.length > 4) window.shift();
    const rss = window.map((m) => m.rss);
    const settled = window.length === 4 && Math.max(...rss) - Math.min(...rss) < 0.5;
    if (settled || Date.now() > deadline) return { ...window[window.length - 1], settled };
    await poll(500);
  }
}

/** The process's peak RSS so far (VmHWM), or null off Linux. */
function peakRssMib(pid) {
  try {
    const mib = statusMib(pid, 'VmHWM');
    return Number.isNaN(mib) ? null : mib;
  } catch {
    return null;
  }
}

async function runMode(input, eos, pair) {
  const mode = eos ? 'eos' : 'alo';
  const output = `agg-bench-${run}-${pair}-${mode}-out`;
  const state = `agg-bench-${run}-${pair}-${mode}-state`;
  await createTopic(output);
  await createTopic(state, true);
  const groupId = `agg-bench-${run}-${pair}-${mode}`;
  const port = await freePort();
  const child = spawn(process.execPath, [...NODE_FLAGS, ...entry], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      PATH: process.env.PATH,
      ...passedThrough(),
      SWC_NODE_PROJECT: 'apps/aggregator/tsconfig.app.json',
      KAFKA_BROKERS: brokers.join(','),
      SCHEMA_REGISTRY_URL: registryUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      AGGREGATOR_GROUP_ID: groupId,
      AGGREGATOR_INPUT_TOPIC: input,
      AGGREGATOR_OUTPUT_TOPIC: output,
      AGGREGATOR_STATE_TOPIC: state,
      AGGREGATOR_TRANSACTIONAL_ID_PREFIX: groupId,
      AGGREGATOR_PROVISION_TOPICS: 'false',
      AGGREGATOR_EOS: String(eos),
    },
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`aggregator (${mode}) exited with ${child.exitCode}`);
      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ready) break;
      await poll(20);
    }
    const idle = await memory(port);
    const cpuBefore = await metric(port, 'process_cpu_seconds_total');
    const started = Date.now();
    const ends = await admin.fetchTopicOffsets(input);
    const deadline = Date.now() + 10 * 60_000;
    while (!(await committedAtEnd(groupId, input, ends))) {
      if (Date.now() > deadline)
        throw new Error(`aggregator (${mode}) did not commit the whole input in 10 minutes`);
      await poll(50);
    }
    const seconds = (Date.now() - started) / 1000;
    const loaded = await memory(port);
    // CPU time of the app per record: less sensitive than wall time to other load on the box.
    const cpuUsPerRecord = (((await metric(port, 'process_cpu_seconds_total')) - cpuBefore) * 1e6) / RECORDS;
    const open = await metric(port, 'aggregator_open_conversations');
    const settled = await settledMemory(port);
    const peakRss = peakRssMib(child.pid);
    const metricsText = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const sumOf = (prefix) =>
      metricsText
        .split('\n')
        .filter((l) => l.startsWith(prefix))
        .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
    const flushes = sumOf('aggregator_flushes_total{');
    const aborted = sumOf('aggregator_transactions_total{outcome="aborted"');
    return {
      mode,
      seconds,
      msgPerS: RECORDS / seconds,
      cpuUsPerRecord,
      idle,
      loaded,
      rssMib: settled.rss,
      settled,
      peakRss,
      open,
      flushes,
      aborted,
    };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await admin.deleteTopics({ topics: [output, state] }).catch(() => undefined);
  }
}

// Heap per open conversation as the store holds it (state-heap.bench.mjs, its own process with a GC).
const stateHeap = spawnSync(
  process.execPath,
  ['--expose-gc', '-r', '@swc-node/register', join(root, 'test/bench/aggregator/state-heap.bench.mjs')],
  {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, SWC_NODE_PROJECT: join(root, 'tsconfig.base.json') },
  },
);
if (stateHeap.status !== 0) throw new Error(`state-heap bench failed: ${stateHeap.stderr}`);
const perConversation = JSON.parse(stateHeap.stdout.trim().split('\n').at(-1));

await admin.connect();
const input = `agg-bench-${run}-in`;
await createTopic(input);
const prefillMs = await prefill(input);
const pairs = [];
for (let pair = 0; pair < PAIRS; pair++) {
  // Alternate the order, so warming up (page cache, broker, JIT of the bench) favours neither mode.
  const first = await runMode(input, pair % 2 === 0, pair);
  const second = await runMode(input, pair % 2 !== 0, pair);
  pairs.push(first.mode === 'eos' ? { eos: first, alo: second } : { eos: second, alo: first });
}
await admin.deleteTopics({ topics: [input] }).catch(() => undefined);
await admin.disconnect();

/** The run with the median rate of a mode (the upper middle one for an even count). */
function median(mode) {
  const runs = pairs.map((p) => p[mode]).sort((a, b) => a.msgPerS - b.msgPerS);
  return runs[Math.floor(runs.length / 2)];
}
const eos = median('eos');
const alo = median('alo');
const maxOf = (mode, pick) => Math.max(...pairs.map((p) => pick(p[mode]) ?? Number.NaN));
const maxRss = (mode) => maxOf(mode, (run) => run.rssMib);
const unsettled = pairs.flatMap((p) => [p.eos, p.alo]).filter((run) => !run.settled.settled).length;
const pairCosts = pairs.map((p) => (1 - p.eos.msgPerS / p.alo.msgPerS) * 100);
const costPct = (1 - eos.msgPerS / alo.msgPerS) * 100;
const rssBudgetMib = 128 + (CONVERSATIONS * 4) / 1024;
const table = [
  ['app', entry.length === 1 ? 'dist bundle' : 'sources (swc-node)', NODE_FLAGS.join(' ')],
  ...Object.entries(passedThrough()).map(([name, value]) => [`  ${name}`, value, 'from the environment']),
  ['records', RECORDS, ''],
  ['conversations', CONVERSATIONS, ''],
  ['prefill s', (prefillMs / 1000).toFixed(1), ''],
  ['pairs (eos first when even)', PAIRS, ''],
  ['eos msg/s (median)', Math.round(eos.msgPerS), '≥ 18,000'],
  ['alo msg/s (median)', Math.round(alo.msgPerS), ''],
  ['transaction cost % (medians)', costPct.toFixed(1), '≤ 10'],
  ['  per pair', pairCosts.map((c) => c.toFixed(1)).join(' / '), ''],
  ['  eos msg/s per pair', pairs.map((p) => Math.round(p.eos.msgPerS)).join(' / '), ''],
  ['  alo msg/s per pair', pairs.map((p) => Math.round(p.alo.msgPerS)).join(' / '), ''],
  ['cpu µs/record (eos / alo)', `${eos.cpuUsPerRecord.toFixed(1)} / ${alo.cpuUsPerRecord.toFixed(1)}`, ''],
  ['open conversations (eos)', eos.open, ''],
  ['updates produced by the end (eos / alo)', `${eos.flushes} / ${alo.flushes}`, ''],
  ['aborted transactions (eos, all)', pairs.reduce((sum, p) => sum + p.eos.aborted, 0), '0'],
  [
    `rss MiB (eos, ${CONVERSATIONS} open, settled, max)`,
    maxRss('eos').toFixed(1),
    `≤ ${rssBudgetMib.toFixed(1)}${unsettled ? ` (${unsettled} runs not settled in 30 s)` : ''}`,
  ],
  ['  per pair', pairs.map((p) => p.eos.rssMib.toFixed(1)).join(' / '), ''],
  ['rss MiB (eos, end of run, max)', maxOf('eos', (run) => run.loaded.rss).toFixed(1), ''],
  ['peak rss MiB (eos, VmHWM, max)', maxOf('eos', (run) => run.peakRss).toFixed(1), ''],
  ['rss MiB (eos, ready, empty)', eos.idle.rss.toFixed(1), ''],
  [
    'heap used / total MiB (eos, settled)',
    `${eos.settled.heapUsed.toFixed(1)} / ${eos.settled.heapTotal.toFixed(1)}`,
    '',
  ],
  [
    'heap used / total MiB (eos, end)',
    `${eos.loaded.heapUsed.toFixed(1)} / ${eos.loaded.heapTotal.toFixed(1)}`,
    '',
  ],
  [
    'heap used / total MiB (eos, ready)',
    `${eos.idle.heapUsed.toFixed(1)} / ${eos.idle.heapTotal.toFixed(1)}`,
    '',
  ],
  [
    'external MiB (eos, settled / end / ready)',
    `${eos.settled.external.toFixed(1)} / ${eos.loaded.external.toFixed(1)} / ${eos.idle.external.toFixed(1)}`,
    '',
  ],
  [
    'rss MiB (alo, settled / peak, max)',
    `${maxRss('alo').toFixed(1)} / ${maxOf('alo', (run) => run.peakRss).toFixed(1)}`,
    '',
  ],
  ['heap B per open conversation', perConversation.store_bytes_per_conversation, '≤ 4,096'],
  ['  (same state as plain objects)', perConversation.state_as_objects_bytes, ''],
];
console.log(`\naggregator bench${quick ? ' (quick)' : ''}`);
for (const [name, value, target] of table)
  console.log(`  ${String(name).padEnd(30)} ${String(value).padStart(12)}  ${target}`);

const report = {
  name: 'aggregator',
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, node: process.version },
  results: {
    eos_msg_per_s: Math.round(eos.msgPerS),
    alo_msg_per_s: Math.round(alo.msgPerS),
    rss_mib: Number(maxRss('eos').toFixed(1)),
  },
  baseline: { alo_msg_per_s: Math.round(alo.msgPerS) },
  details: {
    records: RECORDS,
    conversations: CONVERSATIONS,
    partitions: PARTITIONS,
    transaction_cost_pct: Number(costPct.toFixed(1)),
    pairs: pairs.map((p, i) => ({
      eos_first: i % 2 === 0,
      eos_msg_per_s: Math.round(p.eos.msgPerS),
      alo_msg_per_s: Math.round(p.alo.msgPerS),
      transaction_cost_pct: Number(pairCosts[i].toFixed(1)),
      eos_rss_mib: Number(p.eos.rssMib.toFixed(1)),
      eos_rss_end_of_run_mib: Number(p.eos.loaded.rss.toFixed(1)),
      eos_peak_rss_mib: p.eos.peakRss === null ? null : Number(p.eos.peakRss.toFixed(1)),
    })),
    cpu_us_per_record: {
      eos: Number(eos.cpuUsPerRecord.toFixed(1)),
      alo: Number(alo.cpuUsPerRecord.toFixed(1)),
    },
    rss_budget_mib: rssBudgetMib,
    node_flags: NODE_FLAGS.join(' '),
    environment: passedThrough(),
    heap_bytes_per_open_conversation: perConversation.store_bytes_per_conversation,
    heap_bytes_per_state_as_objects: perConversation.state_as_objects_bytes,
    memory_mib: {
      eos_ready: eos.idle,
      eos_end_of_run: eos.loaded,
      eos_settled: eos.settled,
      alo_end_of_run: alo.loaded,
      alo_settled: alo.settled,
    },
    quick,
  },
};
mkdirSync(join(root, 'reports/bench'), { recursive: true });
writeFileSync(join(root, 'reports/bench/aggregator.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nwrote reports/bench/aggregator.json`);
