import { contactHintsOf } from './contact-hints.mapper';
import { eventIdOf } from './conversation-event.factory';
import { mediaTypeOf, participantOf } from './participant.mapper';
import { routeTopic } from './topic-route';

describe(participantOf.name, () => {
  it.each([
    ['external', 'CUSTOMER'],
    ['EXTERNAL', 'CUSTOMER'],
    ['customer', 'CUSTOMER'],
    ['internal', 'AGENT'],
    ['agent', 'AGENT'],
    ['ivr', 'SYSTEM'],
    [undefined, 'SYSTEM'],
  ])('maps %s to %s', (raw, expected) => {
    expect(participantOf(raw)).toBe(expected);
  });
});

describe(mediaTypeOf.name, () => {
  it.each([
    ['VOICE', 'VOICE'],
    ['voice', 'VOICE'],
    ['chat', 'CHAT'],
    ['MESSAGE', 'MESSAGE'],
    ['whatsapp', 'MESSAGE'],
    ['email', 'EMAIL'],
    ['CALLBACK', 'CALLBACK'],
    ['fax', 'UNKNOWN'],
  ])('maps %s to %s', (raw, expected) => {
    expect(mediaTypeOf(raw)).toBe(expected);
  });
});

describe(contactHintsOf.name, () => {
  it('prefers an explicit contact id over the attribute', () => {
    expect(contactHintsOf({ contactId: 'explicit', attributes: { SF_ContactId: 'attr' } }).contactId).toBe(
      'explicit',
    );
  });

  it('reads the first configured attribute that is set', () => {
    expect(
      contactHintsOf({ attributes: { CRM_Id: 'c-1' }, contactIdAttributes: ['SF_ContactId', 'CRM_Id'] })
        .contactId,
    ).toBe('c-1');
  });

  it('takes an email address or a phone number from the customer address', () => {
    expect(contactHintsOf({ customerAddress: 'mailto:Jane@Example.com' })).toMatchObject({
      email: 'jane@example.com',
      phone: null,
    });
    expect(contactHintsOf({ customerAddress: 'tel:+1 (555) 000-1234' })).toMatchObject({
      email: null,
      phone: '+15550001234',
    });
    expect(contactHintsOf({ customerAddress: 'sip:bot@edge' })).toMatchObject({
      email: 'bot@edge',
      phone: null,
    });
  });
});

describe(eventIdOf.name, () => {
  it('is a stable sha256 that separates parts', () => {
    expect(eventIdOf('a', 'b')).toBe(eventIdOf('a', 'b'));
    expect(eventIdOf('ab', '')).not.toBe(eventIdOf('a', 'b'));
  });
});

describe(routeTopic.name, () => {
  it.each([
    ['v2.detail.events.conversation.abc.customer.end', 'v2.detail.events.conversation.{id}.customer.end'],
    ['v2.conversations.abc.transcription', 'v2.conversations.{id}.transcription'],
    [
      'v2.speechandtextanalytics.conversation.abc.topics',
      'v2.speechandtextanalytics.conversation.{id}.topics',
    ],
    ['v2.users.u-1.conversations.summaries', 'v2.users.{id}.conversations.summaries'],
    [
      'v2.conversations.c0ffee00-0000-4000-8000-000000000001.agentchecklist',
      'v2.conversations.{id}.agentchecklist',
    ],
  ])('routes %s on the pattern %s', (topic, pattern) => {
    expect(routeTopic(topic).pattern).toBe(pattern);
  });
});
