/**
 * Where Chromium's time went while an answer streamed, from the same trace that
 * finds the long tasks (mainThreadTrace.ts): CPU time by thread and by kind of
 * work (style, layout, paint, raster, composite, GC, script by origin, message
 * dispatch), second by second, and the frames each renderer produced. In
 * code-server the webview and the workbench share one renderer main thread, so
 * the relay of every chunk competes with everything else that thread does: this
 * says what that is, and whether it grows along the answer.
 */
import type { TraceEvent } from './mainThreadTrace';

export interface ThreadWork {
  /** `<process> <pid>/<thread name>`, digits of pooled threads' names kept. */
  thread: string;
  /** CPU the thread got inside traced slices (thread clock; wall time where the trace has none). */
  cpuMs: number;
}

export interface KindWork {
  kind: WorkKind;
  /** Exclusive time (a kind's slices minus what nests inside them), all threads of all renderers. */
  cpuMs: number;
  /** The same per second of the trace, from its first event. */
  perSecondMs: number[];
}

export interface RendererWork {
  seconds: number;
  threads: ThreadWork[];
  kinds: KindWork[];
  /**
   * Layout and paint by document (the workbench's, VS Code's webview host pages, the panel's), by the
   * frame each Layout or Paint event names: which document's work grows along the answer.
   */
  documents: Array<{ document: string; layoutMs: number; paintMs: number; layoutPerSecondMs: number[] }>;
  /** Per renderer process: main-thread frames begun and compositor frames drawn (a frame with nothing new makes neither). */
  frames: Array<{ process: string; mainFrames: number; drawnFrames: number; mainFramesPerSecond: number[] }>;
}

export const WORK_KINDS = [
  'script (Switchboard panel)',
  'script (VS Code webview host)',
  'script (workbench)',
  'script (other)',
  'message dispatch',
  'IPC (mojo)',
  'style',
  'layout',
  'paint',
  'raster',
  'composite',
  'GC',
  'hit test',
  'other traced',
] as const;
export type WorkKind = (typeof WORK_KINDS)[number];

/** Categories the bench's trace records: enough to name the kinds, not so many that tracing itself costs much. */
export const WORK_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.frame'];

const SCRIPT = new Set(['FunctionCall', 'EvaluateScript', 'v8.compile', 'v8.compileModule', 'TimerFire', 'FireAnimationFrame', 'FireIdleCallback', 'RunMicrotasks', 'v8.run', 'V8.Execute']);
const STYLE = new Set(['UpdateLayoutTree', 'RecalculateStyles', 'ParseAuthorStyleSheet', 'ScheduleStyleRecalculation']);
const LAYOUT = new Set(['Layout', 'PrePaint', 'IntersectionObserverController::computeIntersections', 'ComputeIntersections']);
const PAINT = new Set(['Paint', 'PaintImage', 'Layerize', 'UpdateLayer', 'UpdateLayerTree', 'PaintSetup']);
const RASTER = new Set(['RasterTask', 'Rasterize', 'Decode Image', 'ImageDecodeTask', 'GPUTask']);
const IPC = new Set(['Receive mojo message', 'Receive mojo reply', 'SimpleWatcher::OnHandleReady', 'EpollEvent']);
const COMPOSITE = new Set(['CompositeLayers', 'Commit', 'ActivateLayerTree', 'DrawFrame', 'Graphics.Pipeline', 'PipelineReporter', 'Screenshot']);

function kindOf(event: TraceEvent, origins: { webview: string }): WorkKind | undefined {
  const { name } = event;
  if (name.startsWith('V8.GC') || name === 'MajorGC' || name === 'MinorGC' || name.startsWith('BlinkGC') || name === 'ThreadState::performIdleLazySweep') return 'GC';
  if (name === 'EventDispatch') {
    const type = (event.args?.data as { type?: string } | undefined)?.type;
    return type === 'message' ? 'message dispatch' : 'script (other)';
  }
  if (SCRIPT.has(name)) {
    const data = event.args?.data as { url?: string; frame?: string } | undefined;
    const url = data?.url ?? '';
    if (url === '') return 'script (other)';
    if (url.includes(origins.webview)) return 'script (Switchboard panel)';
    // VS Code's own pages around every webview (webview/browser/pre/): they relay each message to the panel.
    return url.includes('/webview/browser/pre/') ? 'script (VS Code webview host)' : 'script (workbench)';
  }
  if (STYLE.has(name)) return 'style';
  if (LAYOUT.has(name)) return 'layout';
  if (PAINT.has(name)) return 'paint';
  if (RASTER.has(name)) return 'raster';
  if (COMPOSITE.has(name)) return 'composite';
  if (name === 'HitTest') return 'hit test';
  if (name === 'HandlePostMessage') return 'message dispatch';
  if (IPC.has(name)) return 'IPC (mojo)';
  return undefined;
}

