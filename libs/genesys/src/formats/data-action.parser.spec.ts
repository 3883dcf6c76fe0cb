import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDataAction } from './data-action.parser';
import { type JsonRecord } from './json.guards';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'genesys');
const load = (name: string): JsonRecord =>
  JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as JsonRecord;
const missingOf = (result: { ok: boolean; missing?: string }): string => result.missing ?? '';
const options = { receivedAt: 1_767_300_000_000 };

describe(parseDataAction.name, () => {
  it('maps each message with its sender, time and the explicit contact id, then the end', () => {
    const sut = parseDataAction(load('valid/data-action.json'), options);
    if (!sut.ok) throw new Error(sut.missing);
    expect(sut.events.map((event) => [event.kind, event.participant, event.occurredAt])).toEqual([
      ['MESSAGE', 'CUSTOMER', Date.parse('2026-01-01T00:00:05Z')],
      ['MESSAGE', 'AGENT', 1767225610000],
      ['MESSAGE', 'SYSTEM', Date.parse('2026-01-01T00:00:20Z')],
      ['CONVERSATION_ENDED', 'SYSTEM', Date.parse('2026-01-01T00:00:20Z')],
    ]);
    expect(sut.events[0]).toMatchObject({
      mediaType: 'MESSAGE',
      communicationId: 'comm-11',
      text: 'Hi, my account is AC-12345678',
      contactHints: { contactId: '003XX000004TMM2' },
    });
  });

  it('derives the same event ids from the same body on redelivery', () => {
    const first = parseDataAction(load('valid/data-action.json'), options);
    const again = parseDataAction(load('valid/data-action.json'), {
      receivedAt: options.receivedAt + 60_000,
    });
    if (!first.ok || !again.ok) throw new Error('expected recognised');
    expect(again.events.map((event) => event.eventId)).toEqual(first.events.map((event) => event.eventId));
    expect(new Set(first.events.map((event) => event.eventId)).size).toBe(first.events.length);
  });

  it('names the message that lacks its text', () => {
    expect(parseDataAction(load('invalid/data-action-message-without-text.json'), options)).toMatchObject({
      ok: false,
      missing: 'messages[0].text (a string)',
    });
  });

  it('refuses a timestamp that is neither ISO-8601 nor epoch ms', () => {
    expect(missingOf(parseDataAction(load('invalid/data-action-bad-timestamp.json'), options))).toContain(
      'messages[0].timestamp',
    );
  });
});
