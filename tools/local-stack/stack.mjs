#!/usr/bin/env node
// Local stack control: a real single-node Apache Kafka (KRaft) broker and Apicurio Registry, both
// fetched from Maven Central with Maven and run as plain JVM processes on 127.0.0.1.
//
//   node tools/local-stack/stack.mjs up|down|status|restart [kafka|registry]
//
// Every wait has a deadline; every failure names its cause and the fix and exits non-zero.
// `down` stops exactly the processes this script started (pid files plus a marker on the command
// line), never anything else that happens to hold a port.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statfsSync,
  writeFileSync,
  closeSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');

const env = process.env;
const config = {
  dir: resolve(env.LOCAL_STACK_DIR ?? join(repoRoot, '.local-stack')),
  kafkaVersion: env.LOCAL_KAFKA_VERSION ?? '4.1.2',
  apicurioVersion: env.LOCAL_REGISTRY_VERSION ?? '3.0.9',
  kafkaPort: intEnv('LOCAL_KAFKA_PORT', 9092),
  controllerPort: intEnv('LOCAL_KAFKA_CONTROLLER_PORT', 9093),
  registryPort: intEnv('LOCAL_REGISTRY_PORT', 8081),
  kafkaHeap: env.LOCAL_KAFKA_HEAP ?? '512m',
  registryHeap: env.LOCAL_REGISTRY_HEAP ?? '384m',
  partitions: intEnv('LOCAL_KAFKA_PARTITIONS', 6),
  startDeadlineMs: intEnv('LOCAL_STACK_START_TIMEOUT_MS', 120_000),
  fetchDeadlineMs: intEnv('LOCAL_STACK_FETCH_TIMEOUT_MS', 900_000),
  stopDeadlineMs: intEnv('LOCAL_STACK_STOP_TIMEOUT_MS', 30_000),
};

const paths = {
  kafkaLib: join(config.dir, `kafka-${config.kafkaVersion}`, 'lib'),
  registryHome: join(config.dir, `apicurio-${config.apicurioVersion}`),
  kafkaData: join(config.dir, 'data', 'kafka'),
  registryData: join(config.dir, 'data', 'registry'),
  logs: join(config.dir, 'logs'),
  run: join(config.dir, 'run'),
  conf: join(config.dir, 'config'),
};

class StackError extends Error {
  constructor(message, fix) {
    super(message);
    this.fix = fix;
  }
}

function intEnv(name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    fail(new StackError(`${name}=${raw} is not a positive integer`, `unset ${name} or give it a number`));
  }
  return value;
}

function log(message) {
  process.stdout.write(`[local-stack] ${message}\n`);
}

function fail(error) {
  process.stderr.write(`[local-stack] error: ${error.message}\n`);
  if (error.fix) process.stderr.write(`[local-stack] fix: ${error.fix}\n`);
  process.exit(1);
}

export const brokers = () => `127.0.0.1:${config.kafkaPort}`;
export const registryUrl = () => `http://127.0.0.1:${config.registryPort}/apis/ccompat/v7`;

// ---------------------------------------------------------------------------------------------
// Preconditions

function requireTool(command, args, what, fix) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new StackError(
      `${what} is not available (${command} ${args.join(' ')} failed: ${result.error?.code ?? result.stderr?.trim() ?? result.status})`,
      fix,
    );
  }
  return `${result.stdout}${result.stderr}`;
}

function requireJava() {
  const out = requireTool(
    'java',
    ['-version'],
    'Java',
    'install a Java 17+ runtime (apt-get install openjdk-17-jre-headless) and put java on PATH',
  );
  const match = out.match(/version "(\d+)(?:\.(\d+))?/);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : 0;
  if (major < 17)
    throw new StackError(
      `Java ${major || 'unknown'} found; Kafka 4 and Apicurio 3 need Java 17 or newer`,
      'install openjdk-17 and make it the default java',
    );
}

function requireDisk(bytes) {
  mkdirSync(config.dir, { recursive: true });
  const stats = statfsSync(config.dir);
  const free = stats.bavail * stats.bsize;
  if (free < bytes) {
    throw new StackError(
      `only ${(free / 2 ** 20).toFixed(0)} MiB free under ${config.dir}; the stack needs ${(bytes / 2 ** 20).toFixed(0)} MiB`,
      'free disk space, or point LOCAL_STACK_DIR at a larger disk',
    );
  }
}

function portFree(port) {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once('error', () => resolvePort(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolvePort(true)));
  });
}

