import assert from 'node:assert/strict';
import { longMainThreadTasks, type TraceEvent } from '../../bench/mainThreadTrace';

// Hand-built events in the shape Chromium writes them (Playwright's browser.startTracing with the
// categories the bench asks for): microseconds throughout, `tts`/`tdur` the thread's CPU clock,
// thread names as `M` metadata events, tasks as `toplevel` slices and V8's GC phases nested.
const RENDERER = 6604;
const RENDERER_MAIN = 6604;
const RENDERER_WORKER = 6615;
const BROWSER = 6501;
const T0 = 1_035_300_000;

const metadata: TraceEvent[] = [
  { name: 'thread_name', ph: 'M', cat: '__metadata', pid: BROWSER, tid: BROWSER, ts: 0, args: { name: 'CrBrowserMain' } },
  { name: 'thread_name', ph: 'M', cat: '__metadata', pid: RENDERER, tid: RENDERER_MAIN, ts: 0, args: { name: 'CrRendererMain' } },
  { name: 'thread_name', ph: 'M', cat: '__metadata', pid: RENDERER, tid: RENDERER_WORKER, ts: 0, args: { name: 'ThreadPoolForegroundWorker' } },
  { name: 'process_name', ph: 'M', cat: '__metadata', pid: RENDERER, tid: 0, ts: 0, args: { name: 'Renderer' } },
];

/** A complete (`X`) toplevel task; `tdur` omitted when `cpuUs` is undefined, as Chromium does when it has no thread time. */
function task(at: number, durUs: number, cpuUs: number | undefined, where = { pid: RENDERER, tid: RENDERER_MAIN }): TraceEvent {
  return {
    name: 'ThreadControllerImpl::RunTask',
    cat: 'toplevel',
    ph: 'X',
    ...where,
    ts: T0 + at,
    dur: durUs,
    ...(cpuUs !== undefined ? { tts: 40_000 + at, tdur: cpuUs } : {}),
    args: { src_file: 'third_party/blink/renderer/core/scheduler/dom_timer.cc', src_func: 'DOMTimer' },
  };
}

function gc(name: string, at: number, durUs: number, where = { pid: RENDERER, tid: RENDERER_MAIN }): TraceEvent {
  return { name, cat: 'devtools.timeline,disabled-by-default-v8.gc', ph: 'X', ...where, ts: T0 + at, dur: durUs, tts: 40_000 + at, tdur: durUs, args: {} };
}

