import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/**
 * CPU time of processes, read from /proc (Linux): what measure.ts divides by
 * the tasks imported. On a shared, loaded machine, CPU per task is the honest
 * figure; tasks/s depends on what else runs.
 */

// USER_HZ: /proc/<pid>/stat counts in ticks of 1/100 s on every Linux Node runs on.
const TICK_MS = 10;

/** utime + stime (fields 14, 15) of a process, and of its reaped children (16, 17), in ms. */
export function cpuOf(pid: number | 'self'): { own: number; children: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const at = (field: number) => Number(fields[field - 3]) * TICK_MS;
  return { own: at(14) + at(15), children: at(16) + at(17) };
}

/** The PostgreSQL backends serving `database` (their title is "postgres: … <user> <database> <client> …"). */
export function postgresBackends(database: string): number[] {
  return processes().filter(({ cmdline }) => cmdline.startsWith('postgres:') && cmdline.split(' ').includes(database)).map(({ pid }) => pid);
}

/** PostgreSQL's WAL writer: the commits of any database on the cluster, this import's among them. */
export function postgresWalWriter(): number[] {
  return processes().filter(({ cmdline }) => cmdline.startsWith('postgres:') && cmdline.includes('walwriter')).map(({ pid }) => pid);
}

/** The process listening on a TCP port of this machine (via the socket's inode), if it can be seen. */
export function listenerOf(port: number): number | undefined {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const row of text.split('\n').slice(1)) {
      const columns = row.trim().split(/\s+/);
      // local_address is HEX_IP:HEX_PORT, st 0A is LISTEN, the inode is column 10.
      if (columns[3] === '0A' && Number.parseInt(columns[1]?.split(':')[1] ?? '', 16) === port) inodes.add(columns[9]!);
    }
  }
  for (const { pid } of processes()) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (target.startsWith('socket:[') && inodes.has(target.slice(8, -1))) return pid;
      } catch {
        // Closed meanwhile.
      }
    }
  }
  return undefined;
}

function processes(): { pid: number; cmdline: string }[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        return [{ pid: Number(name), cmdline: readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ').trim() }];
      } catch {
        return [];
      }
    });
}

/** Total CPU ms of the given processes, each counted from its first sample (a backend opened mid-run from 0). */
export class CpuMeter {
  private readonly start = new Map<number, number>();
  private readonly last = new Map<number, number>();

  constructor(private readonly find: () => number[]) {}

  /** Reads every process now; call before, during (a backend may exit) and after. */
  sample(initial = false): void {
    for (const pid of this.find()) {
      const cpu = cpuOf(pid);
      if (!cpu) continue;
      if (!this.start.has(pid)) this.start.set(pid, initial ? cpu.own : 0);
      this.last.set(pid, cpu.own);
    }
  }

  get ms(): number {
    let total = 0;
    for (const [pid, last] of this.last) total += last - (this.start.get(pid) ?? 0);
    return total;
  }
}
