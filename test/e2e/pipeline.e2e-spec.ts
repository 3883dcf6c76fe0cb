// One test per path through the running pipeline: Genesys input at ingest → CRM state in the
// simulator, with the topics in between read where a path ends there (rejections, dead letters).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Topics } from '@crm/contracts';
import { collectTopic, metricsIn, testKafka, waitFor, type TopicCollector } from '@crm/testing';
import { contactAttributes, dataAction, newConversationId, transcription } from './support/conversations';
import { type Pipeline, startPipeline } from './support/pipeline';
import { parse } from 'yaml';

const repoPath = (...parts: string[]): string => join(__dirname, '../..', ...parts);

describe('pipeline end to end', () => {
  let pipeline: Pipeline;
  let deadLetters: TopicCollector;
  let rejections: TopicCollector;
  let updates: TopicCollector;

  beforeAll(async () => {
    pipeline = await startPipeline();
    const kafka = testKafka();
    deadLetters = await collectTopic(kafka, Topics.deadLetter);
    rejections = await collectTopic(kafka, Topics.entityRejected);
    updates = await collectTopic(kafka, Topics.contactUpdateRequested);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([deadLetters?.stop(), rejections?.stop(), updates?.stop()]);
    await pipeline?.stop();
  });

  const written = async (contactId: string, field: string) =>
    (await pipeline.contact(contactId)).history.filter((entry) => entry.field === field);

  it('writes a digital burst of repeated mentions to the CRM once', async () => {
    const contactId = await pipeline.createContact({
      FirstName: 'Burst',
      LastName: 'Case',
      Email: 'burst@example.com',
    });
    const conversationId = newConversationId();
    const phrasings = [
      'my order number is 0012345678',
      'order number 0012345678 again',
      'it is order number 0012345678!',
      'did you get my order number? 0012345678',
    ];
    const messages = Array.from({ length: 8 }, (_, i) => ({
      id: `m${i}`,
      from: 'customer' as const,
      text: phrasings[i % phrasings.length]!,
    }));

    const response = await pipeline.post(dataAction({ conversationId, contactId, messages }));

    expect(response.status).toBe(202);
    const contact = await pipeline.waitForField(
      contactId,
      'Order_Number__c',
      '0012345678',
      'order number written',
    );
    expect(contact.fields['Last_Conversation_Id__c']).toBe(conversationId);
    expect(await written(contactId, 'Order_Number__c')).toHaveLength(1);
  });

  it('writes a voice conversation once analytics are ready, with the contact from a participant attribute', async () => {
    const contactId = await pipeline.createContact({
      FirstName: 'Voice',
      LastName: 'Caller',
      Email: 'voice@example.com',
    });
    const conversationId = newConversationId();
    expect((await pipeline.post(contactAttributes(conversationId, contactId))).status).toBe(202);
    await pipeline.post(
      transcription({
        conversationId,
        utterances: [
          { id: 'u1', channel: 'EXTERNAL', text: 'hi my case number is 00012345', confidence: 0.95 },
          { id: 'u2', channel: 'INTERNAL', text: 'thanks let me look at that', confidence: 0.97 },
        ],
      }),
    );
    await pipeline.post(transcription({ conversationId, utterances: [], sessionEnded: true }));

    await pipeline.waitForField(contactId, 'Case_Number__c', '00012345', 'case number written');
    expect(await written(contactId, 'Case_Number__c')).toHaveLength(1);
  });

  it('makes no CRM call at all for a conversation with no entities', async () => {
    const contactId = await pipeline.createContact({
      FirstName: 'Quiet',
      LastName: 'One',
      Email: 'quiet@example.com',
    });
    const conversationId = newConversationId();
    const suppressedEmpty = async (): Promise<number> => {
      const text = await (await fetch(`${pipeline.services['aggregator']!.url}/metrics`)).text();
      const line = text
        .split('\n')
        .find((row) => row.startsWith('aggregator_updates_suppressed_total') && row.includes('EMPTY'));
      return line ? Number(line.split(' ').pop()) : 0;
    };
    const before = await suppressedEmpty();

    await pipeline.post(
      dataAction({
        conversationId,
        contactId,
        messages: [{ id: 'm1', from: 'customer', text: 'thanks, that is all' }],
        ended: true,
      }),
    );

    // The aggregator decided on the ended conversation and found nothing to write.
    await waitFor(async () => (await suppressedEmpty()) > before, {
      timeoutMs: 60_000,
      description: 'empty flush suppressed',
    });
    expect(updates.messages.some((entry) => entry.message.key?.toString() === conversationId)).toBe(false);
    expect((await pipeline.contact(contactId)).history).toEqual([]);
  });

  it('holds back a low-confidence value as a rejection and writes nothing', async () => {
    const contactId = await pipeline.createContact({
      FirstName: 'Low',
      LastName: 'Confidence',
      Email: 'low@example.com',
    });
    const conversationId = newConversationId();
    await pipeline.post(contactAttributes(conversationId, contactId));
    await pipeline.post(
      transcription({
        conversationId,
        utterances: [
          { id: 'u1', channel: 'EXTERNAL', text: 'my order number is 5550001234', confidence: 0.5 },
        ],
      }),
    );
    await pipeline.post(transcription({ conversationId, utterances: [], sessionEnded: true }));

    await waitFor(
      () => rejections.messages.some((entry) => entry.message.key?.toString() === conversationId),
      { timeoutMs: 60_000, description: 'rejection event' },
    );
    expect((await pipeline.contact(contactId)).fields['Order_Number__c'] ?? null).toBeNull();
  });

  it('parks an update whose contact cannot be resolved on the dead-letter topic', async () => {
    const conversationId = newConversationId();
    await pipeline.post(
      dataAction({
        conversationId,
        email: 'nobody-here@example.com',
        messages: [{ id: 'm1', from: 'customer', text: 'my order number is 0099887766' }],
        ended: true,
      }),
    );

    await waitFor(
      () => deadLetters.messages.some((entry) => entry.message.key?.toString() === conversationId),
      { timeoutMs: 60_000, description: 'dead letter' },
    );
  });

  it('writes nothing more when the same events are delivered twice', async () => {
    const contactId = await pipeline.createContact({
      FirstName: 'Dup',
      LastName: 'Delivery',
      Email: 'dup@example.com',
    });
    const conversationId = newConversationId();
    const body = dataAction({
      conversationId,
      contactId,
      messages: [{ id: 'm1', from: 'customer', text: 'my account id is AC-12345678' }],
      ended: true,
    });

    await pipeline.post(body);
    await pipeline.waitForField(contactId, 'Account_Id__c', 'AC-12345678', 'account id written');
    await pipeline.post(body);
    const marker = newConversationId();
    await pipeline.post(
      dataAction({
        conversationId: marker,
        contactId,
        messages: [{ id: 'm1', from: 'customer', text: 'my order number is 0000000077' }],
        ended: true,
      }),
    );
    await pipeline.waitForField(contactId, 'Last_Conversation_Id__c', marker, 'marker conversation written');

    expect(await written(contactId, 'Account_Id__c')).toHaveLength(1);
  });

  it('fetches a late transcript with the poller, retrying until it is ready, then writes the CRM', async () => {
    const contactId = await pipeline.createContact({
      FirstName: 'Late',
      LastName: 'Analytics',
      Email: 'late@example.com',
    });
    const conversationId = newConversationId();
    const now = Date.now();
    pipeline.genesys.addConversation({
      conversationId,
      mediaType: 'voice',
      startTime: now - 60_000,
      endTime: now,
      customerAttributes: { SF_ContactId: contactId },
      transcriptReadyAfterPolls: 2,
      phrases: [
        { text: 'my order number is 0055443322', participantPurpose: 'external', confidence: 0.96 },
        { text: 'thanks I have it', participantPurpose: 'internal', confidence: 0.97 },
      ],
    });

    const response = await pipeline.post({
      topicName: `v2.detail.events.conversation.${conversationId}.customer.end`,
      version: '2',
      eventBody: {
        eventTime: now,
        conversationId,
        participantId: 'p-9',
        sessionId: 's-9',
        mediaType: 'VOICE',
        direction: 'INBOUND',
        disconnectType: 'CLIENT',
      },
      metadata: { CorrelationId: 'c-9' },
    });

    expect(response.status).toBe(202);
    await pipeline.waitForField(
      contactId,
      'Order_Number__c',
      '0055443322',
      'order number from the late transcript',
    );
    expect(pipeline.genesys.transcriptPolls(conversationId)).toBeGreaterThanOrEqual(3);
  });

  it('exports every metric the Grafana dashboards and Prometheus rules query', async () => {
    const dashboards = readdirSync(repoPath('deploy/grafana/dashboards')).map((file) =>
      readFileSync(repoPath('deploy/grafana/dashboards', file), 'utf8'),
    );
    const exprs = dashboards.flatMap((text) =>
      [...text.matchAll(/"expr":\s*"((?:[^"\\]|\\.)*)"/g)].map(
        (match) => JSON.parse(`"${match[1]!}"`) as string,
      ),
    );
    const rules = parse(readFileSync(repoPath('deploy/prometheus/rules/pipeline.rules.yml'), 'utf8')) as {
      groups: Array<{ rules: Array<{ expr: string }> }>;
    };
    exprs.push(...rules.groups.flatMap((group) => group.rules.map((rule) => rule.expr)));
    const queried = new Set(exprs.flatMap(metricsIn));

    const exported = new Set<string>(['up']); // Prometheus' own series for every target
    for (const service of Object.values(pipeline.services)) {
      const text = await (await fetch(`${service.url}/metrics`)).text();
      for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
        exported.add(name!);
        if (type === 'histogram')
          for (const suffix of ['_bucket', '_sum', '_count']) exported.add(`${name!}${suffix}`);
        if (type === 'summary') for (const suffix of ['_sum', '_count']) exported.add(`${name!}${suffix}`);
      }
    }

    expect(queried.size).toBeGreaterThan(20);
    expect([...queried].filter((metric) => !exported.has(metric)).sort()).toEqual([]);
  });

  it('writes the later correction when the customer corrects a value later in the conversation', async () => {
    const contactId = await pipeline.createContact({
      FirstName: 'Cor',
      LastName: 'Rection',
      Email: 'correction@example.com',
    });
    const conversationId = newConversationId();
    const start = Date.now() - 60_000;
    await pipeline.post(
      dataAction({
        conversationId,
        contactId,
        messages: [
          { id: 'm1', from: 'customer', text: 'my order number is 0012345678', at: start },
          { id: 'm2', from: 'agent', text: 'thanks, checking', at: start + 10_000 },
          {
            id: 'm3',
            from: 'customer',
            text: 'sorry, wrong one: my order number is 0087654321',
            at: start + 30_000,
          },
        ],
        ended: true,
      }),
    );

    await pipeline.waitForField(contactId, 'Order_Number__c', '0087654321', 'corrected order number written');
    expect((await written(contactId, 'Order_Number__c')).map((entry) => entry.newValue)).toEqual([
      '0087654321',
    ]);
  });

  it('still writes every update when the CRM answers 429s and the token expires along the way', async () => {
    const contactId = await pipeline.createContact({
      FirstName: 'Rough',
      LastName: 'Weather',
      Email: 'rough@example.com',
    });
    // A first write makes sure the writer holds a token, which then expires under it.
    const warmup = newConversationId();
    await pipeline.post(
      dataAction({
        conversationId: warmup,
        contactId,
        messages: [{ id: 'm1', from: 'customer', text: 'my order number is 0011112222' }],
        ended: true,
      }),
    );
    await pipeline.waitForField(contactId, 'Order_Number__c', '0011112222', 'warm-up write');
    const before = await pipeline.admin<{ requests: Array<{ seq: number }> }>(
      '/requests?provider=salesforce',
    );
    const since = Math.max(0, ...before.requests.map((entry) => entry.seq));

    await pipeline.admin('/tokens/expire', { method: 'POST' });
    await pipeline.admin('/faults', {
      method: 'PUT',
      body: JSON.stringify({
        bursts: [{ provider: 'salesforce', status: 429, retryAfterSeconds: 1, count: 3 }],
      }),
    });
    try {
      const conversationId = newConversationId();
      await pipeline.post(
        dataAction({
          conversationId,
          contactId,
          messages: [{ id: 'm1', from: 'customer', text: 'my case number is 00077777' }],
          ended: true,
        }),
      );

      await pipeline.waitForField(
        contactId,
        'Case_Number__c',
        '00077777',
        'case number written through 429s and a token refresh',
        90_000,
      );
      const after = await pipeline.admin<{ requests: Array<{ status: number; operation: string }> }>(
        `/requests?provider=salesforce&since=${since}`,
      );
      const statuses = after.requests.map((entry) => `${entry.status} ${entry.operation}`);
      expect(statuses).toEqual(
        expect.arrayContaining([expect.stringMatching(/^401 /), expect.stringMatching(/^429 /)]),
      );
      expect(statuses.filter((entry) => entry.endsWith(' token'))).toHaveLength(1);
    } finally {
      await pipeline.admin('/faults', { method: 'DELETE' });
    }
    expect(await written(contactId, 'Case_Number__c')).toHaveLength(1);
  });
});
