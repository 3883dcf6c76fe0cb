// Broker tests isolate by randomness: a topic and a group of their own per test.
import { randomBytes } from 'node:crypto';

export function uniqueName(prefix: string): string {
  return `${prefix}.${Date.now().toString(36)}.${randomBytes(4).toString('hex')}`;
}
