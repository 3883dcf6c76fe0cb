// Counts CRM calls per contact update (crm_calls_per_conversation) without threading a counter
// through the lib: the update's handler runs inside a store, the CRM observer increments it.
import { AsyncLocalStorage } from 'node:async_hooks';

export class CrmCallCounter {
  private readonly storage = new AsyncLocalStorage<{ count: number }>();

  run<T>(initial: number, action: () => Promise<T>): { result: Promise<T>; calls: () => number } {
    const box = { count: initial };
    return { result: this.storage.run(box, action), calls: () => box.count };
  }

  increment(): void {
    const box = this.storage.getStore();
    if (box) box.count += 1;
  }
}
