import { aMention, T0 } from '../testing';
import { conflicts, conflictsWithAny, keepRecent } from './ambiguity.rule';
import { type Candidate } from './conversation.state';

const WINDOW = 5_000;

const aCandidate = (overrides: Partial<Candidate> = {}): Candidate => {
  const { value, confidence, occurredAt, participant } = aMention();
  return { value, confidence, occurredAt, participant, ...overrides };
};

describe(conflicts.name, () => {
  it('flags two different values from the same speaker within the window', () => {
    const sut = conflicts(
      aCandidate({ value: '1111111111' }),
      aCandidate({ value: '2222222222', occurredAt: T0 + 2_000 }),
      WINDOW,
    );

    expect(sut).toBe(true);
  });

  it('treats the window edge as inside it', () => {
    const sut = conflicts(
      aCandidate({ value: '1111111111' }),
      aCandidate({ value: '2222222222', occurredAt: T0 + WINDOW }),
      WINDOW,
    );

    expect(sut).toBe(true);
  });

  it('sees a value said after the window as a correction, not a conflict', () => {
    const sut = conflicts(
      aCandidate({ value: '1111111111' }),
      aCandidate({ value: '2222222222', occurredAt: T0 + WINDOW + 1 }),
      WINDOW,
    );

    expect(sut).toBe(false);
  });

  it('ignores values from different speakers', () => {
    const sut = conflicts(
      aCandidate({ value: '1111111111', participant: 'CUSTOMER' }),
      aCandidate({ value: '2222222222', participant: 'AGENT', occurredAt: T0 + 1_000 }),
      WINDOW,
    );

    expect(sut).toBe(false);
  });

  it('ignores a repeat of the same value', () => {
    const sut = conflicts(aCandidate(), aCandidate({ occurredAt: T0 + 1_000 }), WINDOW);

    expect(sut).toBe(false);
  });

  it('leaves values at the same instant with different confidence to the confidence tie-break', () => {
    const sut = conflicts(
      aCandidate({ value: '1111111111', confidence: 0.92 }),
      aCandidate({ value: '2222222222', confidence: 0.97 }),
      WINDOW,
    );

    expect(sut).toBe(false);
  });

  it('flags values at the same instant with equal confidence, which nothing can decide', () => {
    const sut = conflicts(aCandidate({ value: '1111111111' }), aCandidate({ value: '2222222222' }), WINDOW);

    expect(sut).toBe(true);
  });
});

describe(conflictsWithAny.name, () => {
  it('finds a conflict with any recent mention', () => {
    const recent = [
      aCandidate({ value: '1111111111', occurredAt: T0 - 20_000 }),
      aCandidate({ value: '3333333333', occurredAt: T0 - 1_000 }),
    ];

    expect(conflictsWithAny(aCandidate({ value: '2222222222' }), recent, WINDOW)).toBe(true);
    expect(conflictsWithAny(aCandidate({ value: '3333333333' }), recent, WINDOW)).toBe(false);
  });
});

describe(keepRecent.name, () => {
  it('keeps only mentions within the window of the newest, oldest first', () => {
    const sut = keepRecent(
      [
        aCandidate({ value: 'c', occurredAt: T0 + 9_000 }),
        aCandidate({ value: 'a', occurredAt: T0 }),
        aCandidate({ value: 'b', occurredAt: T0 + 4_000 }),
      ],
      WINDOW,
      10,
    );

    expect(sut.map((c) => c.value)).toEqual(['b', 'c']);
  });

  it('keeps only the newest mention of each value and speaker, so repeats cost nothing', () => {
    const sut = keepRecent(
      [
        aCandidate({ value: 'a', occurredAt: T0 }),
        aCandidate({ value: 'a', occurredAt: T0 + 2_000 }),
        aCandidate({ value: 'a', occurredAt: T0 + 1_000 }),
        aCandidate({ value: 'a', occurredAt: T0 + 1_500, participant: 'AGENT' }),
      ],
      WINDOW,
      10,
    );

    expect(sut.map((c) => [c.value, c.participant, c.occurredAt])).toEqual([
      ['a', 'AGENT', T0 + 1_500],
      ['a', 'CUSTOMER', T0 + 2_000],
    ]);
  });

  it('caps the number kept, dropping the oldest', () => {
    const sut = keepRecent(
      [1, 2, 3, 4, 5].map((n) => aCandidate({ value: `v${n}`, occurredAt: T0 + n })),
      WINDOW,
      3,
    );

    expect(sut.map((c) => c.value)).toEqual(['v3', 'v4', 'v5']);
  });
});
