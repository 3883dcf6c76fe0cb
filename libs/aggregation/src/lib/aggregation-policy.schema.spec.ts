import { DEFAULT_AGGREGATION_POLICY } from './aggregation.policy';
import { parseAggregationPolicy } from './aggregation-policy.schema';

describe(parseAggregationPolicy.name, () => {
  it('fills every missing value with its default', () => {
    expect(parseAggregationPolicy({})).toEqual(DEFAULT_AGGREGATION_POLICY);
  });

  it('accepts environment strings for numbers and media type lists', () => {
    const sut = parseAggregationPolicy({
      debounceMs: '250',
      maxWaitMs: '2000',
      digitalMediaTypes: 'CHAT, EMAIL',
    });

    expect(sut.debounceMs).toBe(250);
    expect(sut.maxWaitMs).toBe(2_000);
    expect(sut.digitalMediaTypes).toEqual(['CHAT', 'EMAIL']);
  });

  it.each([
    ['a negative window', { debounceMs: -1 }],
    ['a non-number', { endGraceMs: 'soon' }],
    ['an unknown media type', { digitalMediaTypes: 'CHAT,FAX' }],
    ['a max wait shorter than the debounce', { debounceMs: 5_000, maxWaitMs: 1_000 }],
    ['a retention shorter than the grace period', { endGraceMs: 60_000, endedRetentionMs: 1_000 }],
    ['a zero dedupe capacity', { dedupeCapacity: 0 }],
  ])('rejects %s', (_label, input) => {
    expect(() => parseAggregationPolicy(input)).toThrow();
  });
});
