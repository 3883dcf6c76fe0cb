// What a test declares about one conversation in the Genesys fake, and how the fake renders it in
// the platform's own shapes (genesys-formats.md §2, §3). Written from the reference, not from the
// client, so the client is tested against the wire format rather than against itself.

export interface FakePhrase {
  text: string;
  /** `external` is the customer, `internal` the agent. */
  participantPurpose: 'external' | 'internal';
  confidence?: number;
  startTimeMs?: number;
}

export interface FakeConversationSpec {
  conversationId: string;
  communicationId?: string;
  /** Lowercase as in transcripts and analytics: voice, chat, message, email, callback. */
  mediaType?: 'voice' | 'chat' | 'message' | 'email' | 'callback';
  startTime?: number;
  endTime?: number;
  customerAttributes?: Record<string, string>;
  externalContactId?: string;
  phrases?: FakePhrase[];
  /** Transcript URL answers 404 for this many polls before it is ready (late analytics). */
  transcriptReadyAfterPolls?: number;
  sentimentScore?: number;
}

export interface FakeConversation extends Required<
  Omit<FakeConversationSpec, 'externalContactId' | 'endTime' | 'sentimentScore'>
> {
  externalContactId: string | undefined;
  endTime: number | undefined;
  sentimentScore: number | undefined;
  transcriptPolls: number;
}

export function fakeConversation(spec: FakeConversationSpec): FakeConversation {
  const startTime = spec.startTime ?? Date.UTC(2026, 0, 1);
  return {
    conversationId: spec.conversationId,
    communicationId: spec.communicationId ?? `${spec.conversationId}-comm`,
    mediaType: spec.mediaType ?? 'voice',
    startTime,
    endTime: spec.endTime,
    customerAttributes: spec.customerAttributes ?? {},
    externalContactId: spec.externalContactId,
    phrases: spec.phrases ?? [],
    transcriptReadyAfterPolls: spec.transcriptReadyAfterPolls ?? 0,
    sentimentScore: spec.sentimentScore,
    transcriptPolls: 0,
  };
}

const COMMUNICATION_FIELD = {
  voice: 'calls',
  chat: 'chats',
  message: 'messages',
  email: 'emails',
  callback: 'callbacks',
} as const;

/** GET /api/v2/conversations/{id}: `Conversation` with participants and their attributes. */
export function renderConversation(c: FakeConversation): object {
  const field = COMMUNICATION_FIELD[c.mediaType];
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  return {
    id: c.conversationId,
    startTime: iso(c.startTime),
    endTime: iso(c.endTime),
    state: c.endTime === undefined ? 'connected' : 'disconnected',
    participants: [
      {
        id: `${c.conversationId}-customer`,
        purpose: 'customer',
        externalContactId: c.externalContactId,
        startTime: iso(c.startTime),
        endTime: iso(c.endTime),
        attributes: c.customerAttributes,
        [field]: [{ id: c.communicationId, state: c.endTime === undefined ? 'connected' : 'disconnected' }],
      },
      {
        id: `${c.conversationId}-agent`,
        purpose: 'agent',
        userId: 'agent-7',
        startTime: iso(c.startTime),
        endTime: iso(c.endTime),
        attributes: {},
        [field]: [{ id: `${c.communicationId}-agent`, state: 'disconnected' }],
      },
    ],
  };
}

/** GET /api/v2/analytics/conversations/{id}/details (mediaType lowercase here). */
export function renderAnalyticsDetails(c: FakeConversation): object {
  return {
    conversationId: c.conversationId,
    conversationStart: new Date(c.startTime).toISOString(),
    ...(c.endTime === undefined ? {} : { conversationEnd: new Date(c.endTime).toISOString() }),
    originatingDirection: 'inbound',
    participants: [
      {
        participantId: `${c.conversationId}-customer`,
        purpose: 'customer',
        externalContactId: c.externalContactId,
        sessions: [{ sessionId: c.communicationId, mediaType: c.mediaType, direction: 'inbound' }],
      },
    ],
  };
}

/** The transcript document behind the pre-signed transcript URL. */
export function renderTranscript(c: FakeConversation): object {
  return {
    organizationId: 'org-fake',
    conversationId: c.conversationId,
    communicationId: c.communicationId,
    mediaType: c.mediaType,
    conversationStartTime: c.startTime,
    participants: [
      { participantPurpose: 'external', ani: 'tel:+15550001' },
      { participantPurpose: 'internal', userId: 'agent-7' },
    ],
    transcripts: [
      {
        transcriptId: `${c.communicationId}-tr`,
        language: 'en-us',
        programId: 'prog-1',
        phrases: c.phrases.map((phrase, index) => ({
          phraseIndex: index,
          participantPurpose: phrase.participantPurpose,
          text: phrase.text,
          decoratedText: phrase.text,
          confidence: phrase.confidence ?? 0.9,
          startTimeMs: phrase.startTimeMs ?? c.startTime + index * 5_000,
          offset: { milliseconds: index * 5_000 },
          duration: { milliseconds: 4_000 },
          words: phrase.text.split(/\s+/).map((word, w) => ({
            word,
            confidence: phrase.confidence ?? 0.9,
            startTimeMs: c.startTime + index * 5_000 + w * 300,
          })),
        })),
        analytics: { sentiment: [], topics: [], acoustic: [] },
      },
    ],
  };
}
