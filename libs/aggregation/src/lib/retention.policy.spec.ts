import { aLifecycle, anEntity, aPolicy, aStateFrom, T0 } from '../testing';
import { decide } from './flush.policy';
import { evictableAt, expiresAt, isExpired } from './retention.policy';

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

describe(evictableAt.name, () => {
  it('lets a digital conversation go once it ended and everything is flushed', () => {
    const ended = aStateFrom(
      [
        [anEntity({ mediaType: 'CHAT' }), T0],
        [aLifecycle('CONVERSATION_ENDED', { mediaType: 'CHAT' }), T0 + 5],
      ],
      policy,
    );
    expect(evictableAt(ended, policy)).toBeNull(); // the ENDED flush is still due

    const flushed = decide(ended, T0 + 5, policy).state;
    expect(evictableAt(flushed, policy)).toBe(T0 + 5);
  });

  it('keeps a voice call until ANALYTICS_READY or the end of its grace period', () => {
    const ended = aStateFrom([[aLifecycle('CONVERSATION_ENDED'), T0]], policy);
    expect(evictableAt(ended, policy)).toBe(T0 + 10_000);

    const ready = aStateFrom(
      [
        [aLifecycle('CONVERSATION_ENDED'), T0],
        [aLifecycle('ANALYTICS_READY'), T0 + 2_000],
      ],
      policy,
    );
    expect(evictableAt(ready, policy)).toBe(T0 + 2_000);
  });

  it('never lets go of a conversation that has not ended', () => {
    const open = aStateFrom([[aLifecycle('CONTACT_ATTRIBUTES'), T0]], policy);
    expect(evictableAt(open, policy)).toBeNull();
  });
});
