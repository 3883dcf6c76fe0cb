// The in-memory state of the conversations of the partitions this member owns, per partition, with
// the processing time at which each needs attention again (a flush deadline or its expiry).
import { type ConversationState } from '@crm/aggregation';

export interface ConversationEntry {
  state: ConversationState;
  /** Processing time of the next flush deadline or expiry; null when nothing is scheduled. */
  dueAt: number | null;
  /** Headers of the newest input record, forwarded on the update (trace and hop times). */
  headers: Readonly<Record<string, string>> | null;
}

export class ConversationStore {
  private readonly partitions = new Map<number, Map<string, ConversationEntry>>();
  private total = 0;

  owned(): number[] {
    return [...this.partitions.keys()];
  }

  owns(partition: number): boolean {
    return this.partitions.has(partition);
  }

  /** Installs a partition's restored state, replacing whatever was held for it. */
  install(partition: number, entries: Map<string, ConversationEntry>): void {
    this.drop(partition);
    this.partitions.set(partition, entries);
    this.total += entries.size;
  }

  drop(partition: number): void {
    const entries = this.partitions.get(partition);
    if (entries === undefined) return;
    this.total -= entries.size;
    this.partitions.delete(partition);
  }

  get(partition: number, conversationId: string): ConversationEntry | undefined {
    return this.partitions.get(partition)?.get(conversationId);
  }

  set(partition: number, conversationId: string, entry: ConversationEntry): void {
    const entries = this.partitions.get(partition);
    if (entries === undefined) throw new Error(`partition ${partition} is not owned`);
    if (!entries.has(conversationId)) this.total += 1;
    entries.set(conversationId, entry);
  }

  delete(partition: number, conversationId: string): void {
    if (this.partitions.get(partition)?.delete(conversationId) === true) this.total -= 1;
  }

  /** Conversations of `partition` whose deadline or expiry has come. */
  due(partition: number, now: number): string[] {
    const out: string[] = [];
    for (const [id, entry] of this.partitions.get(partition) ?? []) {
      if (entry.dueAt !== null && entry.dueAt <= now) out.push(id);
    }
    return out;
  }

  size(): number {
    return this.total;
  }
}
