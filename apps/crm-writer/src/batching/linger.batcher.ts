// Coalesces what several partitions' handlers submit within a short linger into one flush, so
// records arriving together on different partitions share one multi-record read and one write.
// A flush takes the whole buffer: a handler's items are never split across concurrent flushes,
// which keeps two updates of one record (same partition) in order.
export interface LingerBatcherOptions {
  /** Flush at once when this many items wait. */
  maxSize: number;
  /** Otherwise flush this long after the first item arrived. */
  lingerMs: number;
}

interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export class LingerBatcher<T, R> {
  private buffer: Array<Waiting<T, R>> = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly options: LingerBatcherOptions,
    private readonly flushItems: (items: T[]) => Promise<R[]>,
  ) {}

  submit(items: readonly T[]): Promise<R[]> {
    const results = Promise.all(
      items.map((item) => new Promise<R>((resolve, reject) => this.buffer.push({ item, resolve, reject }))),
    );
    if (this.buffer.length >= this.options.maxSize || this.options.lingerMs <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.options.lingerMs);
    return results;
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const waiting = this.buffer;
    this.buffer = [];
    if (waiting.length === 0) return;
    this.flushItems(waiting.map((entry) => entry.item)).then(
      (results) => waiting.forEach((entry, index) => entry.resolve(results[index]!)),
      (error: unknown) => waiting.forEach((entry) => entry.reject(error)),
    );
  }
}
