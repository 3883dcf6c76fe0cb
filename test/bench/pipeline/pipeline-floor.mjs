// The floor of the pipeline's shape on this box: what Node, Fastify, kafkajs and the broker cost
// for the same hops with none of our work in them. Four processes, as the services are deployed:
//   front  Fastify, raw body → `floor-in` (idempotent producer, acks=all), 202 after the ack
//   relay  `floor-in` → `floor-mid` (consume a batch, produce it, commit): the extractor's shape
//   txn    `floor-mid` → `floor-out` in one Kafka transaction per partition batch, with the input
//          offsets (one transactional producer per partition): the aggregator's exactly-once shape;
//          it forwards one record per conversation, the one that ends it (4 events each)
//   sink   `floor-out` (read_committed) → a GET and a PATCH per record to `crm` (a bare Node HTTP
//          server), as the crm-writer does per update → `floor-final`
// The records carry the hop timestamps the services stamp (`x-hop-ts-<hop>`), so latency is
// measured the same way as in pipeline.bench.mjs. Open-model load at fixed rates, CPU per process
// (the broker's too), lag of the three groups.
//
// node test/bench/pipeline/pipeline-floor.mjs [--rates=1000,5000] [--step-seconds=60] [--warmup-seconds=20]
// Uses the running local stack (`npm run stack:up`; KAFKA_BROKERS, LOCAL_STACK_DIR as for it);
// pipeline.bench.mjs runs it on its private stack as its same-run baseline. One JSON line per step.
// Why it exists: test/bench/pipeline/README.md, "The floor of the pipeline's shape".
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { clearInterval, setInterval } from 'node:timers';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { openModel } from '../support/open-model.mjs';
import { cpuMeter } from '../support/proc-status.mjs';
import { batchingSend } from '../support/batching-send.mjs';
import { freePort } from '../support/free-port.mjs';

const require = createRequire(import.meta.url);
const { Kafka, logLevel } = require('kafkajs');
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const arg = (name, fallback) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
// TCP_NODELAY, as the services' clients have it (libs/kafka/core, socket-factory.ts): without it
// Nagle's algorithm holds small requests back and the hops measure the kernel, not the stack.
const socketFactory = ({ host, port, onConnect }) => connect({ host, port, noDelay: true }, onConnect);
const kafka = new Kafka({ clientId: 'pipeline-floor', brokers, logLevel: logLevel.NOTHING, socketFactory });
const RUN = arg('run', Date.now().toString(36));
const TOPICS = {
  in: `floor-in-${RUN}`,
  mid: `floor-mid-${RUN}`,
  out: `floor-out-${RUN}`,
  final: `floor-final-${RUN}`,
};
const HOPS = ['relay', 'txn', 'sink'];
const GROUPS = [
  [`floor-relay-${RUN}`, TOPICS.in],
  [`floor-txn-${RUN}`, TOPICS.mid],
  [`floor-sink-${RUN}`, TOPICS.out],
];
const ENDED = Buffer.from('"ended":true');
const stamp = (headers, hop) => ({ ...headers, [`x-hop-ts-${hop}`]: String(Date.now()) });

// The hop processes main() started, and whether it is stopping them.
const children = [];
let stopping = false;

const roles = { front, relay, txn, sink, crm };
const role = arg('role');
if (role) await roles[role]();
else await main();

async function front() {
  const Fastify = require('fastify');
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const publish = batchingSend(producer, TOPICS.in);
  const app = Fastify({ logger: false });
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_r, body, done) => done(null, body));
  app.post('/v1/genesys/events', async (request, reply) => {
    const event = JSON.parse(request.body.toString('utf8'));
    const key = String(event.conversationId);
    await publish({ key, value: request.body, headers: stamp({}, 'ingest') });
    reply.code(202).type('application/json; charset=utf-8');
    return `{"accepted":1,"eventIds":[${JSON.stringify(key)}]}`;
  });
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  process.stdout.write('ready\n');
}

