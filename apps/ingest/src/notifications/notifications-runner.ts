// Composition without Nest: the lease decides whether this instance subscribes; the holder runs the
// Notifications subscriber and hands every event (and every backfilled end after a gap) to the
// injected handler, which maps and produces it.
import { type GenesysClient, type NotificationMessage, NotificationsSubscriber } from '@crm/genesys';
import { type Logger } from '@crm/observability';
import { type Kafka } from 'kafkajs';
import { type Registry } from 'prom-client';
import { backfillEndedConversations } from './notifications-backfill';
import { KafkaLease } from './notifications.lease';
import { notificationsMetrics } from './notifications.metrics';

export type NotificationHandler = (message: NotificationMessage, raw: string) => Promise<void>;

export type NotificationsRunnerApi = Pick<
  GenesysClient,
  'createNotificationChannel' | 'replaceSubscriptions' | 'queryConversationDetails'
>;

export interface NotificationsRunnerOptions {
  kafka: Kafka;
  api: NotificationsRunnerApi;
  topics: readonly string[];
  handler: NotificationHandler;
  logger: Logger;
  metrics?: Registry;
  leaseTopic: string;
  leaseGroupId: string;
  leaseSessionTimeoutMs?: number;
  backfill?: boolean;
  renewBeforeMs?: number;
  idleTimeoutMs?: number;
  reconnectBaseDelayMs?: number;
  reconnectMaxDelayMs?: number;
}

export class NotificationsRunner {
  private readonly lease: KafkaLease;
  private subscriber: NotificationsSubscriber | undefined;

  constructor(private readonly options: NotificationsRunnerOptions) {
    const metrics = options.metrics ? notificationsMetrics(options.metrics) : undefined;
    this.lease = new KafkaLease({
      kafka: options.kafka,
      topic: options.leaseTopic,
      groupId: options.leaseGroupId,
      logger: options.logger,
      ...(options.leaseSessionTimeoutMs !== undefined
        ? { sessionTimeoutMs: options.leaseSessionTimeoutMs }
        : {}),
      onAcquired: () => {
        metrics?.leaseHeld.set(1);
        this.subscriber = this.createSubscriber();
        this.subscriber.start();
      },
      onReleased: async () => {
        metrics?.leaseHeld.set(0);
        const subscriber = this.subscriber;
        this.subscriber = undefined;
        await subscriber?.stop();
      },
    });
  }

  holdsLease(): boolean {
    return this.lease.isHeld();
  }

  isConnected(): boolean {
    return this.subscriber?.isConnected() ?? false;
  }

  start(): Promise<void> {
    return this.lease.start();
  }

  async stop(): Promise<void> {
    await this.lease.stop();
  }

  private createSubscriber(): NotificationsSubscriber {
    const o = this.options;
    const metrics = o.metrics ? notificationsMetrics(o.metrics) : undefined;
    return new NotificationsSubscriber({
      api: o.api,
      topics: o.topics,
      onMessage: (message, raw) => o.handler(message, raw),
      onReconnect: (reason) => metrics?.reconnects.inc({ reason }),
      onHeartbeat: () => metrics?.heartbeats.inc(),
      onGap: (fromMs, toMs) => {
        if (o.backfill ?? true) void this.backfill(fromMs, toMs);
      },
      logger: o.logger,
      ...(o.renewBeforeMs !== undefined ? { renewBeforeMs: o.renewBeforeMs } : {}),
      ...(o.idleTimeoutMs !== undefined ? { idleTimeoutMs: o.idleTimeoutMs } : {}),
      ...(o.reconnectBaseDelayMs !== undefined ? { reconnectBaseDelayMs: o.reconnectBaseDelayMs } : {}),
      ...(o.reconnectMaxDelayMs !== undefined ? { reconnectMaxDelayMs: o.reconnectMaxDelayMs } : {}),
    });
  }

  private async backfill(fromMs: number, toMs: number): Promise<void> {
    try {
      const recovered = await backfillEndedConversations(this.options.api, fromMs, toMs);
      for (const message of recovered) await this.options.handler(message, JSON.stringify(message));
      if (this.options.metrics) notificationsMetrics(this.options.metrics).backfilled.inc(recovered.length);
      this.options.logger.info({ fromMs, toMs, recovered: recovered.length }, 'notifications gap backfilled');
    } catch (error) {
      this.options.logger.error({ err: error, fromMs, toMs }, 'notifications gap backfill failed');
    }
  }
}
