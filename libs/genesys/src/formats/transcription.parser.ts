// Real-time voice transcription: only final utterances are stable; SESSION_ENDED for a
// communication means its analytics are ready. An empty SESSION_ONGOING is a keep-alive.
import { type ConversationEvent } from '@crm/contracts';
import { conversationEvent, eventIdOf } from './conversation-event.factory';
import { type BodyOutcome, type EnvelopeContext } from './detail-event.parser';
import {
  arrayField,
  epochMs,
  isRecord,
  type JsonRecord,
  numberField,
  recordField,
  stringField,
} from './json.guards';
import { participantOf } from './participant.mapper';

export function parseTranscription(body: JsonRecord, context: EnvelopeContext): BodyOutcome {
  const conversationId = stringField(body, 'conversationId');
  if (!conversationId) return { missing: 'eventBody.conversationId' };
  const communicationId = stringField(body, 'communicationId') ?? null;
  const sessionStart =
    numberField(body, 'sessionStartTimeMs') ?? numberField(body, 'transcriptionStartTimeMs');
  const eventTime = epochMs(body['eventTime']) ?? context.envelopeTime ?? context.receivedAt;
  const events: ConversationEvent[] = [];
  let ignored = 0;
  for (const item of arrayField(body, 'transcripts') ?? []) {
    if (!isRecord(item) || item['isFinal'] !== true) {
      ignored += 1;
      continue;
    }
    const best = (arrayField(item, 'alternatives') ?? []).find(isRecord);
    const text = best ? stringField(best, 'transcript') : undefined;
    if (!best || !text) {
      ignored += 1;
      continue;
    }
    const offsetMs = numberField(best, 'offsetMs');
    const words = (arrayField(best, 'words') ?? []).filter(isRecord);
    const firstWordAt = words.length > 0 ? numberField(words[0] as JsonRecord, 'startTimeMs') : undefined;
    events.push(
      conversationEvent({
        eventId: eventIdOf(
          'v2.conversations.{id}.transcription',
          conversationId,
          communicationId,
          stringField(item, 'utteranceId'),
          offsetMs,
        ),
        conversationId,
        communicationId,
        source: context.source,
        kind: 'UTTERANCE',
        mediaType: 'VOICE',
        participant: participantOf(stringField(item, 'channel')),
        text,
        confidence: numberField(best, 'confidence') ?? null,
        words: words.flatMap((word) => {
          const value = stringField(word, 'word');
          const confidence = numberField(word, 'confidence');
          return value !== undefined && confidence !== undefined ? [{ word: value, confidence }] : [];
        }),
        occurredAt:
          sessionStart !== undefined && offsetMs !== undefined
            ? sessionStart + offsetMs
            : (firstWordAt ?? eventTime),
        receivedAt: context.receivedAt,
      }),
    );
  }
  if (stringField(recordField(body, 'status') ?? {}, 'status') === 'SESSION_ENDED') {
    events.push(
      conversationEvent({
        eventId: eventIdOf(
          'v2.conversations.{id}.transcription#SESSION_ENDED',
          conversationId,
          communicationId,
        ),
        conversationId,
        communicationId,
        source: context.source,
        kind: 'ANALYTICS_READY',
        mediaType: 'VOICE',
        occurredAt: eventTime,
        receivedAt: context.receivedAt,
      }),
    );
  }
  return { events, ignored };
}
