// Ingest benchmark (DESIGN.md §9): autocannon with 100 connections (closed loop, for the highest
// rate) against the ingest app pinned to one core (taskset -c 1 when available), answering only
// after the Kafka ack (acks=all), next to two baselines measured in the same invocation: a bare
// Fastify hello-world, and the floor of the stack (fastify-kafka-floor.mjs: Fastify + kafkajs,
// acks=all, nothing else); then 5,000 requests/s as an open model (../support/open-model.mjs) for p99. Prints a table and writes
// reports/bench/ingest.json. Needs the local stack (started if missing).
//   node test/bench/ingest/ingest.bench.mjs [--quick] [--swc]
import { spawn, spawnSync } from 'node:child_process';
import { clearInterval, setInterval } from 'node:timers';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { openModel } from '../support/open-model.mjs';
import { cpuSeconds, statusMib } from '../support/proc-status.mjs';
import { freePort } from '../support/free-port.mjs';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const { Kafka, logLevel } = require('kafkajs');

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const quick = process.argv.includes('--quick');
const seconds = quick ? 5 : 20;
const warmupSeconds = quick ? 2 : 5;
const CONNECTIONS = 100;
const FIXED_RATE = 5000;
const TOKEN = `bench-${randomBytes(8).toString('hex')}`;
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const registry = process.env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
// The heap settings ingest is meant to run with (apps/ingest/README.md "Runtime"): without a cap V8
// lets the old space grow to ~100 MiB under load before collecting; the live heap is ~35 MiB. A 4 MiB
// semi-space keeps RSS ~10 MiB lower than 8 MiB at no CPU cost measurable on this box.
// BENCH_INGEST_NODE_OPTIONS replaces them (to compare heap settings).
const INGEST_NODE_OPTIONS =
  process.env.BENCH_INGEST_NODE_OPTIONS ?? '--max-old-space-size=64 --max-semi-space-size=4';
const pin = spawnSync('taskset', ['--version']).status === 0 ? ['taskset', '-c', '1'] : [];

