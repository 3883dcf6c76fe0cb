// While the CRM breaker is open, a stage waits here instead of failing its batch, heartbeating so
// the group does not evict it; it goes on once the breaker is half-open or closed.
// Half-open needs care. With the probe in flight opossum rejects every other call, and a gate that
// answered at once would let the caller's retry loop spin on rejected promises without yielding to
// the event loop, so the probe's response would never be read (the chaos test saw 100% CPU and no
// CRM request after a 429 burst). But half-open with no probe yet (the breaker went half-open while
// the caller was between attempts) needs someone to make the probe, and a gate that waited only for
// a state change would wait forever. So in half-open the gate yields for a short recheck interval,
// or less if the probe's outcome comes first, and lets the caller try again.
import { type CrmClient } from '@crm/crm';
import { type EachBatchPayload } from 'kafkajs';

export const HALF_OPEN_RECHECK_MS = 250;
const HEARTBEAT_MS = 3_000;

export function waitForBreaker(
  breaker: CrmClient['breaker'],
  payloads: readonly EachBatchPayload[],
): Promise<void> {
  if (breaker.state === 'closed') return Promise.resolve();
  return new Promise((resolve) => {
    const beat = setInterval(
      () => payloads.forEach((payload) => void payload.heartbeat().catch(() => undefined)),
      HEARTBEAT_MS,
    );
    let recheck: NodeJS.Timeout | undefined;
    const release = () => {
      clearInterval(beat);
      clearTimeout(recheck);
      off();
      resolve();
    };
    const off = breaker.onStateChange((state) => {
      if (state === 'open') clearTimeout(recheck);
      // Half-open: a probe may go now. Closed: the probe succeeded.
      else release();
    });
    if (breaker.state === 'half-open') recheck = setTimeout(release, HALF_OPEN_RECHECK_MS);
  });
}
