// Notifications envelope {topicName, version, eventBody, metadata}, from the WebSocket or unwrapped
// from EventBridge: routed on the topic pattern.
import { type EventSource } from '@crm/contracts';
import { type BodyOutcome, type EnvelopeContext, parseDetailEvent } from './detail-event.parser';
import { type ParseOptions, type ParseResult, recognised, unrecognised } from './format.types';
import { epochMs, type JsonRecord, recordField, stringField } from './json.guards';
import { parseSentiment, parseSummary, parseTopics } from './speech-analytics.parser';
import { routeTopic } from './topic-route';
import { parseTranscription } from './transcription.parser';

export function isNotificationEnvelope(value: JsonRecord): boolean {
  return 'topicName' in value;
}

export function parseNotification(
  envelope: JsonRecord,
  options: ParseOptions,
  source: EventSource,
  path = '',
): ParseResult {
  const topicName = stringField(envelope, 'topicName');
  if (!topicName) return unrecognised(`${path}topicName (a non-empty string)`);
  const route = routeTopic(topicName);
  if (route.kind === 'HEARTBEAT') return recognised('NOTIFICATION', [], { heartbeats: 1 });
  if (route.kind === 'CONTROL' || route.kind === 'UNROUTED')
    return recognised('NOTIFICATION', [], { ignored: 1 });
  const body = recordField(envelope, 'eventBody');
  if (!body) return unrecognised(`${path}eventBody (an object) for topic ${route.pattern}`);
  const context: EnvelopeContext = {
    topicName,
    source,
    receivedAt: options.receivedAt,
    envelopeTime: epochMs(envelope['timestamp']),
    contactIdAttributes: options.contactIdAttributes,
  };
  const outcome = parseBody(route, body, context);
  if ('missing' in outcome) return unrecognised(`${path}${outcome.missing} for topic ${route.pattern}`);
  return recognised('NOTIFICATION', outcome.events, { ignored: outcome.ignored });
}

function parseBody(
  route: ReturnType<typeof routeTopic>,
  body: JsonRecord,
  context: EnvelopeContext,
): BodyOutcome {
  switch (route.kind) {
    case 'DETAIL_EVENT':
      return parseDetailEvent(route.event, body, context);
    case 'TRANSCRIPTION':
      return parseTranscription(body, context);
    case 'STA_SENTIMENT':
      return parseSentiment(body, context);
    case 'STA_TOPICS':
      return parseTopics(body, context);
    case 'SUMMARY':
      return parseSummary(body, context);
    case 'HEARTBEAT':
    case 'CONTROL':
    case 'UNROUTED':
      return { events: [], ignored: 1 };
  }
}
