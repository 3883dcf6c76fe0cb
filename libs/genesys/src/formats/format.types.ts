// What parsing a Genesys body yields: events for a recognised format, or a typed refusal that says
// which formats are accepted and what was missing (the 422 problem detail).
import { type ConversationEvent, type EventSource } from '@crm/contracts';

export type GenesysFormat = 'EVENTBRIDGE' | 'NOTIFICATION' | 'GUIDE' | 'DATA_ACTION' | 'TRANSCRIPT_DOCUMENT';

export interface ParseOptions {
  /** Epoch ms at which ingest received the body; stamped on every event. */
  receivedAt: number;
  /** Participant attribute names that hold a CRM contact id, first match wins (default `SF_ContactId`). */
  contactIdAttributes?: readonly string[];
  /** The guide's `analytics.speech_analytics|digital_analytics` shape; no real Genesys source emits it (default on). */
  acceptGuideFormat?: boolean;
  /** Source stamped on bare Notifications envelopes (WebSocket subscriber: NOTIFICATION; HTTP caller: WEBHOOK). */
  notificationSource?: EventSource;
  /** Source stamped on STA transcript documents (poller: POLL; HTTP caller: WEBHOOK). */
  documentSource?: EventSource;
}

export interface Recognised {
  ok: true;
  format: GenesysFormat;
  events: ConversationEvent[];
  /** `channel.metadata` heartbeats: dropped, counted. */
  heartbeats: number;
  /** Recognised but deliberately not turned into events (non-final utterances, transfers, control messages, unrouted topics). */
  ignored: number;
}

export interface Unrecognised {
  ok: false;
  /** Human-readable list of the accepted formats and their required fields. */
  accepted: readonly string[];
  /** What the body lacked, as a field path or sentence. */
  missing: string;
  /** Position in an array body, when the body was an array. */
  index?: number;
}

export type ParseResult = Recognised | Unrecognised;

export const ACCEPTED_FORMATS: readonly string[] = [
  'EventBridge envelope: {"detail-type", detail: {topicName, eventBody}}',
  'Notifications envelope: {topicName, version, eventBody, metadata} on v2.detail.events.conversation.{id}.customer.end|user.end|acw|wrapup|attributes, v2.conversations.{id}.transcription, v2.speechandtextanalytics.conversation.{id}.sentiment|topics, v2.users.{id}.conversations.summaries, channel.metadata',
  'Guide analytics: {id, type, analytics: {speech_analytics|digital_analytics: {entities: [{entity_type, value, confidence, start_time, end_time}]}}}',
  'Data action: {conversationId, contactId?, mediaType, messages: [{id?, from, text, timestamp}]}',
  'STA transcript document: {conversationId, communicationId, transcripts: [{phrases: [{text, participantPurpose, confidence, startTimeMs}]}]}',
];

export function unrecognised(missing: string): Unrecognised {
  return { ok: false, accepted: ACCEPTED_FORMATS, missing };
}

export function recognised(
  format: GenesysFormat,
  events: ConversationEvent[],
  counts: { heartbeats?: number; ignored?: number } = {},
): Recognised {
  return { ok: true, format, events, heartbeats: counts.heartbeats ?? 0, ignored: counts.ignored ?? 0 };
}
