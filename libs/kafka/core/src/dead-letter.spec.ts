import { toDeadLetter } from './dead-letter';
import { DecodeError } from './errors';

describe(toDeadLetter.name, () => {
  it('keeps the original bytes, position and headers with the reason of the error', () => {
    const sut = toDeadLetter({
      service: 'extractor',
      topic: 'in',
      partition: 3,
      message: {
        key: Buffer.from('conv-1'),
        value: Buffer.from([1, 2, 3]),
        headers: { traceparent: 't', multi: ['a', 'b'] },
        offset: '42',
      },
      error: new DecodeError('not framed'),
      now: 1000,
    });
    expect(sut).toEqual({
      service: 'extractor',
      originalTopic: 'in',
      partition: 3,
      offset: '42',
      key: Buffer.from('conv-1'),
      value: Buffer.from([1, 2, 3]),
      headers: { traceparent: Buffer.from('t'), multi: Buffer.from('a') },
      conversationId: 'conv-1',
      errorClass: 'DecodeError',
      reason: 'DECODE_FAILED',
      detail: 'not framed',
      retriable: false,
      attempts: 1,
      firstFailureAt: 1000,
      lastFailureAt: 1000,
    });
  });

  it('lets the caller name a business reason and the retry history', () => {
    const sut = toDeadLetter({
      service: 'crm-writer',
      topic: 'updates',
      partition: 0,
      message: { key: null, value: null, offset: '7' },
      error: new Error('no match'),
      reason: 'CONTACT_UNRESOLVED',
      attempts: 4,
      firstFailureAt: 10,
      now: 20,
    });
    expect(sut).toMatchObject({
      reason: 'CONTACT_UNRESOLVED',
      conversationId: null,
      attempts: 4,
      firstFailureAt: 10,
      lastFailureAt: 20,
      retriable: false,
    });
  });
});
