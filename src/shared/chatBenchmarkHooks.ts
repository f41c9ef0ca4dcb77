/**
 * What the chat panel's page exposes on `window` for the bench (bench/chatStreaming.ts) once an `init` says
 * `benchmark: true`: its paints, long tasks and the relay baseline's pings. Types only, shared by the page
 * (src/webview/chat/paintLog.ts) and the bench that reads them; the protocol itself is chatProtocol.ts.
 */

export interface PaintRecord {
  /** `chunk.seq` */
  seq: number;
  /** `performance.now()` when the chunk's message reached the page. */
  receivedAt: number;
  /** `performance.now()` after the chunk's text was put in the DOM and laid out. */
  paintedAt: number;
  /** How long that frame's render took (DOM update and layout), the same for every chunk painted in it. */
  renderMs: number;
  /**
   * `performance.now()` when the frame that shows it was under way: `paintedAt` when it was drawn in an
   * animation frame, else the start of the next animation frame (NaN until that frame comes).
   */
  presentedAt: number;
}

/** `window.__switchboardPaints`, present only after an `init` with `benchmark: true`. */
export interface PaintLog {
  /** Records kept; older ones are overwritten. */
  readonly capacity: number;
  /** Records ever written, including overwritten ones. */
  readonly written: number;
  /** The kept records, oldest first. */
  entries(): PaintRecord[];
  clear(): void;
}

/** A main-thread task (`longtask`) or frame (`long-animation-frame`) of 50 ms or more, as Chromium reports it. */
export interface LongTaskRecord {
  type: string;
  /** `longtask`: whose task it was ('self', 'same-origin-ancestor', …); `long-animation-frame`: the entry type. */
  name: string;
  /** `performance.now()` when it began. */
  startTime: number;
  duration: number;
  /** `long-animation-frame` only: when its rendering (rAF callbacks, then style and layout) began, 0 when it had none. */
  renderStart?: number;
  styleAndLayoutStart?: number;
  /** `long-animation-frame` only: the scripts that ran in it for 5 ms or more, as Chromium attributes them. */
  scripts?: LongFrameScript[];
}

/** One script of a long animation frame (PerformanceScriptTiming). */
export interface LongFrameScript {
  /** What ran it: 'user-callback', 'event-listener', 'resolve-promise', 'classic-script', … */
  invokerType: string;
  /** e.g. 'Window.requestIdleCallback', 'Window.onmessage', 'FrameRequestCallback'. */
  invoker: string;
  sourceURL: string;
  sourceFunctionName: string;
  sourceCharPosition: number;
  startTime: number;
  duration: number;
  /** Of `duration`, style and layout the script forced (reading layout after changing the DOM). */
  forcedStyleAndLayoutDuration: number;
}

/** `window.__switchboardPings`: the relay baseline's pings as they reached the page. */
export interface PingRecord {
  seq: number;
  /** The host's epoch time when it posted the ping, wall-clock corrected. */
  sentAt: number;
  /** `performance.now()` when the page received it. */
  receivedAt: number;
}

/** `window.__switchboardBenchmark`, present only after an `init` with `benchmark: true`. */
export interface BenchmarkHooks {
  /** Asks the host for the relay baseline's pings (see `benchmarkPings`). */
  requestPings(count: number, intervalMs: number): void;
  pings(): PingRecord[];
  /** Panel variants the bench measures against the shipped behaviour (bench/chatStreaming.ts's CHAT_EXPERIMENTS). */
  variants: Set<string>;
}

/** `window.__switchboardLongTasks`, present only after an `init` with `benchmark: true`. */
export interface LongTaskLog {
  /** The entry types this browser reports; empty when it supports neither. */
  readonly observed: readonly string[];
  entries(): LongTaskRecord[];
  clear(): void;
}
