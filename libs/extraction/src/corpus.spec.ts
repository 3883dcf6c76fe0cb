// Precision and recall per entity type over the labelled corpus in test/fixtures/extraction, at the
// shipped definitions and default threshold. Fails below precision 0.98 or recall 0.90.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { type ConversationEvent, type Participant } from '@crm/contracts';
import { createExtractor } from './index';
import { aChatMessage, aVoiceUtterance, defaultEntityDefinitions, defaultProductCatalogue } from './testing';

interface CorpusRow {
  id: string;
  channel: 'voice' | 'chat';
  participant: Participant;
  text: string;
  confidence?: number;
  expected: { type: string; value: string }[];
  pciRedactions?: number;
}

const CORPUS = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'extraction', 'corpus.jsonl');
const rows = readFileSync(CORPUS, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as CorpusRow);

function eventOf(row: CorpusRow): ConversationEvent {
  return row.channel === 'voice'
    ? aVoiceUtterance(row.text, {
        participant: row.participant,
        confidence: row.confidence ?? 0.95,
        eventId: row.id,
      })
    : aChatMessage(row.text, { participant: row.participant, eventId: row.id });
}

interface Tally {
  tp: number;
  fp: number;
  fn: number;
}

describe('extraction corpus', () => {
  const sut = createExtractor({
    definitions: defaultEntityDefinitions(),
    catalogue: defaultProductCatalogue(),
    definitionsVersion: 'corpus',
  });
  const tallies = new Map<string, Tally>();
  const mistakes: string[] = [];
  let pciMismatches = 0;

  beforeAll(() => {
    for (const row of rows) {
      const result = sut.extract(eventOf(row));
      if ((row.pciRedactions ?? 0) !== result.pciRedactions) pciMismatches++;
      const found = result.accepted.map((entity) => `${entity.entityType}=${entity.value}`);
      const expected = row.expected.map((entity) => `${entity.type}=${entity.value}`);
      for (const type of new Set([
        ...row.expected.map((e) => e.type),
        ...result.accepted.map((e) => e.entityType),
      ])) {
        const tally = tallies.get(type) ?? { tp: 0, fp: 0, fn: 0 };
        const got = found.filter((entry) => entry.startsWith(`${type}=`));
        const want = expected.filter((entry) => entry.startsWith(`${type}=`));
        const hits = got.filter((entry) => want.includes(entry)).length;
        tally.tp += hits;
        tally.fp += got.length - hits;
        tally.fn += want.length - hits;
        if (got.length !== hits || want.length !== hits) mistakes.push(`${row.id} ${type}`);
        tallies.set(type, tally);
      }
    }
    const lines = [...tallies.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, t]) => {
        const precision = t.tp + t.fp === 0 ? 1 : t.tp / (t.tp + t.fp);
        const recall = t.tp + t.fn === 0 ? 1 : t.tp / (t.tp + t.fn);
        return `${type.padEnd(16)} ${String(t.tp).padStart(4)} ${String(t.fp).padStart(4)} ${String(t.fn).padStart(4)}   ${precision.toFixed(3)}   ${recall.toFixed(3)}`;
      });
    process.stdout.write(
      [
        `\nextraction corpus: ${rows.length} utterances and messages`,
        'type               tp   fp   fn   precision recall',
        ...lines,
        mistakes.length === 0 ? '' : `misses: ${mistakes.join(', ')}`,
        '',
      ].join('\n'),
    );
  });

  it('holds at least 300 labelled utterances and messages', () => {
    expect(rows.length).toBeGreaterThanOrEqual(300);
  });

  it.each(['OrderNumber', 'AccountId', 'CaseNumber', 'Email', 'Phone', 'ProductRequest'])(
    'reaches precision 0.98 and recall 0.90 for %s at the default threshold',
    (type) => {
      const tally = tallies.get(type) ?? { tp: 0, fp: 0, fn: 0 };
      expect(tally.tp).toBeGreaterThan(0);
      expect(tally.tp / (tally.tp + tally.fp)).toBeGreaterThanOrEqual(0.98);
      expect(tally.tp / (tally.tp + tally.fn)).toBeGreaterThanOrEqual(0.9);
    },
  );

  it('accepts no entity of a type the corpus never expects', () => {
    const known = new Set(['OrderNumber', 'AccountId', 'CaseNumber', 'Email', 'Phone', 'ProductRequest']);
    expect([...tallies.keys()].filter((type) => !known.has(type))).toEqual([]);
  });

  it('redacts exactly the card numbers the corpus labels', () => {
    expect(pciMismatches).toBe(0);
  });
});