/**
 * A consumer that hands batches over and commits what they resolved in the background, coalesced
 * (as BatchConsumer does): kafkajs' own autoCommit commits after every eachBatch and waits for it
 * (autoCommitInterval only applies to eachMessage), which would put a round trip in every batch.
 * Each batch gets a producer of its own from a pool (one per partition in flight, as the
 * extractor's producer pool), so concurrent batches' produces do not queue on one connection.
 */
async function pooledRelay({ groupId, topic, concurrency, handle }) {
  const pool = await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      return producer;
    }),
  );
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const pending = new Map();
  let committing;
  const commit = () => {
    committing ??= (async () => {
      while (pending.size > 0) {
        const offsets = [...pending.values()];
        pending.clear();
        await consumer.commitOffsets(offsets).catch(() => undefined);
      }
    })().finally(() => (committing = undefined));
  };
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: concurrency,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      if (batch.messages.length === 0) return;
      const producer = pool.pop();
      try {
        await handle(batch, producer);
      } finally {
        pool.push(producer);
      }
      resolveOffset(batch.lastOffset());
      pending.set(batch.partition, {
        topic: batch.topic,
        partition: batch.partition,
        offset: String(Number(batch.lastOffset()) + 1),
      });
      commit();
      await heartbeat();
    },
  });
  process.stdout.write('ready\n');
}

function relay() {
  return pooledRelay({
    groupId: GROUPS[0][0],
    topic: TOPICS.in,
    concurrency: 3,
    handle: async (batch, producer) => {
      const messages = batch.messages.map((m) => ({
        key: m.key,
        value: m.value,
        headers: stamp(m.headers, 'extractor'),
      }));
      await producer.send({ topic: TOPICS.mid, acks: -1, messages });
    },
  });
}

async function txn() {
  // As the aggregator: short retries (a transaction's first request after a commit can get
  // CONCURRENT_TRANSACTIONS; kafkajs' default first backoff is 300 ms) and a 250 ms fetch wait.
  const client = new Kafka({
    clientId: 'pipeline-floor-txn',
    brokers,
    logLevel: logLevel.NOTHING,
    socketFactory,
    retry: { initialRetryTime: 25, retries: 10 },
  });
  const producers = new Map();
  const producerFor = (partition) => {
    if (!producers.has(partition)) {
      const producer = client.producer({
        transactionalId: `floor-txn-${RUN}-${partition}`,
        idempotent: true,
        maxInFlightRequests: 1,
      });
      producers.set(
        partition,
        producer.connect().then(() => producer),
      );
    }
    return producers.get(partition);
  };
  // Per partition: offsets consumed but not yet committed (batches without output), and a chain
  // that keeps one transaction at a time on the partition's producer.
  const uncommitted = new Map();
  const chains = new Map();
  const serial = (partition, work) => {
    const next = (chains.get(partition) ?? Promise.resolve()).then(work);
    chains.set(
      partition,
      next.catch(() => undefined),
    );
    return next;
  };
  const commit = async (topic, partition, messages) => {
    const producer = await producerFor(partition);
    const { offset } = uncommitted.get(partition);
    uncommitted.delete(partition);
    const transaction = await producer.transaction();
    try {
      if (messages.length > 0) await transaction.send({ topic: TOPICS.out, acks: -1, messages });
      await transaction.sendOffsets({
        consumerGroupId: GROUPS[1][0],
        topics: [{ topic, partitions: [{ partition, offset }] }],
      });
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      throw error;
    }
  };
  // As the aggregator: a batch with an update commits at once; input without one is committed
  // within 100 ms (AGGREGATOR_COMMIT_INTERVAL_MS), with the next update or on this timer.
  setInterval(() => {
    for (const [partition, { since }] of uncommitted)
      if (Date.now() - since >= 100)
        void serial(partition, () =>
          uncommitted.has(partition) ? commit(TOPICS.mid, partition, []) : undefined,
        ).catch(() => undefined);
  }, 25);
  const consumer = client.consumer({ groupId: GROUPS[1][0], maxWaitTimeInMs: 250 });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPICS.mid, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 6,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      if (batch.messages.length === 0) return;
      await serial(batch.partition, async () => {
        // One update per conversation, at its end (the aggregator's output for a digital one).
        const messages = batch.messages
          .filter((m) => m.value.includes(ENDED))
          .map((m) => ({ key: m.key, value: m.value, headers: stamp(m.headers, 'aggregator') }));
        uncommitted.set(batch.partition, {
          offset: String(Number(batch.lastOffset()) + 1),
          since: uncommitted.get(batch.partition)?.since ?? Date.now(),
        });
        if (messages.length > 0) await commit(batch.topic, batch.partition, messages);
      });
      resolveOffset(batch.lastOffset());
      await heartbeat();
    },
  });
  process.stdout.write('ready\n');
}

