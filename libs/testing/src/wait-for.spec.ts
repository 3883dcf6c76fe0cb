import { waitFor } from './wait-for';

describe(waitFor.name, () => {
  it('returns the first truthy value the probe yields', async () => {
    let calls = 0;
    const sut = await waitFor(() => (++calls >= 3 ? `ready after ${calls}` : undefined), { intervalMs: 1 });
    expect(sut).toBe('ready after 3');
  });

  it('fails with the description and the last error when the deadline passes', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('still down');
        },
        { timeoutMs: 30, intervalMs: 5, description: 'broker up' },
      ),
    ).rejects.toThrow('waitFor(broker up) timed out after 30 ms: last error still down');
  });
});
