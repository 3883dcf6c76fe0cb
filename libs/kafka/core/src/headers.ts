// Kafka headers every hop copies or stamps (DESIGN.md §1): a W3C traceparent for correlation and
// one time header per hop, so end-to-end latency is measured on real events.
import { randomBytes } from 'node:crypto';
import { type IHeaders } from 'kafkajs';

export const HeaderNames = {
  traceparent: 'traceparent',
  /** Epoch milliseconds at which the named hop produced the record: `x-hop-ts-<service>`. */
  hopTimestampPrefix: 'x-hop-ts-',
  /** Set by the replay tool on re-published records. */
  replay: 'x-replay',
} as const;

export function hopTimestampHeader(service: string): string {
  return `${HeaderNames.hopTimestampPrefix}${service}`;
}

/** A fresh W3C traceparent (version 00, sampled). */
export function newTraceparent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

export function headerString(headers: IHeaders | undefined, name: string): string | undefined {
  const raw = headers?.[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.toString('utf8');
}

/**
 * Headers for a record derived from `incoming`: every header is copied (trace, earlier hops,
 * replay marker) and this hop's timestamp is stamped. A record with no traceparent gets one.
 */
export function forwardHeaders(
  incoming: IHeaders | undefined,
  service: string,
  now: number = Date.now(),
): IHeaders {
  const out: IHeaders = {};
  for (const [name, value] of Object.entries(incoming ?? {})) {
    if (value !== undefined) out[name] = value;
  }
  if (headerString(out, HeaderNames.traceparent) === undefined)
    out[HeaderNames.traceparent] = newTraceparent();
  out[hopTimestampHeader(service)] = String(now);
  return out;
}

/** The hop timestamps found on a record, by service, for latency measurement. */
export function hopTimestamps(headers: IHeaders | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of Object.keys(headers ?? {})) {
    if (!name.startsWith(HeaderNames.hopTimestampPrefix)) continue;
    const value = Number(headerString(headers, name));
    if (Number.isFinite(value)) out[name.slice(HeaderNames.hopTimestampPrefix.length)] = value;
  }
  return out;
}
