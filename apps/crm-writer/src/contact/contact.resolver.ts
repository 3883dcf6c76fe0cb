// Finds the CRM record an update is for: the explicit id when the conversation carries one, else a
// lookup by email, then phone, cached for a short TTL so a burst of updates for the same caller
// costs one lookup. Ambiguous matches are unresolved: writing to the wrong contact is worse than
// parking the update on the dead-letter topic.
import { type ContactHints } from '@crm/contracts';
import { type CrmAdapter, type LookupResult } from '@crm/crm';

export type Resolution =
  | { status: 'resolved'; id: string; lookedUp: boolean }
  | { status: 'unresolved'; why: 'NO_HINTS' | 'NOT_FOUND' | 'AMBIGUOUS' };

export class ContactResolver {
  private readonly cache = new Map<string, { result: LookupResult; expiresAt: number }>();

  constructor(
    private readonly adapter: CrmAdapter,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 10_000,
  ) {}

  async resolve(hints: ContactHints): Promise<Resolution> {
    if (hints.contactId) return { status: 'resolved', id: hints.contactId, lookedUp: false };
    if (!hints.email && !hints.phone) return { status: 'unresolved', why: 'NO_HINTS' };
    const key = `${hints.email ?? ''}\u0000${hints.phone ?? ''}`;
    const cached = this.cache.get(key);
    let result: LookupResult;
    if (cached && cached.expiresAt > this.now()) {
      result = cached.result;
    } else {
      result = await this.adapter.lookupContact({ email: hints.email, phone: hints.phone });
      if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, { result, expiresAt: this.now() + this.ttlMs });
    }
    switch (result.status) {
      case 'found':
        return { status: 'resolved', id: result.id, lookedUp: true };
      case 'not-found':
        return { status: 'unresolved', why: 'NOT_FOUND' };
      case 'ambiguous':
        return { status: 'unresolved', why: 'AMBIGUOUS' };
    }
  }
}
