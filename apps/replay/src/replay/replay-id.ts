// Run ids: sortable by start time and short enough to type after --resume.
import { randomBytes } from 'node:crypto';

export function newRunId(prefix: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${prefix}-${stamp}-${randomBytes(3).toString('hex')}`;
}
