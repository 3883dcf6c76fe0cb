// Announces permanent failures on a configurable webhook (ticketing system or chat). Best effort:
// the dead letter is the record of truth, so a webhook outage is logged, never fatal.
import { type Logger } from '@crm/observability';
import { request } from 'undici';

export interface Alert {
  service: string;
  reason: string;
  conversationId: string | null;
  updateId: string | null;
  recordKey: string | null;
  detail: string;
  retriable: boolean;
  at: number;
}

export class AlertWebhook {
  constructor(
    private readonly url: string | undefined,
    private readonly logger: Logger,
    private readonly timeoutMs = 5_000,
  ) {}

  async send(alert: Alert): Promise<void> {
    if (!this.url) return;
    try {
      const response = await request(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alert),
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await response.body.dump();
      if (response.statusCode >= 300)
        this.logger.warn(
          { status: response.statusCode, reason: alert.reason },
          'alert webhook refused the alert',
        );
    } catch (error) {
      this.logger.warn({ err: error, reason: alert.reason }, 'alert webhook unreachable');
    }
  }
}
