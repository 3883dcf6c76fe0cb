// Kafka headers every hop copies or stamps (DESIGN.md §1): a W3C traceparent for correlation and
// one time header per hop, so end-to-end latency is measured on real events.
export const Headers = {
  traceparent: 'traceparent',
  /** Epoch milliseconds at which the named hop produced the record: `x-hop-ts-<service>`. */
  hopTimestampPrefix: 'x-hop-ts-',
  /** Set by the replay tool on re-published records. */
  replay: 'x-replay',
  schemaVersion: 'x-schema-version',
} as const;

export function hopTimestampHeader(service: string): string {
  return `${Headers.hopTimestampPrefix}${service}`;
}