function sink() {
  const { Pool } = require('undici');
  const crmApi = new Pool(process.env.CRM_URL, { connections: 20 });
  return pooledRelay({
    groupId: GROUPS[2][0],
    topic: TOPICS.out,
    concurrency: 3,
    handle: async (batch, producer) => {
      // The crm-writer's round trips for an update (read the contact, then PATCH the change),
      // the batch's updates in parallel.
      const messages = await Promise.all(
        batch.messages.map(async (m) => {
          const read = await crmApi.request({ method: 'GET', path: '/contact' });
          await read.body.dump();
          const write = await crmApi.request({ method: 'PATCH', path: '/contact', body: m.value });
          await write.body.dump();
          return { key: m.key, value: m.value, headers: stamp(m.headers, 'crm-writer') };
        }),
      );
      await producer.send({ topic: TOPICS.final, acks: -1, messages });
    },
  });
}

async function crm() {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(204).end());
  });
  server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
}

function start(name, env = {}) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), `--role=${name}`, `--run=${RUN}`], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve) => {
    // A hop that dies at any time ends the run: its figures would be meaningless.
    child.once('exit', (code, signal) => {
      if (stopping) return;
      console.error(`pipeline floor: ${name} exited (${code ?? signal})`);
      stopChildren();
      process.exit(1);
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('ready\n')) resolve({ name, pid: child.pid, child });
    });
  });
}

function stopChildren() {
  stopping = true;
  for (const child of children) child.kill('SIGKILL');
}

async function lag(admin) {
  let total = 0;
  for (const [groupId, topic] of GROUPS) {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    for (const end of ends) {
      const at = Number(committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? -1);
      total += Math.max(0, Number(end.high) - Math.max(at, 0));
    }
  }
  return total;
}

async function latencies(since, until) {
  const consumer = kafka.consumer({ groupId: `floor-latency-${RUN}-${since}` });
  const perHop = Object.fromEntries(HOPS.map((hop) => [hop, []]));
  const hopHeader = { relay: 'extractor', txn: 'aggregator', sink: 'crm-writer' };
  let last = 0;
  await consumer.connect();
  await consumer.subscribe({ topic: TOPICS.final, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      last = Date.now();
      const at = Number(message.headers['x-hop-ts-ingest']?.toString());
      if (!(at >= since && at <= until)) return;
      for (const hop of HOPS) {
        const hopAt = Number(message.headers[`x-hop-ts-${hopHeader[hop]}`]?.toString());
        if (Number.isFinite(hopAt)) perHop[hop].push(hopAt - at);
      }
    },
  });
  // Read until the topic has been quiet for 3 s, once the first record came (the group join
  // can take longer than that on a busy box).
  const deadline = Date.now() + 120_000;
  while ((last === 0 || Date.now() - last < 3000) && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 250));
  await consumer.disconnect();
  const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
  return Object.fromEntries(
    HOPS.map((hop) => {
      const sorted = perHop[hop].sort((a, b) => a - b);
      return [`ingest→${hop}`, { records: sorted.length, p50_ms: pct(sorted, 50), p99_ms: pct(sorted, 99) }];
    }),
  );
}

