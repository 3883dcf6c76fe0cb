// The writer on the real local broker and registry, against the in-process CRM fake of
// @crm/crm/testing (wire-faithful Salesforce REST): unique topics and groups per test.
import { loadConfig } from '@crm/config';
import { type ContactUpdateRequested } from '@crm/contracts';
import { createLogger, createMetricsRegistry } from '@crm/observability';
import { waitFor } from '@crm/testing';
import { envSchema } from './config/env.schema';
import {
  anOrderUpdate,
  createWriterTopics,
  T0,
  useWriterWorld,
  writerEnv,
  WriterTopicsClient,
} from './testing/writer-topics.harness';
import { createWriter } from './writer.factory';
import { WriterPipeline } from './writer.pipeline';

const ID = '003000000000001AAA';
const BAD = '003000000000002AAA';

function anUpdate(overrides: Partial<ContactUpdateRequested> = {}): ContactUpdateRequested {
  return { ...anOrderUpdate(ID, '0012345678'), ...overrides };
}

describe(WriterPipeline.name, () => {
  const { fake, kafka, admin, producer } = useWriterWorld();
  let client: WriterTopicsClient;
  let pipeline: WriterPipeline;

  beforeEach(async () => {
    fake.state.records.clear();
    fake.state.log.length = 0;
    fake.state.faults = {};
    fake.state.put('Contact', ID, { Email: 'ann@example.com', Order_Number__c: null });
    fake.state.put('Contact', BAD, { Email: 'bob@example.com' });
    const topics = await createWriterTopics(admin);
    client = new WriterTopicsClient(kafka, producer, topics);
    pipeline = createWriter(
      loadConfig('crm-writer', envSchema, writerEnv(fake.url, topics)),
      createLogger({ service: 'crm-writer', level: 'silent', format: 'json' }),
      createMetricsRegistry('crm-writer'),
      { topics },
    ).pipeline;
    await pipeline.start();
    await waitFor(() => pipeline.isReady(), { timeoutMs: 30_000, description: 'writer consumers joined' });
  });
  afterEach(() => pipeline.stop());

  const send = (...updates: ContactUpdateRequested[]) => client.send(updates);
  const results = (count: number) => client.results(count);

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
    const [deadLetter] = await client.deadLetters(1);
    expect(deadLetter).toMatchObject({
      reason: 'CRM_VALIDATION',
      retriable: false,
      conversationId: bad.conversationId,
    });
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
