// Marker headers on re-published records. Every original header (traceparent, hop times) is kept;
// the markers say which run re-published the record and from where, so a replayed record is never
// mistaken for a fresh one in a trace or a log.
import { HeaderNames } from '@crm/kafka-core';
import { type IHeaders } from 'kafkajs';

export const ReplayHeaders = {
  /** Id of the replay run (`x-replay`, declared by @crm/kafka-core). */
  replayId: HeaderNames.replay,
  /** `<topic>/<partition>/<offset>` of the record that was re-published. */
  replayedFrom: 'x-replayed-from',
  /** Id of the re-drive run that sent a dead letter back. */
  redriveId: 'x-redrive',
  /** `<dead-letter topic>/<partition>/<offset>` of the dead letter that was re-driven. */
  redrivenFrom: 'x-redriven-from',
} as const;

export function position(topic: string, partition: number, offset: string): string {
  return `${topic}/${partition}/${offset}`;
}

function copy(incoming: IHeaders | Record<string, Buffer> | undefined): IHeaders {
  const out: IHeaders = {};
  for (const [name, value] of Object.entries(incoming ?? {})) if (value !== undefined) out[name] = value;
  return out;
}

export function replayHeaders(
  incoming: IHeaders | undefined,
  replayId: string,
  from: { topic: string; partition: number; offset: string },
): IHeaders {
  return {
    ...copy(incoming),
    [ReplayHeaders.replayId]: replayId,
    [ReplayHeaders.replayedFrom]: position(from.topic, from.partition, from.offset),
  };
}

export function redriveHeaders(
  original: Record<string, Buffer>,
  redriveId: string,
  from: { topic: string; partition: number; offset: string },
): IHeaders {
  return {
    ...copy(original),
    [ReplayHeaders.redriveId]: redriveId,
    [ReplayHeaders.redrivenFrom]: position(from.topic, from.partition, from.offset),
  };
}
