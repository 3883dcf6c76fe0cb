// Genesys names the two sides differently per API (purpose, channel, participantPurpose); all map here.
import { type MediaType, type Participant } from '@crm/contracts';

const CUSTOMER = new Set(['external', 'customer', 'client', 'contact', 'consumer', 'enduser', 'end-user']);
const AGENT = new Set(['internal', 'agent', 'user']);

export function participantOf(raw: unknown): Participant {
  if (typeof raw !== 'string') return 'SYSTEM';
  const value = raw.trim().toLowerCase();
  if (CUSTOMER.has(value)) return 'CUSTOMER';
  if (AGENT.has(value)) return 'AGENT';
  return 'SYSTEM';
}

const MEDIA: Record<string, MediaType> = {
  voice: 'VOICE',
  call: 'VOICE',
  calls: 'VOICE',
  chat: 'CHAT',
  chats: 'CHAT',
  webchat: 'CHAT',
  message: 'MESSAGE',
  messages: 'MESSAGE',
  messaging: 'MESSAGE',
  sms: 'MESSAGE',
  whatsapp: 'MESSAGE',
  webmessaging: 'MESSAGE',
  open: 'MESSAGE',
  facebook: 'MESSAGE',
  email: 'EMAIL',
  emails: 'EMAIL',
  callback: 'CALLBACK',
  callbacks: 'CALLBACK',
};

/** Detail events say VOICE, analytics details say voice, transcripts may say call: one enum out. */
export function mediaTypeOf(raw: unknown): MediaType {
  if (typeof raw !== 'string') return 'UNKNOWN';
  return MEDIA[raw.trim().toLowerCase()] ?? 'UNKNOWN';
}
