// An idempotent producer that never lets the broker mistake a new send for a retry of an old one.
//
// kafkajs numbers each partition's records for the broker's duplicate check, and when a produce
// request fails it rolls those numbers back, even though the broker may have written the request
// (the connection was lost after the append, as when a broker stops). Two things then go wrong:
// - the next send reuses the numbers, and if it carries as many records for that partition as the
//   written one, the broker answers "duplicate": success, with nothing written. That send's caller
//   is told its records are safe; they are lost (ingest would have answered 202).
// - a send that runs while another one's attempt failed picks up the rolled-back numbers mid-way.
// The Java client bumps its epoch in that state. Here: one send at a time per kafkajs producer, and
// after any failed send that producer is retired and the next send gets a new one (new producer
// id, numbers from 0). A failed send may have been written, so its caller retries and the record
// can arrive twice; every consumer dedupes by eventId. Concurrency comes from a pool of producers.
// A send larger than the broker takes in one record batch goes as several (send-chunks.ts), in order.
// Sends that wait for a producer go together: when one frees, the oldest waiting send and those
// after it with the same settings (acks, timeout, compression) go in one request, in the order they
// were made; a send with other settings waits for the next, and so do those after it. A worker
// handling several partitions at once then makes one produce request where it made one per
// partition batch, and the broker's CPU goes with its request count (a pipeline at 1,000 events/s
// made ≈870 produce requests a second, test/bench/pipeline/README.md).
import {
  type Message,
  type Producer,
  type ProducerBatch,
  type ProducerRecord,
  type RecordMetadata,
  type TopicMessages,
} from 'kafkajs';
import { chunkTopicMessages, DEFAULT_SEND_CHUNK_BYTES } from './send-chunks';

/** What services need of a producer; SafeIdempotentProducer and kafkajs' Producer both fit. */
export type MessageProducer = Pick<Producer, 'connect' | 'disconnect' | 'send' | 'sendBatch'>;

export interface SafeProducerOptions {
  /** Sends in flight at once, each on a producer of its own. */
  readonly concurrency?: number;
  /** Called when a failed send retires its producer. */
  readonly onRenew?: (error: unknown) => void;
  /** Largest request a send makes; bigger sends are split (DEFAULT_SEND_CHUNK_BYTES). */
  readonly maxRequestBytes?: number;
}

interface Slot {
  producer: Producer | undefined;
}

type SendSettings = Omit<ProducerBatch, 'topicMessages'>;

interface QueuedSend {
  readonly settings: SendSettings;
  readonly topicMessages: TopicMessages[];
  readonly resolve: (metadata: RecordMetadata[]) => void;
  readonly reject: (error: unknown) => void;
}

/** Sends merge only when the broker would treat them alike (kafkajs' default acks is all, -1). */
function sameSettings(a: SendSettings, b: SendSettings): boolean {
  return (a.acks ?? -1) === (b.acks ?? -1) && a.timeout === b.timeout && a.compression === b.compression;
}

/**
 * What kafkajs would refuse in a send before writing it (its messageProducer's checks), so that a
 * bad send fails alone instead of failing, and retiring the producer of, the sends merged with it.
 */
function invalidSend(topicMessages: readonly TopicMessages[]): string | undefined {
  for (const { topic, messages } of topicMessages as Array<Partial<TopicMessages>>) {
    if (!topic) return 'Invalid topic';
    if (!Array.isArray(messages)) return `Invalid messages array for topic "${topic}"`;
    if (messages.some((message) => message.value === undefined))
      return `Invalid message without value for topic "${topic}"`;
  }
  return undefined;
}

/**
 * One entry per topic, records in the order given. (kafkajs merges repeated topics too, but by
 * copying the topic's records once per entry: quadratic in the sends merged.)
 */
