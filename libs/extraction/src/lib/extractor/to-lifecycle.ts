import { type ConversationEvent, type ConversationLifecycle, type LifecycleKind } from '@crm/contracts';

function lifecycleKind(event: ConversationEvent): LifecycleKind | null {
  switch (event.kind) {
    case 'CONTACT_ATTRIBUTES':
    case 'SENTIMENT':
    case 'CONVERSATION_ENDED':
    case 'ANALYTICS_READY':
      return event.kind;
    case 'UTTERANCE':
    case 'MESSAGE':
    case 'VENDOR_ENTITY':
      return null;
  }
}

/** The lifecycle record to forward in order for this event, or null when it carries text or entities. */
export function toLifecycle(event: ConversationEvent): ConversationLifecycle | null {
  const kind = lifecycleKind(event);
  if (kind === null) return null;
  return {
    eventId: event.eventId,
    conversationId: event.conversationId,
    kind,
    mediaType: event.mediaType,
    sentimentScore: event.sentimentScore,
    attributes: { ...event.attributes },
    contactHints: { ...event.contactHints },
    occurredAt: event.occurredAt,
  };
}
