// Composition of the poller without Nest: the CONVERSATION_ENDED consumer that schedules polls, the
// scheduler that runs them from the compacted schedule topic, and the attempt use case between
// them. Topics are injectable (tests use unique ones) and default to the contract constants.
import { type MediaType, Topics } from '@crm/contracts';
import { type MessageProducer, type AvroSerde } from '@crm/kafka-core';
import { type Logger } from '@crm/observability';
import { type Kafka } from 'kafkajs';
import { type Registry } from 'prom-client';
import { AnalyticsFetcher, type GenesysAnalyticsApi } from './analytics-fetcher';
import { ConversationEndedConsumer } from './conversation-ended.consumer';
import { PollEventsPublisher } from './poll-events.publisher';
import { DEFAULT_POLL_SCHEDULE, type PollScheduleSettings } from './poll-schedule';
import { PollScheduleWriter } from './poll-schedule.writer';
import { PollScheduler } from './poll-scheduler';
import { pollerMetrics } from './poller.metrics';
import { RunPollAttemptUseCase } from './run-poll-attempt.usecase';

export interface AnalyticsPollerOptions {
  kafka: Kafka;
  /** A connected idempotent producer (shared with the rest of the app). */
  producer: MessageProducer;
  serde: AvroSerde;
  genesys: GenesysAnalyticsApi;
  logger: Logger;
  metrics?: Registry;
  /** Group reading CONVERSATION_ENDED; the scheduler uses `<groupId>-schedule`. */
  groupId: string;
  eventsTopic?: string;
  /** Where utterances and ANALYTICS_READY go (default: the events topic). */
  outputTopic?: string;
  scheduleTopic?: string;
  schedule?: Partial<PollScheduleSettings>;
  mediaTypes?: readonly MediaType[];
  contactIdAttributes?: readonly string[];
  tickMs?: number;
  concurrency?: number;
  now?: () => number;
}

export class AnalyticsPoller {
  private endedConsumer: ConversationEndedConsumer | undefined;
  private scheduler: PollScheduler | undefined;

  constructor(private readonly options: AnalyticsPollerOptions) {}

  isReady(): boolean {
    return (this.endedConsumer?.isReady() ?? false) && (this.scheduler?.isReady() ?? false);
  }

  pending(): number {
    return this.scheduler?.pending() ?? 0;
  }

  async start(): Promise<void> {
    const o = this.options;
    const eventsTopic = o.eventsTopic ?? Topics.conversationEvents;
    const scheduleTopic = o.scheduleTopic ?? Topics.analyticsPollSchedule;
    const settings = { ...DEFAULT_POLL_SCHEDULE, ...o.schedule };
    const now = o.now ?? Date.now;
    const metrics = o.metrics ? pollerMetrics(o.metrics) : undefined;
    const writer = await PollScheduleWriter.create(o.producer, o.serde, scheduleTopic);
    const publisher = await PollEventsPublisher.create(o.producer, o.serde, o.outputTopic ?? eventsTopic);
    const fetcher = new AnalyticsFetcher(
      o.genesys,
      o.contactIdAttributes ? { contactIdAttributes: o.contactIdAttributes } : {},
    );
    const attempt = new RunPollAttemptUseCase(fetcher, publisher, writer, settings, o.logger, now);

    this.scheduler = new PollScheduler({
      kafka: o.kafka,
      serde: o.serde,
      schema: writer.schema,
      groupId: `${o.groupId}-schedule`,
      scheduleTopic,
      attempt: (poll) => attempt.execute(poll),
      logger: o.logger,
      now,
      ...(o.tickMs !== undefined ? { tickMs: o.tickMs } : {}),
      ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
      onAttempt: (decision) => metrics?.attempts.inc({ outcome: decision.outcome }),
      onPending: (pending) => metrics?.pending.set(pending),
    });
    this.endedConsumer = new ConversationEndedConsumer({
      kafka: o.kafka,
      serde: o.serde,
      groupId: o.groupId,
      eventsTopic,
      writer,
      settings,
      mediaTypes: o.mediaTypes ?? ['VOICE', 'CALLBACK', 'UNKNOWN'],
      logger: o.logger,
      now,
      ...(o.metrics ? { metrics: o.metrics } : {}),
    });
    await this.scheduler.start();
    await this.endedConsumer.start();
  }

  async stop(): Promise<void> {
    await this.endedConsumer?.stop();
    await this.scheduler?.stop();
  }
}
