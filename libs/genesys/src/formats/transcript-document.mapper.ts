// Speech & Text Analytics transcript document (fetched from the pre-signed transcript URL by the
// poller): one UTTERANCE per phrase, then ANALYTICS_READY for the communication. Pure, so the
// poller and the HTTP path share it.
import { type ConversationEvent, type EventSource } from '@crm/contracts';
import { contactHintsOf } from './contact-hints.mapper';
import { conversationEvent, eventIdOf } from './conversation-event.factory';
import { type ParseOptions, type ParseResult, recognised, unrecognised } from './format.types';
import { arrayField, epochMs, isRecord, type JsonRecord, numberField, stringField } from './json.guards';
import { mediaTypeOf, participantOf } from './participant.mapper';

export function isTranscriptDocument(value: JsonRecord): boolean {
  return 'transcripts' in value && 'conversationId' in value;
}

export function mapTranscriptDocument(
  document: unknown,
  options: ParseOptions & { source?: EventSource },
): ParseResult {
  if (!isRecord(document)) return unrecognised('a transcript document (a JSON object)');
  const conversationId = stringField(document, 'conversationId');
  if (!conversationId) return unrecognised('conversationId (a non-empty string) in the transcript document');
  const transcripts = arrayField(document, 'transcripts');
  if (!transcripts) return unrecognised('transcripts (an array) in the transcript document');
  const source = options.source ?? options.documentSource ?? 'POLL';
  const communicationId = stringField(document, 'communicationId') ?? null;
  const mediaType = mediaTypeOf(stringField(document, 'mediaType'));
  const customer = (arrayField(document, 'participants') ?? [])
    .filter(isRecord)
    .find((p) => participantOf(p['participantPurpose']) === 'CUSTOMER');
  const contactHints = contactHintsOf({
    customerAddress: customer ? (stringField(customer, 'ani') ?? stringField(customer, 'from')) : undefined,
  });
  const startedAt =
    epochMs(document['conversationStartTime']) ?? epochMs(document['startTime']) ?? options.receivedAt;
  const events: ConversationEvent[] = [];
  for (const [t, transcript] of transcripts.entries()) {
    if (!isRecord(transcript)) return unrecognised(`transcripts[${t}] (an object)`);
    const phrases = arrayField(transcript, 'phrases');
    if (!phrases) return unrecognised(`transcripts[${t}].phrases (an array)`);
    const transcriptId = stringField(transcript, 'transcriptId');
    for (const [p, phrase] of phrases.entries()) {
      if (!isRecord(phrase)) return unrecognised(`transcripts[${t}].phrases[${p}] (an object)`);
      const text = stringField(phrase, 'text');
      if (!text) continue;
      const words = (arrayField(phrase, 'words') ?? []).filter(isRecord).flatMap((word) => {
        const value = stringField(word, 'word');
        const confidence = numberField(word, 'confidence');
        return value !== undefined && confidence !== undefined ? [{ word: value, confidence }] : [];
      });
      events.push(
        conversationEvent({
          eventId: eventIdOf(
            'sta-transcript',
            conversationId,
            communicationId,
            transcriptId,
            numberField(phrase, 'phraseIndex') ?? p,
          ),
          conversationId,
          communicationId,
          source,
          kind: 'UTTERANCE',
          mediaType,
          participant: participantOf(stringField(phrase, 'participantPurpose')),
          text,
          confidence: numberField(phrase, 'confidence') ?? null,
          words,
          contactHints,
          occurredAt: numberField(phrase, 'startTimeMs') ?? startedAt,
          receivedAt: options.receivedAt,
        }),
      );
    }
  }
  const lastAt = events.reduce((latest, event) => Math.max(latest, event.occurredAt), startedAt);
  events.push(
    conversationEvent({
      eventId: eventIdOf('sta-transcript#ready', conversationId, communicationId),
      conversationId,
      communicationId,
      source,
      kind: 'ANALYTICS_READY',
      mediaType,
      contactHints,
      occurredAt: lastAt,
      receivedAt: options.receivedAt,
    }),
  );
  return recognised('TRANSCRIPT_DOCUMENT', events);
}
