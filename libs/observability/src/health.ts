// Liveness is "the process answers"; readiness is every registered check passing (a consumer that
// joined its group, a producer that connected). Checks are cheap and synchronous-or-fast.
export type ReadinessCheck = () => boolean | Promise<boolean>;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, boolean>;
}

export class HealthRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();
  private shuttingDown = false;

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** On SIGTERM: report not ready at once so the load balancer stops sending work. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  async readiness(): Promise<ReadinessReport> {
    const checks: Record<string, boolean> = {};
    for (const [name, check] of this.checks) {
      try {
        checks[name] = await check();
      } catch {
        checks[name] = false;
      }
    }
    checks['not-shutting-down'] = !this.shuttingDown;
    return { ready: Object.values(checks).every(Boolean), checks };
  }
}
