// One end of a replay window as given on the command line: a time, one offset for every partition,
// or offsets per partition (`0:120,3:45`).
import { UsageError } from '../cli/usage.error';

export type OffsetBound =
  | { kind: 'time'; at: number }
  | { kind: 'offset'; offset: number }
  | { kind: 'partitions'; offsets: Record<number, number> };

export function parseBound(flag: string, raw: string): OffsetBound {
  if (/^\d+$/.test(raw)) return { kind: 'offset', offset: Number(raw) };
  if (/^\d+:\d+(,\d+:\d+)*$/.test(raw)) {
    const offsets: Record<number, number> = {};
    for (const pair of raw.split(',')) {
      const [partition, offset] = pair.split(':').map(Number) as [number, number];
      offsets[partition] = offset;
    }
    return { kind: 'partitions', offsets };
  }
  const at = Date.parse(raw);
  if (/^\d{4}-\d{2}-\d{2}/.test(raw) && !Number.isNaN(at)) return { kind: 'time', at };
  throw new UsageError(
    `--${flag} expects an ISO 8601 time, an offset, or partition:offset pairs (0:10,1:20), got "${raw}"`,
  );
}
