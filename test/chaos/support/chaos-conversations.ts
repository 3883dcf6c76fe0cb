// The chaos run's workload: a deterministic mix of voice calls (real-time transcription
// notifications, one utterance each, contact from a participant attribute) and digital
// conversations (our Architect data action, delivered twice: a first part, then the whole
// conversation again with the end), each mentioning an order number and an email address, some
// repeated, some corrected later. Every conversation has a contact of its own, so the expected
// CRM state follows from the script alone.
import { randomUUID } from 'node:crypto';

export type ConversationKind = 'voice' | 'digital-by-id' | 'digital-by-email';

export interface ScriptedConversation {
  index: number;
  kind: ConversationKind;
  conversationId: string;
  /** The contact as seeded in the CRM simulator (id assigned on seeding). */
  seed: Record<string, string>;
  /** Bodies for POST /v1/genesys/events, in the order a Genesys sender delivers them. */
  bodies: Array<Record<string, unknown>>;
  /** CRM fields this conversation must leave, and every value it may legitimately write on the way. */
  expected: Record<string, { final: string; allowed: string[] }>;
}

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];

/** Letters only, so a spoken address never meets the spoken-digit normaliser. */
function wordsFor(index: number): string {
  return String(index)
    .padStart(4, '0')
    .split('')
    .map((digit) => WORDS[Number(digit)]!)
    .join('');
}

const orderNumber = (prefix: '01' | '02', index: number): string =>
  `${prefix}${String(index * 7 + 10_000_000).padStart(8, '0')}`;

function kindOf(index: number): ConversationKind {
  const slot = index % 10;
  if (slot < 4) return 'voice';
  return slot < 7 ? 'digital-by-id' : 'digital-by-email';
}

const seedEmailOf = (index: number): string => `seed.${wordsFor(index)}@crm.example.com`;

/** The contact a conversation is about, as seeded in the CRM before the run. */
export function seedFor(index: number): Record<string, string> {
  return { FirstName: 'Chaos', LastName: `Contact ${index}`, Email: seedEmailOf(index) };
}

export function scriptConversation(index: number, contactId: string): ScriptedConversation {
  const kind = kindOf(index);
  const conversationId = randomUUID();
  const repeated = index % 3 === 0;
  const corrected = index % 5 === 1;
  const first = orderNumber('01', index);
  const final = corrected ? orderNumber('02', index) : first;
  const seedEmail = seedEmailOf(index);
  const newEmail = `${wordsFor(index)}.caller@example.com`;
  const writesEmail = kind !== 'digital-by-email';
  const seed = seedFor(index);
  const expected: ScriptedConversation['expected'] = {
    Order_Number__c: { final, allowed: corrected ? [first, final] : [final] },
    Email: { final: writesEmail ? newEmail : seedEmail, allowed: writesEmail ? [newEmail] : [] },
    Last_Conversation_Id__c: { final: conversationId, allowed: [conversationId] },
  };
  const lines: Array<{ text: string; speaker: 'customer' | 'agent'; at: number }> = [
    { text: `hi my order number is ${first}`, speaker: 'customer', at: 1_000 },
    { text: 'thanks let me look that up', speaker: 'agent', at: 4_000 },
  ];
  if (repeated) lines.push({ text: `yes it is order ${first}`, speaker: 'customer', at: 8_000 });
  if (corrected)
    lines.push({ text: `sorry wrong one my order number is ${final}`, speaker: 'customer', at: 20_000 });
  const bodies =
    kind === 'voice'
      ? voiceBodies(conversationId, contactId, lines, `${spokenEmail(newEmail)}`)
      : digitalBodies(
          conversationId,
          kind === 'digital-by-id' ? { contactId } : { email: seedEmail },
          lines,
          kind === 'digital-by-id' ? newEmail : seedEmail,
        );
  return { index, kind, conversationId, seed, bodies, expected };
}

function spokenEmail(address: string): string {
  const [local = '', domain = ''] = address.split('@');
  return `${local.split('.').join(' dot ')} at ${domain.split('.').join(' dot ')}`;
}

function voiceBodies(
  conversationId: string,
  contactId: string,
  lines: Array<{ text: string; speaker: 'customer' | 'agent'; at: number }>,
  spokenAddress: string,
): Array<Record<string, unknown>> {
  const sessionStart = Date.now() - 120_000;
  const notification = (extra: Record<string, unknown>): Record<string, unknown> => ({
    topicName: `v2.conversations.${conversationId}.transcription`,
    version: '2',
    eventBody: {
      eventTime: new Date().toISOString(),
      organizationId: 'org-chaos',
      conversationId,
      communicationId: `comm-${conversationId.slice(0, 8)}`,
      sessionStartTimeMs: sessionStart,
      transcriptionStartTimeMs: sessionStart + 500,
      transcripts: [],
      ...extra,
    },
    metadata: { CorrelationId: randomUUID() },
  });
  const all = [
    ...lines,
    { text: `you can reach me at ${spokenAddress}`, speaker: 'customer' as const, at: 30_000 },
  ];
  return [
    {
      topicName: `v2.detail.events.conversation.${conversationId}.attributes`,
      version: '2',
      eventBody: {
        eventTime: sessionStart,
        conversationId,
        participantId: 'p-1',
        mediaType: 'VOICE',
        attributes: { SF_ContactId: contactId },
      },
      metadata: { CorrelationId: randomUUID() },
    },
    ...all.map((line, i) =>
      notification({
        transcripts: [
          {
            utteranceId: `u${i}`,
            isFinal: true,
            channel: line.speaker === 'customer' ? 'EXTERNAL' : 'INTERNAL',
            alternatives: [{ confidence: 0.97, offsetMs: line.at, durationMs: 1500, transcript: line.text }],
          },
        ],
      }),
    ),
    notification({ status: { status: 'SESSION_ENDED', offsetMs: 60_000 } }),
  ];
}

function digitalBodies(
  conversationId: string,
  hint: { contactId: string } | { email: string },
  lines: Array<{ text: string; speaker: 'customer' | 'agent'; at: number }>,
  address: string,
): Array<Record<string, unknown>> {
  const start = Date.now() - 120_000;
  const messages = [
    ...lines,
    { text: `my email is ${address}`, speaker: 'customer' as const, at: 30_000 },
  ].map((line, i) => ({ id: `m${i}`, from: line.speaker, text: line.text, timestamp: start + line.at }));
  const body = (part: typeof messages, ended: boolean): Record<string, unknown> => ({
    conversationId,
    ...hint,
    mediaType: 'message',
    messages: part,
    ...(ended ? { ended: true } : {}),
  });
  // The data action re-sends the messages so far: the second delivery repeats the first two.
  return [body(messages.slice(0, 2), false), body(messages, true)];
}
