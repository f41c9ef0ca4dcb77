/**
 * Browser entry of the chat benchmark's naive baseline (bundled by
 * bench/chatStreaming.ts, never shipped): what a panel does when it re-renders
 * the whole message for every chunk. It uses the panel's own renderMarkdown
 * (marked, highlight.js, DOMPurify) and stylesheet, so the only difference
 * from the product is incremental rendering.
 *
 * A worker plays the chunks at the times they reached the extension host in
 * the real run and posts each one to the page, as the host posts each chunk
 * to the webview; the page appends it, renders the whole text, replaces the
 * answer's DOM and reads layout, one task per chunk.
 */
import type { LongTaskRecord } from '../src/shared/chatBenchmarkHooks';
import { renderMarkdown } from '../src/webview/chat/markdown';

export interface NaiveRunConfig {
  chunks: string[];
  /** When to post each chunk, ms after the start. */
  offsets: number[];
  /** After this many ms from the start, chunks are appended but no longer rendered, so a run that falls behind still ends. */
  deadlineMs: number;
}

export interface NaiveUpdate {
  seq: number;
  /** Epoch ms when the worker posted the chunk. */
  sentAt: number;
  /** Epoch ms when the chunk's update had been laid out. */
  paintedAt: number;
  /** Render, DOM replacement and layout for this chunk. */
  costMs: number;
}

export interface NaiveProgress {
  received: number;
  rendered: number;
  /** Chunks that arrived after the deadline and were not rendered. */
  skipped: number;
}

export interface NaiveResults {
  updates: NaiveUpdate[];
  longTasks: LongTaskRecord[];
  /** `performance.now()` when the run started and when its last chunk arrived. */
  startedAt: number;
  lastReceivedAt: number;
}

export interface NaiveChatPage {
  start(config: NaiveRunConfig): void;
  progress(): NaiveProgress;
  results(): NaiveResults;
  /** Renders the first `length` characters of `text` whole, for each length: ms per render, layout included. */
  wholeRenderCosts(text: string, lengths: number[]): Promise<number[]>;
}

declare global {
  interface Window {
    __naiveChat?: NaiveChatPage;
  }
}

// Plain JavaScript: it runs as a worker from a blob, outside the bundle.
const FEEDER = `
onmessage = (event) => {
  const { chunks, offsets } = event.data;
  const start = performance.now();
  let next = 0;
  const tick = () => {
    const elapsed = performance.now() - start;
    while (next < chunks.length && offsets[next] <= elapsed) {
      postMessage({ seq: next, text: chunks[next], sentAt: performance.timeOrigin + performance.now() });
      next++;
    }
    if (next < chunks.length) setTimeout(tick, Math.max(0, offsets[next] - elapsed));
  };
  tick();
};
`;

const list = document.getElementById('messages') as HTMLElement;
const answer = document.querySelector<HTMLElement>('.message.assistant .markdown') as HTMLElement;

const longTasks: LongTaskRecord[] = [];
const supported = PerformanceObserver.supportedEntryTypes ?? [];
const observer = new PerformanceObserver((entries) => {
  for (const entry of entries.getEntries()) {
    longTasks.push({ type: entry.entryType, name: entry.name, startTime: entry.startTime, duration: entry.duration });
  }
});
for (const type of ['longtask', 'long-animation-frame']) if (supported.includes(type)) observer.observe({ type, buffered: true });

const updates: NaiveUpdate[] = [];
const progress: NaiveProgress = { received: 0, rendered: 0, skipped: 0 };
let startedAt = 0;
let lastReceivedAt = 0;

function renderWhole(source: string): void {
  answer.replaceChildren(renderMarkdown(source));
  // As the panel does: follow the answer, which reads layout.
  list.scrollTop = list.scrollHeight;
  void list.scrollHeight;
}

window.__naiveChat = {
  start(config) {
    let source = '';
    startedAt = performance.now();
    const deadline = startedAt + config.deadlineMs;
    const worker = new Worker(URL.createObjectURL(new Blob([FEEDER], { type: 'text/javascript' })));
    worker.onmessage = (event: MessageEvent<{ seq: number; text: string; sentAt: number }>) => {
      const { seq, text, sentAt } = event.data;
      source += text;
      progress.received++;
      lastReceivedAt = performance.now();
      if (progress.received === config.chunks.length) worker.terminate();
      if (lastReceivedAt > deadline) {
        progress.skipped++;
        return;
      }
      const begun = performance.now();
      renderWhole(source);
      const ended = performance.now();
      progress.rendered++;
      updates.push({ seq, sentAt, paintedAt: performance.timeOrigin + ended, costMs: ended - begun });
    };
    worker.postMessage({ chunks: config.chunks, offsets: config.offsets });
  },
  progress: () => ({ ...progress }),
  results: () => ({ updates, longTasks: longTasks.slice(), startedAt, lastReceivedAt }),
  async wholeRenderCosts(text, lengths) {
    const costs: number[] = [];
    for (const length of lengths) {
      // One task per render, as in the streamed run.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const begun = performance.now();
      renderWhole(text.slice(0, length));
      costs.push(performance.now() - begun);
    }
    return costs;
  },
};
