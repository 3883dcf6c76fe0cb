// SIGTERM/SIGINT: stop taking work, drain, close in order, exit; a deadline guarantees exit even
// when a close hangs (Kubernetes sends SIGKILL after terminationGracePeriodSeconds anyway).
import { type Logger } from '@crm/observability';

export type Closer = { name: string; close: () => Promise<void> | void };

export function onShutdown(logger: Logger, closers: Closer[], deadlineMs = 25_000): void {
  let shuttingDown = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ deadlineMs }, 'shutdown deadline passed; exiting');
      process.exit(1);
    }, deadlineMs);
    timer.unref();
    void (async () => {
      for (const closer of closers) {
        try {
          await closer.close();
        } catch (error) {
          logger.warn({ err: error, closer: closer.name }, 'close failed during shutdown');
        }
      }
      logger.info('shut down cleanly');
      process.exit(0);
    })();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
