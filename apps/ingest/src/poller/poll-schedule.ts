// The bounded retry schedule of an analytics poll (DESIGN.md §4): first attempt a little after the
// conversation ended, then 10 s, 20 s, 40 s … (capped) until `giveUpAt`, with one last attempt at
// `giveUpAt` itself. Pure, so the schedule is unit-tested without clocks or brokers.
import { type AnalyticsPoll, type ConversationEvent } from '@crm/contracts';

export interface PollScheduleSettings {
  /** Delay from CONVERSATION_ENDED to the first attempt (STA needs a while after the call). */
  initialDelayMs: number;
  /** Delay after the first "not ready"; doubles per attempt. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Give up this long after the conversation ended. */
  maxWaitMs: number;
}

export const DEFAULT_POLL_SCHEDULE: PollScheduleSettings = {
  initialDelayMs: 10_000,
  baseDelayMs: 10_000,
  maxDelayMs: 10 * 60_000,
  maxWaitMs: 2 * 60 * 60_000,
};

/** A conversation that ended longer ago than maxWaitMs (a replay, a poller that was down) is not polled. */
export function isStillPollable(
  ended: ConversationEvent,
  settings: PollScheduleSettings,
  now: number,
): boolean {
  return now < ended.occurredAt + settings.maxWaitMs;
}

export function firstPoll(
  ended: ConversationEvent,
  settings: PollScheduleSettings,
  now: number,
): AnalyticsPoll {
  return {
    conversationId: ended.conversationId,
    communicationId: ended.communicationId,
    pollMediaType: ended.mediaType,
    endedAt: ended.occurredAt,
    attempt: 0,
    nextAttemptAt: now + settings.initialDelayMs,
    // Anchored on the end time, so a repeated or replayed CONVERSATION_ENDED never extends the bound.
    giveUpAt: ended.occurredAt + settings.maxWaitMs,
    lastOutcome: '',
  };
}

/** Attempts counts the attempts made, including the one that just failed. */
export function retryDelayMs(attempts: number, settings: PollScheduleSettings): number {
  return Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * The schedule after an attempt that did not find the analytics ready, or undefined once the poll
 * is past `giveUpAt`. `notBeforeMs` carries a server hint such as Retry-After.
 */
export function nextPoll(
  poll: AnalyticsPoll,
  outcome: string,
  settings: PollScheduleSettings,
  now: number,
  notBeforeMs = 0,
): AnalyticsPoll | undefined {
  if (now >= poll.giveUpAt) return undefined;
  const attempt = poll.attempt + 1;
  const wait = Math.max(retryDelayMs(attempt, settings), notBeforeMs);
  return { ...poll, attempt, nextAttemptAt: Math.min(now + wait, poll.giveUpAt), lastOutcome: outcome };
}
