// Memory figures of another process from /proc/<pid>/status (Linux), for the benchmarks.
import { readFileSync } from 'node:fs';

/**
 * A size field of the status file (`VmRSS`, `VmHWM`, ...) in MiB; NaN when the field is missing.
 * Throws when the process is gone.
 */
export function statusMib(pid, field) {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}
