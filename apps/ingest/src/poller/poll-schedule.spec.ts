import { type ConversationEvent } from '@crm/contracts';
import {
  firstPoll,
  isStillPollable,
  nextPoll,
  type PollScheduleSettings,
  retryDelayMs,
} from './poll-schedule';

const settings: PollScheduleSettings = {
  initialDelayMs: 10_000,
  baseDelayMs: 10_000,
  maxDelayMs: 60_000,
  maxWaitMs: 300_000,
};

const ended = {
  conversationId: 'conv-1',
  communicationId: null,
  mediaType: 'VOICE',
  kind: 'CONVERSATION_ENDED',
  occurredAt: 1_000_000,
} as ConversationEvent;

describe(nextPoll.name, () => {
  it('starts with no attempts, first due after the initial delay, bounded from the end time', () => {
    const sut = firstPoll(ended, settings, 1_000_500);

    expect(sut).toEqual({
      conversationId: 'conv-1',
      communicationId: null,
      pollMediaType: 'VOICE',
      endedAt: 1_000_000,
      attempt: 0,
      nextAttemptAt: 1_010_500,
      giveUpAt: 1_300_000,
      lastOutcome: '',
    });
  });

  it('does not start polling a conversation that ended longer ago than the maximum wait', () => {
    expect(isStillPollable(ended, settings, 1_299_999)).toBe(true);
    expect(isStillPollable(ended, settings, 1_300_000)).toBe(false);
  });

  it('waits 10 s, 20 s, 40 s and then the cap between attempts', () => {
    expect([1, 2, 3, 4, 5].map((attempts) => retryDelayMs(attempts, settings))).toEqual([
      10_000, 20_000, 40_000, 60_000, 60_000,
    ]);
  });

  it('counts the attempt and records the outcome', () => {
    const poll = firstPoll(ended, settings, 1_000_000);

    const sut = nextPoll(poll, 'NOT_READY', settings, 1_010_000);

    expect(sut).toMatchObject({ attempt: 1, nextAttemptAt: 1_020_000, lastOutcome: 'NOT_READY' });
  });

  it('honours a longer server hint such as Retry-After', () => {
    const poll = firstPoll(ended, settings, 1_000_000);

    expect(nextPoll(poll, 'HTTP_429', settings, 1_010_000, 30_000)?.nextAttemptAt).toBe(1_040_000);
  });

  it('makes a last attempt exactly at giveUpAt and then gives up', () => {
    const poll = { ...firstPoll(ended, settings, 1_000_000), attempt: 6 };

    const last = nextPoll(poll, 'NOT_READY', settings, 1_290_000);

    expect(last?.nextAttemptAt).toBe(1_300_000);
    expect(nextPoll(last!, 'NOT_READY', settings, 1_300_000)).toBeUndefined();
  });
});
