// While the CRM breaker is open, a stage waits here instead of failing its batch, heartbeating so
// the group does not evict it; it goes on once the breaker is half-open or closed.
import { type CrmClient } from '@crm/crm';
import { type EachBatchPayload } from 'kafkajs';

export function waitForBreaker(
  breaker: CrmClient['breaker'],
  payloads: readonly EachBatchPayload[],
): Promise<void> {
  if (breaker.state !== 'open') return Promise.resolve();
  return new Promise((resolve) => {
    const beat = setInterval(
      () => payloads.forEach((payload) => void payload.heartbeat().catch(() => undefined)),
      3_000,
    );
    const off = breaker.onStateChange((state) => {
      if (state === 'open') return;
      clearInterval(beat);
      off();
      resolve();
    });
  });
}
