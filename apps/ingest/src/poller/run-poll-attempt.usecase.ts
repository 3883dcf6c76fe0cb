// One attempt of one analytics poll: fetch from Genesys; when ready, publish the events and then
// tombstone the schedule entry (publish first, so a crash in between repeats the publish, which the
// deterministic event ids make harmless); otherwise write the next schedule entry, or give up.
import { type AnalyticsPoll } from '@crm/contracts';
import { GenesysError, GenesysRateLimitedError } from '@crm/genesys';
import { type Logger } from '@crm/observability';
import { type AnalyticsFetcher } from './analytics-fetcher';
import { type PollEventsPublisher } from './poll-events.publisher';
import { nextPoll, type PollScheduleSettings } from './poll-schedule';
import { type PollScheduleWriter } from './poll-schedule.writer';

export type AttemptOutcome =
  'ready' | 'not_ready' | 'http_429' | 'http_5xx' | 'unavailable' | 'gave_up' | 'failed';

export interface AttemptDecision {
  outcome: AttemptOutcome;
  /** The schedule entry now on the topic, or null once it was tombstoned. */
  next: AnalyticsPoll | null;
}

export class RunPollAttemptUseCase {
  constructor(
    private readonly fetcher: AnalyticsFetcher,
    private readonly publisher: PollEventsPublisher,
    private readonly schedule: PollScheduleWriter,
    private readonly settings: PollScheduleSettings,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async execute(poll: AnalyticsPoll): Promise<AttemptDecision> {
    const log = { conversationId: poll.conversationId, attempt: poll.attempt + 1 };
    let reason: string;
    let notBeforeMs = 0;
    try {
      const result = await this.fetcher.fetch(poll, this.now());
      if (result.status === 'READY') {
        await this.publisher.publish(result.events);
        await this.schedule.tombstone(poll.conversationId);
        this.logger.info({ ...log, events: result.events.length }, 'analytics ready; events published');
        return { outcome: 'ready', next: null };
      }
      reason = result.reason;
    } catch (error) {
      if (!(error instanceof GenesysError)) throw error;
      if (!error.retriable) {
        this.logger.warn({ ...log, reason: error.reason, err: error }, 'analytics poll failed permanently');
        await this.schedule.tombstone(poll.conversationId);
        return { outcome: 'failed', next: null };
      }
      reason = error.reason;
      if (error instanceof GenesysRateLimitedError) notBeforeMs = error.retryAfterMs ?? 0;
    }
    const next = nextPoll(poll, reason, this.settings, this.now(), notBeforeMs);
    if (!next) {
      this.logger.warn({ ...log, reason }, 'analytics never became ready; giving up');
      await this.schedule.tombstone(poll.conversationId);
      return { outcome: 'gave_up', next: null };
    }
    await this.schedule.write([next]);
    this.logger.debug(
      { ...log, reason, nextAttemptAt: next.nextAttemptAt },
      'analytics not ready; rescheduled',
    );
    return { outcome: outcomeOf(reason), next };
  }
}

function outcomeOf(reason: string): AttemptOutcome {
  switch (reason) {
    case 'HTTP_429':
      return 'http_429';
    case 'HTTP_5XX':
      return 'http_5xx';
    case 'UNAVAILABLE':
      return 'unavailable';
    default:
      return 'not_ready';
  }
}
