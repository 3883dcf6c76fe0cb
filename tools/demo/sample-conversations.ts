// The bundled sample conversations, in real Genesys Cloud formats: a web chat through our
// Architect data action, a voice call through real-time transcription notifications, and a voice
// call whose transcript arrives late through the analytics poller. Ids are fresh per run.
import { randomUUID } from 'node:crypto';
import { type FakeConversationSpec } from '@crm/genesys/testing';

export interface SampleConversation {
  title: string;
  conversationId: string;
  bodies: unknown[];
  /** A conversation the Genesys fake serves to the poller. */
  genesysFake?: FakeConversationSpec;
  /** What the demo should write: the simulator's seeded contact and CRM field → new value. */
  expected: { contactId: string; changes: Record<string, string> };
}

const ADA = '003000000000001AAA';
const ALAN = '003000000000002AAA';
const GRACE = '003000000000003AAA';

function chat(): SampleConversation {
  const conversationId = randomUUID();
  const at = Date.now();
  const texts = [
    'Hi, I ordered cordless headphones last week',
    'my order number is 0012345678',
    'it is order 0012345678, the headphones have not arrived',
    'thanks!',
  ];
  return {
    title: 'web chat: order number and product, repeated mentions',
    conversationId,
    bodies: [
      {
        conversationId,
        contactId: ADA,
        mediaType: 'chat',
        messages: texts.map((text, i) => ({ id: `m${i}`, from: 'customer', text, timestamp: at + i * 1000 })),
        ended: true,
      },
    ],
    // "cordless headphones" resolves to the catalogue's product name.
    expected: {
      contactId: ADA,
      changes: { Order_Number__c: '0012345678', Last_Product_Inquiry__c: 'Wireless Headphones' },
    },
  };
}

function voiceRealtime(): SampleConversation {
  const conversationId = randomUUID();
  const now = Date.now();
  const transcription = (transcripts: unknown[], extra: Record<string, unknown> = {}) => ({
    topicName: `v2.conversations.${conversationId}.transcription`,
    version: '2',
    eventBody: {
      eventTime: new Date().toISOString(),
      organizationId: 'demo-org',
      conversationId,
      communicationId: `comm-${conversationId.slice(0, 8)}`,
      sessionStartTimeMs: now - 90_000,
      transcriptionStartTimeMs: now - 89_000,
      transcripts,
      ...extra,
    },
    metadata: { CorrelationId: randomUUID() },
  });
  const utterance = (id: string, channel: string, text: string, confidence: number, offsetMs: number) => ({
    utteranceId: id,
    isFinal: true,
    channel,
    alternatives: [{ confidence, offsetMs, durationMs: 2000, transcript: text }],
  });
  return {
    title: 'voice call: real-time transcription, spoken account id and case number',
    conversationId,
    bodies: [
      {
        topicName: `v2.detail.events.conversation.${conversationId}.attributes`,
        version: '2',
        eventBody: {
          eventTime: now,
          conversationId,
          participantId: 'p-1',
          mediaType: 'VOICE',
          attributes: { SF_ContactId: ALAN },
        },
        metadata: { CorrelationId: randomUUID() },
      },
      transcription([
        utterance(
          'u1',
          'EXTERNAL',
          'hello my account is A C dash one two three four five six seven eight',
          0.95,
          1000,
        ),
        utterance('u2', 'INTERNAL', 'thank you let me pull that up', 0.97, 5000),
        utterance(
          'u3',
          'EXTERNAL',
          'and my case number is zero zero zero one two three four five',
          0.94,
          9000,
        ),
      ]),
      transcription([], { status: { status: 'SESSION_ENDED', offsetMs: 90_000 } }),
    ],
    expected: { contactId: ALAN, changes: { Account_Id__c: 'AC-12345678', Case_Number__c: '00012345' } },
  };
}

function voiceLateAnalytics(): SampleConversation {
  const conversationId = randomUUID();
  const now = Date.now();
  return {
    title: 'voice call: analytics arrive late (the poller retries until the transcript is ready)',
    conversationId,
    genesysFake: {
      conversationId,
      mediaType: 'voice',
      startTime: now - 120_000,
      endTime: now,
      customerAttributes: { SF_ContactId: GRACE },
      transcriptReadyAfterPolls: 2,
      sentimentScore: 0.6,
      phrases: [
        { text: 'hi I want to ask about a smartwatch', participantPurpose: 'external', confidence: 0.96 },
        { text: 'sure which one', participantPurpose: 'internal', confidence: 0.97 },
        {
          text: 'you can reach me at grace dot hopper at example dot com',
          participantPurpose: 'external',
          confidence: 0.95,
        },
      ],
    },
    bodies: [
      {
        topicName: `v2.detail.events.conversation.${conversationId}.customer.end`,
        version: '2',
        eventBody: {
          eventTime: now,
          conversationId,
          participantId: 'p-2',
          sessionId: 's-2',
          mediaType: 'VOICE',
          direction: 'INBOUND',
          disconnectType: 'CLIENT',
        },
        metadata: { CorrelationId: randomUUID() },
      },
    ],
    expected: {
      contactId: GRACE,
      changes: {
        Email: 'grace.hopper@example.com',
        Last_Product_Inquiry__c: 'Smart Watch',
        Conversation_Analytics_Score__c: '0.6',
      },
    },
  };
}

export const SAMPLE_CONVERSATIONS: SampleConversation[] = [chat(), voiceRealtime(), voiceLateAnalytics()];