describe('bench: long renderer main-thread tasks from a Chromium trace', () => {
  it('reports tasks of 50 ms or more on a renderer main thread, with wall and CPU time in ms, and nothing else', () => {
    const result = longMainThreadTasks([
      ...metadata,
      task(0, 150_128, 60_850),
      // Under the threshold, just: not counted.
      task(200_000, 49_999, 49_000),
      // Exactly 50 ms counts.
      task(300_000, 50_000, 50_000),
      // Long, but on the browser's main thread and on a renderer worker: not the page's main thread.
      task(400_000, 300_000, 300_000, { pid: BROWSER, tid: BROWSER }),
      { ...task(400_000, 300_000, 300_000, { pid: RENDERER, tid: RENDERER_WORKER }), name: 'ThreadPool_RunTask' },
      // Long, on the main thread, but not a task (a mojo message handled inside one).
      { ...task(800_000, 90_000, 90_000), name: 'Receive mojo message', cat: 'toplevel,mojom' },
      // Instant and flow events carry no duration.
      { name: 'V8.GCTraceGCNVP', cat: 'disabled-by-default-v8.gc', ph: 'I', s: 't', pid: RENDERER, tid: RENDERER_MAIN, ts: T0 + 10, tts: 40_010, args: {} },
      { name: 'cc::TaskGraphWorkQueue::ScheduleTasks', cat: 'toplevel', ph: 's', id: '0x1', pid: RENDERER, tid: RENDERER_MAIN, ts: T0 + 20 },
    ]);
    assert.deepEqual(result, {
      tasksOver50Ms: 2,
      totals: { wallMs: 200.1, cpuMs: 110.9, gcMs: 0 },
      longest: [
        { wallMs: 150.1, cpuMs: 60.9, gcMs: 0 },
        { wallMs: 50, cpuMs: 50, gcMs: 0 },
      ],
    });
  });

  it('attributes the main thread’s V8 GC inside each task once, however its phases nest, clipped to the task', () => {
    const result = longMainThreadTasks([
      ...metadata,
      task(0, 100_000, 40_000),
      // A scavenge: the whole, its phases inside it, and the prologue beside it (2 + 17 ms of GC).
      gc('V8.GC_HEAP_EXTERNAL_PROLOGUE', 2_000, 2_000),
      gc('V8.GC_SCAVENGER', 10_000, 17_000),
      gc('V8.GC_SCAVENGER_SCAVENGE', 10_010, 16_900),
      gc('V8.GC_SCAVENGER_SCAVENGE_PARALLEL_PHASE', 19_000, 7_700),
      // Not V8's GC, though in its category.
      gc('Parallel scavenge started', 30_000, 1_000),
      // The parallel helpers run on a worker: GC, but not the main thread's time.
      gc('V8.GC_SCAVENGER_BACKGROUND_SCAVENGE_PARALLEL', 40_000, 7_000, { pid: RENDERER, tid: RENDERER_WORKER }),
      // Begins inside the task and ends 4 ms after it: 6 ms of it are in the task.
      gc('V8.GC_MC_INCREMENTAL', 94_000, 10_000),
      // Between tasks: in no task.
      gc('V8.GC_SCAVENGER', 150_000, 30_000),
      task(200_000, 60_000, 60_000),
    ]);
    assert.deepEqual(result.longest, [
      { wallMs: 100, cpuMs: 40, gcMs: 25 },
      { wallMs: 60, cpuMs: 60, gcMs: 0 },
    ]);
    assert.deepEqual(result.totals, { wallMs: 160, cpuMs: 100, gcMs: 25 });
  });

  it('lists the five longest, longest first, and sums them all', () => {
    const durations = [70, 55, 120, 51, 90, 200, 65];
    const result = longMainThreadTasks([...metadata, ...durations.map((ms, index) => task(index * 1_000_000, ms * 1_000, ms * 500))]);
    assert.equal(result.tasksOver50Ms, 7);
    assert.deepEqual(
      result.longest.map((longTask) => longTask.wallMs),
      [200, 120, 90, 70, 65],
    );
    assert.deepEqual(result.totals, { wallMs: 651, cpuMs: 325.5, gcMs: 0 });
  });

  it('leaves CPU time out of a task the trace has no thread time for (and out of the CPU total)', () => {
    const result = longMainThreadTasks([...metadata, task(0, 80_000, undefined), task(100_000, 70_000, 35_000)]);
    assert.deepEqual(result.longest, [{ wallMs: 80, gcMs: 0 }, { wallMs: 70, cpuMs: 35, gcMs: 0 }]);
    assert.deepEqual(result.totals, { wallMs: 150, cpuMs: 35, gcMs: 0 });
  });

  it('reads tasks and GC written as begin/end (B/E) pairs, the CPU time from their thread timestamps', () => {
    const where = { pid: RENDERER, tid: RENDERER_MAIN };
    const result = longMainThreadTasks([
      ...metadata,
      { name: 'ThreadControllerImpl::RunTask', cat: 'toplevel', ph: 'B', ...where, ts: T0, tts: 40_000, args: {} },
      { name: 'V8.GC_MARK_COMPACTOR', cat: 'devtools.timeline,disabled-by-default-v8.gc', ph: 'B', ...where, ts: T0 + 10_000, tts: 45_000, args: {} },
      // Chromium's legacy writer may leave the name off an end event: it closes the innermost open one.
      { name: '', cat: 'devtools.timeline,disabled-by-default-v8.gc', ph: 'E', ...where, ts: T0 + 22_000, tts: 57_000, args: {} },
      { name: 'ThreadControllerImpl::RunTask', cat: 'toplevel', ph: 'E', ...where, ts: T0 + 75_000, tts: 70_000, args: {} },
    ]);
    assert.deepEqual(result, { tasksOver50Ms: 1, totals: { wallMs: 75, cpuMs: 30, gcMs: 12 }, longest: [{ wallMs: 75, cpuMs: 30, gcMs: 12 }] });
  });

  it('leaves out a task still open when tracing stopped (a B without its E): its length is unknown', () => {
    const where = { pid: RENDERER, tid: RENDERER_MAIN };
    const result = longMainThreadTasks([
      ...metadata,
      task(0, 60_000, 30_000),
      { name: 'ThreadControllerImpl::RunTask', cat: 'toplevel', ph: 'B', ...where, ts: T0 + 100_000, tts: 90_000, args: {} },
      gc('V8.GC_SCAVENGER', 150_000, 10_000),
    ]);
    assert.deepEqual(result, { tasksOver50Ms: 1, totals: { wallMs: 60, cpuMs: 30, gcMs: 0 }, longest: [{ wallMs: 60, cpuMs: 30, gcMs: 0 }] });
  });

  it('counts a task run inside another (a nested run loop) once, as the outer task', () => {
    const result = longMainThreadTasks([...metadata, task(0, 300_000, 200_000), task(100_000, 120_000, 100_000), { ...task(150_000, 60_000, 60_000), name: 'RunTask' }]);
    assert.deepEqual(result, { tasksOver50Ms: 1, totals: { wallMs: 300, cpuMs: 200, gcMs: 0 }, longest: [{ wallMs: 300, cpuMs: 200, gcMs: 0 }] });
  });

  it('reports nothing from a trace without a renderer main thread', () => {
    const result = longMainThreadTasks([task(0, 500_000, 500_000)]);
    assert.deepEqual(result, { tasksOver50Ms: 0, totals: { wallMs: 0, cpuMs: 0, gcMs: 0 }, longest: [] });
  });
});
