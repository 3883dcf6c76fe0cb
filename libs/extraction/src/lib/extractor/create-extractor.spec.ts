import { type ConversationEvent } from '@crm/contracts';
import {
  createExtractor,
  createWinkNerEngine,
  InvalidConfigurationError,
  parseEntityDefinitions,
} from '../../index';
import {
  aChatMessage,
  aLifecycleEvent,
  aVendorEntityEvent,
  aVoiceUtterance,
  defaultEntityDefinitions,
  defaultProductCatalogue,
  FIXED_NOW,
} from '../../testing';

const CARD = '4111111111111111';

describe(createExtractor.name, () => {
  const sut = createExtractor({
    definitions: defaultEntityDefinitions(),
    catalogue: defaultProductCatalogue(),
    definitionsVersion: 'v-test',
    clock: () => FIXED_NOW,
  });
  const accepted = (event: ConversationEvent): string[] =>
    sut.extract(event).accepted.map((entity) => `${entity.entityType}=${entity.value}`);

  describe('accepted entities', () => {
    it('extracts a spoken order number with a span covering the spoken words', () => {
      const text = 'yes my order number is double oh one two three four five six seven eight';
      const [entity] = sut.extract(aVoiceUtterance(text, { confidence: 0.96 })).accepted;

      expect(entity).toMatchObject({
        entityType: 'OrderNumber',
        value: '0012345678',
        method: 'REGEX',
        participant: 'CUSTOMER',
        mediaType: 'VOICE',
        definitionsVersion: 'v-test',
        extractedAt: FIXED_NOW,
      });
      expect(text.slice(entity!.span!.start, entity!.span!.end)).toBe(entity!.rawValue);
      expect(entity!.rawValue).toBe('double oh one two three four five six seven eight');
    });

    it.each([
      ['my account is ac 12345678', 'AccountId=AC-12345678'],
      ['case number 00012345', 'CaseNumber=00012345'],
      ['mail me: Jane.Doe@Example.com', 'Email=jane.doe@example.com'],
      ['my phone number is (415) 555-0132', 'Phone=+14155550132'],
      ['do you have cordless headphones?', 'ProductRequest=Wireless Headphones'],
    ])('extracts "%s" as %s from chat', (text, expected) => {
      expect(accepted(aChatMessage(text))).toEqual([expected]);
    });

    it('tells a phone number from an order number by the nearest keyword', () => {
      const text = 'my order number is 4155550132 and my phone is 4155550199';

      expect(accepted(aChatMessage(text))).toEqual(['OrderNumber=4155550132', 'Phone=+14155550199']);
    });

    it('gives the same entity id when the same event is delivered again', () => {
      const event = aChatMessage('order 1234567890');

      expect(sut.extract(event).accepted[0]?.entityId).toBe(sut.extract({ ...event }).accepted[0]?.entityId);
      expect(sut.extract({ ...event, eventId: 'other' }).accepted[0]?.entityId).not.toBe(
        sut.extract(event).accepted[0]?.entityId,
      );
    });
  });

  describe('traps produce no accepted entity', () => {
    it.each([
      'my phone is broken',
      'the delivery was on 01.05.2024',
      'I paid $1,234,567,890',
      'it arrived on 2024-05-12 at 10:30',
      'order 123456789 is late',
      'my order number is 12345678901',
      'refund 1234567890 dollars',
    ])('"%s"', (text) => {
      expect(sut.extract(aChatMessage(text)).accepted).toEqual([]);
    });

    it('ignores an agent reading a number back', () => {
      const result = sut.extract(
        aChatMessage('to confirm, order number 1234567890', { participant: 'AGENT' }),
      );

      expect(result).toEqual({ accepted: [], rejected: [], pciRedactions: 0 });
    });

    it('counts agent mentions when a definition says so', () => {
      const definitions = defaultEntityDefinitions().map((d) =>
        d.name === 'OrderNumber' ? { ...d, participant: 'any' as const } : d,
      );
      const agentAware = createExtractor({ definitions, catalogue: defaultProductCatalogue() });

      const result = agentAware.extract(
        aChatMessage('to confirm, order number 1234567890', { participant: 'AGENT' }),
      );

      expect(result.accepted.map((e) => [e.value, e.participant])).toEqual([['1234567890', 'AGENT']]);
    });
  });

  describe('rejections', () => {
    it('holds back a value below the threshold as LOW_CONFIDENCE, for review', () => {
      const result = sut.extract(
        aVoiceUtterance('order number one two three four five six seven eight nine zero', {
          confidence: 0.8,
        }),
      );

      expect(result.accepted).toEqual([]);
      expect(result.rejected).toEqual([
        expect.objectContaining({
          entityType: 'OrderNumber',
          reason: 'LOW_CONFIDENCE',
          value: '1234567890',
          rejectedAt: FIXED_NOW,
        }),
      ]);
    });

    it('accepts a value exactly at the threshold (inclusive)', () => {
      expect(accepted(aVoiceUtterance('order 1234567890', { confidence: 0.9 }))).toEqual([
        'OrderNumber=1234567890',
      ]);
    });

    it('holds back a bare ten-digit number that could be a phone or an order as AMBIGUOUS', () => {
      const result = sut.extract(aChatMessage('4155550132'));

      expect(result.accepted).toEqual([]);
      expect(result.rejected.map((r) => [r.entityType, r.reason]).sort()).toEqual([
        ['OrderNumber', 'AMBIGUOUS'],
        ['Phone', 'AMBIGUOUS'],
      ]);
    });

    it('rejects a phone number with a keyword but an impossible area code as INVALID_FORMAT', () => {
      const result = sut.extract(aChatMessage('my phone number is 1234567890'));

      expect(result.accepted).toEqual([]);
      expect(result.rejected).toEqual([
        expect.objectContaining({ entityType: 'Phone', reason: 'INVALID_FORMAT', value: null }),
      ]);
    });
  });

  describe('card numbers', () => {
    const events = [
      aChatMessage(`my card is ${CARD.replace(/(\d{4})(?=\d)/g, '$1 ')}`),
      aChatMessage(`order number ${CARD}`),
      aVoiceUtterance('card four one one one one one one one one one one one one one one one'),
      aChatMessage(`reading back ${CARD}`, { participant: 'AGENT' }),
      aVendorEntityEvent([{ entityType: 'order_number', value: CARD }]),
    ];

    it.each(events.map((event) => [event.text ?? 'vendor entity', event]))(
      'redacts "%s" and only counts it',
      (_, event) => {
        const result = sut.extract(event);

        expect(result.pciRedactions).toBe(1);
        expect(result.accepted).toEqual([]);
        expect(result.rejected).toEqual([
          expect.objectContaining({ reason: 'REDACTED_PCI', rawValue: null, value: null }),
        ]);
      },
    );

    it.each(events.map((event) => [event.text ?? 'vendor entity', event]))(
      'never lets the card number appear in any output field of "%s"',
      (_, event) => {
        const serialised = JSON.stringify(sut.extract(event));

        expect(serialised.replace(/\D/g, ' ')).not.toMatch(/4111|1111 1111/);
        expect(serialised).not.toContain(CARD);
      },
    );
  });

  describe('vendor entities', () => {
    it('maps vendor types to ours, keeps the vendor confidence and canonicalises the value', () => {
      const result = sut.extract(
        aVendorEntityEvent([
          { entityType: 'order_number', value: '00123-45678', confidence: 0.93, startMs: 1200, endMs: 2400 },
          { entityType: 'email', value: 'Jo@Example.com', confidence: 0.99 },
        ]),
      );

      expect(result.accepted.map((e) => [e.entityType, e.value, e.confidence, e.method, e.span])).toEqual([
        ['OrderNumber', '0012345678', 0.93, 'VENDOR', null],
        ['Email', 'jo@example.com', 0.99, 'VENDOR', null],
      ]);
    });

    it('rejects a vendor value that fails the target format', () => {
      const result = sut.extract(
        aVendorEntityEvent([{ entityType: 'order_number', value: '123', confidence: 0.99 }]),
      );

      expect(result.rejected).toEqual([
        expect.objectContaining({ reason: 'INVALID_FORMAT', method: 'VENDOR' }),
      ]);
    });

    it('holds back a vendor value without a confidence', () => {
      const result = sut.extract(
        aVendorEntityEvent([{ entityType: 'order_number', value: '0012345678', confidence: null }]),
      );

      expect(result.rejected).toEqual([expect.objectContaining({ reason: 'LOW_CONFIDENCE', confidence: 0 })]);
    });

    it('ignores vendor types no definition maps', () => {
      expect(sut.extract(aVendorEntityEvent([{ entityType: 'shoe_size', value: '42' }]))).toEqual({
        accepted: [],
        rejected: [],
        pciRedactions: 0,
      });
    });
  });

  it('extracts nothing from lifecycle events', () => {
    expect(sut.extract(aLifecycleEvent('CONVERSATION_ENDED'))).toEqual({
      accepted: [],
      rejected: [],
      pciRedactions: 0,
    });
  });

  it('refuses to start without the catalogue its definitions refer to', () => {
    expect(() => createExtractor({ definitions: defaultEntityDefinitions() })).toThrow(
      InvalidConfigurationError,
    );
  });

  it('refuses an unknown default region', () => {
    expect(() => createExtractor({ definitions: [], defaultRegion: 'XX' })).toThrow(/defaultRegion/);
  });

  it('only runs a definition on its configured channels', () => {
    const voiceOnly = parseEntityDefinitions({
      version: '1',
      definitions: [
        { name: 'Email', method: 'regex', pattern: '\\S+@\\S+', validator: 'email', channels: ['voice'] },
      ],
    }).definitions;
    const emailOnVoice = createExtractor({ definitions: voiceOnly });

    expect(emailOnVoice.extract(aChatMessage('a@b.com')).accepted).toEqual([]);
    expect(emailOnVoice.extract(aVoiceUtterance('a@b.com')).accepted).toHaveLength(1);
  });
});

