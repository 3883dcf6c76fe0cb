// The last requests the CRM endpoints answered, for tests that assert exact retries and refreshes.
import { type Provider } from './sim-http';

export interface RequestLogEntry {
  seq: number;
  at: string;
  provider: Provider;
  operation: string;
  method: string;
  /** Path with query string. */
  url: string;
  status: number;
  durationMs: number;
  /** Field names, record counts or grant type; never values. */
  summary: string;
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  constructor(private readonly capacity = 10_000) {}

  add(entry: Omit<RequestLogEntry, 'seq'>): void {
    this.seq += 1;
    this.entries.push({ seq: this.seq, ...entry });
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  list(filter: { provider?: Provider | undefined; sinceSeq?: number | undefined } = {}): RequestLogEntry[] {
    return this.entries.filter(
      (entry) =>
        (filter.provider === undefined || entry.provider === filter.provider) &&
        entry.seq > (filter.sinceSeq ?? 0),
    );
  }

  clear(): void {
    this.entries = [];
  }
}
