// Hooks the lib calls at its edges so the app can record metrics without the lib knowing prom-client.
import { type CrmProvider } from '../errors/crm.error';

export interface CrmObserver {
  /** One HTTP exchange; status is the HTTP status, 'timeout' or 'error'. */
  request(provider: CrmProvider, operation: string, status: string, durationSeconds: number): void;
  /** 429 or REQUEST_LIMIT_EXCEEDED. */
  rateLimited(provider: CrmProvider): void;
}
