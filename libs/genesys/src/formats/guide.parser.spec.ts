import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseGuide } from './guide.parser';
import { type JsonRecord } from './json.guards';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'genesys');
const load = (name: string): JsonRecord =>
  JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as JsonRecord;
const missingOf = (result: { ok: boolean; missing?: string }): string => result.missing ?? '';
const options = { receivedAt: 1_767_300_000_000 };

describe(parseGuide.name, () => {
  it('maps speech analytics entities with seconds converted to milliseconds, then analytics ready', () => {
    const sut = parseGuide(load('valid/guide-speech-analytics.json'), options);
    if (!sut.ok) throw new Error(sut.missing);
    expect(sut.events.map((event) => event.kind)).toEqual(['VENDOR_ENTITY', 'ANALYTICS_READY']);
    expect(sut.events[0]).toMatchObject({
      conversationId: 'conv-7',
      source: 'WEBHOOK',
      mediaType: 'VOICE',
      occurredAt: Date.parse('2026-01-01T00:15:00Z'),
      vendorEntities: [
        { entityType: 'OrderNumber', value: '1234567890', confidence: 0.96, startMs: 12500, endMs: 14250 },
        { entityType: 'Email', value: 'jane@example.com', confidence: 0.91, startMs: 30000, endMs: 33100 },
      ],
    });
  });

  it('maps digital analytics to MESSAGE media', () => {
    const sut = parseGuide(load('valid/guide-digital-analytics.json'), options);
    if (!sut.ok) throw new Error(sut.missing);
    expect(sut.events[0]).toMatchObject({
      mediaType: 'MESSAGE',
      vendorEntities: [expect.objectContaining({ value: 'AC-12345678' })],
    });
  });

  it('turns a guide Conversation Ended into CONVERSATION_ENDED', () => {
    const sut = parseGuide({ id: 'conv-1', type: 'Conversation Ended' }, options);
    expect(sut).toMatchObject({
      ok: true,
      events: [expect.objectContaining({ kind: 'CONVERSATION_ENDED', conversationId: 'conv-1' })],
    });
  });

  it('refuses analytics of an unknown family', () => {
    expect(missingOf(parseGuide(load('invalid/guide-unknown-analytics.json'), options))).toContain(
      'speech_analytics',
    );
  });

  it('refuses the guide format when it is switched off', () => {
    expect(
      missingOf(
        parseGuide(load('valid/guide-speech-analytics.json'), { ...options, acceptGuideFormat: false }),
      ),
    ).toContain('disabled');
  });
});
