import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEventBridge } from './eventbridge.parser';
import { type JsonRecord } from './json.guards';
import { parseNotification } from './notification.parser';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'genesys');
const load = (name: string): JsonRecord =>
  JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as JsonRecord;
const missingOf = (result: { ok: boolean; missing?: string }): string => result.missing ?? '';
const options = { receivedAt: 1_767_300_000_000 };

describe(parseEventBridge.name, () => {
  it('unwraps detail and maps acw to CONVERSATION_ENDED from the agent, sourced EVENTBRIDGE', () => {
    const sut = parseEventBridge(load('valid/eventbridge-acw.json'), options);
    if (!sut.ok) throw new Error(sut.missing);
    expect(sut.format).toBe('EVENTBRIDGE');
    expect(sut.events).toEqual([
      expect.objectContaining({
        conversationId: 'conv-1',
        source: 'EVENTBRIDGE',
        kind: 'CONVERSATION_ENDED',
        participant: 'AGENT',
        mediaType: 'VOICE',
        occurredAt: 1767225900000,
      }),
    ]);
  });

  it('hashes the same notification to the same event id over EventBridge and over the WebSocket', () => {
    const envelope = load('valid/eventbridge-acw.json');
    const viaBridge = parseEventBridge(envelope, options);
    const viaSocket = parseNotification(
      envelope['detail'] as JsonRecord,
      { receivedAt: options.receivedAt + 5000 },
      'NOTIFICATION',
    );
    if (!viaBridge.ok || !viaSocket.ok) throw new Error('expected recognised');
    expect(viaBridge.events[0]?.eventId).toBe(viaSocket.events[0]?.eventId);
  });

  it('refuses an envelope without detail and says so', () => {
    expect(missingOf(parseEventBridge(load('invalid/eventbridge-without-detail.json'), options))).toContain(
      'detail',
    );
  });

  it('prefixes missing inner fields with detail.', () => {
    const sut = parseEventBridge(
      { 'detail-type': 'x', detail: { topicName: 'v2.detail.events.conversation.c.acw' } },
      options,
    );
    expect(missingOf(sut)).toContain('detail.eventBody');
  });
});
