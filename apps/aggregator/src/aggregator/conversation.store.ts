// The in-memory state of the conversations of the partitions this member owns, per partition, with
// the processing time at which each needs attention again (a flush deadline or its expiry).
// Memory (issue 6: ≤ 4 KiB per open conversation): a state changed since its partition's last
// commit is held as objects ("hot"); `compact` packs it, after the commit, into its changelog bytes
// (StatePacker), and `get` unpacks it again on its next record. So only the conversations of the
// open units of work are held as object trees.
import { type ConversationState } from '@crm/aggregation';

import { StatePacker } from './state.packer';

export interface ConversationEntry {
  state: ConversationState;
  /** Processing time of the next flush deadline or expiry; null when nothing is scheduled. */
  dueAt: number | null;
  /** Headers of the newest input record, forwarded on the update (trace and hop times). */
  headers: Readonly<Record<string, string>> | null;
  /** From when the state may be evicted early (`evictableAt` of @crm/aggregation); null: never. */
  evictableAt: number | null;
}

/** A restored conversation, already packed (StatePacker), with its next deadline or expiry. */
export interface PackedEntry {
  readonly packed: string;
  readonly dueAt: number | null;
  readonly evictableAt: number | null;
}

/** One conversation as held: either hot (`state` set) or packed. */
interface Held {
  state: ConversationState | null;
  packed: string;
  dueAt: number | null;
  evictableAt: number | null;
  headers: Readonly<Record<string, string>> | null;
  /** `headers` as JSON while packed. */
  packedHeaders: string | null;
}

interface PartitionHeld {
  readonly entries: Map<string, Held>;
  /** Conversations changed since the last compact. */
  readonly hot: Set<string>;
  /**
   * No entry can be evictable before this time: the earliest future `evictableAt` the last scan
   * saw, lowered by every `set` since. Lets `evictable` skip its scan while the store is over its
   * bound with nothing to let go (open conversations), instead of rescanning for every batch.
   */
  scanNotBefore: number;
  /**
   * No entry is due before this time: the earliest `dueAt` the last `due` scan saw (due or not),
   * lowered by every `set` since. The flush tick asks every partition every 200 ms; most ticks
   * then skip the scan of thousands of settled conversations.
   */
  dueNotBefore: number;
}

export class ConversationStore {
  private readonly partitions = new Map<number, PartitionHeld>();
  private total = 0;

  constructor(private readonly packer: StatePacker = new StatePacker()) {}

  owned(): number[] {
    return [...this.partitions.keys()];
  }

  owns(partition: number): boolean {
    return this.partitions.has(partition);
  }

  /** Installs a partition's restored (packed) state, replacing whatever was held for it. */
  install(partition: number, entries: ReadonlyMap<string, PackedEntry>): void {
    this.drop(partition);
    const held = new Map<string, Held>();
    for (const [conversationId, { packed, dueAt, evictableAt }] of entries)
      held.set(conversationId, {
        state: null,
        packed,
        dueAt,
        evictableAt,
        headers: null,
        packedHeaders: null,
      });
    this.partitions.set(partition, {
      entries: held,
      hot: new Set(),
      scanNotBefore: -Infinity,
      dueNotBefore: -Infinity,
    });
    this.total += held.size;
  }

  drop(partition: number): void {
    const held = this.partitions.get(partition);
    if (held === undefined) return;
    this.total -= held.entries.size;
    this.partitions.delete(partition);
  }

  get(partition: number, conversationId: string): ConversationEntry | undefined {
    const held = this.partitions.get(partition)?.entries.get(conversationId);
    if (held === undefined) return undefined;
    if (held.state !== null)
      return { state: held.state, dueAt: held.dueAt, headers: held.headers, evictableAt: held.evictableAt };
    return {
      state: this.packer.unpack(held.packed),
      dueAt: held.dueAt,
      evictableAt: held.evictableAt,
      headers:
        held.packedHeaders === null
          ? null
          : (JSON.parse(held.packedHeaders) as Readonly<Record<string, string>>),
    };
  }

