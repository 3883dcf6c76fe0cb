import { emptyConversationState } from './conversation.state';
import { isDuplicate, rememberId } from './dedupe.rule';
import { idKey } from './id.key';

describe(isDuplicate.name, () => {
  it('recognises a remembered id and nothing else', () => {
    const sut = { ...emptyConversationState('c-1', 0), seenIds: rememberId([], 'ent-1', 8) };

    expect(isDuplicate(sut, 'ent-1')).toBe(true);
    expect(isDuplicate(sut, 'ent-2')).toBe(false);
  });
});

describe(rememberId.name, () => {
  it('forgets the oldest ids beyond its capacity', () => {
    const sut = ['a', 'b', 'c', 'd'].reduce<readonly number[]>((seen, id) => rememberId(seen, id, 3), []);

    expect(sut).toEqual([idKey('b'), idKey('c'), idKey('d')]);
  });
});

describe(idKey.name, () => {
  it('is deterministic, a safe integer, and spreads distinct ids', () => {
    const keys = new Set(Array.from({ length: 10_000 }, (_, n) => idKey(`ent-${n}`)));

    expect(idKey('ent-1')).toBe(idKey('ent-1'));
    expect([...keys].every((k) => Number.isSafeInteger(k) && k >= 0)).toBe(true);
    expect(keys.size).toBe(10_000);
  });
});
