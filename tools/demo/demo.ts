// `npm start`: the whole pipeline on the local stack. Starts the CRM simulator and a Genesys fake
// (unless real CRM / Genesys variables are set), the four services, plays the bundled sample
// conversations through ingest (and the poller, for the analytics-arrive-late voice call), prints
// the CRM changes and the URLs, and keeps running until Ctrl-C, which stops what it started.
import { TOPIC_SPECS, Topics } from '@crm/contracts';
import { type GenesysFake, startGenesysFake } from '@crm/genesys/testing';
import { decodeKey, provisionTopics } from '@crm/kafka-core';
import { collectTopic, type RunningService, startService, stackEnv, testKafka, waitFor } from '@crm/testing';
import { SAMPLE_CONVERSATIONS, type SampleConversation } from './sample-conversations';

const say = (line: string): void => {
  process.stdout.write(`[demo] ${line}\n`);
};

const env = process.env;
/** DESIGN §8's default ports; DEMO_<APP>_PORT moves one (tests run the demo beside other services). */
function portFrom(variable: string, fallback: number): number {
  const value = env[variable];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65_535)
    throw new Error(`${variable} must be a TCP port, got "${value}"`);
  return parsed;
}
const PORTS = {
  ingest: portFrom('DEMO_INGEST_PORT', 3000),
  extractor: portFrom('DEMO_EXTRACTOR_PORT', 3001),
  aggregator: portFrom('DEMO_AGGREGATOR_PORT', 3002),
  'crm-writer': portFrom('DEMO_CRM_WRITER_PORT', 3003),
  'crm-simulator': portFrom('DEMO_CRM_SIMULATOR_PORT', 3100),
};
const INGEST_TOKEN = env['INGEST_BEARER_TOKENS']?.split(',')[0] ?? 'demo-token';
const realCrm = Boolean(env['SALESFORCE_INSTANCE_URL'] || env['DYNAMICS_URL']);
const realGenesys = Boolean(env['GENESYS_CLIENT_ID']);

interface HistoryEntry {
  at: string;
  field: string;
  oldValue: unknown;
  newValue: unknown;
  conversationId?: string | null;
}

async function main(): Promise<void> {
  const started: RunningService[] = [];
  let fake: GenesysFake | undefined;
  const stopAll = async (): Promise<void> => {
    await Promise.all(started.map((service) => service.stop()));
    await fake?.close();
  };
  process.once('SIGINT', () => {
    say('stopping the services this demo started…');
    void stopAll().then(() => process.exit(0));
  });

  const { brokers, registryUrl } = stackEnv();
  const kafkaEnv = { KAFKA_BROKERS: brokers.join(','), SCHEMA_REGISTRY_URL: registryUrl, LOG_LEVEL: 'info' };
  const admin = testKafka('demo').admin();
  await admin.connect();
  const report = await provisionTopics(admin, TOPIC_SPECS, { defaultPartitions: 6, replicationFactor: 1 });
  await admin.disconnect();
  say(`topics: ${report.created.length} created, ${report.existing.length} already there`);

  const simulatorUrl = `http://127.0.0.1:${PORTS['crm-simulator']}`;
  if (!realCrm) {
    started.push(await startService({ app: 'crm-simulator', port: PORTS['crm-simulator'] }));
    say(`CRM simulator (Salesforce + Dynamics wire behaviour) at ${simulatorUrl}`);
  }
  const genesysEnv: Record<string, string> = {};
  if (!realGenesys) {
    fake = await startGenesysFake();
    Object.assign(genesysEnv, {
      GENESYS_API_BASE_URL: fake.baseUrl,
      GENESYS_LOGIN_BASE_URL: fake.loginUrl,
      GENESYS_CLIENT_ID: fake.clientId,
      GENESYS_CLIENT_SECRET: fake.clientSecret,
    });
    say(`Genesys Cloud fake (OAuth, analytics, transcripts) at ${fake.baseUrl}`);
  }
  const crmEnv = realCrm
    ? {}
    : {
        CRM_PROVIDER: 'salesforce',
        SALESFORCE_INSTANCE_URL: simulatorUrl,
        SALESFORCE_TOKEN_URL: `${simulatorUrl}/services/oauth2/token`,
        SALESFORCE_CLIENT_ID: 'sim-salesforce-client',
        SALESFORCE_CLIENT_SECRET: 'sim-salesforce-secret',
      };
  say('starting ingest, extractor, aggregator and crm-writer…');
  started.push(
    ...(await Promise.all([
      startService({ app: 'crm-writer', port: PORTS['crm-writer'], env: { ...kafkaEnv, ...crmEnv } }),
      startService({
        app: 'aggregator',
        port: PORTS.aggregator,
        env: { ...kafkaEnv, AGGREGATION_END_GRACE_MS: '3000' },
      }),
      startService({ app: 'extractor', port: PORTS.extractor, env: kafkaEnv }),
      startService({
        app: 'ingest',
        port: PORTS.ingest,
        env: {
          ...kafkaEnv,
          ...genesysEnv,
          INGEST_BEARER_TOKENS: INGEST_TOKEN,
          GENESYS_POLLER_ENABLED: 'true',
          GENESYS_POLL_INITIAL_DELAY_MS: '1000',
          GENESYS_POLL_BASE_DELAY_MS: '1000',
          GENESYS_POLL_TICK_MS: '250',
        },
      }),
    ])),
  );
  say('all services ready');

  const results = await collectTopic(testKafka('demo-results'), Topics.contactUpdateResult);
  const deadLetters = await collectTopic(testKafka('demo-dead-letters'), Topics.deadLetter);
  const ids = new Set<string>();
  for (const conversation of SAMPLE_CONVERSATIONS) {
    ids.add(conversation.conversationId);
    await play(conversation, fake);
  }

  const settled = () =>
    [...ids].filter(
      (id) =>
        results.messages.some((entry) => decodeKey(entry.message.key) === id) ||
        deadLetters.messages.some((entry) => decodeKey(entry.message.key) === id),
    ).length;
  let shown = -1;
  await waitFor(
    () => {
      const done = settled();
      if (done !== shown) say(`progress: ${done}/${ids.size} conversations written to the CRM`);
      shown = done;
      return done === ids.size;
    },
    { timeoutMs: 90_000, intervalMs: 500, description: 'every sample conversation reached the CRM' },
  ).catch((error: unknown) =>
    say(`${error instanceof Error ? error.message : String(error)}; showing what arrived`),
  );
  await Promise.all([results.stop(), deadLetters.stop()]);

  if (!realCrm) await printChanges(simulatorUrl, ids);
  say('');
  say(`CRM simulator page: ${simulatorUrl}/`);
  say(
    `ingest API: http://127.0.0.1:${PORTS.ingest}/v1/genesys/events (Authorization: Bearer ${INGEST_TOKEN})`,
  );
  for (const [app, port] of Object.entries(PORTS))
    say(`metrics ${app.padEnd(13)} http://127.0.0.1:${port}/metrics`);
  say('logs: .local-stack/logs/services/*.log');
  say('running; press Ctrl-C to stop everything this run started');
  if (env['DEMO_EXIT'] === '1') {
    await stopAll();
    process.exit(0);
  }
}

