/**
 * The cost dashboard's page drawing the view messages the host sent while
 * requests streamed in, and views of the whole year: the real bundle under
 * the host's CSP in headless Chromium (the harness of test/webview). Per
 * message: the page's message handler (the protocol check), its draw (the
 * requestAnimationFrame callback: Chart.js and the text tables), and the time
 * from posting to the frame after the draw (style, layout and paint
 * included). Long animation frames (50 ms or more) are counted as Chromium
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
  /** long-animation-frame entries (Chromium reports frames of 50 ms or more), and the longest. */
  longFrames: number;
  longestFrameMs: number;
}

interface BenchGlobals {
  __bench: { handlers: number[]; draws: number[]; frames: number[]; raf: typeof requestAnimationFrame };
}

/** Runs in the page before the bundle: times the bundle's message listeners and animation-frame callbacks. */
function instrument(): void {
  const bench = { handlers: [] as number[], draws: [] as number[], frames: [] as number[], raf: window.requestAnimationFrame.bind(window) };
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
    new PerformanceObserver((list) => bench.frames.push(...list.getEntries().map((entry) => entry.duration))).observe({ type: 'long-animation-frame', buffered: true });
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
    const samples: { post: number; handler: number; draw: number }[] = [];
    for (const message of messages) {
      samples.push(
        await page.evaluate(async (m) => {
          const bench = (window as unknown as BenchGlobals).__bench;
          const [draws, handlers] = [bench.draws.length, bench.handlers.length];
          const start = performance.now();
          window.postMessage(m, '*');
          // The draw is the bundle's next animation-frame callback; the frame after it is painted.
          await new Promise<void>((resolve) => {
            const check = () => (bench.draws.length > draws ? bench.raf(() => resolve()) : bench.raf(check));
            bench.raf(check);
          });
          return { post: performance.now() - start, handler: Math.max(0, ...bench.handlers.slice(handlers)), draw: Math.max(0, ...bench.draws.slice(draws)) };
        }, message),
      );
    }
    const frames = await page.evaluate(() => (window as unknown as BenchGlobals).__bench.frames);
    // The first message draws the page's charts for the first time; the rest are updates.
    const updates = samples.slice(1);
    return {
      messages: messages.length,
      handlerMs: rounded(summarize(updates.map((sample) => sample.handler)), 2),
      drawMs: rounded(summarize(updates.map((sample) => sample.draw)), 2),
      longestTaskMs: rounded(summarize(updates.map((sample) => Math.max(sample.handler, sample.draw))), 2),
      postToFrameMs: rounded(summarize(updates.map((sample) => sample.post)), 2),
      longFrames: frames.length,
      longestFrameMs: Number(Math.max(0, ...frames).toFixed(1)),
    };
  } finally {
    await browser.close();
    await server.close();
  }
}
