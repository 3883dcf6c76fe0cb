import { aMention, aPolicy, T0 } from '../testing';
import { type EntitySlot, type Mention } from './conversation.state';
import { mergeMention } from './merge.rule';

const policy = aPolicy({ ambiguityWindowMs: 5_000, maxCandidatesPerType: 4 });

function fold(mentions: readonly Mention[]): { slot: EntitySlot | undefined; effects: string[] } {
  let slot: EntitySlot | undefined;
  const effects: string[] = [];
  for (const mention of mentions) {
    const result = mergeMention(slot, mention, policy);
    slot = result.slot;
    effects.push(result.effect);
  }
  return { slot, effects };
}

describe(mergeMention.name, () => {
  it('chooses the first mention of an entity type', () => {
    const first = aMention();

    const sut = mergeMention(undefined, first, policy);

    expect(sut.effect).toBe('CHANGED');
    expect(sut.slot.chosen).toEqual(first);
    expect(sut.slot.ambiguous).toBe(false);
  });

  it('replaces the value with a later correction outside the window', () => {
    const correction = aMention({ value: '2222222222', occurredAt: T0 + 30_000 });

    const sut = fold([aMention({ value: '1111111111' }), correction]);

    expect(sut.effects).toEqual(['CHANGED', 'CHANGED']);
    expect(sut.slot?.chosen).toEqual(correction);
  });

  it('keeps the first provenance when the same value is repeated', () => {
    const first = aMention();

    const sut = fold([
      first,
      aMention({ occurredAt: T0 + 1_000 }),
      aMention({ occurredAt: T0 + 60_000, confidence: 0.99 }),
    ]);

    expect(sut.effects).toEqual(['CHANGED', 'UNCHANGED', 'UNCHANGED']);
    expect(sut.slot?.chosen).toEqual(first);
  });

  it('holds a type back when the same speaker gives two values close together', () => {
    const sut = fold([
      aMention({ value: '1111111111' }),
      aMention({ value: '2222222222', occurredAt: T0 + 2_000 }),
    ]);

    expect(sut.effects).toEqual(['CHANGED', 'AMBIGUOUS']);
    expect(sut.slot?.ambiguous).toBe(true);
  });

  it('stays held while the mentions keep conflicting', () => {
    const sut = fold([
      aMention({ value: '1111111111' }),
      aMention({ value: '2222222222', occurredAt: T0 + 2_000 }),
      aMention({ value: '2222222222', occurredAt: T0 + 4_000 }),
    ]);

    expect(sut.effects).toEqual(['CHANGED', 'AMBIGUOUS', 'UNCHANGED']);
    expect(sut.slot?.ambiguous).toBe(true);
  });

  it('resolves a held type with a later clear mention', () => {
    const clear = aMention({ value: '2222222222', occurredAt: T0 + 8_000 });

    const sut = fold([
      aMention({ value: '1111111111' }),
      aMention({ value: '2222222222', occurredAt: T0 + 2_000 }),
      clear,
    ]);

    expect(sut.effects).toEqual(['CHANGED', 'AMBIGUOUS', 'CHANGED']);
    expect(sut.slot?.ambiguous).toBe(false);
    expect(sut.slot?.chosen).toEqual(clear);
  });

  it('does not resolve a held type with an older mention that arrives late', () => {
    const sut = fold([
      aMention({ value: '1111111111' }),
      aMention({ value: '2222222222', occurredAt: T0 + 2_000 }),
      aMention({ value: '3333333333', occurredAt: T0 - 60_000 }),
    ]);

    expect(sut.slot?.ambiguous).toBe(true);
  });

  it("does not resolve a customer's ambiguity with an agent's read-back", () => {
    const sut = fold([
      aMention({ value: '1111111111' }),
      aMention({ value: '2222222222', occurredAt: T0 + 2_000 }),
      aMention({ value: '2222222222', occurredAt: T0 + 10_000, participant: 'AGENT' }),
    ]);

    expect(sut.slot?.ambiguous).toBe(true);
  });

  it("ignores conflicting agent mentions once the customer's value is chosen", () => {
    const customer = aMention({ value: '1111111111' });

    const sut = fold([
      customer,
      aMention({ value: '2222222222', occurredAt: T0 + 20_000, participant: 'AGENT' }),
      aMention({ value: '3333333333', occurredAt: T0 + 21_000, participant: 'AGENT' }),
    ]);

    expect(sut.slot?.ambiguous).toBe(false);
    expect(sut.slot?.chosen).toEqual(customer);
  });

  it('picks the more confident of two values at the same instant without holding', () => {
    const confident = aMention({ value: '2222222222', confidence: 0.97 });

    const sut = fold([aMention({ value: '1111111111', confidence: 0.91 }), confident]);

    expect(sut.slot?.ambiguous).toBe(false);
    expect(sut.slot?.chosen).toEqual(confident);
  });

  it('changes nothing when the same entity is merged twice', () => {
    const mention = aMention();
    const once = mergeMention(undefined, mention, policy).slot;

    const sut = mergeMention(once, mention, policy);

    expect(sut.effect).toBe('UNCHANGED');
    expect(sut.slot).toBe(once);
  });

  it('keeps at most maxCandidatesPerType recent mentions', () => {
    const sut = fold([0, 1, 2, 3, 4, 5].map((n) => aMention({ value: `v${n}`, occurredAt: T0 + n * 100 })));

    expect(sut.slot?.recent).toHaveLength(4);
  });

  it('keeps one recent mention however often the same value is repeated', () => {
    const sut = fold([0, 1, 2, 3, 4, 5].map((n) => aMention({ occurredAt: T0 + n * 100 })));

    expect(sut.slot?.recent).toEqual([expect.objectContaining({ occurredAt: T0 + 500 })]);
  });
});
