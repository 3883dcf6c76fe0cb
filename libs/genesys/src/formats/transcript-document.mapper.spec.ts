import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mapTranscriptDocument } from './transcript-document.mapper';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'genesys');
const load = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const options = { receivedAt: 1_767_300_000_000 };

describe(mapTranscriptDocument.name, () => {
  it('maps every phrase to an utterance sourced POLL, then analytics ready for the communication', () => {
    const sut = mapTranscriptDocument(load('valid/sta-transcript-document.json'), options);
    if (!sut.ok) throw new Error(sut.missing);
    expect(sut.events.map((event) => [event.kind, event.participant, event.source])).toEqual([
      ['UTTERANCE', 'CUSTOMER', 'POLL'],
      ['UTTERANCE', 'AGENT', 'POLL'],
      ['ANALYTICS_READY', 'SYSTEM', 'POLL'],
    ]);
    expect(sut.events[0]).toMatchObject({
      conversationId: 'conv-1',
      communicationId: 'comm-1',
      mediaType: 'VOICE',
      text: 'my order number is 1234567890',
      confidence: 0.93,
      occurredAt: 1767225720500,
      words: [{ word: '1234567890', confidence: 0.95 }],
      contactHints: { phone: '+15550001' },
    });
    expect(sut.events[2]?.occurredAt).toBe(1767225725000);
  });

  it('names the transcript without phrases', () => {
    expect(
      mapTranscriptDocument(load('invalid/transcript-document-without-phrases.json'), options),
    ).toMatchObject({ ok: false, missing: 'transcripts[0].phrases (an array)' });
  });
});
