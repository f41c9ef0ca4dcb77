/**
 * What made a renderer main-thread task long, from a Chromium trace of the
 * stream: for each task of 50 ms or more on a renderer's main thread (where the
 * workbench and, in code-server, the same-origin webview both run), its wall
 * time, the CPU time the thread actually got in it, and the V8 garbage
 * collection inside it. Wall time far above CPU time means the thread was
 * waiting for a core (a busy machine), not working; GC is work no script
 * attribution names. Categories are kept to `toplevel` and V8's GC, so the
 * trace stays small and costs little.
 */
import type { Browser, Page } from 'playwright-core';

export interface TracedTask {
  wallMs: number;
  /** Thread CPU time in the task; undefined when the trace has none. */
  cpuMs?: number;
  gcMs: number;
}

export interface MainThreadTasks {
  /** Renderer main-thread tasks of 50 ms or more. */
  tasksOver50Ms: number;
  /** Of those, wall time summed, CPU time summed, GC summed. */
  totals: { wallMs: number; cpuMs: number; gcMs: number };
  /** The five longest. */
  longest: TracedTask[];
}

const CATEGORIES = ['toplevel', 'disabled-by-default-v8.gc'];
const TASK_NAMES = new Set(['ThreadControllerImpl::RunTask', 'RunTask']);
const LONG_TASK_MS = 50;

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

export async function startMainThreadTrace(browser: Browser, page: Page): Promise<void> {
  await browser.startTracing(page, { categories: CATEGORIES });
}

export async function stopMainThreadTrace(browser: Browser): Promise<MainThreadTasks> {
  const buffer = await browser.stopTracing();
  const parsed = JSON.parse(buffer.toString('utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  return longMainThreadTasks(Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []));
}

/** Renderer main-thread tasks of 50 ms or more in `events`, with the CPU time and GC in each. */
export function longMainThreadTasks(events: readonly TraceEvent[]): MainThreadTasks {
  const rendererMain = new Set(
    events.filter((event) => event.ph === 'M' && event.name === 'thread_name' && event.args?.name === 'CrRendererMain').map((event) => `${event.pid}:${event.tid}`),
  );
  const onMain = (event: TraceEvent) => event.ph === 'X' && event.dur !== undefined && rendererMain.has(`${event.pid}:${event.tid}`);
  const tasks = events.filter((event) => onMain(event) && TASK_NAMES.has(event.name) && (event.dur ?? 0) >= LONG_TASK_MS * 1000);
  const gcByThread = new Map<string, TraceEvent[]>();
  for (const event of events) {
    if (!onMain(event) || !(event.name.startsWith('V8.GC') || event.name === 'MajorGC' || event.name === 'MinorGC')) continue;
    const key = `${event.pid}:${event.tid}`;
    gcByThread.set(key, [...(gcByThread.get(key) ?? []), event]);
  }
  const traced = tasks.map((task): TracedTask => {
    const start = task.ts;
    const end = task.ts + (task.dur ?? 0);
    const gc = (gcByThread.get(`${task.pid}:${task.tid}`) ?? [])
      .filter((event) => event.ts < end && event.ts + (event.dur ?? 0) > start)
      .map((event): [number, number] => [Math.max(start, event.ts), Math.min(end, event.ts + (event.dur ?? 0))]);
    return {
      wallMs: round((task.dur ?? 0) / 1000),
      ...(task.tdur !== undefined ? { cpuMs: round(task.tdur / 1000) } : {}),
      gcMs: round(unionLength(gc) / 1000),
    };
  });
  const sum = (values: number[]) => round(values.reduce((total, value) => total + value, 0));
  return {
    tasksOver50Ms: traced.length,
    totals: { wallMs: sum(traced.map((task) => task.wallMs)), cpuMs: sum(traced.map((task) => task.cpuMs ?? 0)), gcMs: sum(traced.map((task) => task.gcMs)) },
    longest: [...traced].sort((a, b) => b.wallMs - a.wallMs).slice(0, 5),
  };
}

/** Total length covered by intervals that may nest or overlap (V8's GC phases nest). */
function unionLength(intervals: Array<[number, number]>): number {
  let total = 0;
  let reach = -Infinity;
  for (const [start, end] of [...intervals].sort((a, b) => a[0] - b[0])) {
    if (end <= reach) continue;
    total += end - Math.max(start, reach);
    reach = end;
  }
  return total;
}

function round(value: number): number {
  return Number(value.toFixed(1));
}
