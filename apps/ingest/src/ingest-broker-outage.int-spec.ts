// The broker stopped and restarted under ingest, on a private stack (its own Kafka and registry on
// random ports): the shared broker the other tests use is never touched.
import { type PrivateStack, startPrivateStack, uniqueName, waitFor } from '@crm/testing';
import { Kafka, logLevel } from 'kafkajs';
import { driveThroughBrokerOutage, type OutageReport } from './broker-outage.int-helper';
import { type RunningIngest, startIngest } from './ingest-app.int-helper';

const STACK_TIMEOUT_MS = 300_000;

describe('ingest through a broker outage', () => {
  let stack: PrivateStack;
  let sut: RunningIngest;
  let kafka: Kafka;
  const topic = uniqueName('ingest-outage');
  const readiness: { whileDown?: number; afterRestart?: number } = {};

  const readyStatus = async (): Promise<number> => {
    const response = await fetch(`${sut.url}/health/ready`);
    await response.arrayBuffer();
    return response.status;
  };

  beforeAll(async () => {
    stack = await startPrivateStack('outage');
    kafka = new Kafka({
      clientId: uniqueName('outage-test'),
      brokers: stack.brokers,
      logLevel: logLevel.NOTHING,
    });
    sut = await startIngest({
      topic,
      env: {
        ...stack.env,
        // Short deadlines so the outage is answered quickly; the producer itself keeps retrying.
        INGEST_SEND_TIMEOUT_MS: '1000',
        INGEST_BROKER_PROBE_INTERVAL_MS: '250',
        KAFKA_CONNECTION_TIMEOUT_MS: '1000',
      },
    });
    await waitFor(async () => (await readyStatus()) === 200, {
      timeoutMs: 30_000,
      description: 'ingest ready on the private stack',
    });
  }, STACK_TIMEOUT_MS);

  afterAll(async () => {
    await sut?.close().catch(() => undefined);
    await stack?.destroy();
  }, STACK_TIMEOUT_MS);

  it(
    'answers only 503 with Retry-After while the broker is down, reports not ready, and loses nothing it acknowledged',
    async () => {
      const report: OutageReport = await driveThroughBrokerOutage(sut, kafka, topic, {
        registryUrl: stack.registryUrl,
        stopBroker: async () => {
          await stack.control('down', 'kafka');
          readiness.whileDown = await waitFor(async () => ((await readyStatus()) === 503 ? 503 : undefined), {
            timeoutMs: 30_000,
            description: 'readiness drops while the broker is down',
          });
        },
        startBroker: () => stack.control('up', 'kafka'),
      });
      readiness.afterRestart = await waitFor(async () => ((await readyStatus()) === 200 ? 200 : undefined), {
        timeoutMs: 60_000,
        description: 'readiness returns once the broker is back',
      });

      expect(report.acknowledged).toBeGreaterThanOrEqual(40);
      expect(report.acknowledgedDuringOutage).toBe(0);
      expect(report.unavailable).toBeGreaterThanOrEqual(20);
      expect(report.retryAfterMissing).toBe(0);
      expect(report.missingFromTopic).toEqual([]);
      expect(readiness).toEqual({ whileDown: 503, afterRestart: 200 });
      expect(report.recoveryMs).toBeLessThan(120_000);
    },
    STACK_TIMEOUT_MS,
  );
});
