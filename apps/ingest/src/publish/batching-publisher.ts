// Coalesces concurrent requests' records into shared producer sends: one Kafka request carries the
// records of every HTTP request that queued while the previous send was in flight (or during a
// small linger), and each request resolves when its own records are acknowledged. Bounded: past
// `maxPendingRecords` queued, or too many sends abandoned to the producer's endless retries, new
// work is refused at once.
import { ProduceFailedError, ProducerSaturatedError, PublisherClosedError } from './publish.errors';

export interface PublisherSettings {
  maxPendingRecords: number;
  maxBatchRecords: number;
  concurrency: number;
  lingerMs: number;
  sendTimeoutMs: number;
}

/** Sends one batch and resolves when the broker acknowledged all of it. */
export type BatchSink<R> = (records: R[]) => Promise<void>;

export interface BatchObserver {
  onBatch(records: number, seconds: number, outcome: 'acked' | 'failed' | 'timeout'): void;
}

interface Pending<R> {
  records: R[];
  resolve: () => void;
  reject: (error: Error) => void;
}

export class BatchingPublisher<R> {
  private queue: Pending<R>[] = [];
  private queuedRecords = 0;
  private inFlight = 0;
  private abandoned = 0;
  private scheduled = false;
  private closed = false;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(
    private readonly sink: BatchSink<R>,
    private readonly settings: PublisherSettings,
    private readonly observer: BatchObserver = { onBatch: () => undefined },
  ) {}

  publish(records: R[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    if (this.closed) return Promise.reject(new PublisherClosedError('ingest is shutting down'));
    if (
      this.queuedRecords + records.length > this.settings.maxPendingRecords ||
      this.abandoned >= this.settings.concurrency * 2
    ) {
      return Promise.reject(new ProducerSaturatedError('producer saturated'));
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      this.queuedRecords += records.length;
      this.schedule();
    });
  }

  /** Refuses new work and resolves once everything queued was sent or failed. */
  async drain(): Promise<void> {
    this.closed = true;
    if (this.queue.length === 0 && this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  get pendingRecords(): number {
    return this.queuedRecords;
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.settings.concurrency || this.queue.length === 0) return;
    this.scheduled = true;
    const run = (): void => {
      this.scheduled = false;
      this.flush();
    };
    // setImmediate lets every request parsed in this turn of the event loop join the batch.
    if (this.settings.lingerMs > 0) setTimeout(run, this.settings.lingerMs);
    else setImmediate(run);
  }

  private flush(): void {
    while (this.inFlight < this.settings.concurrency && this.queue.length > 0) {
      const batch: Pending<R>[] = [];
      let count = 0;
      while (
        this.queue.length > 0 &&
        (batch.length === 0 || count + (this.queue[0]?.records.length ?? 0) <= this.settings.maxBatchRecords)
      ) {
        const next = this.queue.shift() as Pending<R>;
        batch.push(next);
        count += next.records.length;
      }
      this.inFlight += 1;
      void this.send(batch, count);
    }
  }

  private async send(batch: Pending<R>[], count: number): Promise<void> {
    const started = process.hrtime.bigint();
    const records =
      batch.length === 1 ? (batch[0] as Pending<R>).records : batch.flatMap((pending) => pending.records);
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const sending = this.sink(records);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new ProduceFailedError(`broker did not acknowledge within ${this.settings.sendTimeoutMs} ms`));
      }, this.settings.sendTimeoutMs);
    });
    try {
      await Promise.race([sending, timeout]);
      this.observer.onBatch(count, seconds(started), 'acked');
      for (const pending of batch) pending.resolve();
    } catch (error) {
      this.observer.onBatch(count, seconds(started), timedOut ? 'timeout' : 'failed');
      if (timedOut) this.abandon(sending);
      const failure =
        error instanceof ProduceFailedError
          ? error
          : new ProduceFailedError('broker refused the batch', { cause: error });
      for (const pending of batch) pending.reject(failure);
    } finally {
      clearTimeout(timer);
      this.queuedRecords -= count;
      this.inFlight -= 1;
      this.schedule();
      if (this.inFlight === 0 && this.queue.length === 0)
        this.idleWaiters.splice(0).forEach((resolve) => resolve());
    }
  }

  /** The idempotent producer keeps retrying a timed-out send; count it until it settles. */
  private abandon(sending: Promise<void>): void {
    this.abandoned += 1;
    sending.then(
      () => (this.abandoned -= 1),
      () => (this.abandoned -= 1),
    );
  }
}

function seconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}
