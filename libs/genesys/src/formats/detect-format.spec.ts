import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseGenesysBody, parseGenesysEvent } from './detect-format';
import { ACCEPTED_FORMATS } from './format.types';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'genesys');
const load = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const missingOf = (result: { ok: boolean; missing?: string }): string => result.missing ?? '';
const options = { receivedAt: 1_767_300_000_000 };

const EXPECTED_FORMAT: Record<string, string> = {
  'data-action.json': 'DATA_ACTION',
  'eventbridge-acw.json': 'EVENTBRIDGE',
  'guide-digital-analytics.json': 'GUIDE',
  'guide-speech-analytics.json': 'GUIDE',
  'notification-attributes.json': 'NOTIFICATION',
  'notification-customer-end.json': 'NOTIFICATION',
  'notification-heartbeat.json': 'NOTIFICATION',
  'notification-sentiment.json': 'NOTIFICATION',
  'notification-summary.json': 'NOTIFICATION',
  'notification-topics.json': 'NOTIFICATION',
  'notification-transcription-ended.json': 'NOTIFICATION',
  'notification-transcription.json': 'NOTIFICATION',
  'notification-user-end-transfer.json': 'NOTIFICATION',
  'sta-transcript-document.json': 'TRANSCRIPT_DOCUMENT',
};

describe(parseGenesysEvent.name, () => {
  it.each(readdirSync(join(FIXTURES, 'valid')))('recognises the valid fixture %s structurally', (file) => {
    const sut = parseGenesysEvent(load(`valid/${file}`), options);
    expect(sut).toMatchObject({ ok: true, format: EXPECTED_FORMAT[file] });
  });

  it.each(readdirSync(join(FIXTURES, 'invalid')))(
    'refuses the invalid fixture %s and lists the accepted formats',
    (file) => {
      const sut = parseGenesysEvent(load(`invalid/${file}`), options);
      expect(sut).toMatchObject({ ok: false, accepted: ACCEPTED_FORMATS });
      if (sut.ok) throw new Error('expected unrecognised');
      expect(sut.missing.length).toBeGreaterThan(0);
    },
  );

  it('refuses a JSON value that is not an object', () => {
    expect(missingOf(parseGenesysEvent('hello', options))).toContain('JSON object');
  });

  it('stamps the configured source on bare notifications and documents', () => {
    const notification = parseGenesysEvent(load('valid/notification-sentiment.json'), {
      ...options,
      notificationSource: 'WEBHOOK',
    });
    const document = parseGenesysEvent(load('valid/sta-transcript-document.json'), options);
    if (!notification.ok || !document.ok) throw new Error('expected recognised');
    expect(notification.events[0]?.source).toBe('WEBHOOK');
    expect(document.events[0]?.source).toBe('WEBHOOK');
  });
});

describe(parseGenesysBody.name, () => {
  it('flattens an array of mixed formats into events in order and counts heartbeats', () => {
    const sut = parseGenesysBody(
      [
        load('valid/eventbridge-acw.json'),
        load('valid/notification-heartbeat.json'),
        load('valid/data-action.json'),
      ],
      options,
    );
    if (!sut.ok) throw new Error(sut.missing);
    expect(sut.heartbeats).toBe(1);
    expect(sut.events.map((event) => event.conversationId)).toEqual([
      'conv-1',
      'conv-9',
      'conv-9',
      'conv-9',
      'conv-9',
    ]);
  });

  it('refuses the whole array when one item is unrecognised and names its index', () => {
    const sut = parseGenesysBody(
      [load('valid/eventbridge-acw.json'), load('invalid/unknown-shape.json')],
      options,
    );
    expect(sut).toMatchObject({ ok: false, index: 1 });
  });

  it('refuses an empty array', () => {
    expect(missingOf(parseGenesysBody([], options))).toContain('at least one');
  });
});
