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

/**
 * Contact hints carried by a text event (a data action's contactId, an email or ANI on a message)
 * reach the aggregator as a CONTACT_ATTRIBUTES lifecycle record placed before that event's
 * entities: entities carry no hints, and a digital conversation may flush on its debounce window
 * long before any lifecycle event arrives. Null when the event carries no hint.
 */
export function contactHintsLifecycle(event: ConversationEvent): ConversationLifecycle | null {
  const hints = event.contactHints;
  if (
    hints.contactId === null &&
    hints.externalContactId === null &&
    hints.email === null &&
    hints.phone === null
  )
    return null;
  return {
    eventId: `${event.eventId}:hints`,
    conversationId: event.conversationId,
    kind: 'CONTACT_ATTRIBUTES',
    mediaType: event.mediaType,
    sentimentScore: null,
    attributes: {},
    contactHints: { ...hints },
    occurredAt: event.occurredAt,
  };
}