async function main() {
  const rates = arg('rates', '1000,5000').split(',').map(Number);
  const stepSeconds = Number(arg('step-seconds', 60));
  const stackDir = process.env.LOCAL_STACK_DIR ?? join(root, '.local-stack');
  const brokerPid = JSON.parse(readFileSync(join(stackDir, 'run/kafka.json'), 'utf8')).pid;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: Object.values(TOPICS).map((topic) => ({ topic, numPartitions: 6 })),
    waitForLeaders: true,
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => (stopChildren(), process.exit(130)));
  const results = [];
  try {
    await measure(admin, brokerPid, rates, stepSeconds, results);
  } finally {
    stopChildren();
    await admin.deleteTopics({ topics: Object.values(TOPICS) }).catch(() => undefined);
    await admin.disconnect();
  }
  console.table(
    results.map((r) => ({
      rate: r.target_per_s,
      achieved: r.achieved_per_s,
      sustained: r.sustained,
      'CPU cores': r.cpu_cores.total,
      'broker cores': r.cpu_cores.kafka,
      'ingest→txn p50/p99 ms': `${r.latency['ingest→txn'].p50_ms} / ${r.latency['ingest→txn'].p99_ms}`,
    })),
  );
  process.exit(0);
}

async function measure(admin, brokerPid, rates, stepSeconds, results) {
  const frontPort = await freePort();
  const crmPort = await freePort();
  const processes = [
    await start('crm', { PORT: String(crmPort) }),
    await start('sink', { CRM_URL: `http://127.0.0.1:${crmPort}` }),
    await start('txn'),
    await start('relay'),
    await start('front', { PORT: String(frontPort) }),
  ];
  const conversations = 500;
  let sent = 0;
  const body = () =>
    JSON.stringify({
      conversationId: `floor-${Math.floor(sent++ / 4) % conversations}`,
      mediaType: 'message',
      messages: [
        {
          id: `m${sent}`,
          from: 'customer',
          text: 'hi, my order number is 1234567890',
          timestamp: Date.now(),
        },
      ],
      // Four messages per conversation, the last one ending it, as in pipeline.bench.mjs.
      ...(sent % 4 === 0 ? { ended: true } : {}),
    });
  const load = (rate, seconds) =>
    openModel({
      origin: `http://127.0.0.1:${frontPort}`,
      path: '/v1/genesys/events',
      headers: { 'content-type': 'application/json' },
      body,
      rate,
      seconds,
    });
  await load(500, Number(arg('warmup-seconds', 20))); // warm-up: JIT, group joins, producers
  for (const rate of rates) {
    const cpu = cpuMeter([...processes.map((p) => [p.name, p.pid]), ['kafka', brokerPid]]);
    const samples = [];
    const sampler = setInterval(
      () =>
        void lag(admin).then(
          (l) => samples.push(l),
          () => undefined,
        ),
      2000,
    );
    const startedAt = Date.now();
    const answered = await load(rate, stepSeconds);
    const endedAt = Date.now();
    clearInterval(sampler);
    const cores = cpu();
    const half = samples.slice(Math.floor(samples.length / 2));
    const growth = half.length >= 2 ? half.at(-1) - half[0] : 0;
    const row = {
      target_per_s: rate,
      achieved_per_s: answered.achieved_per_s,
      non_2xx: answered.non2xx + answered.errors,
      front_p50_ms: answered.p50_ms,
      front_p99_ms: answered.p99_ms,
      lag_growth: growth,
      sustained:
        answered.achieved_per_s >= rate * 0.95 &&
        answered.non2xx + answered.errors === 0 &&
        growth <= rate * 0.25,
      cpu_cores: cores,
      // Every record sent during the step, also those the client sent late.
      latency: await latencies(startedAt, endedAt),
    };
    console.log(JSON.stringify(row));
    results.push(row);
    // Let the backlog drain before the next step.
    const drainBy = Date.now() + 60_000;
    while (Date.now() < drainBy && (await lag(admin)) > rate * 0.25)
      await new Promise((r) => setTimeout(r, 1000));
  }
}
