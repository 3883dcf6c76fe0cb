// Readiness that follows the broker. kafkajs' producer never reports a lost broker (its DISCONNECT
// event fires only on disconnect()), so ingest watches reachability itself: every shared send's
// outcome, and a metadata request every INGEST_BROKER_PROBE_INTERVAL_MS, so an idle instance notices
// an outage too and reports ready again once the broker is back (no traffic reaches an unready pod,
// so sends alone could never bring it back).
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { KAFKA_CLIENT } from '@crm/kafka-nest';
import { HealthRegistry } from '@crm/observability';
import { type Admin, type Kafka } from 'kafkajs';
import { INGEST_SETTINGS, type IngestSettings } from '../ingest/ingest-settings';

export const BROKER_READINESS_CHECK = 'kafka-broker-reachable';

@Injectable()
export class BrokerReachability implements OnModuleInit, OnModuleDestroy {
  private reachable = true;
  private admin: Admin | undefined;
  private timer: NodeJS.Timeout | undefined;
  private probing = false;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(HealthRegistry) health: HealthRegistry,
    @Inject(INGEST_SETTINGS) private readonly settings: IngestSettings,
  ) {
    health.register(BROKER_READINESS_CHECK, () => this.reachable);
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.probe(), this.settings.INGEST_BROKER_PROBE_INTERVAL_MS);
    this.timer.unref();
  }

  /** A shared send's outcome: an ack proves the broker is there; a send that timed out says it is not. */
  observeSend(outcome: 'acked' | 'failed' | 'timeout'): void {
    if (outcome === 'acked') this.reachable = true;
    else if (outcome === 'timeout') this.reachable = false;
  }

  /** One metadata round trip, bounded by the probe interval; overlapping probes are skipped. */
  async probe(): Promise<boolean> {
    if (this.probing) return this.reachable;
    this.probing = true;
    let timer: NodeJS.Timeout | undefined;
    try {
      const admin = (this.admin ??= this.kafka.admin({ retry: { retries: 0 } }));
      const roundTrip = (async () => {
        await admin.connect();
        await admin.describeCluster();
      })();
      roundTrip.catch(() => undefined);
      await Promise.race([
        roundTrip,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error('broker probe timed out')),
            this.settings.INGEST_BROKER_PROBE_INTERVAL_MS,
          );
        }),
      ]);
      this.reachable = true;
    } catch {
      this.reachable = false;
      // A fresh client next time: kafkajs' admin keeps no useful state across a lost broker.
      const stale = this.admin;
      this.admin = undefined;
      await stale?.disconnect().catch(() => undefined);
    } finally {
      clearTimeout(timer);
      this.probing = false;
    }
    return this.reachable;
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.admin?.disconnect().catch(() => undefined);
  }
}
