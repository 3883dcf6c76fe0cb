import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNotification } from './notification.parser';
import { type ParseOptions } from './format.types';
import { type JsonRecord } from './json.guards';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'genesys');
const load = (name: string): JsonRecord =>
  JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as JsonRecord;
const options: ParseOptions = { receivedAt: 1_767_300_000_000 };

describe(parseNotification.name, () => {
  it('turns customer.end into CONVERSATION_ENDED with the customer, the external contact id and the ANI', () => {
    const sut = parseNotification(load('valid/notification-customer-end.json'), options, 'NOTIFICATION');
    expect(sut).toMatchObject({ ok: true, format: 'NOTIFICATION' });
    if (!sut.ok) throw new Error('expected recognised');
    expect(sut.events).toHaveLength(1);
    expect(sut.events[0]).toMatchObject({
      conversationId: 'c0ffee00-0000-4000-8000-000000000001',
      communicationId: 'se-1',
      source: 'NOTIFICATION',
      kind: 'CONVERSATION_ENDED',
      mediaType: 'MESSAGE',
      participant: 'CUSTOMER',
      occurredAt: 1767225600123,
      receivedAt: options.receivedAt,
      contactHints: { contactId: null, externalContactId: 'ec-42', email: null, phone: '+15550001234' },
    });
    expect(sut.events[0]?.eventId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores user.end for a transfer, because the conversation goes on', () => {
    const sut = parseNotification(load('valid/notification-user-end-transfer.json'), options, 'NOTIFICATION');
    expect(sut).toMatchObject({ ok: true, events: [], ignored: 1 });
  });

  it('maps participant attributes and takes the contact id from the configured attribute', () => {
    const sut = parseNotification(
      load('valid/notification-attributes.json'),
      { ...options, contactIdAttributes: ['SF_ContactId'] },
      'NOTIFICATION',
    );
    if (!sut.ok) throw new Error(sut.missing);
    expect(sut.events[0]).toMatchObject({
      kind: 'CONTACT_ATTRIBUTES',
      mediaType: 'CHAT',
      attributes: { SF_ContactId: '003XX000004TMM2', Queue: 'Billing', Priority: '3' },
      contactHints: { contactId: '003XX000004TMM2' },
    });
  });

  it('keeps only final utterances of a transcription and maps EXTERNAL to the customer', () => {
    const sut = parseNotification(load('valid/notification-transcription.json'), options, 'NOTIFICATION');
    if (!sut.ok) throw new Error(sut.missing);
    expect(sut.ignored).toBe(1);
    expect(sut.events.map((event) => [event.kind, event.participant, event.text])).toEqual([
      ['UTTERANCE', 'CUSTOMER', 'my order number is 1234567890'],
      ['UTTERANCE', 'AGENT', 'let me check that order'],
    ]);
    expect(sut.events[0]).toMatchObject({
      communicationId: 'comm-7',
      mediaType: 'VOICE',
      confidence: 0.94,
      occurredAt: 1767225600000 + 120500,
      words: [
        { word: 'my', confidence: 0.99 },
        { word: '1234567890', confidence: 0.95 },
      ],
    });
  });

  it('emits ANALYTICS_READY when the transcription session ended', () => {
    const sut = parseNotification(
      load('valid/notification-transcription-ended.json'),
      options,
      'NOTIFICATION',
    );
    if (!sut.ok) throw new Error(sut.missing);
    expect(sut.events).toEqual([
      expect.objectContaining({
        kind: 'ANALYTICS_READY',
        communicationId: 'comm-8',
        occurredAt: Date.parse('2026-01-01T00:10:00.000Z'),
      }),
    ]);
  });

  it('drops and counts channel.metadata heartbeats', () => {
    expect(
      parseNotification(load('valid/notification-heartbeat.json'), options, 'NOTIFICATION'),
    ).toMatchObject({ ok: true, events: [], heartbeats: 1 });
  });

  it('maps STA sentiment to a SENTIMENT event with the overall score', () => {
    const sut = parseNotification(load('valid/notification-sentiment.json'), options, 'NOTIFICATION');
    if (!sut.ok) throw new Error(sut.missing);
    expect(sut.events[0]).toMatchObject({
      kind: 'SENTIMENT',
      conversationId: 'conv-5',
      sentimentScore: -0.35,
      occurredAt: options.receivedAt,
    });
  });

  it('treats STA topics as analytics ready for the communication', () => {
    const sut = parseNotification(load('valid/notification-topics.json'), options, 'NOTIFICATION');
    if (!sut.ok) throw new Error(sut.missing);
    expect(sut.events[0]).toMatchObject({
      kind: 'ANALYTICS_READY',
      communicationId: 'comm-9',
      mediaType: 'VOICE',
    });
  });

  it('turns summary extractedEntities into one VENDOR_ENTITY event', () => {
    const sut = parseNotification(load('valid/notification-summary.json'), options, 'NOTIFICATION');
    if (!sut.ok) throw new Error(sut.missing);
    expect(sut.events[0]).toMatchObject({
      kind: 'VENDOR_ENTITY',
      conversationId: 'conv-6',
      mediaType: 'MESSAGE',
      vendorEntities: [
        { entityType: 'OrderNumber', value: '1234567890', confidence: null },
        { entityType: 'Email', value: 'jane@example.com', confidence: null },
      ],
    });
  });

  it('gives the same summary the same event id whichever user topic carried it', () => {
    const first = load('valid/notification-summary.json');
    const second = { ...first, topicName: 'v2.users.agent-99.conversations.summaries' };
    const a = parseNotification(first, options, 'NOTIFICATION');
    const b = parseNotification(second, options, 'NOTIFICATION');
    if (!a.ok || !b.ok) throw new Error('expected recognised');
    expect(a.events[0]?.eventId).toBe(b.events[0]?.eventId);
  });

  it('ignores topics it does not route instead of refusing them', () => {
    const sut = parseNotification(
      { topicName: 'v2.conversations.c0ffee00-0000-4000-8000-000000000001.agentchecklist', eventBody: {} },
      options,
      'NOTIFICATION',
    );
    expect(sut).toMatchObject({ ok: true, events: [], ignored: 1 });
  });

  it('refuses a routed topic whose body lacks the conversation id and names the field', () => {
    const sut = parseNotification(
      load('invalid/detail-event-without-conversation.json'),
      options,
      'NOTIFICATION',
    );
    expect(sut).toMatchObject({
      ok: false,
      missing: 'eventBody.conversationId for topic v2.detail.events.conversation.{id}.acw',
    });
  });
});
