// First stage: find the CRM record of an update (with bounded retries on transient CRM failures), so
// the update can be re-keyed by record and serialised on the partition that owns that record.
import { type ContactUpdateRequested } from '@crm/contracts';
import { type CrmProvider, recordKey, type RecordRef, type RetryOptions, withRetry } from '@crm/crm';
import { type ContactResolver, type Resolution } from '../contact/contact.resolver';
import { type RetryHooks } from './apply-contact-update.usecase';

export type ResolveOutcome =
  | {
      status: 'resolved';
      recordKey: string;
      ref: RecordRef;
      request: ContactUpdateRequested;
      attempts: number;
    }
  | { status: 'unresolved'; why: Extract<Resolution, { status: 'unresolved' }>['why']; attempts: number };

export class ResolveContactUseCase {
  constructor(
    private readonly provider: CrmProvider,
    private readonly object: string,
    private readonly resolver: ContactResolver,
    private readonly retry: Omit<RetryOptions, 'onRetry' | 'waitForBreaker'>,
  ) {}

  async execute(request: ContactUpdateRequested, hooks: RetryHooks = {}): Promise<ResolveOutcome> {
    const { value, attempts } = await withRetry(() => this.resolver.resolve(request.contact), {
      ...this.retry,
      ...hooks,
    });
    if (value.status === 'unresolved') return { status: 'unresolved', why: value.why, attempts };
    const ref = { object: this.object, id: value.id };
    return {
      status: 'resolved',
      recordKey: recordKey(this.provider, ref),
      ref,
      request: { ...request, contact: { ...request.contact, contactId: value.id } },
      attempts,
    };
  }
}
