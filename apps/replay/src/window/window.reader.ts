// Reads a bounded window of a topic, [start, end) per partition, in a consumer group of its own
// whose offsets are set to the window's start before it joins (kafkajs has no manual assignment).
// The ends are fixed when the window is resolved, so records the tool itself appends to the same
// topic are never read back. Partitions finish when their next offset reaches the end; gaps that
// the consumer skips without handing us a record (transaction markers, aborted or compacted
// records) are noticed through the group's committed offsets.
import { type Admin, type Consumer, type Kafka, type KafkaMessage } from 'kafkajs';
import { withDeadline } from './deadline';
import { type PartitionWindow } from './window';

export interface WindowRecord {
  partition: number;
  message: KafkaMessage;
}

export interface ReadWindowOptions {
  kafka: Kafka;
  admin: Admin;
  topic: string;
  groupId: string;
  windows: readonly PartitionWindow[];
  /** Called for the in-window records of one fetched batch, in offset order; awaited before the next. */
  onRecords: (records: WindowRecord[]) => Promise<void>;
  /** After each handled batch, with the next offset to read per partition. */
  onProgress?: (next: ReadonlyMap<number, number>) => void;
  signal?: AbortSignal;
  /** How often a partition without records is checked against the group's committed offset. */
  idleCheckMs?: number;
  disconnectTimeoutMs?: number;
}

export interface ReadWindowResult {
  completed: boolean;
  next: Map<number, number>;
}

export async function readWindow(options: ReadWindowOptions): Promise<ReadWindowResult> {
  const { admin, topic, groupId, windows } = options;
  const next = new Map(windows.map((window) => [window.partition, window.start]));
  const ends = new Map(windows.map((window) => [window.partition, window.end]));
  const remaining = () => windows.filter((window) => (next.get(window.partition) ?? 0) < window.end);
  if (remaining().length === 0 || options.signal?.aborted)
    return { completed: remaining().length === 0, next };

  await admin.setOffsets({
    groupId,
    topic,
    partitions: windows.map((window) => ({ partition: window.partition, offset: String(window.start) })),
  });
  const consumer: Consumer = options.kafka.consumer({
    groupId,
    maxWaitTimeInMs: 250,
    allowAutoTopicCreation: false,
  });
  // Once stopped (done, interrupted or failed), nothing may move `next` any more: batches still
  // delivered during the disconnect are neither handled nor resolved.
  let stopped = false;
  let finish: (completed: boolean) => void = () => undefined;
  const finished = new Promise<boolean>((resolve) => {
    finish = (completed) => {
      stopped = true;
      resolve(completed);
    };
  });
  const checkDone = () => {
    if (remaining().length === 0) finish(true);
  };
  const onAbort = () => finish(false);
  // A failed handler ends the run (the caller reports it); thrown from eachBatch, kafkajs would
  // restart the consumer and retry the same batch forever.
  let failure: { error: unknown } | null = null;
  options.signal?.addEventListener('abort', onAbort, { once: true });
  // Interrupted while the offsets were being set: the listener came too late to hear it.
  if (options.signal?.aborted) finish(false);

  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    eachBatch: async (payload) => {
      const { batch } = payload;
      if (stopped || options.signal?.aborted) return;
      const end = ends.get(batch.partition) ?? 0;
      const from = next.get(batch.partition) ?? end;
      if (from >= end) return;
      const records = batch.messages
        .filter((message) => Number(message.offset) >= from && Number(message.offset) < end)
        .map((message) => ({ partition: batch.partition, message }));
      if (records.length > 0) {
        try {
          await options.onRecords(records);
        } catch (error) {
          failure = { error };
          finish(false);
          return;
        }
      }
      // Even when stopped meanwhile: these records are on the broker, so they count as done.
      payload.resolveOffset(batch.lastOffset());
      next.set(batch.partition, Math.min(end, Math.max(from, Number(batch.lastOffset()) + 1)));
      options.onProgress?.(next);
      checkDone();
    },
  });

  let lastSeen = '';
  const idle = setInterval(() => {
    if (stopped) return;
    const seen = JSON.stringify([...next]);
    if (seen !== lastSeen) {
      lastSeen = seen;
      return;
    }
    void admin
      .fetchOffsets({ groupId, topics: [topic] })
      .then((committed) => {
        if (stopped) return;
        for (const entry of committed[0]?.partitions ?? []) {
          const offset = Number(entry.offset);
          const end = ends.get(entry.partition) ?? 0;
          if (offset > (next.get(entry.partition) ?? 0)) next.set(entry.partition, Math.min(end, offset));
        }
        options.onProgress?.(next);
        checkDone();
      })
      .catch(() => undefined);
  }, options.idleCheckMs ?? 2_000);

  const completed = (await finished) && remaining().length === 0;
  clearInterval(idle);
  options.signal?.removeEventListener('abort', onAbort);
  // kafkajs can take a session timeout to leave a group it is still joining (Ctrl-C at start-up);
  // the checkpoint does not depend on it.
  await withDeadline(consumer.disconnect(), options.disconnectTimeoutMs ?? 5_000);
  if (failure !== null) throw (failure as { error: unknown }).error;
  return { completed, next };
}