interface Span {
  kind: WorkKind | undefined;
  start: number;
  end: number;
  /** Thread CPU, or wall time where the slice has no thread clock. */
  cost: number;
}

/**
 * `events` (microseconds) → work by thread, kind and second. `webviewMarker` is a
 * string found in the URLs of the webview's scripts and not in the workbench's
 * (in code-server both come from one origin; the webview's bundle is the extension's).
 */
export function rendererWork(events: readonly TraceEvent[], webviewMarker: string): RendererWork {
  const processNames = new Map<number, string>();
  const threadNames = new Map<string, string>();
  for (const event of events) {
    if (event.ph !== 'M') continue;
    const name = String(event.args?.name ?? '');
    if (event.name === 'process_name') processNames.set(event.pid, name);
    else if (event.name === 'thread_name') threadNames.set(`${event.pid}:${event.tid}`, name);
  }
  const isRenderer = (pid: number) => processNames.get(pid) === 'Renderer';
  const timed = events.filter((event) => event.ts > 0 && (event.ph === 'X' || event.ph === 'B' || event.ph === 'E'));
  // A loop, not Math.min(...): a stream's trace has far more events than a call's arguments may be.
  let origin = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const event of timed) {
    origin = Math.min(origin, event.ts);
    end = Math.max(end, event.ts + (event.dur ?? 0));
  }
  if (timed.length === 0) origin = 0;
  const seconds = Math.max(1, Math.ceil((end - origin) / 1e6));

  const byThread = new Map<string, TraceEvent[]>();
  for (const event of timed) {
    if (!isRenderer(event.pid)) continue;
    const key = `${event.pid}:${event.tid}`;
    const list = byThread.get(key) ?? [];
    list.push(event);
    byThread.set(key, list);
  }

  const frameUrls = new Map<string, string>();
  for (const event of events) {
    const data = event.args?.data as { frame?: string; url?: string; frames?: Array<{ frame?: string; url?: string }> } | undefined;
    for (const frame of data?.frames ?? []) if (frame.frame && frame.url) frameUrls.set(frame.frame, frame.url);
    if ((event.name === 'FrameCommittedInBrowser' || event.name === 'CommitLoad') && data?.frame && data.url) frameUrls.set(data.frame, data.url);
  }
  const documentOf = (frame: string | undefined): string => {
    const url = frame === undefined ? '' : (frameUrls.get(frame) ?? '');
    if (url.includes('/webview/browser/pre/')) return url.includes('fake.html') ? 'panel' : 'webview host';
    if (url === '') return 'unknown';
    return url.startsWith('http') && !url.includes('/static/') ? 'workbench' : url.slice(0, 60);
  };
  const documents = new Map<string, { layout: number[]; paint: number }>();
  for (const event of timed) {
    if (!isRenderer(event.pid) || event.ph !== 'X' || event.dur === undefined) continue;
    if (event.name !== 'Layout' && event.name !== 'Paint') continue;
    const args = event.args as { beginData?: { frame?: string }; data?: { frame?: string } } | undefined;
    const name = documentOf(args?.beginData?.frame ?? args?.data?.frame);
    const entry = documents.get(name) ?? { layout: new Array<number>(seconds).fill(0), paint: 0 };
    const cost = event.tdur ?? event.dur;
    if (event.name === 'Paint') entry.paint += cost;
    else {
      const second = Math.min(seconds - 1, Math.max(0, Math.floor((event.ts - origin) / 1e6)));
      entry.layout[second] = (entry.layout[second] ?? 0) + cost;
    }
    documents.set(name, entry);
  }

  const kindTotals = new Map<WorkKind, number[]>(WORK_KINDS.map((kind) => [kind, new Array<number>(seconds).fill(0)]));
  const threads: ThreadWork[] = [];
  for (const [key, list] of byThread) {
    const spans = spansOf(list, (event) => kindOf(event, { webview: webviewMarker }));
    // Exclusive cost: a span's own minus the spans directly inside it, so nothing counts twice.
    const stack: Array<Span & { own: number }> = [];
    let threadCost = 0;
    const settle = (span: Span & { own: number }) => {
      const kind = span.kind ?? inheritedKind(stack);
      if (kind === undefined) return;
      const perSecond = kindTotals.get(kind) as number[];
      const second = Math.min(seconds - 1, Math.max(0, Math.floor((span.start - origin) / 1e6)));
      perSecond[second] = (perSecond[second] ?? 0) + Math.max(0, span.own);
    };
    for (const span of spans) {
      while (stack.length > 0 && (stack.at(-1) as Span).end <= span.start) settle(stack.pop() as Span & { own: number });
      const parent = stack.at(-1);
      if (parent) parent.own -= span.cost;
      else threadCost += span.cost;
      stack.push({ ...span, own: span.cost });
    }
    while (stack.length > 0) settle(stack.pop() as Span & { own: number });
    const [pid] = key.split(':');
    threads.push({ thread: `renderer ${pid}/${threadNames.get(key) ?? key}`, cpuMs: round(threadCost / 1000) });
  }

  // Time inside a task that no named kind claims ('other traced') is the task's own: scheduling, IPC, mojo.
  const kinds = WORK_KINDS.map((kind): KindWork => {
    const perSecond = (kindTotals.get(kind) as number[]).map((us) => round(us / 1000));
    return { kind, cpuMs: round(perSecond.reduce((sum, value) => sum + value, 0)), perSecondMs: perSecond };
  });

  const frames = [...new Set([...byThread.keys()].map((key) => Number(key.split(':')[0])))].map((pid) => {
    const beginMain = events.filter((event) => event.pid === pid && event.name === 'BeginMainThreadFrame');
    const drawn = events.filter((event) => event.pid === pid && event.name === 'DrawFrame' && event.ph !== 'E');
    const perSecond = new Array<number>(seconds).fill(0);
    for (const event of beginMain) {
      const second = Math.min(seconds - 1, Math.max(0, Math.floor((event.ts - origin) / 1e6)));
      perSecond[second] = (perSecond[second] ?? 0) + 1;
    }
    return { process: `renderer ${pid}`, mainFrames: beginMain.length, drawnFrames: drawn.length, mainFramesPerSecond: perSecond };
  });

  const byDocument = [...documents].map(([document, entry]) => ({
    document,
    layoutMs: round(entry.layout.reduce((sum, us) => sum + us, 0) / 1000),
    paintMs: round(entry.paint / 1000),
    layoutPerSecondMs: entry.layout.map((us) => round(us / 1000)),
  }));
  return {
    seconds,
    threads: threads.sort((a, b) => b.cpuMs - a.cpuMs),
    kinds,
    documents: byDocument.sort((a, b) => b.layoutMs + b.paintMs - (a.layoutMs + a.paintMs)),
    frames: frames.sort((a, b) => b.mainFrames - a.mainFrames) };
}

