/**
 * The cost dashboard's page drawing the view messages the host sent while
 * requests streamed in, and views of the whole year: the real bundle under
 * the host's CSP in headless Chromium (the harness of test/webview). Per
 * message: the page's message handler (the protocol check), its draw (the
 * requestAnimationFrame callbacks, one part of the view each: Chart.js and the
 * text tables; the longest counts), and the time from posting to the frame
 * after the page says every part is drawn (style, layout and paint included). Long animation frames (50 ms or more) are counted as Chromium
 * reports them.
 */
import type { DashboardHostMessage } from '../src/shared/dashboardProtocol';
import { launchTestChromium } from '../test/webview/chatHarness';
import { serveDashboardPage } from '../test/webview/dashboardServer';
import { rounded, summarize, type Summary } from './stats';

export interface DrawReport {
  messages: number;
  handlerMs: Summary;
  drawMs: Summary;
  /** The longer of the two tasks an update takes in the page (handler, draw). */
  longestTaskMs: Summary;
  postToFrameMs: Summary;
  /** long-animation-frame entries (Chromium reports frames of 50 ms or more) while the updates were drawn, and the longest. */
  longFrames: number;
  longestFrameMs: number;
  /** What the longest of them spent its time on (scripts by their invoker, style and layout), when there is one. */
  longestFrameParts: string;
  /** Long animation frames before the updates: loading the page and drawing the first view. */
  firstDrawLongFrames: number;
}

/** A long animation frame: when it started, how long it took, and where the time went. */
interface LongFrame {
  start: number;
  duration: number;
  parts: string;
}

interface BenchGlobals {
  __bench: { handlers: number[]; draws: number[]; frames: LongFrame[]; raf: typeof requestAnimationFrame };
}

/** The fields of a long-animation-frame entry and its scripts that the bench reads (not yet in TypeScript's DOM types). */
interface LoafEntry extends PerformanceEntry {
  styleAndLayoutStart: number;
  scripts: { invoker: string; duration: number; forcedStyleAndLayoutDuration: number }[];
}

/** Runs in the page before the bundle: times the bundle's message listeners and animation-frame callbacks. */
function instrument(): void {
  const bench = { handlers: [] as number[], draws: [] as number[], frames: [] as LongFrame[], raf: window.requestAnimationFrame.bind(window) };
  Object.assign(window, { __bench: bench });
  window.requestAnimationFrame = (callback) =>
    bench.raf((time) => {
      const start = performance.now();
      callback(time);
      bench.draws.push(performance.now() - start);
    });
  const add = window.addEventListener.bind(window);
  window.addEventListener = ((type: string, listener: EventListener, options?: AddEventListenerOptions) => {
    if (type !== 'message') return add(type, listener, options);
    return add(
      type,
      (event: Event) => {
        const start = performance.now();
        listener(event);
        bench.handlers.push(performance.now() - start);
      },
      options,
    );
  }) as typeof window.addEventListener;
  if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) {
    // No named inner function: tsx's keepNames would wrap it in a helper the page does not have.
    new PerformanceObserver((list) =>
      bench.frames.push(
        ...(list.getEntries() as LoafEntry[]).map((entry) => ({
          start: entry.startTime,
          duration: entry.duration,
          parts: [
            ...entry.scripts.map((script) => `${script.invoker} ${script.duration.toFixed(0)} ms (forced style and layout ${script.forcedStyleAndLayoutDuration.toFixed(0)} ms)`),
            `style and layout at the frame's end ${(entry.startTime + entry.duration - entry.styleAndLayoutStart).toFixed(0)} ms`,
          ].join('; '),
        })),
      ),
    ).observe({ type: 'long-animation-frame', buffered: true });
  }
}

export async function measureDashboardDrawing(messages: readonly DashboardHostMessage[]): Promise<DrawReport> {
  const server = await serveDashboardPage({ minify: true });
  const browser = await launchTestChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.addInitScript(instrument);
    await page.goto(server.url);
    await page.waitForFunction(() => (window as unknown as { __test: { posted: unknown[] } }).__test.posted.length > 0);
    const samples: { start: number; post: number; handler: number; draw: number }[] = [];
    for (const message of messages) {
      samples.push(
        await page.evaluate(async (m) => {
          const bench = (window as unknown as BenchGlobals).__bench;
          const [draws, handlers] = [bench.draws.length, bench.handlers.length];
          const root = document.getElementById('switchboard-costs')!;
          const sent = Number(root.dataset.received ?? 0) + 1;
          const start = performance.now();
          window.postMessage(m, '*');
          // The page draws the view over a few animation frames and then says so on its root (data-drawn);
          // the frame after that is painted.
          await new Promise<void>((resolve) => {
            const check = () => (root.dataset.drawn === String(sent) ? bench.raf(() => resolve()) : bench.raf(check));
            bench.raf(check);
          });
          return { start, post: performance.now() - start, handler: Math.max(0, ...bench.handlers.slice(handlers)), draw: Math.max(0, ...bench.draws.slice(draws)) };
        }, message),
      );
    }
    // The first message draws the page's charts for the first time; the rest are updates.
    const updates = samples.slice(1);
    // Chromium reports a long frame to observers in a task after it: two frames on, then a task.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve)))));
    const frames = await page.evaluate(() => (window as unknown as BenchGlobals).__bench.frames);
    const updatesFrom = updates[0]?.start ?? Infinity;
    const duringUpdates = frames.filter((frame) => frame.start + frame.duration > updatesFrom);
    const longest = duringUpdates.reduce<LongFrame | undefined>((worst, frame) => (worst && worst.duration >= frame.duration ? worst : frame), undefined);
    return {
      messages: messages.length,
      handlerMs: rounded(summarize(updates.map((sample) => sample.handler)), 2),
      drawMs: rounded(summarize(updates.map((sample) => sample.draw)), 2),
      longestTaskMs: rounded(summarize(updates.map((sample) => Math.max(sample.handler, sample.draw))), 2),
      postToFrameMs: rounded(summarize(updates.map((sample) => sample.post)), 2),
      longFrames: duringUpdates.length,
      longestFrameMs: Number((longest?.duration ?? 0).toFixed(1)),
      longestFrameParts: longest?.parts ?? '',
      firstDrawLongFrames: frames.length - duringUpdates.length,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}
