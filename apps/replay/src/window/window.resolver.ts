// The broker side of window resolution: watermarks and offsets by timestamp from the admin client.
import { type Admin } from 'kafkajs';
import { type OffsetBound } from './offset-bound';
import { type OffsetsAtTime, type PartitionWatermarks, type PartitionWindow, resolveWindow } from './window';

export async function watermarksOf(admin: Admin, topic: string): Promise<PartitionWatermarks[]> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.map((entry) => ({
    partition: entry.partition,
    low: Number(entry.low),
    high: Number(entry.high),
  }));
}

async function offsetsAtTime(
  admin: Admin,
  topic: string,
  bound: OffsetBound | null,
): Promise<OffsetsAtTime | undefined> {
  if (bound?.kind !== 'time') return undefined;
  const found = await admin.fetchTopicOffsetsByTimestamp(topic, bound.at);
  const out: OffsetsAtTime = {};
  for (const entry of found) {
    const offset = Number(entry.offset);
    out[entry.partition] = offset < 0 ? null : offset;
  }
  return out;
}

export async function resolveTopicWindow(
  admin: Admin,
  topic: string,
  from: OffsetBound,
  to: OffsetBound | null,
): Promise<PartitionWindow[]> {
  const [watermarks, fromOffsets, toOffsets] = await Promise.all([
    watermarksOf(admin, topic),
    offsetsAtTime(admin, topic, from),
    offsetsAtTime(admin, topic, to),
  ]);
  return resolveWindow(watermarks, from, to, {
    ...(fromOffsets ? { from: fromOffsets } : {}),
    ...(toOffsets ? { to: toOffsets } : {}),
  });
}
