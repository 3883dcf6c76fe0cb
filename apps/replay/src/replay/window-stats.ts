// What a dry run reports about a window: counts per partition and per conversation, and a sample
// of records as metadata only (position, key, time, header names, size). Values are never shown:
// they carry transcript text and entity values.
import { type WindowRecord } from '../window/window.reader';

export interface RecordSample {
  partition: number;
  offset: string;
  key: string | null;
  timestamp: string;
  headers: string[];
  valueBytes: number;
  schemaId: number | null;
}

export interface WindowStats {
  total: number;
  matched: number;
  byPartition: Map<number, number>;
  byConversation: Map<string, number>;
  sample: RecordSample[];
}

export function emptyStats(): WindowStats {
  return { total: 0, matched: 0, byPartition: new Map(), byConversation: new Map(), sample: [] };
}

function schemaIdOf(value: Buffer | null): number | null {
  return value && value.length >= 5 && value.readUInt8(0) === 0 ? value.readInt32BE(1) : null;
}

export function sampleOf(record: WindowRecord): RecordSample {
  const { message } = record;
  return {
    partition: record.partition,
    offset: message.offset,
    key: message.key ? message.key.toString('utf8') : null,
    timestamp: new Date(Number(message.timestamp)).toISOString(),
    headers: Object.keys(message.headers ?? {}).sort(),
    valueBytes: message.value?.length ?? 0,
    schemaId: schemaIdOf(message.value ?? null),
  };
}

/** Folds one batch into the stats; `filter` empty means every conversation. */
export function addToStats(
  stats: WindowStats,
  records: readonly WindowRecord[],
  filter: ReadonlySet<string>,
  sampleSize: number,
): void {
  for (const record of records) {
    stats.total += 1;
    const key = record.message.key ? record.message.key.toString('utf8') : null;
    if (filter.size > 0 && (key === null || !filter.has(key))) continue;
    stats.matched += 1;
    stats.byPartition.set(record.partition, (stats.byPartition.get(record.partition) ?? 0) + 1);
    const conversation = key ?? '(no key)';
    stats.byConversation.set(conversation, (stats.byConversation.get(conversation) ?? 0) + 1);
    if (stats.sample.length < sampleSize) stats.sample.push(sampleOf(record));
  }
}
