import { DecodeError, InfrastructureUnavailableError, isRetriable, reasonOf } from './errors';

describe(isRetriable.name, () => {
  it('follows the flag of our own errors', () => {
    expect(isRetriable(new InfrastructureUnavailableError('registry down'))).toBe(true);
    expect(isRetriable(new DecodeError('garbage'))).toBe(false);
  });

  it("honours kafkajs' retriable flag and treats unknown errors as permanent", () => {
    expect(isRetriable(Object.assign(new Error('leader not available'), { retriable: true }))).toBe(true);
    expect(isRetriable(new Error('boom'))).toBe(false);
    expect(isRetriable('a string')).toBe(false);
  });

  it('names the reason code, keeping the cause', () => {
    const cause = new Error('bad magic');
    const sut = new DecodeError('not framed', { cause });
    expect(reasonOf(sut)).toBe('DECODE_FAILED');
    expect(sut.cause).toBe(cause);
    expect(sut.name).toBe('DecodeError');
    expect(reasonOf(new Error('x'))).toBe('UNEXPECTED_ERROR');
  });
});
