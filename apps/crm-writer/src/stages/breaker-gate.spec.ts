import { CrmCircuitBreaker } from '@crm/crm';
import { waitFor } from '@crm/testing';
import { HALF_OPEN_RECHECK_MS, waitForBreaker } from './breaker-gate';

describe(waitForBreaker.name, () => {
  async function halfOpen(): Promise<CrmCircuitBreaker> {
    const breaker = new CrmCircuitBreaker({ provider: 'salesforce', resetTimeoutMs: 100 });
    breaker.forceOpen();
    await waitFor(() => breaker.state === 'half-open', { timeoutMs: 5_000, description: 'half-open' });
    return breaker;
  }

  it('holds a caller while the half-open probe is in flight, releasing it when the probe succeeds', async () => {
    const breaker = await halfOpen();
    let finishProbe: () => void = () => undefined;
    const probe = breaker.exec(() => new Promise<void>((resolve) => (finishProbe = resolve)));
    const started = Date.now();
    let releasedAt: number | undefined;
    const sut = waitForBreaker(breaker, []).then(() => (releasedAt = Date.now()));

    await waitFor(() => Date.now() - started >= HALF_OPEN_RECHECK_MS / 2, { timeoutMs: 2_000 });
    const probeFinishedAt = Date.now();
    finishProbe();
    await probe;
    await sut;

    // Not released at once (a gate that did would let a retry loop spin and starve the probe): only
    // by the probe's outcome or, at the earliest, the recheck interval.
    expect(releasedAt).toBeGreaterThanOrEqual(Math.min(probeFinishedAt, started + HALF_OPEN_RECHECK_MS - 20));
    expect(breaker.state).toBe('closed');
    breaker.shutdown();
  });

  it('lets a caller make the probe when the breaker is half-open and nobody probes yet', async () => {
    const breaker = await halfOpen();
    const started = Date.now();

    await waitForBreaker(breaker, []);

    expect(breaker.state).toBe('half-open');
    expect(Date.now() - started).toBeGreaterThanOrEqual(HALF_OPEN_RECHECK_MS - 20);
    breaker.shutdown();
  });

  it('answers at once when the breaker is closed', async () => {
    const breaker = new CrmCircuitBreaker({ provider: 'salesforce' });

    await expect(waitForBreaker(breaker, [])).resolves.toBeUndefined();
    breaker.shutdown();
  });
});
