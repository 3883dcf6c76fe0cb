import { aMention, T0 } from '../testing';
import { supersedes } from './correction.rule';

describe(supersedes.name, () => {
  it('lets a later customer correction replace an earlier value', () => {
    const sut = supersedes(
      aMention({ value: '2222222222', occurredAt: T0 + 30_000 }),
      aMention({ value: '1111111111' }),
    );

    expect(sut).toBe(true);
  });

  it('keeps the later value when an earlier one arrives late', () => {
    const sut = supersedes(
      aMention({ value: '1111111111' }),
      aMention({ value: '2222222222', occurredAt: T0 + 30_000 }),
    );

    expect(sut).toBe(false);
  });

  it('breaks a tie at the same instant in favour of higher confidence', () => {
    const confident = aMention({ value: '2222222222', confidence: 0.97 });
    const unsure = aMention({ value: '1111111111', confidence: 0.91 });

    expect(supersedes(confident, unsure)).toBe(true);
    expect(supersedes(unsure, confident)).toBe(false);
  });

  it("never lets an agent's read-back override what the customer said, even later", () => {
    const sut = supersedes(
      aMention({ value: '2222222222', participant: 'AGENT', occurredAt: T0 + 30_000, confidence: 0.99 }),
      aMention({ value: '1111111111', participant: 'CUSTOMER' }),
    );

    expect(sut).toBe(false);
  });

  it('lets the customer override a value only the agent said', () => {
    const sut = supersedes(
      aMention({ value: '2222222222', participant: 'CUSTOMER' }),
      aMention({ value: '1111111111', participant: 'AGENT', occurredAt: T0 + 30_000 }),
    );

    expect(sut).toBe(true);
  });

  it('never replaces a value by a repeat of the same value, so provenance stays stable', () => {
    const sut = supersedes(
      aMention({ value: '1111111111', occurredAt: T0 + 30_000, confidence: 0.99 }),
      aMention({ value: '1111111111', confidence: 0.9 }),
    );

    expect(sut).toBe(false);
  });
});
