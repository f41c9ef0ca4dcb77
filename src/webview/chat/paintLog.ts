/**
 * The benchmark's window into rendering: which chunk reached the DOM when,
 * and which main-thread tasks ran long. Typed arrays, so recording paints
 * allocates nothing while the benchmark measures.
 */
import type { BenchmarkHooks, LongFrameScript, LongTaskLog, LongTaskRecord, PaintLog, PaintRecord, PingRecord } from '../../shared/chatBenchmarkHooks';

declare global {
  interface Window {
    __switchboardPaints?: PaintLog;
    __switchboardLongTasks?: LongTaskLog;
    __switchboardBenchmark?: BenchmarkHooks;
  }
}

export class PaintRingBuffer implements PaintLog {
  private readonly seqs: Float64Array;
  private readonly receivedTimes: Float64Array;
  private readonly times: Float64Array;
  private readonly renderTimes: Float64Array;
  private readonly presentedTimes: Float64Array;
  private count = 0;
  /** Records from here on may still wait for `present`. */
  private unpresented = 0;

  constructor(readonly capacity = 65_536) {
    this.seqs = new Float64Array(capacity);
    this.receivedTimes = new Float64Array(capacity);
    this.times = new Float64Array(capacity);
    this.renderTimes = new Float64Array(capacity);
    this.presentedTimes = new Float64Array(capacity);
  }

  get written(): number {
    return this.count;
  }

  /** `presentedAt`: NaN when the frame that shows it is still to come; `present` stamps it then. */
  record(seq: number, receivedAt: number, paintedAt: number, renderMs: number, presentedAt: number): void {
    const slot = this.count % this.capacity;
    this.seqs[slot] = seq;
    this.receivedTimes[slot] = receivedAt;
    this.times[slot] = paintedAt;
    this.renderTimes[slot] = renderMs;
    this.presentedTimes[slot] = presentedAt;
    this.count++;
  }

  /** The animation frame that shows every record still waiting for one has started, at `at`. */
  present(at: number): void {
    for (let i = Math.max(this.unpresented, this.count - this.capacity); i < this.count; i++) {
      const slot = i % this.capacity;
      if (Number.isNaN(this.presentedTimes[slot])) this.presentedTimes[slot] = at;
    }
    this.unpresented = this.count;
  }

  entries(): PaintRecord[] {
    const kept = Math.min(this.count, this.capacity);
    const records: PaintRecord[] = [];
    for (let i = this.count - kept; i < this.count; i++) {
      const slot = i % this.capacity;
      records.push({
        seq: this.seqs[slot] ?? -1,
        receivedAt: this.receivedTimes[slot] ?? 0,
        paintedAt: this.times[slot] ?? 0,
        renderMs: this.renderTimes[slot] ?? 0,
        presentedAt: this.presentedTimes[slot] ?? Number.NaN,
      });
    }
    return records;
  }

  clear(): void {
    this.count = 0;
    this.unpresented = 0;
  }
}

export function installPaintLog(): PaintRingBuffer {
  const log = new PaintRingBuffer();
  window.__switchboardPaints = log;
  return log;
}

/** Chromium reports tasks and frames of 50 ms or more; a pathological run must not grow this without end. */
const MAX_LONG_TASKS = 10_000;
const LONG_TASK_TYPES = ['longtask', 'long-animation-frame'];

/** Starts collecting long tasks and long animation frames into `window.__switchboardLongTasks`. */
export function installLongTaskLog(): void {
  const supported = typeof PerformanceObserver === 'undefined' ? [] : (PerformanceObserver.supportedEntryTypes ?? []);
  const observed = LONG_TASK_TYPES.filter((type) => supported.includes(type));
  const records: LongTaskRecord[] = [];
  if (observed.length > 0) {
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (records.length >= MAX_LONG_TASKS) return;
        records.push(longTaskRecord(entry));
      }
    });
    for (const type of observed) observer.observe({ type, buffered: true });
  }
  window.__switchboardLongTasks = {
    observed,
    entries: () => records.slice(),
    clear: () => {
      records.length = 0;
    },
  };
}

/** The parts of a `long-animation-frame` entry (PerformanceLongAnimationFrameTiming) the benchmark reads. */
interface LongAnimationFrameFields {
  renderStart?: number;
  styleAndLayoutStart?: number;
  scripts?: ReadonlyArray<Partial<LongFrameScript>>;
}

/** A long task or frame as recorded; a long frame keeps its script attribution, to tell whose work made it long. */
export function longTaskRecord(entry: PerformanceEntry): LongTaskRecord {
  const record: LongTaskRecord = { type: entry.entryType, name: entry.name, startTime: entry.startTime, duration: entry.duration };
  if (entry.entryType !== 'long-animation-frame') return record;
  const frame = entry as PerformanceEntry & LongAnimationFrameFields;
  return {
    ...record,
    renderStart: frame.renderStart ?? 0,
    styleAndLayoutStart: frame.styleAndLayoutStart ?? 0,
    scripts: (frame.scripts ?? []).map((script) => ({
      invokerType: String(script.invokerType ?? ''),
      invoker: String(script.invoker ?? ''),
      sourceURL: String(script.sourceURL ?? ''),
      sourceFunctionName: String(script.sourceFunctionName ?? ''),
      sourceCharPosition: Number(script.sourceCharPosition ?? -1),
      startTime: Number(script.startTime ?? 0),
      duration: Number(script.duration ?? 0),
      forcedStyleAndLayoutDuration: Number(script.forcedStyleAndLayoutDuration ?? 0),
    })),
  };
}

/** Most pings kept; the bench asks for a few hundred. */
const MAX_PINGS = 10_000;

/** Where the relay baseline's pings are recorded as they arrive (`window.__switchboardPings` via the hooks). */
export class PingLog {
  private readonly records: PingRecord[] = [];

  record(seq: number, sentAt: number): void {
    if (this.records.length < MAX_PINGS) this.records.push({ seq, sentAt, receivedAt: performance.now() });
  }

  entries(): PingRecord[] {
    return this.records.slice();
  }
}

/** `window.__switchboardBenchmark`: the bench asks the host for pings through the page's own channel. */
export function installBenchmarkHooks(pings: PingLog, requestPings: (count: number, intervalMs: number) => void): BenchmarkHooks {
  const hooks: BenchmarkHooks = { requestPings, pings: () => pings.entries(), variants: new Set() };
  window.__switchboardBenchmark = hooks;
  return hooks;
}
