import { DEFAULT_AGGREGATION_POLICY } from '@crm/aggregation';
import { createExtractor, parseEntityDefinitions } from '@crm/extraction';
import {
  aChatMessage,
  aLifecycleEvent,
  defaultProductCatalogue,
  SHIPPED_ENTITY_DEFINITIONS_JSON,
} from '@crm/extraction/testing';
import { reextractConversation } from './reextract-conversation';

function extractorWith(minConfidence?: number) {
  const parsed = parseEntityDefinitions(SHIPPED_ENTITY_DEFINITIONS_JSON);
  const definitions =
    minConfidence === undefined
      ? parsed.definitions
      : parsed.definitions.map((definition) => ({ ...definition, minConfidence }));
  return createExtractor({
    definitions,
    catalogue: defaultProductCatalogue(),
    defaultRegion: 'US',
    definitionsVersion: parsed.version,
    clock: () => 0,
  });
}

describe(reextractConversation.name, () => {
  const sut = reextractConversation;
  const contact = { contactId: '003000000000001', externalContactId: null, email: null, phone: null };

  it('computes the update the pipeline would request, marked as a replay', () => {
    const events = [
      aChatMessage('my order number is 0012345678', { conversationId: 'c-1', contactHints: contact }),
      aLifecycleEvent('CONVERSATION_ENDED', { conversationId: 'c-1', mediaType: 'CHAT' }),
    ];

    const update = sut(events, extractorWith(), DEFAULT_AGGREGATION_POLICY, 42);

    expect(update).toMatchObject({
      conversationId: 'c-1',
      contact: { contactId: '003000000000001' },
      requestedAt: 42,
      replay: true,
    });
    expect(update?.values['OrderNumber']?.value).toBe('0012345678');
  });

  it('answers the same update id for the same events, so the writer sees a replay as a repeat', () => {
    const events = [
      aChatMessage('order number 0012345678', { conversationId: 'c-2', contactHints: contact }),
    ];

    const first = sut(events, extractorWith(), DEFAULT_AGGREGATION_POLICY, 1);
    const second = sut(events, extractorWith(), DEFAULT_AGGREGATION_POLICY, 2);

    expect(second?.updateId).toBe(first?.updateId);
  });

  it('accepts a value a lowered threshold lets through that the shipped one held back', () => {
    const events = [
      aChatMessage('my order number is 5550001234', { conversationId: 'c-3', contactHints: contact }),
    ].map((event) => ({
      ...event,
      kind: 'UTTERANCE' as const,
      mediaType: 'VOICE' as const,
      confidence: 0.5,
    }));

    expect(sut(events, extractorWith(), DEFAULT_AGGREGATION_POLICY, 1)).toBeNull();
    expect(sut(events, extractorWith(0.4), DEFAULT_AGGREGATION_POLICY, 1)?.values['OrderNumber']?.value).toBe(
      '5550001234',
    );
  });

  it('answers null for a conversation without entities', () => {
    expect(
      sut([aChatMessage('thanks, that is all')], extractorWith(), DEFAULT_AGGREGATION_POLICY, 1),
    ).toBeNull();
  });
});
