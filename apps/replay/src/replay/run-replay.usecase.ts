// Re-publishes a window of a topic (or what a checkpoint says is left of one) with keys, headers
// and a replay marker, checkpointing the next offset per partition as it goes. Interrupted (the
// signal), it finishes the batch in flight, saves the checkpoint and reports where to resume.
import { ACKS_ALL } from '@crm/kafka-core';
import { createProgress } from '../progress/progress.reporter';
import { type ToolContext } from '../tool-context';
import { readWindow, type WindowRecord } from '../window/window.reader';
import { windowSize } from '../window/window';
import { type ReplayCheckpoint, remainingWindows, withProgress } from './checkpoint.store';
import { replayHeaders, ReplayHeaders } from './replay-headers';
import { withDeadline } from '../window/deadline';

export interface ReplaySummary {
  replayId: string;
  completed: boolean;
  read: number;
  published: number;
  /** Records of other conversations (--conversation). */
  skipped: number;
  /** Records an earlier replay wrote, left out unless --include-replayed. */
  skippedReplayed: number;
  elapsedMs: number;
  checkpointPath: string;
}

export interface RunReplayOptions {
  checkpointEveryMs?: number;
}

/**
 * A record an earlier replay wrote. Left out by default, so replaying a window that contains an
 * earlier replay's output re-publishes the original records once, not once per earlier replay.
 */
export function isReplayed(record: WindowRecord): boolean {
  return record.message.headers?.[ReplayHeaders.replayId] !== undefined;
}

/** Sends stay well under the broker's message.max.bytes (1 MiB by default) whatever was fetched. */
const MAX_CHUNK_BYTES = 512 * 1024;
const MAX_CHUNK_RECORDS = 1_000;

export function chunksOf(records: readonly WindowRecord[]): WindowRecord[][] {
  const chunks: WindowRecord[][] = [];
  let current: WindowRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    const size = (record.message.value?.length ?? 0) + (record.message.key?.length ?? 0) + 128;
    if (current.length > 0 && (bytes + size > MAX_CHUNK_BYTES || current.length >= MAX_CHUNK_RECORDS)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(record);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function keyOf(record: WindowRecord): string | null {
  return record.message.key ? record.message.key.toString('utf8') : null;
}

export async function runReplay(
  ctx: ToolContext,
  initial: ReplayCheckpoint,
  options: RunReplayOptions = {},
): Promise<ReplaySummary> {
  const started = Date.now();
  const windows = remainingWindows(initial);
  const filter = new Set(initial.conversations);
  const samePartitioning = initial.target === initial.topic;
  let checkpoint = initial;
  let published = initial.published;
  let read = 0;
  let skipped = 0;
  let skippedReplayed = 0;
  let lastSave = 0;
  const save = (next: ReadonlyMap<number, number>, force: boolean) => {
    checkpoint = withProgress(checkpoint, next, published, ctx.now());
    if (force || Date.now() - lastSave >= (options.checkpointEveryMs ?? 1_000)) {
      ctx.checkpoints.save(checkpoint);
      lastSave = Date.now();
    }
  };
  ctx.checkpoints.save(checkpoint);

  const groupId = `${ctx.groupPrefix}-${initial.replayId}-${Date.now()}`;
  const progress = createProgress({
    label: `replay ${initial.replayId}`,
    total: windowSize(windows),
    stream: ctx.output.progressStream,
  });
  let lastNext: ReadonlyMap<number, number> = new Map();
  let result;
  try {
    result = await readWindow({
      kafka: ctx.kafka,
      admin: ctx.admin,
      topic: initial.topic,
      groupId,
      windows,
      signal: ctx.signal,
      onRecords: async (records) => {
        read += records.length;
        const fresh = initial.includeReplayed ? records : records.filter((record) => !isReplayed(record));
        skippedReplayed += records.length - fresh.length;
        const chosen = fresh.filter((record) => {
          const key = keyOf(record);
          return filter.size === 0 || (key !== null && filter.has(key));
        });
        skipped += fresh.length - chosen.length;
        if (chosen.length === 0) return;
        for (const chunk of chunksOf(chosen)) {
          await ctx.producer.send({
            topic: initial.target,
            acks: ACKS_ALL,
            messages: chunk.map((record) => ({
              key: record.message.key,
              value: record.message.value,
              headers: replayHeaders(record.message.headers, initial.replayId, {
                topic: initial.topic,
                partition: record.partition,
                offset: record.message.offset,
              }),
              // Back onto the partition it came from: order per conversation is what it was.
              ...(samePartitioning ? { partition: record.partition } : {}),
            })),
          });
          published += chunk.length;
        }
      },
      onProgress: (next) => {
        lastNext = next;
        progress.update(read);
        save(next, false);
      },
    });
  } finally {
    progress.stop();
    // Also on failure: what was sent before it stays recorded, so a resume starts after it.
    save(result?.next ?? lastNext, true);
  }
  // The group only carried the window's start offsets; the checkpoint is the record of progress.
  await withDeadline(ctx.admin.deleteGroups([groupId]), 3_000);
  return {
    replayId: initial.replayId,
    completed: result.completed,
    read,
    published: published - initial.published,
    skipped,
    skippedReplayed,
    elapsedMs: Date.now() - started,
    checkpointPath: ctx.checkpoints.pathOf(initial.replayId),
  };
}

export function newCheckpoint(input: {
  replayId: string;
  topic: string;
  target: string;
  conversations: string[];
  includeReplayed: boolean;
  windows: ReplayCheckpoint['windows'];
  now: Date;
}): ReplayCheckpoint {
  return {
    version: 1,
    replayId: input.replayId,
    topic: input.topic,
    target: input.target,
    conversations: input.conversations,
    includeReplayed: input.includeReplayed,
    windows: input.windows,
    next: Object.fromEntries(input.windows.map((window) => [String(window.partition), window.start])),
    published: 0,
    startedAt: input.now.toISOString(),
    updatedAt: input.now.toISOString(),
    completed: false,
  };
}
