// Memory and CPU figures of another process from /proc/<pid> (Linux), for the benchmarks.
import { readFileSync } from 'node:fs';

/**
 * A size field of the status file (`VmRSS`, `VmHWM`, ...) in MiB; NaN when the field is missing.
 * Throws when the process is gone.
 */
export function statusMib(pid, field) {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat (clock ticks of
 * 1/100 s, the Linux default). Throws when the process is gone.
 */
export function cpuSeconds(pid) {
  // The command name may hold spaces or parentheses: the fields start after its last ')'.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
