/**
 * CPU time by process group over a stretch of a benchmark, from Linux's
 * /proc: which of VS Code's processes, Chromium's and the bench's own did the
 * work, and how much the rest of the machine took meanwhile. On a shared
 * machine that decides whether a latency is ours or a queue behind someone else.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  commandLine: string;
  /** Parent, grandparent, … up to init. */
  ancestors: Array<{ pid: number; commandLine: string }>;
}

export interface CpuGroup {
  name: string;
  /** First matching group wins. */
  matches: (process: ProcessInfo) => boolean;
}

export interface CpuUsage {
  wallSeconds: number;
  /** CPU seconds per group, plus 'rest of the machine' (all busy time not in a group). */
  cpuSeconds: Record<string, number>;
  /** Busy share of all cores over the stretch, 0..1. */
  machineBusy: number;
}

interface Snapshot {
  at: number;
  byGroup: Map<string, number>;
  busyTicks: number;
  totalTicks: number;
}

export class CpuSampler {
  private readonly ticksPerSecond = clockTicks();
  private start: Snapshot | undefined;

  constructor(private readonly groups: CpuGroup[]) {}

  /** False off Linux: then `stop()` returns undefined. */
  static get supported(): boolean {
    return existsSync('/proc/stat');
  }

  begin(): void {
    if (CpuSampler.supported) this.start = this.snapshot();
  }

  stop(): CpuUsage | undefined {
    if (!this.start) return undefined;
    const end = this.snapshot();
    const cpuSeconds: Record<string, number> = {};
    let grouped = 0;
    for (const group of this.groups) {
      const ticks = (end.byGroup.get(group.name) ?? 0) - (this.start.byGroup.get(group.name) ?? 0);
      grouped += Math.max(0, ticks);
      cpuSeconds[group.name] = round(Math.max(0, ticks) / this.ticksPerSecond);
    }
    const busy = end.busyTicks - this.start.busyTicks;
    cpuSeconds['rest of the machine'] = round(Math.max(0, busy - grouped) / this.ticksPerSecond);
    const total = end.totalTicks - this.start.totalTicks;
    return { wallSeconds: round((end.at - this.start.at) / 1000), cpuSeconds, machineBusy: total > 0 ? round(busy / total) : 0 };
  }

  private snapshot(): Snapshot {
    const processes = new Map<number, { parent: number; ticks: number; commandLine: string }>();
    for (const entry of readdirSync('/proc')) {
      const pid = Number(entry);
      if (!Number.isInteger(pid)) continue;
      const stat = processStat(pid);
      if (stat) processes.set(pid, { ...stat, commandLine: readCommandLine(pid) });
    }
    const byGroup = new Map<string, number>();
    for (const [pid, { ticks, commandLine }] of processes) {
      const ancestors: ProcessInfo['ancestors'] = [];
      for (let parent = processes.get(pid)?.parent; parent && ancestors.length < 64; parent = processes.get(parent)?.parent) {
        ancestors.push({ pid: parent, commandLine: processes.get(parent)?.commandLine ?? '' });
      }
      const group = this.groups.find((candidate) => candidate.matches({ pid, commandLine, ancestors }));
      if (group) byGroup.set(group.name, (byGroup.get(group.name) ?? 0) + ticks);
    }
    // cpu  user nice system idle iowait irq softirq steal …: idle and iowait are not busy.
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    const totalTicks = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
    const idleTicks = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { at: Date.now(), byGroup, busyTicks: totalTicks - idleTicks, totalTicks };
  }
}

/** Parent pid, and utime + stime (all threads) of a process; undefined when it is gone. */
function processStat(pid: number): { parent: number; ticks: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may hold spaces; the fields after it are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { parent: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

function readCommandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

function round(value: number): number {
  return Number(value.toFixed(2));
}

/**
 * CPU seconds by thread name in a set of processes (Chromium's), over a stretch:
 * `<process type>/<thread name>` (`renderer/CrRendererMain`,
 * `renderer/CompositorTileW`, `gpu-process/VizCompositorTh`…), summed over
 * processes of that type. From /proc, so the trace's own cost does not show in it;
 * a thread that ends inside the stretch loses its ticks.
 */
export class ThreadCpuSampler {
  private readonly ticksPerSecond = clockTicks();
  private start: Map<string, number> | undefined;
  private startedAt = 0;

  constructor(private readonly matches: (process: ProcessInfo) => boolean) {}

  begin(): void {
    if (!CpuSampler.supported) return;
    this.startedAt = Date.now();
    this.start = this.snapshot();
  }

  /** Threads with at least 10 ms, busiest first; undefined off Linux. */
  stop(): { wallSeconds: number; threads: Array<{ thread: string; cpuSeconds: number }> } | undefined {
    if (!this.start) return undefined;
    const end = this.snapshot();
    const threads = [...end]
      .map(([thread, ticks]) => ({ thread, cpuSeconds: round(Math.max(0, ticks - (this.start?.get(thread) ?? 0)) / this.ticksPerSecond) }))
      .filter((entry) => entry.cpuSeconds >= 0.01)
      .sort((a, b) => b.cpuSeconds - a.cpuSeconds);
    return { wallSeconds: round((Date.now() - this.startedAt) / 1000), threads };
  }

  private snapshot(): Map<string, number> {
    const processes = new Map<number, { parent: number; commandLine: string }>();
    for (const entry of readdirSync('/proc')) {
      const pid = Number(entry);
      if (!Number.isInteger(pid)) continue;
      const stat = processStat(pid);
      if (stat) processes.set(pid, { parent: stat.parent, commandLine: readCommandLine(pid) });
    }
    const byThread = new Map<string, number>();
    for (const [pid, { commandLine }] of processes) {
      const ancestors: ProcessInfo['ancestors'] = [];
      for (let parent = processes.get(pid)?.parent; parent && ancestors.length < 64; parent = processes.get(parent)?.parent) {
        ancestors.push({ pid: parent, commandLine: processes.get(parent)?.commandLine ?? '' });
      }
      if (!this.matches({ pid, commandLine, ancestors })) continue;
      const type = /--type=(\S+)/.exec(commandLine)?.[1] ?? 'browser';
      let tasks: string[];
      try {
        tasks = readdirSync(`/proc/${pid}/task`);
      } catch {
        continue;
      }
      for (const tid of tasks) {
        const thread = threadStat(pid, Number(tid));
        if (!thread) continue;
        // Pooled threads are numbered (`ThreadPoolForeg`, `CompositorTileW` are cut to 15 characters already): one row per pool.
        // A process's first thread keeps the process's own name (`chromium`): it is the main thread.
        const key = `${type}/${Number(tid) === pid ? 'main' : thread.name.replace(/\d+$/, '')}`;
        byThread.set(key, (byThread.get(key) ?? 0) + thread.ticks);
      }
    }
    return byThread;
  }
}

function threadStat(pid: number, tid: number): { name: string; ticks: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { name, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}
