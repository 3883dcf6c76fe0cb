// What the aggregator remembers about one open conversation. Everything is bounded (dedupe ids,
// candidates per entity type) so a conversation stays within its 4 KiB budget; see README.md.
import { type ContactHints, type MediaType, type Participant } from '@crm/contracts';

/** One value as said, with the provenance the update carries. */
export interface Mention {
  readonly value: string;
  readonly entityId: string;
  readonly confidence: number;
  readonly occurredAt: number;
  readonly participant: Participant;
}

/** A recent mention kept only for the ambiguity rule, so without its id. */
export interface Candidate {
  readonly value: string;
  readonly confidence: number;
  readonly occurredAt: number;
  readonly participant: Participant;
}

export interface EntitySlot {
  /** The value that wins under the rules; not flushed while `ambiguous`. */
  readonly chosen: Mention;
  readonly ambiguous: boolean;
  /** The newest mention of each value and speaker within the ambiguity window, oldest first. */
  readonly recent: readonly Candidate[];
}

export interface SentimentReading {
  readonly score: number;
  readonly eventId: string;
  readonly occurredAt: number;
}

export interface ConversationState {
  readonly conversationId: string;
  readonly mediaType: MediaType;
  readonly contact: ContactHints;
  readonly contactAt: number | null;
  /** Keyed by entity type. */
  readonly slots: Readonly<Record<string, EntitySlot>>;
  readonly sentiment: SentimentReading | null;
  /** Hashes of the last `dedupeCapacity` event and entity ids, oldest first. */
  readonly seenIds: readonly number[];
  // Processing times (the `now` of the call), which drive deadlines.
  readonly endedAt: number | null;
  readonly analyticsReadyAt: number | null;
  /** First change not yet flushed; null when nothing is waiting. */
  readonly pendingSince: number | null;
  /** Last entity or change: the debounce clock. */
  readonly lastInputAt: number | null;
  /** updateId of the last flushed update: equal means unchanged. */
  readonly flushedUpdateId: string | null;
  readonly flushedAt: number | null;
  readonly firstActivityAt: number;
  readonly lastActivityAt: number;
  /** Newest occurredAt applied (conversation time): the update's conversationAt. */
  readonly lastEventAt: number;
}

export const NO_CONTACT: ContactHints = {
  contactId: null,
  externalContactId: null,
  email: null,
  phone: null,
};

export function emptyConversationState(conversationId: string, now: number): ConversationState {
  return {
    conversationId,
    mediaType: 'UNKNOWN',
    contact: NO_CONTACT,
    contactAt: null,
    slots: {},
    sentiment: null,
    seenIds: [],
    endedAt: null,
    analyticsReadyAt: null,
    pendingSince: null,
    lastInputAt: null,
    flushedUpdateId: null,
    flushedAt: null,
    firstActivityAt: now,
    lastActivityAt: now,
    lastEventAt: 0,
  };
}
