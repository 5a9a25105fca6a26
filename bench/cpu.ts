import fs from 'node:fs';

/**
 * CPU time spent, read from /proc. On a 2-core machine throughput is bounded by the CPU each
 * request costs in the server and in PostgreSQL together, so these numbers say where a ratio
 * goes. USER_HZ is 100 on Linux, so one tick is 10 ms.
 */
const MS_PER_TICK = 10;

export function processCpuMs(pid: number): number {
  try {
    // Fields after "(comm) ": state is [0], utime [11], stime [12].
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
  } catch {
    return 0; // the process ended between listing and reading
  }
}

/** Every PostgreSQL server process on this machine (others' sessions included: it is a shared server). */
export function postgresCpuMs(): number {
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') total += processCpuMs(Number(entry));
    } catch {
      // gone already
    }
  }
  return total;
}

/** A process and its direct children (a primary and its FIREBREAK_WORKERS), as listed now. */
export function processTreeCpuMs(pid: number): number {
  let total = processCpuMs(pid);
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field [1] after "(comm) " is the parent's pid.
      const parent = Number(fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      if (parent === pid) total += processCpuMs(Number(entry));
    } catch {
      // gone already
    }
  }
  return total;
}