describe(`${createExtractor.name} pre-filters`, () => {
  const engine = createWinkNerEngine();
  let nlpCalls = 0;
  const sut = createExtractor({
    definitions: defaultEntityDefinitions(),
    catalogue: defaultProductCatalogue(),
    nerEngine: {
      name: 'counting',
      tokens: (text) => {
        nlpCalls++;
        return engine.tokens(text);
      },
    },
  });
  const values = (event: ConversationEvent): string[] =>
    sut.extract(event).accepted.map((entity) => `${entity.entityType}=${entity.value}`);

  beforeEach(() => {
    nlpCalls = 0;
  });

  it('keeps the NLP library away from a catalogue head word without the rest of its term', () => {
    expect(values(aChatMessage('my case number is 00012345, I was charged twice'))).toEqual([
      'CaseNumber=00012345',
    ]);
    expect(nlpCalls).toBe(0);
  });

  it('still calls the NLP library for an inflected catalogue term', () => {
    expect(values(aChatMessage('I would like two smart watches please'))).toEqual([
      'ProductRequest=Smart Watch',
    ]);
    expect(nlpCalls).toBe(1);
  });

  it('finds a dictated email address although the text has no @', () => {
    expect(values(aVoiceUtterance('my email is john dot smith at example dot com'))).toEqual([
      'Email=john.smith@example.com',
    ]);
  });
});
