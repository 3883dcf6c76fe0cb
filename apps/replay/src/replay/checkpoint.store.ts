// Replay checkpoints: the command that started a replay and, per partition, the next offset still
// to re-publish. Written atomically (temp file + rename), so an interrupted write never leaves a
// torn file, and read back by `replay --resume <id>`.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type PartitionWindow } from '../window/window';

export interface ReplayCheckpoint {
  version: 1;
  replayId: string;
  topic: string;
  target: string;
  conversations: string[];
  includeReplayed: boolean;
  /** The resolved window: ends are fixed at the first run, so a resume never reads past them. */
  windows: PartitionWindow[];
  /** Next offset to re-publish per partition (as a string key, JSON has no number keys). */
  next: Record<string, number>;
  published: number;
  startedAt: string;
  updatedAt: string;
  completed: boolean;
}

export class CheckpointNotFoundError extends Error {
  override readonly name = 'CheckpointNotFoundError';
}

export class CheckpointStore {
  constructor(private readonly directory: string) {}

  pathOf(replayId: string): string {
    return join(this.directory, `${replayId}.json`);
  }

  save(checkpoint: ReplayCheckpoint): void {
    mkdirSync(this.directory, { recursive: true });
    const path = this.pathOf(checkpoint.replayId);
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(checkpoint, null, 2)}\n`);
    renameSync(temp, path);
  }

  load(replayId: string): ReplayCheckpoint {
    let text: string;
    try {
      text = readFileSync(this.pathOf(replayId), 'utf8');
    } catch {
      throw new CheckpointNotFoundError(`no checkpoint for replay ${replayId} in ${this.directory}`);
    }
    const parsed = JSON.parse(text) as ReplayCheckpoint;
    if (parsed.version !== 1 || parsed.replayId !== replayId)
      throw new CheckpointNotFoundError(`checkpoint ${this.pathOf(replayId)} is not a replay checkpoint`);
    return parsed;
  }
}

/** The part of the window a resume still has to read. */
export function remainingWindows(checkpoint: ReplayCheckpoint): PartitionWindow[] {
  return checkpoint.windows.map((window) => ({
    partition: window.partition,
    start: Math.max(window.start, checkpoint.next[String(window.partition)] ?? window.start),
    end: window.end,
  }));
}

export function withProgress(
  checkpoint: ReplayCheckpoint,
  next: ReadonlyMap<number, number>,
  published: number,
  now: Date,
): ReplayCheckpoint {
  const merged = { ...checkpoint.next };
  for (const [partition, offset] of next) merged[String(partition)] = offset;
  const completed = checkpoint.windows.every(
    (window) => (merged[String(window.partition)] ?? 0) >= window.end,
  );
  return { ...checkpoint, next: merged, published, updatedAt: now.toISOString(), completed };
}
