// In-memory contact tables for both CRMs, with a write history per contact and field.
import { randomUUID } from 'node:crypto';
import { type Provider } from '../http/sim-http';
import { type ContactRecord, type ContactSeed, type FieldValue, type WriteEntry } from './contact';
import { newSalesforceId, normaliseSalesforceId } from './salesforce-id';

/** The conversation that caused a write is read from a field like Last_Conversation_Id__c in the same write. */
export function conversationIdOf(changes: Readonly<Record<string, FieldValue>>): string | null {
  for (const [field, value] of Object.entries(changes)) {
    const name = field.toLowerCase().replace(/[^a-z0-9]/g, '');
    if ((name.includes('lastconversationid') || name === 'conversationid') && typeof value === 'string')
      return value;
  }
  return null;
}

export class ContactStore {
  private records = new Map<string, ContactRecord>();

  constructor(private readonly now: () => number = Date.now) {}

  private static key(provider: Provider, id: string): string {
    return `${provider}:${provider === 'dynamics' ? id.toLowerCase() : id}`;
  }

  newId(provider: Provider): string {
    return provider === 'salesforce' ? newSalesforceId() : randomUUID();
  }

  clear(): void {
    this.records.clear();
  }

  seed(provider: Provider, seeds: readonly ContactSeed[]): ContactRecord[] {
    return seeds.map((seed) => {
      const id = seed.id === undefined ? this.newId(provider) : this.canonicalId(provider, seed.id);
      const at = this.now();
      const record: ContactRecord = {
        provider,
        id,
        fields: { ...seed.fields },
        deleted: seed.deleted ?? false,
        createdAt: at,
        lastModifiedAt: at,
        version: 1,
        history: [],
      };
      this.records.set(ContactStore.key(provider, id), record);
      return record;
    });
  }

  private canonicalId(provider: Provider, id: string): string {
    if (provider === 'dynamics') return id.toLowerCase();
    const normalised = normaliseSalesforceId(id);
    if (normalised === undefined) throw new Error(`not a Salesforce id: ${id}`);
    return normalised;
  }

  /** Includes deleted records: callers decide between NOT_FOUND and ENTITY_IS_DELETED. */
  get(provider: Provider, id: string): ContactRecord | undefined {
    return this.records.get(ContactStore.key(provider, id));
  }

  list(provider?: Provider): ContactRecord[] {
    return [...this.records.values()].filter(
      (record) => provider === undefined || record.provider === provider,
    );
  }

  /** Live records whose fields all equal the given values (case-insensitive for strings, as both CRMs compare). */
  findBy(provider: Provider, criteria: Readonly<Record<string, string>>): ContactRecord[] {
    return this.list(provider).filter(
      (record) =>
        !record.deleted &&
        Object.entries(criteria).every(([field, wanted]) => {
          const actual = record.fields[field];
          return typeof actual === 'string' && actual.toLowerCase() === wanted.toLowerCase();
        }),
    );
  }

  create(provider: Provider, fields: Record<string, FieldValue>, via: string, id?: string): ContactRecord {
    const [record] = this.seed(provider, [{ ...(id === undefined ? {} : { id }), fields: {} }]);
    if (record === undefined) throw new Error('seed returned nothing');
    this.write(record, fields, via);
    return record;
  }

  /** Applies a write and remembers every field written, equal or not, so needless writes show. */
  write(record: ContactRecord, changes: Readonly<Record<string, FieldValue>>, via: string): void {
    const at = this.now();
    const conversationId = conversationIdOf(changes);
    for (const [field, newValue] of Object.entries(changes)) {
      const entry: WriteEntry = {
        at: new Date(at).toISOString(),
        field,
        oldValue: record.fields[field] ?? null,
        newValue,
        conversationId,
        via,
      };
      record.history.push(entry);
      record.fields[field] = newValue;
    }
    record.lastModifiedAt = at;
    record.version += 1;
  }

  markDeleted(provider: Provider, id: string): boolean {
    const record = this.get(provider, id);
    if (record === undefined) return false;
    record.deleted = true;
    record.lastModifiedAt = this.now();
    return true;
  }

  /** Change sets and allOrNone collections roll back by restoring a snapshot. */
  snapshot(): Map<string, ContactRecord> {
    return new Map([...this.records].map(([key, record]) => [key, structuredClone(record)]));
  }

  restore(snapshot: Map<string, ContactRecord>): void {
    this.records = snapshot;
  }
}
