import { aChatMessage, aLifecycleEvent } from '../../testing';

import { toLifecycle } from './to-lifecycle';

describe(toLifecycle.name, () => {
  const sut = toLifecycle;

  it.each(['SENTIMENT', 'CONTACT_ATTRIBUTES', 'CONVERSATION_ENDED', 'ANALYTICS_READY'] as const)(
    'forwards %s with its payload',
    (kind) => {
      const event = aLifecycleEvent(kind, { sentimentScore: 0.4, attributes: { SF_ContactId: '003x' } });

      expect(sut(event)).toEqual({
        eventId: event.eventId,
        conversationId: event.conversationId,
        kind,
        mediaType: event.mediaType,
        sentimentScore: 0.4,
        attributes: { SF_ContactId: '003x' },
        contactHints: event.contactHints,
        occurredAt: event.occurredAt,
      });
    },
  );

  it('returns null for a message, which carries entities, not lifecycle', () => {
    expect(sut(aChatMessage('hi'))).toBeNull();
  });
});
