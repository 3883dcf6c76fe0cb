// The writer on the real local broker and registry, against the in-process CRM fake of
// @crm/crm/testing (wire-faithful Salesforce REST): unique topics and groups per test.
import { join } from 'node:path';
import { loadConfig } from '@crm/config';
import {
  type ContactUpdateRequested,
  type ContactUpdateResult,
  type DeadLetter,
  schemaOf,
  subjectFor,
} from '@crm/contracts';
import { FakeCrmServer } from '@crm/crm/testing';
import { AvroSerde } from '@crm/kafka-core';
import { createLogger, createMetricsRegistry } from '@crm/observability';
import { collectTopic, createTestTopic, stackEnv, testKafka, uniqueName, waitFor } from '@crm/testing';
import { type Admin, type Producer } from 'kafkajs';
import { envSchema } from './config/env.schema';
import { createWriter } from './writer.factory';
import { WriterPipeline, type WriterTopics } from './writer.pipeline';

const ID = '003000000000001AAA';
const BAD = '003000000000002AAA';
const T0 = 1_764_500_000_000;

function anUpdate(overrides: Partial<ContactUpdateRequested> = {}): ContactUpdateRequested {
  return {
    updateId: uniqueName('upd'),
    conversationId: uniqueName('conv'),
    contact: { contactId: ID, externalContactId: null, email: null, phone: null },
    crmObject: 'Contact',
    values: { OrderNumber: { value: '0012345678', entityId: 'e1', confidence: 0.95, occurredAt: T0 } },
    trigger: 'ENDED',
    mediaType: 'VOICE',
    conversationAt: T0,
    requestedAt: T0,
    replay: false,
    ...overrides,
  };
}

