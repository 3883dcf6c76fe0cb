import { aLifecycle, anEntity, aPolicy, aStateFrom, T0 } from '../testing';
import { decide } from './flush.policy';
import { expiresAt, isExpired } from './retention.policy';

const policy = aPolicy({ endedRetentionMs: 60_000, idleRetentionMs: 600_000, endGraceMs: 10_000 });

describe(isExpired.name, () => {
  it('drops an ended, flushed conversation after the retention period', () => {
    const ended = aStateFrom([[aLifecycle('CONVERSATION_ENDED'), T0]], policy);

    expect(isExpired(ended, T0 + 59_999, policy)).toBe(false);
    expect(isExpired(ended, T0 + 60_000, policy)).toBe(true);
  });

  it('never drops a conversation with an unflushed change', () => {
    const sut = aStateFrom(
      [
        [anEntity(), T0],
        [aLifecycle('CONVERSATION_ENDED'), T0 + 1],
      ],
      policy,
    );

    expect(expiresAt(sut, policy)).toBeNull();
    expect(isExpired(sut, T0 + 10 * 600_000, policy)).toBe(false);
  });

  it('becomes droppable once the pending change is flushed', () => {
    const ended = aStateFrom(
      [
        [anEntity(), T0],
        [aLifecycle('CONVERSATION_ENDED'), T0 + 1],
      ],
      policy,
    );

    const sut = decide(ended, T0 + 1 + 10_000, policy).state;

    expect(isExpired(sut, T0 + 1 + 60_000, policy)).toBe(true);
  });

  it('drops a conversation whose end was never seen after the idle period', () => {
    const open = aStateFrom([[aLifecycle('CONTACT_ATTRIBUTES'), T0]], policy);

    expect(isExpired(open, T0 + 599_999, policy)).toBe(false);
    expect(isExpired(open, T0 + 600_000, policy)).toBe(true);
  });
});
