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
import { type Producer, type ProducerBatch, type ProducerRecord, type RecordMetadata } from 'kafkajs';
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

export class SafeIdempotentProducer implements MessageProducer {
  private readonly idle: Slot[];
  private readonly waiting: Array<(slot: Slot) => void> = [];
  private readonly slots: Slot[];
  private readonly retiring = new Set<Promise<void>>();
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
    return this.sendBatch({ ...settings, topicMessages: [{ topic, messages }] });
  }

  sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    const { topicMessages = [], ...settings } = batch;
    const chunks = chunkTopicMessages(
      topicMessages,
      this.options.maxRequestBytes ?? DEFAULT_SEND_CHUNK_BYTES,
    );
    return this.withSlot(async (producer) => {
      const results: RecordMetadata[] = [];
      for (const chunk of chunks)
        results.push(...(await producer.sendBatch({ ...settings, topicMessages: chunk })));
      return results;
    });
  }

  /** Waits for the sends in flight, then disconnects every producer. */
  async disconnect(): Promise<void> {
    this.connected = false;
    const held = await Promise.all(this.slots.map(() => this.acquire()));
    await Promise.all([
      ...held.map(async (slot) => {
        const producer = slot.producer;
        slot.producer = undefined;
        await producer?.disconnect();
      }),
      ...this.retiring,
    ]);
    for (const slot of held) this.release(slot);
  }

  private async withSlot<T>(operation: (producer: Producer) => Promise<T>): Promise<T> {
    const slot = await this.acquire();
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

  private release(slot: Slot): void {
    const next = this.waiting.shift();
    if (next !== undefined) next(slot);
    else this.idle.push(slot);
  }
}