describe(WriterPipeline.name, () => {
  const fake = new FakeCrmServer();
  const kafka = testKafka();
  const { brokers, registryUrl } = stackEnv();
  const serde = AvroSerde.connect({ url: registryUrl });
  let admin: Admin;
  let producer: Producer;
  let topics: WriterTopics;
  let pipeline: WriterPipeline;

  beforeAll(async () => {
    await fake.start();
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await admin.disconnect();
    await fake.stop();
  });

  beforeEach(async () => {
    fake.state.records.clear();
    fake.state.log.length = 0;
    fake.state.faults = {};
    fake.state.put('Contact', ID, { Email: 'ann@example.com', Order_Number__c: null });
    fake.state.put('Contact', BAD, { Email: 'bob@example.com' });
    topics = {
      requests: await createTestTopic(admin, { prefix: 'cw-req', partitions: 2 }),
      byRecord: await createTestTopic(admin, { prefix: 'cw-rec', partitions: 2 }),
      results: await createTestTopic(admin, { prefix: 'cw-res' }),
      deadLetter: await createTestTopic(admin, { prefix: 'cw-dl' }),
      writeState: await createTestTopic(admin, {
        prefix: 'cw-state',
        configs: { 'cleanup.policy': 'compact' },
      }),
    };
    const env = loadConfig('crm-writer', envSchema, {
      KAFKA_BROKERS: brokers.join(','),
      SCHEMA_REGISTRY_URL: registryUrl,
      CRM_PROVIDER: 'salesforce',
      SALESFORCE_INSTANCE_URL: fake.url,
      SALESFORCE_TOKEN_URL: `${fake.url}/services/oauth2/token`,
      SALESFORCE_CLIENT_ID: 'id',
      SALESFORCE_CLIENT_SECRET: 'secret',
      FIELD_MAPPING_FILE: join(__dirname, '../../../config/field-mapping.json'),
      CRM_RETRY_BASE_MS: '10',
      CRM_RETRY_MAX_MS: '50',
      CRM_WRITER_GROUP_PREFIX: uniqueName('cw'),
      LOG_LEVEL: 'silent',
    });
    pipeline = createWriter(
      env,
      createLogger({ service: 'crm-writer', level: 'silent', format: 'json' }),
      createMetricsRegistry('crm-writer'),
      { topics },
    ).pipeline;
    await pipeline.start();
    await waitFor(() => pipeline.isReady(), { timeoutMs: 30_000, description: 'writer consumers joined' });
  });
  afterEach(() => pipeline.stop());

  async function send(...updates: ContactUpdateRequested[]): Promise<void> {
    const handle = await serde.register<ContactUpdateRequested>(
      subjectFor(topics.requests, 'value'),
      schemaOf('contact-update-requested', 'value'),
    );
    await producer.send({
      topic: topics.requests,
      messages: updates.map((u) => ({ key: u.conversationId, value: serde.encode(handle, u) })),
    });
  }

  async function results(count: number): Promise<ContactUpdateResult[]> {
    const collector = await collectTopic(kafka, topics.results);
    try {
      const handle = await serde.register<ContactUpdateResult>(
        subjectFor(topics.results, 'value'),
        schemaOf('contact-update-result', 'value'),
      );
      const messages = await collector.waitForCount(count, { timeoutMs: 30_000 });
      return Promise.all(messages.map((m) => serde.decodeAsync(m.message.value, handle)));
    } finally {
      await collector.stop();
    }
  }

  it('applies an update with exactly one PATCH and records APPLIED', async () => {
    const update = anUpdate();
    await send(update);
    const [result] = await results(1);
    expect(result).toMatchObject({
      updateId: update.updateId,
      outcome: 'APPLIED',
      recordId: ID,
      fieldsWritten: ['Order_Number__c', 'Last_Conversation_Id__c'],
    });
    expect(fake.state.count('PATCH', `/sobjects/Contact/${ID}`)).toBe(1);
    expect(fake.state.get('Contact', ID)?.fields).toMatchObject({
      Order_Number__c: '0012345678',
      Last_Conversation_Id__c: update.conversationId,
    });
  });

  it('answers a replay of the same request with NO_CHANGE and no PATCH', async () => {
    const update = anUpdate();
    await send(update);
    await results(1);
    await send({ ...update, replay: true });
    const all = await results(2);
    expect(all.map((r) => r.outcome)).toEqual(['APPLIED', 'NO_CHANGE']);
    expect(fake.state.count('PATCH', '/sobjects/')).toBe(1);
  });

  it('dead-letters a validation error while the next update still applies', async () => {
    fake.state.faults.validation = { [BAD]: { code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', fields: [] } };
    const bad = anUpdate({ contact: { contactId: BAD, externalContactId: null, email: null, phone: null } });
    const good = anUpdate();
    await send(bad);
    await send(good);
    const all = await results(2);
    expect(all.find((r) => r.updateId === bad.updateId)).toMatchObject({
      outcome: 'FAILED',
      error: 'CRM_VALIDATION',
    });
    expect(all.find((r) => r.updateId === good.updateId)).toMatchObject({ outcome: 'APPLIED' });
    const collector = await collectTopic(kafka, topics.deadLetter);
    try {
      const [dl] = await collector.waitForCount(1, { timeoutMs: 30_000 });
      const handle = await serde.register<DeadLetter>(
        subjectFor(topics.deadLetter, 'value'),
        schemaOf('dead-letter', 'value'),
      );
      expect(await serde.decodeAsync(dl!.message.value, handle)).toMatchObject({
        reason: 'CRM_VALIDATION',
        retriable: false,
        conversationId: bad.conversationId,
      });
    } finally {
      await collector.stop();
    }
  });

  it('dead-letters CONTACT_UNRESOLVED when no contact matches the lookup keys', async () => {
    const update = anUpdate({
      contact: { contactId: null, externalContactId: null, email: 'nobody@example.com', phone: null },
    });
    await send(update);
    const [result] = await results(1);
    expect(result).toMatchObject({ outcome: 'FAILED', error: 'CONTACT_UNRESOLVED' });
  });

  it('refreshes an expired token once mid-stream and fails no update', async () => {
    await send(anUpdate());
    await results(1);
    const tokensBefore = fake.state.count('POST', '/services/oauth2/token');
    fake.state.expireTokens();
    await send(
      anUpdate({
        values: {
          OrderNumber: { value: '0099999999', entityId: 'e2', confidence: 0.95, occurredAt: T0 + 1 },
        },
        conversationAt: T0 + 1,
      }),
    );
    await send(
      anUpdate({
        values: { CaseNumber: { value: '00012345', entityId: 'e3', confidence: 0.95, occurredAt: T0 + 2 } },
        conversationAt: T0 + 2,
      }),
    );
    const all = await results(3);
    expect(all.map((r) => r.outcome)).toEqual(['APPLIED', 'APPLIED', 'APPLIED']);
    expect(fake.state.count('POST', '/services/oauth2/token') - tokensBefore).toBe(1);
  });
});