/** A slice without a kind inside one with a kind (a RunTask inside a FunctionCall's nested loop is rare) counts as the nearest kind above it. */
function inheritedKind(stack: ReadonlyArray<Span>): WorkKind {
  for (let i = stack.length - 1; i >= 0; i--) {
    const kind = stack[i]?.kind;
    if (kind) return kind;
  }
  return 'other traced';
}

/** Slices of one thread, outermost first at equal starts, from `X` events and `B`/`E` pairs. */
function spansOf(events: readonly TraceEvent[], kindOfEvent: (event: TraceEvent) => WorkKind | undefined): Span[] {
  const spans: Span[] = [];
  const open: TraceEvent[] = [];
  for (const event of [...events].sort((a, b) => a.ts - b.ts)) {
    if (event.ph === 'X' && event.dur !== undefined) {
      spans.push({ kind: kindOfEvent(event), start: event.ts, end: event.ts + event.dur, cost: event.tdur ?? event.dur });
    } else if (event.ph === 'B') {
      open.push(event);
    } else if (event.ph === 'E') {
      const begin = open.pop();
      if (!begin) continue;
      const cost = begin.tts !== undefined && event.tts !== undefined ? event.tts - begin.tts : event.ts - begin.ts;
      spans.push({ kind: kindOfEvent({ ...begin, args: { ...begin.args, ...event.args } }), start: begin.ts, end: event.ts, cost });
    }
  }
  return spans.sort((a, b) => a.start - b.start || b.end - a.end);
}

function round(value: number): number {
  return Number(value.toFixed(1));
}
