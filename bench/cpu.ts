import { readdirSync, readFileSync } from "node:fs";
import type pg from "pg";

/** Linux's clock ticks per second for /proc/<pid>/stat times (USER_HZ, 100 on every x86 build). */
const TICKS_PER_SECOND = 100;

/** user + system CPU of one process in ms, or undefined once it is gone. */
function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** The process and its direct children (the instance's expression workers). */
function withChildren(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // the process ended while listing
    }
  }
  return [pid, ...children];
}

/**
 * CPU time spent during a measured window by a set of processes that may change while it runs:
 * sampled every 250 ms, each process counts from its first sample (0 if it appeared during the
 * window) to its last. A process that ends between two samples loses at most 250 ms of its time.
 */
class CpuMeter {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;
  private sampling: Promise<void> = Promise.resolve();

  constructor(private readonly pids: () => Promise<number[]> | number[]) {
    this.sampling = this.sample(true);
    this.timer = setInterval(() => {
      this.sampling = this.sampling.then(() => this.sample(false));
    }, 250);
  }

  private async sample(start: boolean) {
    for (const pid of await this.pids()) {
      const ms = processCpuMs(pid);
      if (ms === undefined) continue;
      if (!this.first.has(pid)) this.first.set(pid, start ? ms : 0);
      this.last.set(pid, ms);
    }
  }

  async stop(): Promise<number> {
    clearInterval(this.timer);
    await this.sampling;
    await this.sample(false);
    let total = 0;
    for (const [pid, end] of this.last) total += end - (this.first.get(pid) ?? 0);
    return total;
  }
}

/** CPU of the Node instance (and its expression worker processes) during a window. */
export function nodeCpu(instancePid: number) {
  return new CpuMeter(() => withChildren(instancePid));
}

/**
 * CPU of the PostgreSQL backends serving one database during a window (the server's shared
 * background processes, also busy with other databases, are left out).
 */
export function postgresCpu(admin: pg.Client, database: string) {
  return new CpuMeter(async () => {
    const { rows } = await admin.query<{ pid: number }>(
      "select pid from pg_stat_activity where datname = $1",
      [database],
    );
    return rows.map((row) => row.pid);
  });
}