function start(command, args, env, readyUrl, readyLine) {
  const [bin, ...rest] = [...pin, command, ...args];
  const child = spawn(bin, rest, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 60_000;
  return new Promise((resolve, reject) => {
    const poll = async () => {
      if (child.exitCode !== null) return reject(new Error(`${command} exited early:\n${output}`));
      if (Date.now() > deadline) return reject(new Error(`${command} not ready in 60 s:\n${output}`));
      try {
        if (readyLine ? output.includes(readyLine) : (await fetch(readyUrl)).ok) return resolve(child);
      } catch {
        // not listening yet
      }
      setTimeout(poll, 200);
    };
    void poll();
  });
}

const rssMib = (pid) => statusMib(pid, 'VmRSS');

// CPU per request: on a shared, busy box the request rate a whole core would sustain is better
// estimated from CPU per request than from wall-clock throughput.
async function measured(pid, url, extra) {
  const cpuBefore = cpuSeconds(pid);
  const result = summary(await run(url, extra));
  const cpuMsPerReq = ((cpuSeconds(pid) - cpuBefore) * 1000) / Math.max(1, result.req_per_s * seconds);
  return {
    ...result,
    cpu_ms_per_req: Math.round(cpuMsPerReq * 1000) / 1000,
    cpu_bound_req_per_s: Math.round(1000 / cpuMsPerReq),
  };
}

/** Starts a baseline server of this directory on the pinned core, warms it up, measures it, stops it. */
async function measuredBaseline(script, env) {
  const port = await freePort();
  const server = await start(
    process.execPath,
    [join('test', 'bench', 'ingest', script)],
    { ...env, PORT: String(port) },
    null,
    'listening',
  );
  children.push(server);
  await run(`http://127.0.0.1:${port}`, { duration: warmupSeconds });
  const result = await measured(server.pid, `http://127.0.0.1:${port}`);
  server.kill('SIGTERM');
  return result;
}

// The fixed-rate run is an open model (uniform arrivals, latency from each request's due time; see
// ../support/open-model.mjs for why not autocannon's overallRate), over the same connections.
async function atFixedRate(pid, url) {
  const cpuBefore = cpuSeconds(pid);
  let counter = 0;
  const result = await openModel({
    origin: url,
    path: '/v1/genesys/events',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: () => body(counter++),
    rate: FIXED_RATE,
    seconds,
    connections: CONNECTIONS,
  });
  const cpuMsPerReq = ((cpuSeconds(pid) - cpuBefore) * 1000) / result.requests;
  return {
    req_per_s: result.achieved_per_s,
    p50_ms: result.p50_ms,
    p99_ms: result.p99_ms,
    non2xx: result.non2xx,
    errors: result.errors,
    max_outstanding: result.max_outstanding,
    cpu_ms_per_req: Math.round(cpuMsPerReq * 1000) / 1000,
    cpu_bound_req_per_s: Math.round(1000 / cpuMsPerReq),
  };
}

function body(index) {
  return JSON.stringify({
    conversationId: `bench-${index % 5000}`,
    contactId: '003XX000004TMM2',
    mediaType: 'message',
    messages: [
      {
        id: `m-${index}`,
        from: 'customer',
        text: 'Hi, my order number is 1234567890 and my email is jane@example.com',
        timestamp: 1767225605000,
      },
    ],
  });
}

function run(url, extra = {}) {
  let counter = 0;
  return autocannon({
    url: `${url}/v1/genesys/events`,
    connections: CONNECTIONS,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    requests: [{ setupRequest: (request) => ({ ...request, body: body(counter++) }) }],
    ...extra,
  });
}

const row = (result) => ({
  'req/s': result.req_per_s,
  'p50 ms': result.p50_ms,
  'p99 ms': result.p99_ms,
  'CPU ms/req': result.cpu_ms_per_req,
  'req/s per core (CPU)': result.cpu_bound_req_per_s,
  non2xx: result.non2xx,
  errors: result.errors,
});

const summary = (result) => ({
  req_per_s: Math.round(result.requests.average),
  p50_ms: result.latency.p50,
  p99_ms: result.latency.p99,
  non2xx: result.non2xx,
  errors: result.errors + result.timeouts,
});

spawnSync(process.execPath, ['tools/local-stack/stack.mjs', 'up'], { cwd: root, stdio: 'inherit' });
const topic = `bench.ingest.${Date.now().toString(36)}.${randomBytes(3).toString('hex')}`;
const floorTopic = `${topic}.floor`;
const admin = new Kafka({
  clientId: 'ingest-bench',
  brokers: brokers.split(','),
  logLevel: logLevel.NOTHING,
}).admin();
await admin.connect();
await admin.createTopics({
  waitForLeaders: true,
  topics: [topic, floorTopic].map((name) => ({ topic: name, numPartitions: 6, replicationFactor: 1 })),
});

const children = [];
const stopAll = () => children.forEach((child) => child.exitCode === null && child.kill('SIGTERM'));
process.on('exit', stopAll);
try {
  const baseResult = await measuredBaseline('fastify-baseline.mjs', {});
  // The floor of the stack: Fastify + one kafkajs idempotent producer, acks=all, nothing else.
  const floorResult = await measuredBaseline('fastify-kafka-floor.mjs', {
    KAFKA_BROKERS: brokers,
    TOPIC: floorTopic,
    NODE_OPTIONS: INGEST_NODE_OPTIONS,
  });

  const ingestPort = await freePort();
  const ingestUrl = `http://127.0.0.1:${ingestPort}`;
  const mainTs = join('apps', 'ingest', 'src', 'main.ts');
  const dist = join(root, 'dist', 'apps', 'ingest', 'main.js');
  // The webpack bundle, as deployed; --swc runs the sources through @swc-node/register instead
  // (its in-process compiler adds ~100 MiB RSS, so RSS is only meaningful on the bundle).
  const useDist = !process.argv.includes('--swc');
  if (useDist) spawnSync('npx', ['nx', 'run', 'ingest:build'], { cwd: root, stdio: 'inherit' });
  if (useDist && !existsSync(dist)) throw new Error(`build did not produce ${dist}`);
  const ingest = await start(
    process.execPath,
    useDist ? [dist] : ['-r', '@swc-node/register', mainTs],
    {
      PORT: String(ingestPort),
      HOST: '127.0.0.1',
      KAFKA_BROKERS: brokers,
      SCHEMA_REGISTRY_URL: registry,
      INGEST_BEARER_TOKENS: TOKEN,
      INGEST_TOPIC: topic,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      NODE_OPTIONS: [process.env.NODE_OPTIONS, INGEST_NODE_OPTIONS].filter(Boolean).join(' '),
      SWC_NODE_PROJECT: join(root, 'apps', 'ingest', 'tsconfig.app.json'),
    },
    `${ingestUrl}/health/ready`,
  );
  children.push(ingest);
  let rssMax = 0;
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, rssMib(ingest.pid))), 250);
  await run(ingestUrl, { duration: warmupSeconds });
  const ingestResult = await measured(ingest.pid, ingestUrl);
  const fixedResult = await atFixedRate(ingest.pid, ingestUrl);
  clearInterval(sampler);
  rssMax = Math.max(rssMax, rssMib(ingest.pid));
  const offsets = await admin.fetchTopicOffsets(topic);
  const produced = offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
  ingest.kill('SIGTERM');

  const report = {
    name: 'ingest',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    results: {
      req_per_s: ingestResult.req_per_s,
      p99_ms_at_5000: fixedResult.p99_ms,
      rss_mib: Math.round(rssMax * 10) / 10,
    },
    baseline: {
      fastify_req_per_s: baseResult.req_per_s,
      fastify_kafka_floor_req_per_s: floorResult.req_per_s,
    },
    // Load-independent view: the rate one full core would sustain at the measured CPU cost per request.
    cpu: {
      ingest_cpu_ms_per_req: ingestResult.cpu_ms_per_req,
      ingest_cpu_bound_req_per_s: ingestResult.cpu_bound_req_per_s,
      fastify_cpu_ms_per_req: baseResult.cpu_ms_per_req,
      fastify_cpu_bound_req_per_s: baseResult.cpu_bound_req_per_s,
      floor_cpu_ms_per_req: floorResult.cpu_ms_per_req,
      floor_cpu_bound_req_per_s: floorResult.cpu_bound_req_per_s,
      load_average_1m: loadavg()[0],
    },
    details: {
      quick,
      seconds,
      connections: CONNECTIONS,
      pinned: pin.length > 0 ? 'cpu 1' : 'not pinned (taskset missing)',
      runtime: useDist ? 'dist (webpack)' : '@swc-node/register',
      node_options: INGEST_NODE_OPTIONS,
      ingest: ingestResult,
      ingest_at_5000: fixedResult,
      fastify: baseResult,
      fastify_kafka_floor: floorResult,
      records_in_topic: produced,
      topic,
    },
  };
  console.table({
    'fastify baseline': row(baseResult),
    'fastify + kafkajs floor (acks=all)': row(floorResult),
    'ingest (acks=all)': row(ingestResult),
    'ingest @5000 req/s': row(fixedResult),
  });
  console.log(
    `ingest RSS max ${report.results.rss_mib} MiB; ${produced} records in ${topic}; targets: >=10000 req/s, p99 <=25 ms at 5000 req/s, RSS <=128 MiB`,
  );
  mkdirSync(join(root, 'reports', 'bench'), { recursive: true });
  writeFileSync(join(root, 'reports', 'bench', 'ingest.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log('wrote reports/bench/ingest.json');
} finally {
  stopAll();
  await admin.deleteTopics({ topics: [topic, floorTopic] }).catch(() => undefined);
  await admin.disconnect();
}
