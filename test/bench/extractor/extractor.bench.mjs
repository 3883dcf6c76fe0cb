// Extractor benchmark (DESIGN.md §9): consume → extract → produce on the real local broker, next to a
// pass-through consumer-producer measured in the same run on the same pre-filled input topic.
//   node test/bench/extractor/extractor.bench.mjs [--quick] [--messages=N]
// The measured processes run with the node flags, NODE_OPTIONS and MALLOC_* settings of the
// extractor's Kubernetes Deployment (support/deployed-runtime.mjs; apps/extractor/README.md "Memory").
// Optional: BENCH_CHILD_NODE_OPTIONS (node flags instead of the Deployment's; an empty value for
// Node's defaults), MALLOC_* (instead of the Deployment's), BENCH_CONCURRENCY
// (partitions processed at once, default 3 as in the service), BENCH_MAX_BYTES_PER_PARTITION,
// BENCH_ROUNDS (runs of each consumer, alternating; default 2, 1 with --quick).
// The parent (this process, re-run under @swc-node/register so it can load the TypeScript sources)
// creates throw-away topics and pre-fills the input with realistic encoded ConversationEvents; each
// measured consumer then runs in a child of its own, pinned to one core (`taskset -c 1` when
// available), so its RSS is its own. The extractor child runs the service's own composition
// (apps/extractor/src/extractor.app.ts: logger, metrics, the probes' HTTP server, the Kafka runtime)
// on the throw-away topics. Both consumers decode every record from Avro and encode what
// they produce (pass-through: the same event back, to an output topic), use the same BatchConsumer
// settings and one idempotent acks=all sendBatch per batch before resolving offsets.
// The children run plain JavaScript compiled from the sources beforehand (tmp/bench/extractor), not
// an in-process TypeScript loader, so the RSS they report is the service's, not a compiler's.
// Writes reports/bench/extractor.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { deployedRuntime, describeRuntime } from '../support/deployed-runtime.mjs';
import { statusMib } from '../support/proc-status.mjs';

