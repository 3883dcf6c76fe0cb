// Fetches what Genesys has for one ended conversation: the STA transcript (transcript URL, then the
// pre-signed document) for each candidate communication, plus the conversation's overall sentiment.
// "Not ready" is an answer, not an error; Genesys failures propagate as typed GenesysErrors.
import { type AnalyticsPoll, type ContactHints, type ConversationEvent } from '@crm/contracts';
import {
  contactHintsOf,
  eventIdOf,
  GenesysNotFoundError,
  type GenesysClient,
  type GenesysConversation,
  mapTranscriptDocument,
  type TranscriptDocument,
} from '@crm/genesys';

export type GenesysAnalyticsApi = Pick<
  GenesysClient,
  'getConversation' | 'getTranscriptUrl' | 'getTranscriptDocument' | 'getConversationMetrics'
>;

export type FetchResult =
  { status: 'READY'; events: ConversationEvent[] } | { status: 'NOT_READY'; reason: string };

export interface AnalyticsFetcherOptions {
  /** Participant attribute names holding a CRM contact id (passed to the formats mapper). */
  contactIdAttributes?: readonly string[];
}

export class AnalyticsFetcher {
  constructor(
    private readonly api: GenesysAnalyticsApi,
    private readonly options: AnalyticsFetcherOptions = {},
  ) {}

  async fetch(poll: AnalyticsPoll, now: number): Promise<FetchResult> {
    // The conversation gives the candidate communications and the customer's attributes (CRM ids).
    const conversation = await this.api.getConversation(poll.conversationId);
    const candidates = [
      ...new Set([
        ...(poll.communicationId ? [poll.communicationId] : []),
        ...communicationsOf(conversation),
      ]),
    ];
    if (candidates.length === 0) return { status: 'NOT_READY', reason: 'NO_COMMUNICATION' };
    const document = await this.firstTranscript(poll.conversationId, candidates);
    if (!document) return { status: 'NOT_READY', reason: 'NOT_READY' };
    const mapped = mapTranscriptDocument(
      { ...document, conversationId: document.conversationId || poll.conversationId },
      {
        receivedAt: now,
        source: 'POLL',
        ...(this.options.contactIdAttributes
          ? { contactIdAttributes: this.options.contactIdAttributes }
          : {}),
      },
    );
    if (!mapped.ok) return { status: 'NOT_READY', reason: 'TRANSCRIPT_INCOMPLETE' };
    const customer = conversation.participants.find((participant) => participant.purpose === 'customer');
    const hints = contactHintsOf({
      attributes: customer?.attributes,
      contactIdAttributes: this.options.contactIdAttributes,
      externalContactId: customer?.externalContactId,
    });
    const attributes = this.contactAttributes(poll, customer?.attributes ?? {}, hints, now);
    const sentiment = await this.sentiment(poll, now);
    const enriched = mapped.events.map((event) => ({
      ...event,
      contactHints: mergeHints(event.contactHints, hints),
    }));
    // ANALYTICS_READY stays last, so downstream sees every utterance, the attributes and the sentiment first.
    const ready = enriched.filter((event) => event.kind === 'ANALYTICS_READY');
    const rest = enriched.filter((event) => event.kind !== 'ANALYTICS_READY');
    return {
      status: 'READY',
      events: [...(attributes ? [attributes] : []), ...rest, ...(sentiment ? [sentiment] : []), ...ready],
    };
  }

  private async firstTranscript(
    conversationId: string,
    communicationIds: readonly string[],
  ): Promise<TranscriptDocument | undefined> {
    for (const communicationId of communicationIds) {
      let url: string;
      try {
        url = await this.api.getTranscriptUrl(conversationId, communicationId);
      } catch (error) {
        if (error instanceof GenesysNotFoundError) continue;
        throw error;
      }
      const document = await this.api.getTranscriptDocument(url);
      // A document without transcripts is still being written.
      if (Array.isArray(document.transcripts) && document.transcripts.length > 0) return document;
    }
    return undefined;
  }

  private contactAttributes(
    poll: AnalyticsPoll,
    attributes: Record<string, string>,
    hints: ContactHints,
    now: number,
  ): ConversationEvent | undefined {
    if (Object.keys(attributes).length === 0) return undefined;
    return {
      ...baseEvent(poll, now),
      eventId: eventIdOf(
        'conversation#attributes',
        poll.conversationId,
        JSON.stringify(Object.entries(attributes).sort()),
      ),
      kind: 'CONTACT_ATTRIBUTES',
      participant: 'CUSTOMER',
      attributes,
      contactHints: hints,
    };
  }

  private async sentiment(poll: AnalyticsPoll, now: number): Promise<ConversationEvent | undefined> {
    let score: number | undefined;
    try {
      score = (await this.api.getConversationMetrics(poll.conversationId)).sentimentScore;
    } catch (error) {
      if (error instanceof GenesysNotFoundError) return undefined;
      throw error;
    }
    if (typeof score !== 'number') return undefined;
    return {
      ...baseEvent(poll, now),
      eventId: eventIdOf('sta-metrics#sentiment', poll.conversationId, score),
      kind: 'SENTIMENT',
      participant: 'CUSTOMER',
      sentimentScore: score,
    };
  }
}

function baseEvent(poll: AnalyticsPoll, now: number): ConversationEvent {
  return {
    eventId: '',
    conversationId: poll.conversationId,
    communicationId: poll.communicationId,
    source: 'POLL',
    kind: 'ANALYTICS_READY',
    mediaType: poll.pollMediaType,
    participant: 'SYSTEM',
    text: null,
    confidence: null,
    words: [],
    vendorEntities: [],
    sentimentScore: null,
    attributes: {},
    contactHints: { contactId: null, externalContactId: null, email: null, phone: null },
    occurredAt: poll.endedAt,
    receivedAt: now,
  };
}

/** Hints the document already has win; the conversation's fill the gaps. */
function mergeHints(own: ContactHints, extra: ContactHints): ContactHints {
  return {
    contactId: own.contactId ?? extra.contactId,
    externalContactId: own.externalContactId ?? extra.externalContactId,
    email: own.email ?? extra.email,
    phone: own.phone ?? extra.phone,
  };
}

/** The customer's communications first (STA transcribes per communication), then everyone else's. */
export function communicationsOf(conversation: GenesysConversation): string[] {
  const ordered = [...conversation.participants].sort(
    (a, b) => Number(b.purpose === 'customer') - Number(a.purpose === 'customer'),
  );
  const ids = ordered.flatMap((participant) =>
    [
      participant.calls,
      participant.chats,
      participant.messages,
      participant.emails,
      participant.callbacks,
    ].flatMap((list) => (list ?? []).map((c) => c.id)),
  );
  return [...new Set(ids)];
}
