// Starts the whole pipeline as real processes (ingest, extractor, aggregator, crm-writer and the
// CRM simulator) against the local Kafka and registry, and gives tests a small API over it: post
// Genesys events to ingest, seed and read CRM contacts, read topics.
import { TOPIC_SPECS } from '@crm/contracts';
import { type GenesysFake, startGenesysFake } from '@crm/genesys/testing';
import { provisionTopics } from '@crm/kafka-core';
import { freePort, startService, stackEnv, testKafka, type RunningService } from '@crm/testing';
import { salesforceSimulatorEnv, SimulatorClient } from './simulator-client';

export { type SimContact } from './simulator-client';

export const INGEST_TOKEN = 'e2e-token';

export interface PipelineOptions {
  /** Extra environment per app. */
  env?: Partial<
    Record<'ingest' | 'extractor' | 'aggregator' | 'crm-writer' | 'crm-simulator', Record<string, string>>
  >;
}

export class Pipeline extends SimulatorClient {
  constructor(
    readonly services: Record<string, RunningService>,
    readonly ingestUrl: string,
    simulatorUrl: string,
    readonly genesys: GenesysFake,
  ) {
    super(simulatorUrl);
  }

  async post(body: unknown): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${this.ingestUrl}/v1/genesys/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  async stop(): Promise<void> {
    await Promise.all(Object.values(this.services).map((service) => service.stop()));
    await this.genesys.close();
  }
}

export async function startPipeline(options: PipelineOptions = {}): Promise<Pipeline> {
  const { brokers, registryUrl } = stackEnv();
  const admin = testKafka().admin();
  await admin.connect();
  await provisionTopics(admin, TOPIC_SPECS, { defaultPartitions: 6, replicationFactor: 1 });
  await admin.disconnect();

  const kafkaEnv = { KAFKA_BROKERS: brokers.join(','), SCHEMA_REGISTRY_URL: registryUrl, LOG_LEVEL: 'info' };
  const ports = {
    sim: await freePort(),
    writer: await freePort(),
    aggregator: await freePort(),
    extractor: await freePort(),
    ingest: await freePort(),
  };
  const simulatorUrl = `http://127.0.0.1:${ports.sim}`;
  const genesys = await startGenesysFake();
  const simulator = await startService({
    app: 'crm-simulator',
    port: ports.sim,
    env: { ...options.env?.['crm-simulator'] },
  });
  const [writer, aggregator, extractor, ingest] = await Promise.all([
    startService({
      app: 'crm-writer',
      port: ports.writer,
      env: {
        ...kafkaEnv,
        ...salesforceSimulatorEnv(simulatorUrl),
        ...options.env?.['crm-writer'],
      },
    }),
    startService({
      app: 'aggregator',
      port: ports.aggregator,
      env: { ...kafkaEnv, AGGREGATION_END_GRACE_MS: '2000', ...options.env?.aggregator },
    }),
    startService({
      app: 'extractor',
      port: ports.extractor,
      env: { ...kafkaEnv, ...options.env?.extractor },
    }),
    startService({
      app: 'ingest',
      port: ports.ingest,
      env: {
        ...kafkaEnv,
        INGEST_BEARER_TOKENS: INGEST_TOKEN,
        GENESYS_API_BASE_URL: genesys.baseUrl,
        GENESYS_LOGIN_BASE_URL: genesys.loginUrl,
        GENESYS_CLIENT_ID: genesys.clientId,
        GENESYS_CLIENT_SECRET: genesys.clientSecret,
        GENESYS_POLLER_ENABLED: 'true',
        GENESYS_POLL_INITIAL_DELAY_MS: '500',
        GENESYS_POLL_BASE_DELAY_MS: '500',
        GENESYS_POLL_TICK_MS: '200',
        GENESYS_NOTIFICATIONS_ENABLED: 'true',
        GENESYS_NOTIFICATION_TOPICS: 'v2.users.e2e-agent.conversations.summaries',
        ...options.env?.ingest,
      },
    }),
  ]);
  return new Pipeline(
    { simulator, writer: writer, aggregator: aggregator, extractor: extractor, ingest: ingest },
    `http://127.0.0.1:${ports.ingest}`,
    simulatorUrl,
    genesys,
  );
}
