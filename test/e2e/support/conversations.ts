// Genesys-shaped inputs for the end-to-end tests, built fresh per test so ids never collide.
import { randomUUID } from 'node:crypto';

export function newConversationId(): string {
  return randomUUID();
}

/** Our Architect data-action body: a digital conversation's messages, optionally ended. */
export function dataAction(input: {
  conversationId: string;
  contactId?: string;
  email?: string;
  mediaType?: string;
  messages: Array<{ id: string; from: 'customer' | 'agent'; text: string; at?: number }>;
  ended?: boolean;
}): Record<string, unknown> {
  const base = Date.now();
  return {
    conversationId: input.conversationId,
    ...(input.contactId ? { contactId: input.contactId } : {}),
    ...(input.email ? { email: input.email } : {}),
    mediaType: input.mediaType ?? 'message',
    messages: input.messages.map((message, index) => ({
      id: message.id,
      from: message.from,
      text: message.text,
      timestamp: message.at ?? base + index * 100,
    })),
    ...(input.ended ? { ended: true } : {}),
  };
}

/** A real-time voice transcription notification with final utterances. */
export function transcription(input: {
  conversationId: string;
  utterances: Array<{ id: string; channel: 'EXTERNAL' | 'INTERNAL'; text: string; confidence: number }>;
  sessionEnded?: boolean;
}): Record<string, unknown> {
  const now = Date.now();
  return {
    topicName: `v2.conversations.${input.conversationId}.transcription`,
    version: '2',
    eventBody: {
      eventTime: new Date(now).toISOString(),
      organizationId: 'org-e2e',
      conversationId: input.conversationId,
      communicationId: `comm-${input.conversationId.slice(0, 8)}`,
      sessionStartTimeMs: now - 60_000,
      transcriptionStartTimeMs: now - 59_000,
      transcripts: input.utterances.map((utterance, index) => ({
        utteranceId: utterance.id,
        isFinal: true,
        channel: utterance.channel,
        alternatives: [
          {
            confidence: utterance.confidence,
            offsetMs: 1000 * index,
            durationMs: 900,
            transcript: utterance.text,
          },
        ],
      })),
      ...(input.sessionEnded ? { status: { status: 'SESSION_ENDED', offsetMs: 60_000 } } : {}),
    },
    metadata: { CorrelationId: randomUUID() },
  };
}

/** A detail-event notification carrying participant attributes (the contact id in `SF_ContactId`). */
export function contactAttributes(conversationId: string, contactId: string): Record<string, unknown> {
  return {
    topicName: `v2.detail.events.conversation.${conversationId}.attributes`,
    version: '2',
    eventBody: {
      eventTime: Date.now(),
      conversationId,
      participantId: 'p-1',
      mediaType: 'VOICE',
      attributes: { SF_ContactId: contactId },
    },
    metadata: { CorrelationId: randomUUID() },
  };
}
