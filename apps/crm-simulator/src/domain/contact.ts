// The records the simulator keeps: one contact table per CRM, with every write remembered.
import { type Provider } from '../http/sim-http';

export type FieldValue = string | number | boolean | null;

export interface WriteEntry {
  at: string;
  field: string;
  oldValue: FieldValue;
  newValue: FieldValue;
  /** The conversation field sent in the same write, when there was one. */
  conversationId: string | null;
  via: string;
}

export interface ContactRecord {
  provider: Provider;
  id: string;
  fields: Record<string, FieldValue>;
  deleted: boolean;
  createdAt: number;
  lastModifiedAt: number;
  /** Dataverse RowVersion, the number in the weak ETag. */
  version: number;
  history: WriteEntry[];
}

export interface ContactSeed {
  id?: string;
  fields: Record<string, FieldValue>;
  deleted?: boolean;
}
