// The replay tool against the running pipeline and the CRM simulator: a replayed window changes
// nothing (twice), a fresh pipeline fed the same window reaches the same CRM state, and dead
// letters parked by a CRM validation fault apply once the fault is gone and they are re-driven.
import { Topics } from '@crm/contracts';
import { HeaderNames } from '@crm/kafka-core';
import { type CollectedMessage, collectTopic, testKafka, type TopicCollector, waitFor } from '@crm/testing';
import { dataAction, newConversationId } from './support/conversations';
import { type Pipeline, startPipeline } from './support/pipeline';
import {
  crmWrites,
  metricSum,
  replayIdOf,
  runReplayCli,
  startFreshDownstream,
} from './support/replay-support';

const keyOf = (entry: CollectedMessage) => entry.message.key?.toString() ?? null;
const replayOf = (entry: CollectedMessage): string => {
  const raw = entry.message.headers?.[HeaderNames.replay];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value === undefined ? '' : value.toString();
};

describe('replay tool end to end', () => {
  let pipeline: Pipeline;
  let extracted: TopicCollector;
  let updates: TopicCollector;
  let results: TopicCollector;
  let deadLetters: TopicCollector;
  // One conversation written by the pipeline before the tests: the window they replay.
  let windowFrom: string;
  let contactId: string;
  let conversationId: string;

  beforeAll(async () => {
    pipeline = await startPipeline();
    const kafka = testKafka();
    [extracted, updates, results, deadLetters] = await Promise.all([
      collectTopic(kafka, Topics.entityExtracted),
      collectTopic(kafka, Topics.contactUpdateRequested),
      collectTopic(kafka, Topics.contactUpdateResult),
      collectTopic(kafka, Topics.deadLetter),
    ]);
    windowFrom = new Date(Date.now() - 1_000).toISOString();
    contactId = await pipeline.createContact({
      FirstName: 'Replay',
      LastName: 'Window',
      Email: 'replay@example.com',
    });
    conversationId = newConversationId();
    const response = await pipeline.post(
      dataAction({
        conversationId,
        contactId,
        messages: [
          { id: 'm1', from: 'customer', text: 'my order number is 0012345678' },
          { id: 'm2', from: 'agent', text: 'thanks, anything else?' },
          { id: 'm3', from: 'customer', text: 'and my account id is AC-12345678' },
        ],
        ended: true,
      }),
    );
    expect(response.status).toBe(202);
    await pipeline.waitForField(contactId, 'Account_Id__c', 'AC-12345678', 'window conversation written');
    await pipeline.waitForField(contactId, 'Order_Number__c', '0012345678', 'window conversation written');
    await waitFor(() => results.messages.some((entry) => keyOf(entry) === conversationId), {
      timeoutMs: 60_000,
      description: 'result of the window conversation',
    });
  }, 240_000);

  afterAll(async () => {
    await Promise.all([extracted?.stop(), updates?.stop(), results?.stop(), deadLetters?.stop()]);
    await pipeline?.stop();
  });

  const ofConversation = (collector: TopicCollector, id: string) =>
    collector.messages.filter((entry) => keyOf(entry) === id);

  it('replays a window into the running pipeline twice without a single extra CRM write', async () => {
    const original = ofConversation(extracted, conversationId).filter((entry) => replayOf(entry) === '');
    const before = { writes: await crmWrites(pipeline), contact: await pipeline.contact(contactId) };

    for (const round of [1, 2]) {
      const consumed = await metricSum(pipeline.services['aggregator']!, 'kafka_consumer_records_total');
      const run = await runReplayCli([
        '--topic',
        'conversationEvents',
        '--from',
        windowFrom,
        '--conversation',
        conversationId,
      ]);
      expect(run.code).toBe(0);
      const replayId = replayIdOf(run);

      // The extractor re-extracted every replayed event (its output keeps the replay marker) ...
      await waitFor(
        () =>
          ofConversation(extracted, conversationId).filter((entry) => replayOf(entry) === replayId).length ===
          original.length,
        { timeoutMs: 60_000, description: `round ${round}: replayed events re-extracted` },
      );
      // ... the aggregator consumed them ...
      await waitFor(
        async () =>
          (await metricSum(pipeline.services['aggregator']!, 'kafka_consumer_records_total')) >=
          consumed + original.length,
        { timeoutMs: 60_000, description: `round ${round}: aggregator consumed the replay` },
      );
      // ... and any update it re-sent has its result (the writer's read found nothing to change).
      await waitFor(
        () =>
          ofConversation(results, conversationId).length >= ofConversation(updates, conversationId).length,
        { timeoutMs: 60_000, description: `round ${round}: every update has its result` },
      );
      expect(await crmWrites(pipeline)).toBe(before.writes);
      const after = await pipeline.contact(contactId);
      expect(after.fields).toEqual(before.contact.fields);
      expect(after.history).toEqual(before.contact.history);
    }
  });

  it('replays the window into a fresh pipeline and reaches the same CRM state', async () => {
    const fresh = await startFreshDownstream();
    try {
      const original = await pipeline.contact(contactId);
      await fresh.simulator.seedContact(contactId, {
        FirstName: 'Replay',
        LastName: 'Window',
        Email: 'replay@example.com',
      });

      const run = await runReplayCli([
        '--topic',
        'entityExtracted',
        '--from',
        windowFrom,
        '--conversation',
        conversationId,
        '--target',
        fresh.inputTopic,
      ]);
      expect(run.code).toBe(0);

      const replayed = await fresh.simulator.waitForField(
        contactId,
        'Last_Conversation_Id__c',
        conversationId,
        'fresh pipeline wrote the contact',
      );
      const written = [...new Set(original.history.map((entry) => entry.field))];
      expect(written).toEqual(expect.arrayContaining(['Order_Number__c', 'Account_Id__c']));
      for (const field of written) expect(replayed.fields[field]).toEqual(original.fields[field]);
    } finally {
      await fresh.stop();
    }
  });

  it('re-drives updates parked by a CRM validation fault once the fault is removed', async () => {
    await pipeline.admin('/faults', {
      method: 'PUT',
      body: JSON.stringify({ fieldErrors: [{ provider: 'salesforce', field: 'Case_Number__c' }] }),
    });
    const parkedContact = await pipeline.createContact({ FirstName: 'Parked', LastName: 'Update' });
    const parked = newConversationId();
    await pipeline.post(
      dataAction({
        conversationId: parked,
        contactId: parkedContact,
        messages: [{ id: 'm1', from: 'customer', text: 'my case number is 00012345' }],
        ended: true,
      }),
    );
    await waitFor(() => ofConversation(deadLetters, parked).length > 0, {
      timeoutMs: 60_000,
      description: 'update parked on the dead-letter topic',
    });
    const inspect = await runReplayCli(['dead-letters', 'inspect', '--conversation', parked]);
    expect(inspect.code).toBe(0);
    expect(inspect.stdout).toMatch(/^CRM_VALIDATION\s+1\s/m);
    expect((await pipeline.contact(parkedContact)).fields['Case_Number__c']).toBeUndefined();

    await pipeline.admin('/faults', { method: 'DELETE' });
    const redrive = await runReplayCli([
      'dead-letters',
      'redrive',
      '--reason',
      'CRM_VALIDATION',
      '--conversation',
      parked,
    ]);

    expect(redrive.code).toBe(0);
    expect(redrive.stdout).toContain('re-drive sent 1 dead letters');
    await pipeline.waitForField(
      parkedContact,
      'Case_Number__c',
      '00012345',
      'parked update applied after re-drive',
    );
  });

  it('refuses bad arguments with the usage text and exit code 64', async () => {
    const run = await runReplayCli(['--topic', 'conversationEvents', '--from', 'last tuesday']);

    expect(run.code).toBe(64);
    expect(run.stderr).toContain('Usage:');
  });
});
