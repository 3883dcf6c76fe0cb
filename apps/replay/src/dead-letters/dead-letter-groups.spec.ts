import { type DeadLetter } from '@crm/contracts';
import { groupByReason, matchesFilter } from './dead-letter-groups';

function letter(overrides: Partial<DeadLetter>): DeadLetter {
  return {
    service: 'crm-writer',
    originalTopic: 'crm.internal.contact-update-by-record.v1',
    partition: 2,
    offset: '41',
    key: null,
    value: Buffer.from('x'),
    headers: {},
    conversationId: 'c-1',
    errorClass: 'CrmValidationError',
    reason: 'CRM_VALIDATION',
    detail: '',
    retriable: false,
    attempts: 1,
    firstFailureAt: 1_000,
    lastFailureAt: 1_000,
    ...overrides,
  };
}

describe(groupByReason.name, () => {
  const sut = groupByReason;

  it('groups by reason with counts, sources, a sample position and the failure time range', () => {
    const groups = sut([
      { letter: letter({ firstFailureAt: 500, lastFailureAt: 800 }), partition: 0, offset: '1' },
      { letter: letter({ lastFailureAt: 3_000, service: 'crm-writer-2' }), partition: 0, offset: '2' },
      {
        letter: letter({
          reason: 'DECODE_FAILED',
          service: 'extractor',
          originalTopic: 'events.v1',
          retriable: true,
        }),
        partition: 1,
        offset: '7',
      },
    ]);

    expect(groups).toEqual([
      {
        reason: 'CRM_VALIDATION',
        count: 2,
        retriable: 0,
        services: ['crm-writer', 'crm-writer-2'],
        sourceTopics: ['crm.internal.contact-update-by-record.v1'],
        sample: 'crm.internal.contact-update-by-record.v1/2/41',
        firstFailureAt: 500,
        lastFailureAt: 3_000,
      },
      {
        reason: 'DECODE_FAILED',
        count: 1,
        retriable: 1,
        services: ['extractor'],
        sourceTopics: ['events.v1'],
        sample: 'events.v1/2/41',
        firstFailureAt: 1_000,
        lastFailureAt: 1_000,
      },
    ]);
  });

  it('filters by reason and by last failure time', () => {
    expect(matchesFilter(letter({}), { reason: 'CRM_VALIDATION', since: 1_000 })).toBe(true);
    expect(matchesFilter(letter({}), { reason: 'DECODE_FAILED', since: null })).toBe(false);
    expect(matchesFilter(letter({}), { reason: null, since: 1_001 })).toBe(false);
    expect(matchesFilter(letter({}), { reason: null, since: null, conversations: ['c-1'] })).toBe(true);
    expect(matchesFilter(letter({}), { reason: null, since: null, conversations: ['c-2'] })).toBe(false);
  });
});
