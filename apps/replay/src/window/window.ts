// Resolution of a window to offsets per partition: [start, end) clamped to what the log still
// holds. Pure; the broker look-ups that feed it are in window.resolver.ts.
import { type OffsetBound } from './offset-bound';

export interface PartitionWatermarks {
  partition: number;
  /** Oldest offset still in the log. */
  low: number;
  /** Next offset to be written, as of the look-up: the window never reaches past it. */
  high: number;
}

export interface PartitionWindow {
  partition: number;
  /** First offset to read. */
  start: number;
  /** First offset not to read. */
  end: number;
}

/** Offsets found by timestamp, per partition: the first offset at or after the time, or null if none. */
export type OffsetsAtTime = Record<number, number | null>;

function boundOffset(
  bound: OffsetBound,
  marks: PartitionWatermarks,
  atTime: OffsetsAtTime | undefined,
  missing: number,
): number {
  switch (bound.kind) {
    case 'offset':
      return bound.offset;
    case 'partitions':
      return bound.offsets[marks.partition] ?? missing;
    case 'time': {
      const found = atTime?.[marks.partition];
      // No record at or after the time: the window starts (or ends) at the end of the log.
      return found === null || found === undefined || found < 0 ? marks.high : found;
    }
  }
}

export function resolveWindow(
  watermarks: readonly PartitionWatermarks[],
  from: OffsetBound,
  to: OffsetBound | null,
  offsetsAt: { from?: OffsetsAtTime; to?: OffsetsAtTime } = {},
): PartitionWindow[] {
  return watermarks
    .map((marks) => {
      // A partition not named in a partition:offset bound is not read (start) or read to the end.
      const start = boundOffset(from, marks, offsetsAt.from, marks.high);
      const end = to === null ? marks.high : boundOffset(to, marks, offsetsAt.to, marks.high);
      const clampedStart = Math.min(Math.max(start, marks.low), marks.high);
      const clampedEnd = Math.max(Math.min(end, marks.high), clampedStart);
      return { partition: marks.partition, start: clampedStart, end: clampedEnd };
    })
    .sort((a, b) => a.partition - b.partition);
}

export function windowSize(windows: readonly PartitionWindow[]): number {
  return windows.reduce((sum, window) => sum + (window.end - window.start), 0);
}