export function mergeTopicMessages(sends: readonly (readonly TopicMessages[])[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const topicMessages of sends)
    for (const { topic, messages } of topicMessages) {
      const merged = byTopic.get(topic);
      if (merged === undefined) byTopic.set(topic, [...messages]);
      else for (const message of messages) merged.push(message);
    }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

export class SafeIdempotentProducer implements MessageProducer {
  private readonly idle: Slot[];
  private readonly waiting: Array<(slot: Slot) => void> = [];
  private readonly slots: Slot[];
  private readonly retiring = new Set<Promise<void>>();
  /** Sends waiting for a producer, oldest first; they get a freed producer before connect()/disconnect(). */
  private readonly queued: QueuedSend[] = [];
  private connected = false;
  /** Producers retired after a failed send, since start. */
  renewals = 0;

  constructor(
    private readonly create: () => Producer,
    private readonly options: SafeProducerOptions = {},
  ) {
    const size = Math.max(1, options.concurrency ?? 1);
    this.slots = Array.from({ length: size }, () => ({ producer: undefined }));
    this.idle = [...this.slots];
  }

  /** Connects one producer, so start-up fails fast when the cluster is unreachable. */
  async connect(): Promise<void> {
    await this.withSlot(() => Promise.resolve());
    this.connected = true;
  }

  isConnected(): boolean {
    return this.connected;
  }

  send(record: ProducerRecord): Promise<RecordMetadata[]> {
    const { topic, messages, ...settings } = record;
    return this.sendBatch({ topicMessages: [{ topic, messages }], ...settings });
  }

  /**
   * Resolves once the broker acknowledged every record of this send, with the metadata of the
   * partitions of this send's topics that the request carrying it wrote.
   */
  sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    const { topicMessages = [], ...settings } = batch;
    const invalid = invalidSend(topicMessages);
    if (invalid !== undefined) return Promise.reject(new Error(invalid));
    return new Promise((resolve, reject) => {
      this.queued.push({ settings, topicMessages, resolve, reject });
      this.dispatch();
    });
  }

  /** Gives each idle producer the oldest waiting send and the run of those with its settings after it. */
  private dispatch(): void {
    while (this.queued.length > 0 && this.idle.length > 0) {
      const slot = this.idle.pop() as Slot;
      const first = this.queued[0] as QueuedSend;
      let count = 1;
      while (
        count < this.queued.length &&
        sameSettings((this.queued[count] as QueuedSend).settings, first.settings)
      )
        count += 1;
      void this.sendTogether(slot, this.queued.splice(0, count));
    }
  }

  private async sendTogether(slot: Slot, sends: QueuedSend[]): Promise<void> {
    const settings = (sends[0] as QueuedSend).settings;
    try {
      const results = await this.onSlot(slot, async (producer) => {
        const topicMessages =
          sends.length === 1
            ? (sends[0] as QueuedSend).topicMessages
            : mergeTopicMessages(sends.map((send) => send.topicMessages));
        const written: RecordMetadata[] = [];
        for (const chunk of chunkTopicMessages(
          topicMessages,
          this.options.maxRequestBytes ?? DEFAULT_SEND_CHUNK_BYTES,
        ))
          written.push(...(await producer.sendBatch({ topicMessages: chunk, ...settings })));
        return written;
      });
      for (const send of sends) {
        if (sends.length === 1) send.resolve(results);
        else {
          const topics = new Set(send.topicMessages.map(({ topic }) => topic));
          send.resolve(results.filter(({ topicName }) => topics.has(topicName)));
        }
      }
    } catch (error) {
      for (const send of sends) send.reject(error);
    }
  }

  /** Waits for the sends made so far (queued or in flight), then disconnects every producer. */
  async disconnect(): Promise<void> {
    this.connected = false;
    const held = await Promise.all(this.slots.map(() => this.acquire()));
    try {
      await Promise.all([
        ...held.map(async (slot) => {
          const producer = slot.producer;
          slot.producer = undefined;
          await producer?.disconnect();
        }),
        ...this.retiring,
      ]);
    } finally {
      for (const slot of held) this.release(slot);
    }
  }

  private async withSlot<T>(operation: (producer: Producer) => Promise<T>): Promise<T> {
    return this.onSlot(await this.acquire(), operation);
  }

  /** Runs the operation on the slot's producer (made and connected if need be), then frees the slot. */
  private async onSlot<T>(slot: Slot, operation: (producer: Producer) => Promise<T>): Promise<T> {
    try {
      if (slot.producer === undefined) {
        const producer = this.create();
        await producer.connect();
        slot.producer = producer;
      }
      const producer = slot.producer;
      try {
        return await operation(producer);
      } catch (error) {
        this.retire(slot, error);
        throw error;
      }
    } finally {
      this.release(slot);
    }
  }

  private retire(slot: Slot, error: unknown): void {
    const producer = slot.producer;
    slot.producer = undefined;
    this.renewals += 1;
    this.options.onRenew?.(error);
    if (producer === undefined) return;
    const closing = producer.disconnect().catch(() => undefined);
    this.retiring.add(closing);
    void closing.finally(() => this.retiring.delete(closing));
  }

  private acquire(): Promise<Slot> {
    const slot = this.idle.pop();
    if (slot !== undefined) return Promise.resolve(slot);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** A freed slot goes to the waiting sends first, then to connect() or disconnect(). */
  private release(slot: Slot): void {
    this.idle.push(slot);
    this.dispatch();
    const next = this.idle.length > 0 ? this.waiting.shift() : undefined;
    if (next !== undefined) next(this.idle.pop() as Slot);
  }
}
