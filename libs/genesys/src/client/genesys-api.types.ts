// The parts of Genesys Cloud responses the client and poller read (genesys-formats.md §1–§3).
// Fields are optional where the platform may omit them; unknown fields pass through untouched.

export interface GenesysChannel {
  id: string;
  connectUri: string;
  /** ISO date-time; channels live 24 h. */
  expires?: string;
}

export interface GenesysCommunication {
  id: string;
  state?: string;
}

export interface GenesysParticipant {
  id: string;
  purpose?: string;
  userId?: string;
  queueId?: string;
  externalContactId?: string;
  startTime?: string;
  endTime?: string;
  attributes?: Record<string, string>;
  calls?: GenesysCommunication[];
  chats?: GenesysCommunication[];
  emails?: GenesysCommunication[];
  messages?: GenesysCommunication[];
  callbacks?: GenesysCommunication[];
}

export interface GenesysConversation {
  id: string;
  startTime?: string;
  endTime?: string;
  state?: string;
  participants: GenesysParticipant[];
}

export interface AnalyticsSession {
  sessionId: string;
  mediaType?: string;
  messageType?: string;
  direction?: string;
}

export interface AnalyticsConversation {
  conversationId: string;
  conversationStart?: string;
  conversationEnd?: string;
  participants?: Array<{
    participantId?: string;
    purpose?: string;
    externalContactId?: string;
    sessions?: AnalyticsSession[];
  }>;
}

export interface AnalyticsConversationQueryResponse {
  conversations?: AnalyticsConversation[];
  totalHits?: number;
}

/** Body of POST /api/v2/analytics/conversations/details/query (only what backfill needs). */
export interface AnalyticsConversationQuery {
  interval: string;
  order?: 'asc' | 'desc';
  orderBy?: string;
  paging?: { pageSize: number; pageNumber: number };
  conversationFilters?: unknown[];
  segmentFilters?: unknown[];
}

export interface TranscriptPhrase {
  phraseIndex?: number;
  text?: string;
  participantPurpose?: string;
  confidence?: number;
  startTimeMs?: number;
  words?: Array<{ word?: string; confidence?: number; startTimeMs?: number }>;
}

export interface TranscriptEntry {
  transcriptId?: string;
  language?: string;
  phrases?: TranscriptPhrase[];
  analytics?: { sentiment?: Array<{ participant?: string; phraseIndex?: number; sentiment?: number }> };
}

export interface TranscriptDocument {
  organizationId?: string;
  conversationId: string;
  communicationId?: string;
  mediaType?: string;
  conversationStartTime?: number;
  participants?: Array<Record<string, unknown>>;
  transcripts?: TranscriptEntry[];
}

export interface ConversationMetrics {
  conversation?: { id: string };
  sentimentScore?: number;
  sentimentTrend?: number;
}

export interface ConversationSummaryListing {
  entities?: Array<{ summaryType?: string; summaryId?: string; summary?: string; language?: string }>;
}
