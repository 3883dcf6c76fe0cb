// "Only one instance holds the Notifications WebSocket": a consumer group on a single-partition
// topic is the lease. The member assigned partition 0 holds it; a rebalance (member joins, leaves,
// or misses its session timeout) moves it. A short overlap during hand-over is possible and
// harmless, because event ids are deterministic.
import { type Logger } from '@crm/observability';
import { type Consumer, type Kafka } from 'kafkajs';

export interface KafkaLeaseOptions {
  kafka: Kafka;
  topic: string;
  groupId: string;
  logger: Logger;
  sessionTimeoutMs?: number;
  onAcquired: () => void | Promise<void>;
  onReleased: () => void | Promise<void>;
}

export class KafkaLease {
  private consumer: Consumer | undefined;
  private held = false;
  /** Serialises acquire/release callbacks so a quick flip never runs them out of order. */
  private transitions: Promise<void> = Promise.resolve();

  constructor(private readonly options: KafkaLeaseOptions) {}

  isHeld(): boolean {
    return this.held;
  }

  async start(): Promise<void> {
    await this.ensureTopic();
    const consumer = this.options.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: Math.max(500, Math.floor((this.options.sessionTimeoutMs ?? 10_000) / 5)),
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      this.set((event.payload.memberAssignment[this.options.topic] ?? []).includes(0));
    });
    consumer.on(consumer.events.CRASH, () => this.set(false));
    consumer.on(consumer.events.STOP, () => this.set(false));
    await consumer.connect();
    await consumer.subscribe({ topics: [this.options.topic], fromBeginning: false });
    // Nothing is ever written to the lease topic; running keeps the member heartbeating.
    await consumer.run({ autoCommit: false, eachMessage: () => Promise.resolve() });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.set(false);
    await this.transitions;
  }

  private set(held: boolean): void {
    if (held === this.held) return;
    this.held = held;
    this.options.logger.info(
      { groupId: this.options.groupId, held },
      held ? 'notifications lease acquired' : 'notifications lease released',
    );
    const callback = held ? this.options.onAcquired : this.options.onReleased;
    this.transitions = this.transitions.then(async () => {
      try {
        await callback();
      } catch (error) {
        this.options.logger.error({ err: error, held }, 'notifications lease transition failed');
      }
    });
  }

  private async ensureTopic(): Promise<void> {
    const admin = this.options.kafka.admin();
    await admin.connect();
    try {
      const existing = await admin.listTopics();
      if (!existing.includes(this.options.topic)) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: [{ topic: this.options.topic, numPartitions: 1 }],
        });
      }
    } finally {
      await admin.disconnect();
    }
  }
}
