// Memory and CPU figures of another process from /proc/<pid> (Linux), for the benchmarks.
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

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
  return cpuTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')) / 100;
}

/** User + system clock ticks from a /proc stat line (process or thread). */
function cpuTicks(stat) {
  // The command name may hold spaces or parentheses: the fields start after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * Starts measuring the CPU of other processes and of this one (the load generator). The returned
 * function gives, since the start, the cores each used (CPU seconds per wall second), this process
 * as 'load generator', and their 'total', rounded to 0.01.
 * @param {Array<[string, number]>} processes name and pid of each process to measure
 */
export function cpuMeter(processes) {
  const before = new Map(processes.map(([name, pid]) => [name, cpuSeconds(pid)]));
  const ownBefore = process.cpuUsage();
  const started = performance.now();
  return () => {
    const seconds = (performance.now() - started) / 1000;
    const own = process.cpuUsage(ownBefore);
    const cores = Object.fromEntries(
      processes.map(([name, pid]) => [name, (cpuSeconds(pid) - before.get(name)) / seconds]),
    );
    cores['load generator'] = (own.user + own.system) / 1e6 / seconds;
    const total = Object.values(cores).reduce((a, b) => a + b, 0);
    return Object.fromEntries(
      [...Object.entries(cores), ['total', total]].map(([name, value]) => [
        name,
        Math.round(value * 100) / 100,
      ]),
    );
  };
}

/**
 * CPU seconds the JIT compiler threads of a JVM (HotSpot's `C1 CompilerThre…`, `C2 CompilerThre…`)
 * have used so far, from /proc/<pid>/task. A fresh broker compiles for a minute or more under a new
 * load, at up to 0.4 cores on this box: a benchmark measuring it then measures the JIT.
 * Threads that end between the listing and the read are skipped.
 */
export function jvmCompilerSeconds(pid) {
  let ticks = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (/^C[12] CompilerThre/.test(name)) ticks += cpuTicks(stat);
    } catch {
      // the thread ended
    }
  }
  return ticks / 100;
}
