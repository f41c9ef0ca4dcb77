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
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { rendererWork, WORK_CATEGORIES, type RendererWork } from './rendererWork';

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

/** One event of Chromium's JSON trace format; times in microseconds, `tts`/`tdur` on the thread's CPU clock. */
export interface TraceEvent {
  name: string;
  ph: string;
  cat?: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tts?: number;
  tdur?: number;
  args?: Record<string, unknown>;
  /** Events carry more (`s`, `id`, `bind_id`…) that nothing here reads. */
  [field: string]: unknown;
}

/** `work`: also the categories that break the renderers' time down by kind (rendererWork.ts); they cost some tracing overhead. */
export async function startMainThreadTrace(browser: Browser, page: Page, work = false): Promise<void> {
  await browser.startTracing(page, { categories: work ? [...CATEGORIES, ...WORK_CATEGORIES] : CATEGORIES });
}

/** `webviewScript`: the panel's script URL, which tells its script from the workbench's (rendererWork.ts). */
export async function stopMainThreadTrace(browser: Browser, webviewScript?: string): Promise<{ tasks: MainThreadTasks; work?: RendererWork }> {
  const buffer = await browser.stopTracing();
  // For a closer look in chrome://tracing or Perfetto: the whole trace, one file per stream.
  const keep = process.env.SWITCHBOARD_BENCH_TRACE_DIR;
  if (keep) writeFileSync(path.join(keep, `chat-trace-${Date.now()}.json`), buffer);
  const parsed = JSON.parse(buffer.toString('utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  return { tasks: longMainThreadTasks(events), ...(webviewScript !== undefined ? { work: rendererWork(events, webviewScript) } : {}) };
}

/** Renderer main-thread tasks of 50 ms or more in `events`, with the CPU time and GC in each. */
export function longMainThreadTasks(events: readonly TraceEvent[]): MainThreadTasks {
  const rendererMain = new Set(
    events.filter((event) => event.ph === 'M' && event.name === 'thread_name' && event.args?.name === 'CrRendererMain').map(threadOf),
  );
  const slices = completeSlices(events.filter((event) => rendererMain.has(threadOf(event))));
  const tasks = outermost(slices.filter((slice) => TASK_NAMES.has(slice.name) && slice.dur >= LONG_TASK_MS * 1000));
  const gcByThread = new Map<string, Slice[]>();
  for (const slice of slices) {
    if (!(slice.name.startsWith('V8.GC') || slice.name === 'MajorGC' || slice.name === 'MinorGC')) continue;
    const onThread = gcByThread.get(slice.thread) ?? [];
    onThread.push(slice);
    gcByThread.set(slice.thread, onThread);
  }
  const traced = tasks.map((task): TracedTask => {
    const start = task.ts;
    const end = task.ts + task.dur;
    const gc = (gcByThread.get(task.thread) ?? [])
      .filter((event) => event.ts < end && event.ts + event.dur > start)
      .map((event): [number, number] => [Math.max(start, event.ts), Math.min(end, event.ts + event.dur)]);
    return {
      wallMs: round(task.dur / 1000),
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

/** A slice of a thread's time, whichever way the trace wrote it. */
interface Slice {
  name: string;
  thread: string;
  ts: number;
  dur: number;
  tdur?: number;
}

function threadOf(event: TraceEvent): string {
  return `${event.pid}:${event.tid}`;
}

/**
 * Complete (`X`) events as they are, and begin/end (`B`/`E`) pairs joined:
 * Chromium writes both. An `E` closes the innermost `B` open on its thread (the
 * legacy writer may leave its name off); a `B` never closed (still running when
 * tracing stopped) has no known length and is left out.
 */
function completeSlices(events: readonly TraceEvent[]): Slice[] {
  const slices: Slice[] = [];
  const open = new Map<string, TraceEvent[]>();
  // A stable sort: events with the same timestamp keep the order their thread wrote them in.
  for (const event of [...events].sort((a, b) => a.ts - b.ts)) {
    const thread = threadOf(event);
    if (event.ph === 'X' && event.dur !== undefined) {
      slices.push({ name: event.name, thread, ts: event.ts, dur: event.dur, ...(event.tdur !== undefined ? { tdur: event.tdur } : {}) });
    } else if (event.ph === 'B') {
      const stack = open.get(thread) ?? [];
      stack.push(event);
      open.set(thread, stack);
    } else if (event.ph === 'E') {
      const begin = open.get(thread)?.pop();
      if (!begin) continue;
      const tdur = begin.tts !== undefined && event.tts !== undefined ? { tdur: event.tts - begin.tts } : {};
      slices.push({ name: begin.name, thread, ts: begin.ts, dur: event.ts - begin.ts, ...tdur });
    }
  }
  return slices;
}

/** Drops a task run inside another on its thread (a nested run loop): its time is already the outer task's. */
function outermost(tasks: Slice[]): Slice[] {
  const kept: Slice[] = [];
  const reach = new Map<string, number>();
  for (const task of [...tasks].sort((a, b) => a.ts - b.ts || b.dur - a.dur)) {
    if (task.ts < (reach.get(task.thread) ?? -Infinity)) continue;
    kept.push(task);
    reach.set(task.thread, task.ts + task.dur);
  }
  return kept;
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
