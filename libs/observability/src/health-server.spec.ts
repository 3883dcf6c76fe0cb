import { Counter, Registry } from 'prom-client';
import { HealthRegistry } from './health';
import { type HealthServer, startHealthServer } from './health-server';
import { createLogger } from './logger';

describe(startHealthServer.name, () => {
  let server: HealthServer;
  let health: HealthRegistry;
  let ready: boolean;
  let base: string;
  const metrics = new Registry();
  new Counter({ name: 'probe_test_total', help: 'a counter for the scrape', registers: [metrics] }).inc(3);

  beforeEach(async () => {
    health = new HealthRegistry();
    ready = false;
    health.register('consumer', () => ready);
    server = await start(metrics);
    base = `http://127.0.0.1:${server.port}`;
  });

  /** A server on a free port with this test's readiness checks. */
  const start = (registry: Registry): Promise<HealthServer> =>
    startHealthServer({
      health,
      metrics: registry,
      port: 0,
      host: '127.0.0.1',
      logger: createLogger({ service: 'test', level: 'silent', format: 'json' }),
    });

  afterEach(() => server.close());

  it('answers liveness whatever the readiness', async () => {
    const response = await fetch(`${base}/health/live`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers 503 with each check until every check passes, then 200', async () => {
    const before = await fetch(`${base}/health/ready`);
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({
      status: 'unavailable',
      checks: { consumer: false, 'not-shutting-down': true },
    });

    ready = true;
    const after = await fetch(`${base}/health/ready?probe=k8s`);
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({
      status: 'ok',
      checks: { consumer: true, 'not-shutting-down': true },
    });

    health.markShuttingDown();
    expect((await fetch(`${base}/health/ready`)).status).toBe(503);
  });

  it('serves the registry in the Prometheus text format', async () => {
    const response = await fetch(`${base}/metrics`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await response.text()).toContain('probe_test_total 3');
  });

  it('answers HEAD with the headers and no body', async () => {
    const response = await fetch(`${base}/metrics`, { method: 'HEAD' });

    expect(response.status).toBe(200);
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await response.text()).toBe('');
  });

  it('answers 404 for an unknown path and 405 with Allow for another method', async () => {
    const missing = await fetch(`${base}/healthz`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Cannot GET /healthz',
    });

    const posted = await fetch(`${base}/health/ready`, { method: 'POST', body: '{}' });
    expect(posted.status).toBe(405);
    expect(posted.headers.get('allow')).toBe('GET, HEAD');
    expect(await posted.json()).toMatchObject({ statusCode: 405, error: 'Method Not Allowed' });
  });

  it('answers 500 when a scrape fails, and keeps serving', async () => {
    const failing = new Registry();
    failing.registerMetric(
      new Counter({
        name: 'failing_total',
        help: 'collect throws',
        registers: [],
        collect() {
          throw new Error('collector broke');
        },
      }),
    );
    const broken = await start(failing);
    try {
      const response = await fetch(`http://127.0.0.1:${broken.port}/metrics`);
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ statusCode: 500 });
      expect((await fetch(`http://127.0.0.1:${broken.port}/health/live`)).status).toBe(200);
    } finally {
      await broken.close();
    }
  });

  it('closes, so a new request is refused', async () => {
    await fetch(`${base}/health/live`);
    await server.close();

    await expect(fetch(`${base}/health/live`)).rejects.toThrow();
    server = await start(metrics);
  });
});
