import { DEFAULT_AGGREGATION_POLICY } from '@crm/aggregation';
import {
  type ContactUpdateRequested,
  type ConversationEvent,
  MESSAGE_SCHEMAS,
  subjectFor,
} from '@crm/contracts';
import { createExtractor, parseEntityDefinitions } from '@crm/extraction';
import {
  aChatMessage,
  aLifecycleEvent,
  aVoiceUtterance,
  defaultProductCatalogue,
  SHIPPED_ENTITY_DEFINITIONS_JSON,
} from '@crm/extraction/testing';
import { AvroSerde } from '@crm/kafka-core';
import { collectTopic, createTestTopic, stackEnv, useKafkaClients } from '@crm/testing';
import { testToolContext } from '../testing/tool-context.fixture';
import { reextract } from './reextract.usecase';
import { reextractConversation } from './reextract-conversation';

function extractorWith(minConfidence?: number) {
  const parsed = parseEntityDefinitions(SHIPPED_ENTITY_DEFINITIONS_JSON);
  return createExtractor({
    definitions:
      minConfidence === undefined
        ? parsed.definitions
        : parsed.definitions.map((definition) => ({ ...definition, minConfidence })),
    catalogue: defaultProductCatalogue(),
    defaultRegion: 'US',
    definitionsVersion: parsed.version,
  });
}

describe(reextract.name, () => {
  const { kafka, admin, producer } = useKafkaClients();
  const serde = AvroSerde.connect({ url: stackEnv().registryUrl });

  it('shows only the fields new definitions would change, then publishes those updates with --apply', async () => {
    const eventsTopic = await createTestTopic(admin, { partitions: 2 });
    const requestsTopic = await createTestTopic(admin, { partitions: 2 });
    const eventHandle = await serde.register<ConversationEvent>(
      subjectFor(eventsTopic, 'value'),
      MESSAGE_SCHEMAS['conversation-event'].value,
    );
    const requestHandle = await serde.register<ContactUpdateRequested>(
      subjectFor(requestsTopic, 'value'),
      MESSAGE_SCHEMAS['contact-update-requested'].value,
    );
    const hints = { contactId: '003000000000009', externalContactId: null, email: null, phone: null };
    // Held back by the shipped threshold (ASR 0.5), accepted by a lowered one.
    const heldBack = [
      aVoiceUtterance('my order number is 5550001234', {
        conversationId: 'held',
        confidence: 0.5,
        contactHints: hints,
      }),
      aLifecycleEvent('ANALYTICS_READY', { conversationId: 'held' }),
    ];
    // Written already with the value the new definitions find too.
    const unchanged = [
      aChatMessage('my order number is 0012345678', { conversationId: 'same', contactHints: hints }),
      aLifecycleEvent('CONVERSATION_ENDED', { conversationId: 'same', mediaType: 'CHAT' }),
    ];
    const lastRequested = reextractConversation(unchanged, extractorWith(), DEFAULT_AGGREGATION_POLICY, 1)!;
    await producer.send({
      topic: eventsTopic,
      acks: -1,
      messages: [...heldBack, ...unchanged].map((event) => ({
        key: event.conversationId,
        value: serde.encode(eventHandle, event),
      })),
    });
    await producer.send({
      topic: requestsTopic,
      acks: -1,
      messages: [{ key: 'same', value: serde.encode(requestHandle, lastRequested) }],
    });
    const ctx = await testToolContext();
    const input = {
      eventsTopic,
      requestsTopic,
      from: { kind: 'offset' as const, offset: 0 },
      to: null,
      conversations: [],
      extractor: extractorWith(0.4),
      policy: DEFAULT_AGGREGATION_POLICY,
      fieldOf: (type: string) => (type === 'OrderNumber' ? 'Order_Number__c' : type),
    };

    const dryRun = await reextract(ctx, { ...input, runId: 'reextract-dry', apply: false });

    expect(dryRun).toMatchObject({ events: 4, conversations: 2, updates: 1, applied: false });
    expect(dryRun.changes).toEqual([
      {
        conversationId: 'held',
        contact: '003000000000009',
        field: 'Order_Number__c',
        current: null,
        proposed: '5550001234',
      },
    ]);

    const collector = await collectTopic(kafka, requestsTopic);
    await collector.waitForCount(1);
    await reextract(ctx, { ...input, runId: 'reextract-apply', apply: true });

    const published = await collector.waitForCount(2);
    const update = await serde.decodeAsync(published[1]!.message.value, requestHandle);
    expect(update).toMatchObject({ conversationId: 'held', replay: true });
    expect(update.values['OrderNumber']?.value).toBe('5550001234');
    await collector.stop();
    await ctx.close();
  });
});