const self = fileURLToPath(import.meta.url);
const root = join(dirname(self), '..', '..', '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const role = args.find((arg) => arg.startsWith('--role='))?.slice('--role='.length) ?? 'parent';
const messagesArg = args.find((arg) => arg.startsWith('--messages='));
const total = messagesArg ? Number(messagesArg.slice('--messages='.length)) : quick ? 30_000 : 200_000;
// The measured children run as the extractor's Deployment runs it: its node flags and its NODE_OPTIONS
// and MALLOC_* settings (apps/extractor/README.md "Memory"). BENCH_CHILD_NODE_OPTIONS replaces the
// flags (an empty value: Node's defaults); MALLOC_* set in this environment replace the manifest's.
const deployed = deployedRuntime(root, 'extractor');
const childNodeFlags =
  process.env.BENCH_CHILD_NODE_OPTIONS === undefined
    ? deployed.nodeArgs
    : process.env.BENCH_CHILD_NODE_OPTIONS.split(' ').filter(Boolean);
// BENCH_DEPLOYED_ENV=0 leaves the manifest's MALLOC_* out (glibc's defaults), to measure what they take off.
const childEnv = {
  ...(process.env.BENCH_DEPLOYED_ENV === '0'
    ? { NODE_OPTIONS: deployed.env.NODE_OPTIONS ?? '' }
    : deployed.env),
  ...onlyMalloc(process.env),
};
const swcEnv = { ...process.env, SWC_NODE_PROJECT: join(root, 'tsconfig.base.json'), BENCH_REGISTERED: '1' };

if (process.env.BENCH_REGISTERED !== '1') {
  const child = spawnSync(process.execPath, ['-r', '@swc-node/register', self, ...args], {
    cwd: root,
    stdio: 'inherit',
    env: swcEnv,
  });
  process.exit(child.status ?? 1);
}

const require = createRequire(import.meta.url);
// The parent loads TypeScript through @swc-node/register; the measured children load the build.
const source = (path) =>
  process.env.BENCH_BUILD ? join(process.env.BENCH_BUILD, path.replace(/\.ts$/, '.js')) : join(root, path);
const contracts = require(source('libs/contracts/src/index.ts'));
const core = require(source('libs/kafka/core/src/index.ts'));
const { Kafka, logLevel } = require('kafkajs');
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const registryUrl = process.env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
const kafka = new Kafka({ clientId: `bench-extractor-${role}`, brokers, logLevel: logLevel.NOTHING });
const silentLogger = { info() {}, warn() {}, error() {}, debug() {}, child: () => silentLogger };

if (role === 'parent') await parent();
else await measured(role, JSON.parse(process.env.BENCH_TOPICS));

async function parent() {
  const testing = require(join(root, 'libs/extraction/src/testing.ts'));
  const suffix = `${Date.now().toString(36)}.${Math.random().toString(16).slice(2, 8)}`;
  const topics = {
    input: `bench.extractor.in.${suffix}`,
    extracted: `bench.extractor.out.${suffix}`,
    rejected: `bench.extractor.rejected.${suffix}`,
    deadLetter: `bench.extractor.dlq.${suffix}`,
    passthrough: `bench.extractor.passthrough.${suffix}`,
  };
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 6, replicationFactor: 1 })),
  });
  try {
    // A freshly created topic can take a moment to be known to every request path of the broker.
    for (let attempt = 0; ; attempt++) {
      const metadata = await admin.fetchTopicMetadata({ topics: Object.values(topics) }).catch(() => null);
      const ready = metadata?.topics.every(
        (t) => t.partitions.length === 6 && t.partitions.every((p) => p.leader >= 0),
      );
      if (ready) break;
      if (attempt > 100) throw new Error('bench topics did not get leaders');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const events = realisticEvents(testing, total);
    const serde = core.AvroSerde.connect({ url: registryUrl });
    const handle = await serde.register(
      contracts.subjectFor(topics.input, 'value'),
      contracts.MESSAGE_SCHEMAS['conversation-event'].value,
    );
    const producer = core.createIdempotentProducer(kafka);
    await producer.connect();
    const fillStarted = Date.now();
    for (let i = 0; i < events.length; i += 5_000) {
      await sendWithRetry(producer, {
        acks: -1,
        topicMessages: [
          {
            topic: topics.input,
            messages: events.slice(i, i + 5_000).map((event) => ({
              key: core.encodeKey(event.conversationId),
              value: serde.encode(handle, event),
              headers: { traceparent: core.newTraceparent() },
            })),
          },
        ],
      });
    }
    await producer.disconnect();
    process.stdout.write(`pre-filled ${events.length} events in ${Date.now() - fillStarted} ms\n`);

    const build = compileSources();
    const pinned = existsSync('/usr/bin/taskset') || existsSync('/bin/taskset');
    const run = (which) => {
      const argv = [
        ...childNodeFlags,
        '-r',
        join(build, 'resolve-crm.cjs'),
        self,
        `--role=${which}`,
        `--messages=${total}`,
      ];
      const child = spawnSync(
        pinned ? 'taskset' : process.execPath,
        pinned ? ['-c', '1', process.execPath, ...argv] : argv,
        {
          cwd: root,
          env: {
            ...process.env,
            ...childEnv,
            BENCH_REGISTERED: '1',
            BENCH_BUILD: build,
            BENCH_TOPICS: JSON.stringify(topics),
          },
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'inherit'],
          timeout: 600_000,
        },
      );
      const line = child.stdout.trim().split('\n').at(-1) ?? '';
      if (child.status !== 0 || !line.startsWith('{'))
        throw new Error(`${which} run failed: ${child.stdout}`);
      return JSON.parse(line);
    };
    const rounds = Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 2));
    const passthroughRuns = [];
    const extractorRuns = [];
    for (let round = 0; round < rounds; round++) {
      passthroughRuns.push(run('passthrough'));
      extractorRuns.push(run('extractor'));
    }
    const best = (runs) => runs.reduce((a, b) => (b.msg_per_s > a.msg_per_s ? b : a));
    const passthrough = best(passthroughRuns);
    // Throughput from the faster run; RSS from the worst one (it varies run to run by up to ≈20 MiB
    // of malloc'd memory the allocator keeps, apps/extractor/README.md "Memory").
    const extractor = { ...best(extractorRuns), rss_mib: Math.max(...extractorRuns.map((r) => r.rss_mib)) };
    const rows = [
      { consumer: 'pass-through (decode + encode + produce)', ...passthrough },
      { consumer: 'extractor (decode + extract + produce)', ...extractor },
    ];
    console.table(rows);
    const ratio = extractor.msg_per_s / passthrough.msg_per_s;
    console.log(
      `extractor / pass-through = ${(ratio * 100).toFixed(0)} % (target ≥ 50 %); ` +
        `extractor ${extractor.msg_per_s} msg/s (target ≥ 20,000 on one core); RSS ${extractor.rss_mib} MiB (target ≤ 128)` +
        `; runtime '${describeRuntime({ nodeArgs: childNodeFlags, env: childEnv })}'` +
        `${pinned ? ', pinned with taskset -c 1' : ', taskset not available: not pinned'}; ${quick ? 'quick' : 'full'} run, ${total} messages, best of ${rounds}`,
    );
    const report = {
      name: 'extractor',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version },
      results: { msg_per_s: extractor.msg_per_s, rss_mib: extractor.rss_mib },
      baseline: { passthrough_msg_per_s: passthrough.msg_per_s },
      run: {
        messages: total,
        quick,
        pinned,
        rounds,
        ratio_to_passthrough: Number(ratio.toFixed(3)),
        node_flags: childNodeFlags.join(' '),
        // glibc tunables and NODE_OPTIONS of the children (apps/extractor/README.md "Memory").
        child_env: childEnv,
        // At the extractor's peak RSS: V8 heap used and reserved, off-heap; CPU µs per message.
        extractor_memory_mib: {
          heap_used: extractor.heap_used_mib,
          heap_total: extractor.heap_total_mib,
          external: extractor.external_mib,
          rss_anon: extractor.rss_anon_mib,
          rss_file: extractor.rss_file_mib,
        },
        cpu_us_per_msg: { extractor: extractor.cpu_us_per_msg, passthrough: passthrough.cpu_us_per_msg },
        outputs_per_input: extractor.outputs / extractor.messages,
        extractor_runs: extractorRuns.map((r) => r.msg_per_s),
        extractor_rss_runs: extractorRuns.map((r) => r.rss_mib),
        passthrough_runs: passthroughRuns.map((r) => r.msg_per_s),
        passthrough_rss_runs: passthroughRuns.map((r) => r.rss_mib),
      },
    };
    mkdirSync(join(root, 'reports/bench'), { recursive: true });
    writeFileSync(join(root, 'reports/bench/extractor.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log('wrote reports/bench/extractor.json');
  } finally {
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await admin.disconnect();
  }
}

