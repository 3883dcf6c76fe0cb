// The writer against apps/crm-simulator (spawned on a free port), an independently written
// Salesforce fake: the adapters' multi-record read, sObject Collections write, per-record errors
// and the NO_CHANGE path are checked against someone else's reading of the wire protocol.
import { loadConfig } from '@crm/config';
import { type ContactUpdateRequested } from '@crm/contracts';
import { createLogger, createMetricsRegistry } from '@crm/observability';
import { freePort, type RunningService, startService, testKafka, uniqueName, waitFor } from '@crm/testing';
import { type Admin, type Producer } from 'kafkajs';
import { envSchema } from './config/env.schema';
import {
  anOrderUpdate,
  createWriterTopics,
  T0,
  writerEnv,
  WriterTopicsClient,
} from './testing/writer-topics.harness';
import { createWriter } from './writer.factory';
import { WriterPipeline } from './writer.pipeline';

interface SimRequest {
  seq: number;
  method: string;
  url: string;
  operation: string;
}

describe(`${WriterPipeline.name} against the CRM simulator`, () => {
  const kafka = testKafka();
  let admin: Admin;
  let producer: Producer;
  let simulator: RunningService;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer();
    await producer.connect();
    simulator = await startService({
      app: 'crm-simulator',
      port: await freePort(),
      instance: uniqueName('crm-simulator-for-writer'),
      env: { SIMULATOR_SEED: 'empty', LOG_LEVEL: 'warn' },
    });
  });
  afterAll(async () => {
    await simulator.stop();
    await producer.disconnect();
    await admin.disconnect();
  });

  async function sim<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${simulator.url}/__admin${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`simulator ${method} ${path} answered ${response.status}`);
    return (await response.json()) as T;
  }

  const fieldsOf = async (id: string) =>
    (await sim<{ fields: Record<string, unknown> }>('GET', `/contacts/salesforce/${id}`)).fields;
  const patchesSince = async (seq: number) =>
    (await sim<{ requests: SimRequest[] }>('GET', '/requests?provider=salesforce')).requests.filter(
      (r) => r.seq > seq && r.method === 'PATCH',
    );
  const lastSeq = async () =>
    Math.max(0, ...(await sim<{ requests: SimRequest[] }>('GET', '/requests')).requests.map((r) => r.seq));

  it('applies a batch, dead-letters only its invalid record, and answers replays with NO_CHANGE and no PATCH', async () => {
    const { contacts } = await sim<{ contacts: Array<{ id: string }> }>('POST', '/contacts', {
      provider: 'salesforce',
      contacts: [
        { fields: { LastName: 'Ann' } },
        { fields: { LastName: 'Bob' } },
        { fields: { LastName: 'Cy' } },
      ],
    });
    const [ann, bob, cy] = contacts.map((c) => c.id) as [string, string, string];
    await sim('PUT', '/faults', {
      fieldErrors: [
        {
          provider: 'salesforce',
          field: 'Case_Number__c',
          errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          message: 'no',
        },
      ],
    });
    const topics = await createWriterTopics(admin, 1);
    const env = loadConfig(
      'crm-writer',
      envSchema,
      writerEnv(simulator.url, topics, {
        SALESFORCE_CLIENT_ID: 'sim-salesforce-client',
        SALESFORCE_CLIENT_SECRET: 'sim-salesforce-secret',
        CRM_BATCH_LINGER_MS: '200',
      }),
    );
    const { pipeline } = createWriter(
      env,
      createLogger({ service: 'crm-writer', level: 'silent', format: 'json' }),
      createMetricsRegistry('crm-writer'),
      { topics },
    );
    const client = new WriterTopicsClient(kafka, producer, topics);
    const results = await client.collectResults();
    const deadLetters = await client.collectDeadLetters();
    await pipeline.start();
    try {
      await waitFor(() => pipeline.isReady(), { timeoutMs: 30_000, description: 'writer consumers joined' });
      const invalid: ContactUpdateRequested = {
        ...anOrderUpdate(cy, '1'),
        values: { CaseNumber: { value: '00012345', entityId: 'e3', confidence: 0.95, occurredAt: T0 } },
      };
      const first = [anOrderUpdate(ann, '0011111111'), anOrderUpdate(bob, '0022222222'), invalid];
      await client.send(first);
      await results.collector.waitForCount(3, { timeoutMs: 30_000 });
      const outcomes = new Map((await results.decoded()).map((r) => [r.updateId, r]));
      expect(outcomes.get(first[0]!.updateId)).toMatchObject({ outcome: 'APPLIED' });
      expect(outcomes.get(first[1]!.updateId)).toMatchObject({ outcome: 'APPLIED' });
      expect(outcomes.get(invalid.updateId)).toMatchObject({ outcome: 'FAILED', error: 'CRM_VALIDATION' });
      await deadLetters.collector.waitForCount(1, { timeoutMs: 30_000 });
      expect(await deadLetters.decoded()).toMatchObject([
        { reason: 'CRM_VALIDATION', retriable: false, conversationId: invalid.conversationId },
      ]);
      expect(await fieldsOf(ann)).toMatchObject({
        Order_Number__c: '0011111111',
        Last_Conversation_Id__c: first[0]!.conversationId,
      });
      expect(await fieldsOf(bob)).toMatchObject({ Order_Number__c: '0022222222' });
      expect((await fieldsOf(cy))['Case_Number__c'] ?? null).toBeNull();
      // Read with one SOQL query over the three ids and written with one sObject Collections call.
      const calls = (await sim<{ requests: SimRequest[] }>('GET', '/requests?provider=salesforce')).requests;
      expect(calls.filter((r) => r.operation === 'collections')).toHaveLength(1);
      expect(
        calls.filter(
          (r) =>
            r.operation === 'query' && decodeURIComponent(r.url.replace(/\+/g, ' ')).includes(" OR Id = '"),
        ),
      ).toHaveLength(1);

      const before = await lastSeq();
      // The same requests replayed, then new requests carrying the values the CRM already holds.
      const sameValues = [anOrderUpdate(ann, '0011111111', T0 + 1), anOrderUpdate(bob, '0022222222', T0 + 1)];
      await client.send([{ ...first[0]!, replay: true }, { ...first[1]!, replay: true }, ...sameValues]);
      await results.collector.waitForCount(7, { timeoutMs: 30_000 });
      const later = (await results.decoded()).slice(3);
      expect(later.map((r) => r.outcome)).toEqual(['NO_CHANGE', 'NO_CHANGE', 'NO_CHANGE', 'NO_CHANGE']);
      expect(await patchesSince(before)).toEqual([]);
    } finally {
      await results.collector.stop();
      await deadLetters.collector.stop();
      await pipeline.stop();
    }
  });
});
