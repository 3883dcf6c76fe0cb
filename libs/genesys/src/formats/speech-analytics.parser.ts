// Speech & Text Analytics topics: overall sentiment, and topics (post-call analytics are ready), and
// AI conversation summaries with `extractedEntities`.
import { conversationEvent, eventIdOf } from './conversation-event.factory';
import { type BodyOutcome, type EnvelopeContext } from './detail-event.parser';
import { arrayField, epochMs, isRecord, type JsonRecord, numberField, stringField } from './json.guards';
import { mediaTypeOf } from './participant.mapper';

function occurredAt(body: JsonRecord, context: EnvelopeContext): number {
  return epochMs(body['eventTime']) ?? context.envelopeTime ?? context.receivedAt;
}

export function parseSentiment(body: JsonRecord, context: EnvelopeContext): BodyOutcome {
  const conversationId = stringField(body, 'conversationId');
  if (!conversationId) return { missing: 'eventBody.conversationId' };
  const score = numberField(body, 'sentimentOverallScore');
  if (score === undefined) return { missing: 'eventBody.sentimentOverallScore (a number)' };
  return {
    ignored: 0,
    events: [
      conversationEvent({
        eventId: eventIdOf(
          context.topicName,
          conversationId,
          score,
          numberField(body, 'sentimentTrendScore'),
        ),
        conversationId,
        source: context.source,
        kind: 'SENTIMENT',
        sentimentScore: score,
        occurredAt: occurredAt(body, context),
        receivedAt: context.receivedAt,
      }),
    ],
  };
}

export function parseTopics(body: JsonRecord, context: EnvelopeContext): BodyOutcome {
  const conversationId = stringField(body, 'conversationId');
  if (!conversationId) return { missing: 'eventBody.conversationId' };
  const communicationId = stringField(body, 'communicationId') ?? null;
  return {
    ignored: 0,
    events: [
      conversationEvent({
        eventId: eventIdOf(
          context.topicName,
          conversationId,
          communicationId,
          stringField(body, 'transcriptId'),
        ),
        conversationId,
        communicationId,
        source: context.source,
        kind: 'ANALYTICS_READY',
        mediaType: mediaTypeOf(stringField(body, 'mediaType')),
        occurredAt: occurredAt(body, context),
        receivedAt: context.receivedAt,
      }),
    ],
  };
}

export function parseSummary(body: JsonRecord, context: EnvelopeContext): BodyOutcome {
  const conversationId = stringField(body, 'conversationId');
  if (!conversationId) return { missing: 'eventBody.conversationId' };
  const entities = (arrayField(body, 'extractedEntities') ?? []).filter(isRecord).flatMap((entity) => {
    const label = stringField(entity, 'label');
    const value = entity['value'];
    if (!label || (typeof value !== 'string' && typeof value !== 'number') || String(value).length === 0)
      return [];
    return [{ entityType: label, value: String(value), confidence: null, startMs: null, endMs: null }];
  });
  // A summary without entities carries nothing the CRM update can use.
  if (entities.length === 0) return { events: [], ignored: 1 };
  const communicationIds = arrayField(body, 'communicationIds');
  const communicationId = typeof communicationIds?.[0] === 'string' ? communicationIds[0] : null;
  return {
    ignored: 0,
    events: [
      conversationEvent({
        // The same summary reaches every subscribed user's topic; the summary id is its identity.
        eventId: eventIdOf(
          'v2.users.{id}.conversations.summaries',
          conversationId,
          stringField(body, 'summaryId'),
        ),
        conversationId,
        communicationId,
        source: context.source,
        kind: 'VENDOR_ENTITY',
        mediaType: mediaTypeOf(stringField(body, 'mediaType')),
        vendorEntities: entities,
        occurredAt: occurredAt(body, context),
        receivedAt: context.receivedAt,
      }),
    ],
  };
}