async function sendWithRetry(producer, batch) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await producer.sendBatch(batch);
    } catch (error) {
      if (!error.retriable || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

/**
 * Compiles the libraries and the extractor app to CommonJS under tmp/bench/extractor (inside the
 * repository, so node_modules resolve), with a preload that maps the @crm/* paths of
 * tsconfig.base.json onto the compiled files.
 */
function compileSources() {
  const swc = require('@swc/core');
  const { readdirSync, statSync } = require('node:fs');
  const out = join(root, 'tmp/bench/extractor');
  const walk = (dir) =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : walk(path);
      return /\.ts$/.test(name) && !/\.(int-)?spec\.ts$/.test(name) ? [path] : [];
    });
  const files = [...walk(join(root, 'libs')), ...walk(join(root, 'apps/extractor/src'))];
  for (const file of files) {
    const { code } = swc.transformFileSync(file, {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    });
    const target = join(out, file.slice(root.length + 1).replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, code);
  }
  const paths = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions.paths;
  const mapping = Object.fromEntries(
    Object.entries(paths).map(([name, [path]]) => [name, join(out, path.replace(/\.ts$/, '.js'))]),
  );
  writeFileSync(
    join(out, 'resolve-crm.cjs'),
    `const Module = require('node:module');
const mapping = ${JSON.stringify(mapping)};
const original = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return original.call(this, mapping[request] ?? request, ...rest);
};
`,
  );
  return out;
}

