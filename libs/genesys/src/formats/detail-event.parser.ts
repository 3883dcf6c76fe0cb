// Analytics detail events (customer.end, user.end, acw, wrapup, attributes): lifecycle signals and
// participant attributes. `eventTime` is epoch ms here.
import { type ConversationEvent, type EventSource, type Participant } from '@crm/contracts';
import { contactHintsOf } from './contact-hints.mapper';
import { conversationEvent, eventIdOf } from './conversation-event.factory';
import { type DetailEventName } from './topic-route';
import { arrayField, epochMs, type JsonRecord, recordField, stringField, stringMap } from './json.guards';
import { mediaTypeOf } from './participant.mapper';

export interface EnvelopeContext {
  topicName: string;
  source: EventSource;
  receivedAt: number;
  /** EventBridge `detail.timestamp`, when the body carries no time of its own. */
  envelopeTime: number | undefined;
  contactIdAttributes: readonly string[] | undefined;
}

export type BodyOutcome = { events: ConversationEvent[]; ignored: number } | { missing: string };

const SIDE: Record<DetailEventName, Participant> = {
  'customer.end': 'CUSTOMER',
  'user.end': 'AGENT',
  acw: 'AGENT',
  wrapup: 'AGENT',
  attributes: 'SYSTEM',
};

export function parseDetailEvent(
  event: DetailEventName,
  body: JsonRecord,
  context: EnvelopeContext,
): BodyOutcome {
  const conversationId = stringField(body, 'conversationId');
  if (!conversationId) return { missing: 'eventBody.conversationId' };
  // A transfer ends one agent's leg, not the conversation.
  if (event === 'user.end' && stringField(body, 'disconnectType') === 'TRANSFER')
    return { events: [], ignored: 1 };
  const attributes = event === 'attributes' ? stringMap(recordField(body, 'attributes')) : {};
  const outbound = stringField(body, 'direction')?.toUpperCase() === 'OUTBOUND';
  const externalIds = arrayField(body, 'conversationExternalContactIds')?.filter(
    (id): id is string => typeof id === 'string' && id.length > 0,
  );
  const occurredAt = epochMs(body['eventTime']) ?? context.envelopeTime ?? context.receivedAt;
  return {
    ignored: 0,
    events: [
      conversationEvent({
        eventId: eventIdOf(
          context.topicName,
          conversationId,
          stringField(body, 'participantId'),
          stringField(body, 'sessionId'),
          epochMs(body['eventTime']),
        ),
        conversationId,
        communicationId: stringField(body, 'sessionId') ?? null,
        source: context.source,
        kind: event === 'attributes' ? 'CONTACT_ATTRIBUTES' : 'CONVERSATION_ENDED',
        mediaType: mediaTypeOf(stringField(body, 'mediaType')),
        participant: SIDE[event],
        attributes,
        contactHints: contactHintsOf({
          attributes,
          contactIdAttributes: context.contactIdAttributes,
          externalContactId: stringField(body, 'externalContactId') ?? externalIds?.[0],
          customerAddress: outbound
            ? (stringField(body, 'dnis') ?? stringField(body, 'addressTo'))
            : (stringField(body, 'ani') ?? stringField(body, 'addressFrom')),
        }),
        occurredAt,
        receivedAt: context.receivedAt,
      }),
    ],
  };
}
