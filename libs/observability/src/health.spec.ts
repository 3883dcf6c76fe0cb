import { HealthRegistry } from './health';

describe(HealthRegistry.name, () => {
  it('is ready only when every check passes', async () => {
    const sut = new HealthRegistry();
    let joined = false;
    sut.register('consumer-joined', () => joined);

    expect((await sut.readiness()).ready).toBe(false);
    joined = true;
    expect(await sut.readiness()).toEqual({
      ready: true,
      checks: { 'consumer-joined': true, 'not-shutting-down': true },
    });
  });

  it('treats a throwing check as not ready', async () => {
    const sut = new HealthRegistry();
    sut.register('producer', () => Promise.reject(new Error('down')));
    expect((await sut.readiness()).checks['producer']).toBe(false);
  });

  it('reports not ready once shutdown starts', async () => {
    const sut = new HealthRegistry();
    sut.markShuttingDown();
    expect((await sut.readiness()).ready).toBe(false);
  });
});