/** Interleaved conversations: 80 % chatter, 20 % labelled corpus rows, ~5 % lifecycle events. */
function realisticEvents(testing, count) {
  const rows = readFileSync(join(root, 'test/fixtures/extraction/corpus.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  const chatter = [
    'hi there, I need some help please',
    'yes that is right',
    'thank you so much for your help today',
    'can you tell me when it will arrive?',
    'I have been waiting for a while now and nobody answered my last message',
    'okay great, thanks',
    'no, that is all for today',
    'could you check the status for me',
  ];
  const lifecycle = ['SENTIMENT', 'CONTACT_ATTRIBUTES', 'CONVERSATION_ENDED', 'ANALYTICS_READY'];
  const conversations = Math.max(1, Math.floor(count / 40));
  const events = [];
  for (let i = 0; i < count; i++) {
    const conversationId = `bench-conv-${i % conversations}`;
    const voice = (i % conversations) % 2 === 0;
    const words = { conversationId, mediaType: voice ? 'VOICE' : 'CHAT', eventId: `bench-ev-${i}` };
    if (i % 20 === 19) {
      events.push(testing.aLifecycleEvent(lifecycle[((i / 20) % 4) | 0], { ...words, sentimentScore: 0.4 }));
    } else if (i % 5 === 0) {
      const row = rows[((i / 5) % rows.length) | 0];
      events.push(
        row.channel === 'voice'
          ? testing.aVoiceUtterance(row.text, {
              ...words,
              mediaType: 'VOICE',
              confidence: row.confidence ?? 0.95,
              participant: row.participant,
            })
          : testing.aChatMessage(row.text, { ...words, mediaType: 'CHAT', participant: row.participant }),
      );
    } else {
      const text = chatter[i % chatter.length];
      events.push(voice ? testing.aVoiceUtterance(text, words) : testing.aChatMessage(text, words));
    }
  }
  return events;
}

async function measured(which, topics) {
  const { Registry } = require('prom-client');
  const groupId = `bench-extractor-${which}-${Date.now().toString(36)}`;
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 3);
  const maxBytesPerPartition = Number(process.env.BENCH_MAX_BYTES_PER_PARTITION ?? 262_144);
  let processed = 0;
  let outputs = 0;
  let stop;
  if (which === 'extractor') {
    // The service's own composition (apps/extractor/src/extractor.app.ts): logger, metrics with
    // Node's default collectors, the probes' HTTP server, the Kafka runtime. Only the topics differ.
    const { loadConfig } = require(source('libs/config/src/index.ts'));
    const { createLogger } = require(source('libs/observability/src/index.ts'));
    const { envSchema } = require(source('apps/extractor/src/config/env.schema.ts'));
    const { loadExtraction } = require(source('apps/extractor/src/config/extraction-config.loader.ts'));
    const { startExtractorApp } = require(source('apps/extractor/src/extractor.app.ts'));
    const env = loadConfig('extractor', envSchema, {
      KAFKA_BROKERS: brokers.join(','),
      SCHEMA_REGISTRY_URL: registryUrl,
      EXTRACTOR_GROUP_ID: groupId,
      EXTRACTOR_PARTITION_CONCURRENCY: String(concurrency),
      HOST: '127.0.0.1',
      PORT: String(process.env.BENCH_EXTRACTOR_PORT ?? 3991),
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
    });
    // The service logs to stdout; here stderr, because stdout carries this child's result line.
    const logger = createLogger(
      { service: 'extractor', level: env.LOG_LEVEL, format: 'json' },
      require('pino').destination({ dest: 2, sync: true }),
    );
    const extraction = loadExtraction({
      definitionsFile: join(root, 'config/entity-definitions.json'),
      catalogueFile: join(root, 'config/product-catalogue.json'),
      defaultRegion: env.DEFAULT_PHONE_REGION,
      agentMentionsCount: env.EXTRACTOR_AGENT_MENTIONS_COUNT,
    });
    const outputTopics = [topics.extracted, topics.rejected, topics.deadLetter];
    const outputsBefore = await producedTo(outputTopics);
    const app = await startExtractorApp(env, extraction, logger, { topics, maxBytesPerPartition });
    Object.defineProperty(globalThis, '__processed', { get: () => app.runtime.consumer.processed });
    stop = async () => {
      await app.stop();
      outputs = (await producedTo(outputTopics)) - outputsBefore;
    };
  } else {
    const serde = core.AvroSerde.connect({ url: registryUrl });
    const producer = core.createIdempotentProducer(kafka);
    await producer.connect();
    const handle = await serde.register(
      contracts.subjectFor(topics.input, 'value'),
      contracts.MESSAGE_SCHEMAS['conversation-event'].value,
    );
    const consumer = new core.BatchConsumer({
      kafka,
      groupId,
      topics: [topics.input],
      logger: silentLogger,
      metrics: new Registry(),
      concurrency,
      maxBytesPerPartition,
      handleBatch: async ({ batch, resolveOffset, heartbeat }) => {
        if (batch.messages.length === 0) return;
        await serde.prepare(batch.messages[0].value);
        const messages = batch.messages.map((message) => ({
          key: message.key,
          value: serde.encode(handle, serde.decode(message.value, handle)),
          headers: core.forwardHeaders(message.headers, 'passthrough'),
        }));
        await producer.sendBatch({ acks: -1, topicMessages: [{ topic: topics.passthrough, messages }] });
        outputs += messages.length;
        resolveOffset(batch.lastOffset());
        processed += batch.messages.length;
        await heartbeat();
      },
    });
    await consumer.start();
    Object.defineProperty(globalThis, '__processed', { get: () => processed });
    stop = async () => {
      await consumer.stop();
      await producer.disconnect();
    };
  }
  // Throughput from the first processed batch to the last record, so the group join is not counted.
  let firstAt = 0;
  let firstCount = 0;
  let firstCpu;
  let rss = 0;
  let atPeak = process.memoryUsage();
  let peakSplit = { anon: 0, file: 0 };
  const deadline = Date.now() + 600_000;
  for (;;) {
    const count = globalThis.__processed;
    const usage = process.memoryUsage();
    if (usage.rss > rss) {
      rss = usage.rss;
      atPeak = usage;
      peakSplit = { anon: statusMib(process.pid, 'RssAnon'), file: statusMib(process.pid, 'RssFile') };
    }
    if (firstAt === 0 && count > 0) {
      firstAt = performance.now();
      firstCount = count;
      firstCpu = process.cpuUsage();
    }
    if (count >= total) break;
    if (Date.now() > deadline) throw new Error(`${which}: only ${count} of ${total} processed`);
    if (process.env.BENCH_DEBUG && Date.now() % 1000 < 3) process.stderr.write(`${which}: ${count}\n`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const seconds = (performance.now() - firstAt) / 1000;
  const cpu = process.cpuUsage(firstCpu);
  await stop();
  process.stdout.write(
    `${JSON.stringify({
      messages: total,
      outputs,
      seconds: Number(seconds.toFixed(2)),
      msg_per_s: Math.round((total - firstCount) / seconds),
      rss_mib: Math.round(rss / 2 ** 20),
      // Where the peak RSS was: V8 heap (used of reserved), off-heap buffers.
      heap_used_mib: Math.round(atPeak.heapUsed / 2 ** 20),
      heap_total_mib: Math.round(atPeak.heapTotal / 2 ** 20),
      external_mib: Math.round(atPeak.external / 2 ** 20),
      // Anonymous (heap, malloc) and file-backed (the node binary's pages) parts of the peak RSS.
      rss_anon_mib: Math.round(peakSplit.anon),
      rss_file_mib: Math.round(peakSplit.file),
      // CPU time of this process per record: less sensitive than wall time to other load on the box.
      cpu_us_per_msg: Number(((cpu.user + cpu.system) / (total - firstCount)).toFixed(1)),
    })}\n`,
  );
  process.exit(0);
}

function onlyMalloc(env) {
  return Object.fromEntries(Object.entries(env).filter(([name]) => name.startsWith('MALLOC_')));
}

/** Records in the topics so far (sum of their high watermarks; the topics are this run's own). */
async function producedTo(topicNames) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let sum = 0;
    for (const topic of topicNames)
      for (const partition of await admin.fetchTopicOffsets(topic)) sum += Number(partition.high);
    return sum;
  } finally {
    await admin.disconnect();
  }
}