async function play(conversation: SampleConversation, fake: GenesysFake | undefined): Promise<void> {
  if (conversation.genesysFake) {
    if (!fake) return;
    fake.addConversation(conversation.genesysFake);
  }
  for (const body of conversation.bodies) await post(body);
  say(`played "${conversation.title}" (${conversation.bodies.length} Genesys events)`);
}

/**
 * Posts one body to ingest as a well-behaved Genesys client would: a 503 (broker unreachable or
 * producer saturated, e.g. while the stack warms up) or 429 is retried after its Retry-After, for
 * up to 30 s; any other answer but 202 is final.
 */
async function post(body: unknown): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await fetch(`http://127.0.0.1:${PORTS.ingest}/v1/genesys/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
      body: JSON.stringify(body),
    });
    if (response.status === 202) return;
    const text = await response.text();
    const retryable = response.status === 503 || response.status === 429;
    if (!retryable || Date.now() > deadline) throw new Error(`ingest answered ${response.status}: ${text}`);
    const seconds = Math.min(5, Math.max(0.2, Number(response.headers.get('retry-after')) || 1));
    say(`ingest answered ${response.status}; retrying in ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  }
}

/** A CRM value as a table cell: scalars as they are, anything else as JSON, nothing as `empty`. */
function cellText(value: unknown, empty: string): string {
  if (value === null || value === undefined) return empty;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value);
}

async function printChanges(simulatorUrl: string, ids: Set<string>): Promise<void> {
  const store = (await (await fetch(`${simulatorUrl}/__admin/store`)).json()) as {
    salesforce: Array<{ id: string; fields: Record<string, unknown>; history: HistoryEntry[] }>;
  };
  const rows: string[][] = [];
  for (const contact of store.salesforce) {
    const name =
      `${cellText(contact.fields['FirstName'], '')} ${cellText(contact.fields['LastName'], '')}`.trim();
    for (const entry of contact.history) {
      if (entry.conversationId && !ids.has(entry.conversationId)) continue;
      rows.push([
        name ? `${name} (${contact.id})` : contact.id,
        entry.field,
        `${cellText(entry.oldValue, '∅')} → ${cellText(entry.newValue, '∅')}`,
        (entry.conversationId ?? '').slice(0, 13),
      ]);
    }
  }
  const header = ['contact', 'field', 'old → new', 'conversation'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `  ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}`;
  say('CRM changes:');
  process.stdout.write(`${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
  if (rows.length === 0) say('(no CRM change recorded)');
}

main().catch((error: unknown) => {
  process.stderr.write(`[demo] failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