  set(partition: number, conversationId: string, entry: ConversationEntry): void {
    const held = this.partitions.get(partition);
    if (held === undefined) throw new Error(`partition ${partition} is not owned`);
    if (!held.entries.has(conversationId)) this.total += 1;
    held.entries.set(conversationId, {
      state: entry.state,
      packed: '',
      dueAt: entry.dueAt,
      evictableAt: entry.evictableAt,
      headers: entry.headers,
      packedHeaders: null,
    });
    held.hot.add(conversationId);
    if (entry.evictableAt !== null && entry.evictableAt < held.scanNotBefore)
      held.scanNotBefore = entry.evictableAt;
    if (entry.dueAt !== null && entry.dueAt < held.dueNotBefore) held.dueNotBefore = entry.dueAt;
  }

  delete(partition: number, conversationId: string): void {
    const held = this.partitions.get(partition);
    if (held?.entries.delete(conversationId) === true) this.total -= 1;
    held?.hot.delete(conversationId);
  }

  /**
   * Packs the conversations of `partition` changed since the last compact (after a commit).
   * `packedOf` may hand over a state's bytes already encoded (its changelog record's Avro body,
   * same schema as StatePacker); otherwise the state is encoded here.
   */
  compact(partition: number, packedOf?: (conversationId: string) => string | undefined): void {
    const held = this.partitions.get(partition);
    if (held === undefined) return;
    for (const conversationId of held.hot) {
      const entry = held.entries.get(conversationId);
      if (entry === undefined || entry.state === null) continue;
      const { state, dueAt, headers, evictableAt } = entry;
      held.entries.set(
        conversationId,
        this.packed({ state, dueAt, headers, evictableAt }, packedOf?.(conversationId)),
      );
    }
    held.hot.clear();
  }

  /** Conversations of `partition` whose deadline or expiry has come. */
  due(partition: number, now: number): string[] {
    const held = this.partitions.get(partition);
    if (held === undefined || now < held.dueNotBefore) return [];
    const out: string[] = [];
    let earliest = Infinity;
    // forEach, not for…of over entries(): no [id, entry] pair allocated per conversation.
    held.entries.forEach((entry, id) => {
      if (entry.dueAt === null) return;
      if (entry.dueAt <= now) out.push(id);
      if (entry.dueAt < earliest) earliest = entry.dueAt;
    });
    // The due ones count too: until they are settled (a `set` or a `delete`), the next tick rescans.
    held.dueNotBefore = earliest;
    return out;
  }

  /**
   * Up to `count` conversations of `partition` that may be evicted at `now`, longest evictable
   * first. A scan of the partition, called only when the store is over its bound, for a batch, and
   * skipped while nothing can be evictable yet.
   */
  evictable(partition: number, now: number, count: number): string[] {
    const held = this.partitions.get(partition);
    if (count <= 0 || held === undefined || now < held.scanNotBefore) return [];
    const candidates: Array<[string, number]> = [];
    let nextAt = Infinity;
    for (const [id, entry] of held.entries) {
      const at = entry.evictableAt;
      if (at === null) continue;
      if (at <= now) candidates.push([id, at]);
      else if (at < nextAt) nextAt = at;
    }
    candidates.sort((a, b) => a[1] - b[1]);
    // Skip later scans only when this one found nothing evictable (the costly case: over the
    // bound with only open conversations); otherwise the next batch scans again.
    held.scanNotBefore = candidates.length > 0 ? -Infinity : nextAt;
    return candidates.slice(0, count).map(([id]) => id);
  }

  size(): number {
    return this.total;
  }

  private packed(entry: ConversationEntry, packed?: string): Held {
    return {
      state: null,
      packed: packed ?? this.packer.pack(entry.state),
      dueAt: entry.dueAt,
      evictableAt: entry.evictableAt,
      headers: null,
      packedHeaders: entry.headers === null ? null : JSON.stringify(entry.headers),
    };
  }
}
