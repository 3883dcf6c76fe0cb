import { communicationsOf } from './analytics-fetcher';

describe(communicationsOf.name, () => {
  it('lists the customer communications first, across media, without repeats', () => {
    const sut = communicationsOf({
      id: 'conv-1',
      participants: [
        { id: 'agent', purpose: 'agent', calls: [{ id: 'call-agent' }] },
        {
          id: 'customer',
          purpose: 'customer',
          calls: [{ id: 'call-customer' }],
          messages: [{ id: 'msg-customer' }],
        },
        { id: 'acd', purpose: 'acd', calls: [{ id: 'call-customer' }] },
      ],
    });

    expect(sut).toEqual(['call-customer', 'msg-customer', 'call-agent']);
  });

  it('answers no candidates for a conversation without communications', () => {
    expect(communicationsOf({ id: 'conv-2', participants: [{ id: 'p', purpose: 'customer' }] })).toEqual([]);
  });
});