function portHolder(port) {
  const result = spawnSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  const match = result.stdout?.match(/users:\(\("([^"]+)",pid=(\d+)/);
  return match ? `${match[1]} (pid ${match[2]})` : 'another process';
}

async function requirePortFree(port, variable) {
  if (!(await portFree(port))) {
    throw new StackError(
      `port ${port} on 127.0.0.1 is taken by ${portHolder(port)}`,
      `stop that process, or set ${variable} to a free port`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Fetching from Maven Central

function mvn(args, what) {
  const result = spawnSync('mvn', ['-B', '-q', '-f', join(here, 'pom.xml'), ...args], {
    encoding: 'utf8',
    timeout: config.fetchDeadlineMs,
  });
  if (result.error?.code === 'ENOENT')
    throw new StackError(
      'Maven (mvn) is not installed',
      'install Maven (apt-get install maven) and put mvn on PATH',
    );
  if (result.error?.code === 'ETIMEDOUT' || result.signal) {
    throw new StackError(
      `Maven did not finish fetching ${what} within ${config.fetchDeadlineMs / 1000}s`,
      'check access to Maven Central, or raise LOCAL_STACK_FETCH_TIMEOUT_MS',
    );
  }
  if (result.status !== 0) {
    const detail = `${result.stdout}\n${result.stderr}`
      .split('\n')
      .filter((line) => line.includes('ERROR'))
      .slice(0, 3)
      .join('\n');
    throw new StackError(
      `Maven could not fetch ${what}:\n${detail}`,
      'check that Maven Central is reachable (mvn -v, ~/.m2/settings.xml mirrors) and that the version exists',
    );
  }
}

function fetchKafka() {
  const marker = join(paths.kafkaLib, '.complete');
  if (existsSync(marker)) return;
  log(`fetching Apache Kafka ${config.kafkaVersion} and its runtime dependencies with Maven`);
  rmSync(paths.kafkaLib, { recursive: true, force: true });
  mvn(
    [
      'dependency:copy-dependencies',
      `-Dkafka.version=${config.kafkaVersion}`,
      `-DoutputDirectory=${paths.kafkaLib}`,
      '-DincludeScope=runtime',
    ],
    `kafka_2.13:${config.kafkaVersion}`,
  );
  if (!readdirSync(paths.kafkaLib).some((file) => file.startsWith('kafka_2.13-'))) {
    throw new StackError(
      'Maven finished but kafka_2.13 is missing from the copied dependencies',
      `delete ${paths.kafkaLib} and retry`,
    );
  }
  writeFileSync(marker, new Date().toISOString());
}

function fetchRegistry() {
  const marker = join(paths.registryHome, '.complete');
  if (existsSync(marker)) return;
  log(`fetching Apicurio Registry ${config.apicurioVersion} with Maven`);
  rmSync(paths.registryHome, { recursive: true, force: true });
  const download = join(config.dir, 'downloads');
  mvn(
    [
      'dependency:copy',
      `-Dartifact=io.apicurio:apicurio-registry-app:${config.apicurioVersion}:tar.gz:all`,
      `-DoutputDirectory=${download}`,
    ],
    `apicurio-registry-app:${config.apicurioVersion}`,
  );
  const archive = join(download, `apicurio-registry-app-${config.apicurioVersion}-all.tar.gz`);
  mkdirSync(paths.registryHome, { recursive: true });
  const untar = spawnSync('tar', ['xzf', archive, '-C', paths.registryHome], { encoding: 'utf8' });
  if (untar.status !== 0)
    throw new StackError(`could not unpack ${archive}: ${untar.stderr}`, 'check free disk space and retry');
  rmSync(archive, { force: true });
  registryJar(); // throws if the layout is not the one we know
  writeFileSync(marker, new Date().toISOString());
}

function registryJar() {
  // 3.0.x ships a legacy runner jar; later 3.x ship Quarkus' fast-jar layout (quarkus-run.jar).
  const runner = readdirSync(paths.registryHome).find((file) => file.endsWith('-runner.jar'));
  if (runner) return join(paths.registryHome, runner);
  if (existsSync(join(paths.registryHome, 'quarkus-run.jar')))
    return join(paths.registryHome, 'quarkus-run.jar');
  throw new StackError(
    `no runnable jar in ${paths.registryHome}`,
    `delete ${paths.registryHome} and retry, or pin LOCAL_REGISTRY_VERSION=3.0.9`,
  );
}

// ---------------------------------------------------------------------------------------------
// Process bookkeeping

const services = {
  kafka: { pidFile: () => join(paths.run, 'kafka.json'), log: () => join(paths.logs, 'kafka.log') },
  registry: { pidFile: () => join(paths.run, 'registry.json'), log: () => join(paths.logs, 'registry.log') },
};

function marker(name) {
  return `-Dcrm.local-stack=${join(config.dir, name)}`;
}

/** The recorded process, if it is still ours and alive. */
function runningProcess(name) {
  const file = services[name].pidFile();
  if (!existsSync(file)) return null;
  let record;
  try {
    record = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  try {
    const cmdline = readFileSync(`/proc/${record.pid}/cmdline`, 'utf8');
    return cmdline.split('\0').includes(marker(name)) ? record : null;
  } catch {
    return null;
  }
}

function tail(file, lines = 15) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function startJava(name, args) {
  mkdirSync(paths.logs, { recursive: true });
  mkdirSync(paths.run, { recursive: true });
  const logFd = openSync(services[name].log(), 'a');
  const child = spawn('java', [marker(name), ...args], {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    cwd: config.dir,
  });
  closeSync(logFd);
  child.unref();
  writeFileSync(
    services[name].pidFile(),
    JSON.stringify({ pid: child.pid, startedAt: new Date().toISOString() }),
  );
  return child.pid;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(what, probe, { deadlineMs, pid, logFile }) {
  const deadline = Date.now() + deadlineMs;
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (pid && !alive(pid)) {
      throw new StackError(
        `${what} exited during start-up. Last log lines (${logFile}):\n${tail(logFile)}`,
        'read the log above; a port taken or a corrupt data dir are the usual causes (npm run stack:down, then delete .local-stack/data)',
      );
    }
    try {
      if (await probe()) return;
    } catch (error) {
      lastError = error.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new StackError(
    `${what} did not become ready within ${deadlineMs / 1000}s (${lastError}). Last log lines:\n${tail(logFile)}`,
    'check the log, or raise LOCAL_STACK_START_TIMEOUT_MS on a slow machine',
  );
}

// ---------------------------------------------------------------------------------------------
// Kafka

function writeKafkaConfig() {
  mkdirSync(paths.conf, { recursive: true });
  const props = [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${config.controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${config.kafkaPort},CONTROLLER://127.0.0.1:${config.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${config.kafkaPort}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${paths.kafkaData}`,
    `num.partitions=${config.partitions}`,
    // Topics are provisioned declaratively; a typo must fail, not create a topic.
    'auto.create.topics.enable=false',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=10',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'log.retention.hours=168',
    'log.segment.bytes=67108864',
  ];
  writeFileSync(join(paths.conf, 'server.properties'), `${props.join('\n')}\n`);
  writeFileSync(
    join(paths.conf, 'log4j2.properties'),
    [
      'status = warn',
      'appender.out.type = Console',
      'appender.out.name = STDOUT',
      'appender.out.layout.type = PatternLayout',
      'appender.out.layout.pattern = [%d] %p %m (%c)%n',
      'rootLogger.level = INFO',
      'rootLogger.appenderRef.out.ref = STDOUT',
      'logger.kafka.name = kafka',
      'logger.kafka.level = WARN',
      'logger.state.name = state.change.logger',
      'logger.state.level = WARN',
      'logger.server.name = kafka.server.KafkaRaftServer',
      'logger.server.level = INFO',
      'logger.apache.name = org.apache.kafka',
      'logger.apache.level = WARN',
      '',
    ].join('\n'),
  );
}

function kafkaClasspath() {
  return `${paths.kafkaLib}/*`;
}

function formatKafkaStorage() {
  if (existsSync(join(paths.kafkaData, 'meta.properties'))) return;
  mkdirSync(paths.kafkaData, { recursive: true });
  const clusterId = Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64url');
  const result = spawnSync(
    'java',
    [
      '-cp',
      kafkaClasspath(),
      `-Dlog4j2.configurationFile=${join(paths.conf, 'log4j2.properties')}`,
      'kafka.tools.StorageTool',
      'format',
      `--cluster-id=${clusterId}`,
      '-c',
      join(paths.conf, 'server.properties'),
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (result.status !== 0) {
    throw new StackError(
      `formatting KRaft storage failed: ${result.stderr || result.stdout}`,
      `delete ${paths.kafkaData} and retry`,
    );
  }
  log(`formatted KRaft storage (cluster ${clusterId})`);
}

/** A quiet client that fails fast: the caller's polling loop owns retries and the deadline. */
async function stackKafka(retries) {
  const { Kafka, logLevel } = await import('kafkajs');
  return new Kafka({
    clientId: 'local-stack',
    brokers: [brokers()],
    logLevel: logLevel.NOTHING,
    retry: { retries, initialRetryTime: 100 },
    connectionTimeout: 1000,
  });
}

async function kafkaReady() {
  const admin = (await stackKafka(0)).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

// The group and transaction coordinators live on internal topics the broker creates on first use.
// On a fresh broker that takes seconds, longer than a client's default retries; create them here
// so that "ready" means a consumer group can join and a transactional producer can start.
async function coordinatorsReady() {
  // One retry: kafkajs refuses an idempotent producer that may not retry at all.
  const kafka = await stackKafka(1);
  const admin = kafka.admin();
  const producer = kafka.producer({
    transactionalId: 'local-stack-warmup',
    maxInFlightRequests: 1,
    idempotent: true,
  });
  try {
    await admin.connect();
    const { groups } = await admin.describeGroups(['local-stack-warmup']);
    if (groups[0]?.errorCode) return false;
    await producer.connect();
    return true;
  } finally {
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}

async function startKafka() {
  if (runningProcess('kafka')) return false;
  await requirePortFree(config.kafkaPort, 'LOCAL_KAFKA_PORT');
  await requirePortFree(config.controllerPort, 'LOCAL_KAFKA_CONTROLLER_PORT');
  fetchKafka();
  writeKafkaConfig();
  formatKafkaStorage();
  const started = Date.now();
  const pid = startJava('kafka', [
    `-Xms256m`,
    `-Xmx${config.kafkaHeap}`,
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${join(paths.conf, 'log4j2.properties')}`,
    '-cp',
    kafkaClasspath(),
    'kafka.Kafka',
    join(paths.conf, 'server.properties'),
  ]);
  await waitUntil('Kafka', kafkaReady, {
    deadlineMs: config.startDeadlineMs,
    pid,
    logFile: services.kafka.log(),
  });
  await waitUntil('Kafka coordinators', coordinatorsReady, {
    deadlineMs: config.startDeadlineMs,
    pid,
    logFile: services.kafka.log(),
  });
  log(
    `Kafka ${config.kafkaVersion} ready on ${brokers()} (pid ${pid}, ${((Date.now() - started) / 1000).toFixed(1)}s)`,
  );
  return true;
}

// ---------------------------------------------------------------------------------------------
// Registry

async function registryReady() {
  const response = await fetch(`${registryUrl()}/subjects`, { signal: AbortSignal.timeout(2000) });
  return response.ok;
}

async function startRegistry() {
  if (runningProcess('registry')) return false;
  await requirePortFree(config.registryPort, 'LOCAL_REGISTRY_PORT');
  fetchRegistry();
  mkdirSync(paths.registryData, { recursive: true });
  const started = Date.now();
  const pid = startJava('registry', [
    '-Xms64m',
    `-Xmx${config.registryHeap}`,
    '-Djava.awt.headless=true',
    '-Dquarkus.http.host=127.0.0.1',
    `-Dquarkus.http.port=${config.registryPort}`,
    // Schemas persist with the Kafka data: ids inside stored records must stay resolvable.
    `-Dapicurio.datasource.url=jdbc:h2:file:${join(paths.registryData, 'registry')}`,
    '-Dquarkus.log.level=WARN',
    '-Dquarkus.log.category."io.apicurio".level=WARN',
    '-jar',
    registryJar(),
  ]);
  await waitUntil('Schema registry', registryReady, {
    deadlineMs: config.startDeadlineMs,
    pid,
    logFile: services.registry.log(),
  });
  // Confluent Schema Registry defaults to BACKWARD; Apicurio to no check. Match production.
  const response = await fetch(`${registryUrl()}/config`, {
    method: 'PUT',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ compatibility: 'BACKWARD' }),
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok)
    throw new StackError(
      `registry refused the BACKWARD default (${response.status} ${await response.text()})`,
      'check the registry log',
    );
  log(
    `Apicurio Registry ${config.apicurioVersion} ready at ${registryUrl()} (pid ${pid}, ${((Date.now() - started) / 1000).toFixed(1)}s)`,
  );
  return true;
}

// ---------------------------------------------------------------------------------------------
// Commands

async function stop(name) {
  const record = runningProcess(name);
  if (!record) {
    rmSync(services[name].pidFile(), { force: true });
    return false;
  }
  process.kill(record.pid, 'SIGTERM');
  const deadline = Date.now() + config.stopDeadlineMs;
  while (alive(record.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (alive(record.pid)) {
    log(`${name} (pid ${record.pid}) did not stop within ${config.stopDeadlineMs / 1000}s; killing it`);
    process.kill(record.pid, 'SIGKILL');
  }
  rmSync(services[name].pidFile(), { force: true });
  log(`stopped ${name} (pid ${record.pid})`);
  return true;
}

async function up(only) {
  const started = Date.now();
  requireJava();
  requireDisk(1.5 * 2 ** 30);
  const which = only ? [only] : ['kafka', 'registry'];
  let changed = false;
  for (const name of which) {
    const wasRunning = runningProcess(name);
    if (wasRunning && name === 'kafka') {
      await waitUntil('Kafka', kafkaReady, {
        deadlineMs: config.startDeadlineMs,
        pid: wasRunning.pid,
        logFile: services.kafka.log(),
      });
    }
    if (wasRunning && name === 'registry') {
      await waitUntil('Schema registry', registryReady, {
        deadlineMs: config.startDeadlineMs,
        pid: wasRunning.pid,
        logFile: services.registry.log(),
      });
    }
    if (!wasRunning && existsSync(services[name].pidFile())) log(`${name} had died; restarting it`);
    changed = (name === 'kafka' ? await startKafka() : await startRegistry()) || changed;
  }
  if (!changed) log('already up');
  log(
    `KAFKA_BROKERS=${brokers()} SCHEMA_REGISTRY_URL=${registryUrl()} (${((Date.now() - started) / 1000).toFixed(1)}s)`,
  );
}

async function down(only) {
  const which = only ? [only] : ['registry', 'kafka'];
  let stopped = 0;
  for (const name of which) if (await stop(name)) stopped += 1;
  if (stopped === 0) log('nothing to stop');
}

function rssMiB(pid) {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
    return match ? (Number(match[1]) / 1024).toFixed(0) : '?';
  } catch {
    return '?';
  }
}

async function status() {
  let allUp = true;
  for (const name of ['kafka', 'registry']) {
    const record = runningProcess(name);
    let ready = false;
    if (record) ready = await (name === 'kafka' ? kafkaReady() : registryReady()).catch(() => false);
    allUp &&= ready;
    const where = name === 'kafka' ? brokers() : registryUrl();
    log(
      `${name.padEnd(8)} ${record ? `pid ${record.pid}, ${rssMiB(record.pid)} MiB RSS, ${ready ? 'ready' : 'not answering'}` : 'not running'} at ${where}`,
    );
  }
  process.exitCode = allUp ? 0 : 3;
}

const usage = 'usage: stack.mjs up|down|status|restart [kafka|registry]';

async function main() {
  const [command, target] = process.argv.slice(2);
  if (target !== undefined && !Object.hasOwn(services, target))
    throw new StackError(`unknown service ${target}`, usage);
  switch (command) {
    case 'up':
      return up(target);
    case 'down':
      return down(target);
    case 'status':
      return status();
    case 'restart':
      await down(target);
      return up(target);
    default:
      throw new StackError(`unknown command ${command ?? '(none)'}`, usage);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) =>
    fail(
      error instanceof StackError
        ? error
        : new StackError(
            error.stack ?? String(error),
            'this is a bug in tools/local-stack; please report it with the output above',
          ),
    ),
  );
}
