/**
 * Section 4: a long answer streamed into the chat panel of a real VS Code
 * (VS Code's server, the workbench in headless Chromium, Switchboard
 * installed from dist/), from the fake Anthropic server at a fixed rate.
 *
 * Measured per chunk: from its arrival at the extension host (the router's
 * onText; written by the extension when SWITCHBOARD_BENCHMARK_FILE is set) to
 * its text being in the webview's DOM and laid out (`window.__switchboardPaints`),
 * and to the animation frame that shows it: the same moment when it was drawn
 * in a frame, the start of the next frame when it was drawn between frames. Both sides record epoch times
 * (`performance.timeOrigin + performance.now()`) on the same machine; each
 * side's drift from the wall clock is measured and taken out. Also the webview's
 * long tasks and long animation frames (Chromium's PerformanceObserver).
 *
 * The panel is measured twice in the same run: first by VS Code's relay with
 * `switchboard.chat.flowControl` off (`switchboard.chat.directStream` off too:
 * the host posts at most one chunk message every 8 ms, however far behind the
 * relay is), then with the settings as shipped (the direct stream on: chunks
 * over a loopback response; flow control on, for what goes by postMessage);
 * the checks are the second's. Then
 * once more per CHAT_EXPERIMENTS entry asked for (settings as shipped, one change
 * made to the pages from outside; by default the status bar spinner, the off
 * state of a kept change).
 *
 * Before each question, the relay's own floor: a few hundred bare pings posted
 * by the host while nothing streams, timestamped on receipt by the webview.
 * The longest frames of both pages are printed with their scripts (the Long
 * Animation Frames API's attribution).
 *
 * Then a naive baseline in the same Chromium, with VS Code stopped: a page
 * with the panel's stylesheet and its own renderMarkdown that re-renders the
 * whole message for every chunk, fed the same chunks at the times they reached
 * the host (bench/naiveChatPage.ts).
 *
 * Alone: npx tsx bench/chatStreaming.ts [--chat-tokens N] [--chat-chunk-ms N] [--no-build] [--out PATH]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build, type BuildOptions } from 'esbuild';
import type { Browser, Frame, Page } from 'playwright-core';
import { launchChromium, VIEWPORT } from '../scripts/vscode/browser.mjs';
import { startVSCodeServer, type VSCodeServer } from '../scripts/vscode/server.mjs';
import type { BenchmarkHooks, LongTaskLog, LongTaskRecord, PaintLog, PingRecord } from '../src/shared/chatBenchmarkHooks';
import type { ChunkArrivalsFile } from '../src/vscode/chat/chunkArrivals';
import { runCommand, waitForWorkbench, webviewFrame } from '../test/e2e/harness';
import { startFakeProviders, type FakeProviders } from '../test/fakes/index';
import { splitIntoChunks } from '../test/fakes/fakeServer';
import { CHARS_PER_TOKEN, generateChatAnswer } from './chatAnswer';
import { startMainThreadTrace, stopMainThreadTrace, type MainThreadTasks } from './mainThreadTrace';
import { CpuSampler, ThreadCpuSampler, type CpuUsage, type ProcessInfo } from './processCpu';
import type { RendererWork } from './rendererWork';
import { installRelayProbe, readRelayProbe, splitRelay, type RelayProbeLog } from './workbenchRelayProbe';
import type { NaiveChatPage, NaiveResults } from './naiveChatPage';
import { type Check, checkLines, machineInfo, ms, table } from './report';
import { percentile, rounded, summarize, type Summary } from './stats';

export interface ChatStreamingOptions {
  root: string;
  /** Tokens in the answer, one a chunk (20,000). */
  tokens: number;
  /** Fake server's wait between chunks (2 ms: 500 tokens/s). */
  chunkDelayMs: number;
  /** Naive baseline: how long past the end of the stream it may keep rendering (10 s). */
  naiveGraceSeconds: number;
  /** Whole-message renders at evenly spaced lengths of the full answer, for the naive cost curve (60). */
  naiveSamples: number;
  /** Relay baseline: bare pings posted host → webview before the answer, and their interval (300, 20 ms). */
  pings: number;
  pingIntervalMs: number;
  /** Build dist/ (release) first. */
  build: boolean;
  /** Also write every sample (arrivals, paints, long tasks, naive updates) here as JSON, for a closer look. */
  rawOut?: string;
  seed: number;
  /** Names from CHAT_EXPERIMENTS: each an extra run, the settings as shipped, with that change made. */
  experiments?: string[];
  /**
   * Also trace the kinds of renderer work (rendererWork.ts: style, layout, paint, script by origin…). Off by default:
   * those categories slowed the stream itself (the host got 348–450 tokens/s instead of 500 with them on), so the
   * medians are measured with the light trace (long tasks and GC) as before 2026-12-02.
   */
  traceWork?: boolean;
  log: (line: string) => void;
}

/**
 * Changes tried from outside, each in its own run of the same bench, against
 * the flow-control run: style rules added to the workbench page or to the
 * panel (constructed style sheets, which the pages' CSP allows), to see whether
 * work the renderer does while an answer streams is what holds the relay back.
 */
export const CHAT_EXPERIMENTS: Record<
  string,
  {
    description: string;
    workbenchCss?: string;
    webviewCss?: string;
    workbenchMustMatch?: string;
    webviewVariants?: string[];
    settings?: Record<string, unknown>;
    /** Flags for VS Code's server: a change to VS Code's relay itself, to see what a part of it costs. */
    serverArgs?: string[];
  }
> = {
  // Not Switchboard's to change: how much of the relay is the WebSocket's permessage-deflate, which VS Code's server
  // negotiates with the browser, so every RPC write of the extension host and the workbench goes through zlib.
  'no-websocket-compression': {
    description: "VS Code's server started with --disable-websocket-compression (no permessage-deflate between the workbench and the extension host)",
    serverArgs: ['--disable-websocket-compression'],
  },
  // A setting of the extension, on against the default in the same run (bench/chatAB.ts alternates them).
  'frame-pacing': {
    description: 'switchboard.chat.framePacing on: at most one chunk message a frame of the panel, timed to arrive just before it',
    settings: { 'switchboard.chat.framePacing': true },
  },
  // The off state of a kept change (on by default since 2026-12-03): streamed text by VS Code's postMessage relay,
  // as before, instead of the loopback response (directStreamServer.ts). A/B: shipped (on) against this (off).
  'no-direct-stream': {
    description: "switchboard.chat.directStream off: chunks from the extension host to the panel by VS Code's postMessage relay, not the loopback response",
    settings: { 'switchboard.chat.directStream': false },
  },
  // The off state of a kept change: Switchboard's status bar icon spinning all through the answer, as before
  // it stopped at the first token (VS Code's own codicon-spin keyframes, on the item's icon).
  'status-spinner': {
    description: "Switchboard's status bar icon spinning all through the answer (as before the first-token change)",
    workbenchCss: '[id*="switchboard.status"] .codicon { animation: codicon-spin 1.5s steps(30) infinite !important; }',
    workbenchMustMatch: '[id*="switchboard.status"]',
  },
  // The off state of a kept change (2026-12-02): streamed text after a quiet frame drawn at once, between frames.
  // webviewVariants are added to the panel's benchmark hooks before the question (streamedTextDrawer.ts reads them).
  'draw-at-once': {
    description: 'the panel draws text that arrives after a quiet frame at once, between frames (as before it drew only in animation frames)',
    webviewVariants: ['draw-at-once'],
  },
  'no-workbench-animation': {
    description: 'every CSS animation and transition in the workbench page stopped (the status bar spinner among them)',
    workbenchCss: '*, *::before, *::after { animation: none !important; transition: none !important; }',
  },
  'composited-transcript': {
    description: "the transcript's scroller composited (will-change: scroll-position), so scrolling moves a layer",
    webviewCss: '#messages { will-change: scroll-position; }',
  },
};

/** A Summary with the 95th percentile too. */
export type LatencySummary = Summary & { p95: number };

export interface LongTaskSummary {
  /** Entry types Chromium reported in that page. */
  observed: string[];
  /** `longtask` entries by attribution ('self' is the page's own work). */
  tasksByAttribution: Record<string, { count: number; longestMs: number }>;
  /** Longest `longtask` entry attributed to the page itself, 0 when none reached 50 ms. */
  longestOwnTaskMs: number;
  /** Longest `longtask` entry of any attribution (another frame on the same thread included). */
  longestTaskMs: number;
  tasksOver50Ms: number;
  /** `long-animation-frame` entries: frames of 50 ms or more, scripts, style, layout and paint included. */
  longFrames: number;
  longestFrameMs: number;
  /** The three longest frames, with the scripts that ran in them (long animation frames' attribution). */
  longestFrames: LongFrameSummary[];
}

export interface LongFrameSummary {
  durationMs: number;
  /** Into the frame: when rendering (rAF callbacks) and style and layout began; undefined when the frame had none. */
  renderStartMs?: number;
  styleAndLayoutStartMs?: number;
  scripts: Array<{ invoker: string; source: string; durationMs: number; forcedLayoutMs: number; atMs: number }>;
}

/** One run of the real panel. */
export interface PanelRunReport {
  /** `switchboard.chat.flowControl` in this run. */
  flowControl: boolean;
  /** The CHAT_EXPERIMENTS entry this run tried, if any. */
  experiment?: string;
  chunksSent: number;
  /** Chunk messages the host posted to the webview, and acknowledgements it received (flow control). */
  messagesPosted: number;
  acksReceived: number;
    chunksArrivedAtHost: number;
    chunksPainted: number;
    /** First to last arrival at the host. */
    streamSeconds: number;
    arrivalTokensPerSecond: number;
    /** Enter pressed in the panel to the footer shown. */
    enterToFooterSeconds: number;
    /** Chunk arrival at the host to its text being in the DOM and laid out. */
    arrivalToPaintMs: LatencySummary;
    /** Chunk arrival at the host to the animation frame that shows it (the next frame when it was drawn between frames). */
    arrivalToPresentedMs: LatencySummary;
    /** The first part of it: arrival at the host to the chunk's message reaching the webview (VS Code's relay). */
    arrivalToWebviewMs: LatencySummary;
    /** The relay's floor in this run: a bare ping posted by the host while nothing streams, to its receipt in the webview. */
    idlePingMs: LatencySummary;
    /** The second part: the message reaching the webview to the end of the frame that painted it. */
    webviewToPaintMs: LatencySummary;
    /** Medians by tenth of the stream (chunks in seq order): a queue that builds up shows as a rising series. */
    byTenthMedianMs: { arrivalToPaint: number[]; arrivalToWebview: number[]; hostWait: number[] };
    /** The relay's first part, ours: a chunk's arrival at the host to the post of the message carrying it (flow control or batching). */
    hostWaitMs?: LatencySummary;
    /**
     * VS Code's relay split at the workbench (workbenchRelayProbe.ts), per chunk message: the host's post to the
     * workbench handing it to the webview's port, that to the panel's handler, and the panel's receipt to its
     * acknowledgement reaching the workbench; the same two legs for the idle pings.
     */
    relaySplitMs?: {
      hostToWorkbench: LatencySummary;
      workbenchToWebview: LatencySummary;
      webviewToWorkbenchAck: LatencySummary;
      pingHostToWorkbench: LatencySummary;
      pingWorkbenchToWebview: LatencySummary;
    };
    /** Per painted frame: the panel's render (DOM update and layout). */
    renderPerFrameMs: LatencySummary;
    frames: number;
    chunksPerFrame: { median: number; max: number };
    /** Between consecutive painted frames while the answer streamed: 16.7 ms when every frame is on time. */
    frameGapMs: LatencySummary;
    /** The five slowest frames: render time, chunks painted, and how far into the answer (characters). */
    slowestFrames: Array<{ renderMs: number; chunks: number; atCharacter: number }>;
    longTasks: LongTaskSummary;
    /** The workbench page's own observer (installed by the bench): VS Code's main thread, which relays every chunk. */
    workbenchLongTasks: LongTaskSummary;
    clock: { hostDriftMs: number; webviewDriftMs: number };
    webviewSize: { width: number; height: number };
    origins: { workbench: string; webview: string };
    /** CPU seconds by process from Enter to the footer (Linux only). */
    cpu?: CpuUsage;
    /** Renderer main-thread tasks of 50 ms or more in a Chromium trace of the stream: wall, CPU the thread got, GC. */
    mainThread: MainThreadTasks;
    /** The same trace broken down: renderer time by thread and kind, per second, and frames (rendererWork.ts). */
    rendererWork?: RendererWork;
    /** CPU seconds by Chromium thread from Enter to the footer, from /proc (not affected by what the trace records). */
    chromiumThreads?: { wallSeconds: number; threads: Array<{ thread: string; cpuSeconds: number }> };
    /** Extension host CPU per chunk that reached it, from Enter to the footer (all its work, ours and VS Code's). */
    extensionHostCpuMsPerChunk?: number;
}

export interface ChatStreamingReport {
  method: string;
  answer: { tokens: number; characters: number; codeBlocks: number; chunkDelayMs: number; nominalTokensPerSecond: number };
  /** With flow control (the default): what the checks measure. */
  switchboard: PanelRunReport;
  /** The same as `switchboard`, each with one of CHAT_EXPERIMENTS, later in the same run. */
  experiments: PanelRunReport[];
  /** The same answer with `switchboard.chat.flowControl` off, earlier in the same run. */
  withoutFlowControl: PanelRunReport;
  naive: {
    chunksSent: number;
    chunksRendered: number;
    chunksSkippedAfterDeadline: number;
    deadlineSeconds: number;
    /** Per chunk: render the whole message, replace the DOM, lay out. */
    updateCostMs: LatencySummary;
    /** Chunk posted by the feeder to its update laid out. */
    sentToPaintMs: LatencySummary;
    longTasks: LongTaskSummary;
    /** Whole-message render cost at evenly spaced lengths of the full answer. */
    wholeRenderAtLength: Array<{ characters: number; ms: number }>;
    /** Sum over every chunk of the whole-message render cost at its length, interpolated from the samples. */
    estimatedSecondsToRenderEveryChunk: number;
  };
  checks: Check[];
}

/** Everything this bench started descends from its process: VS Code's server (and its extension host) and Chromium. */
const isOurs = (process: ProcessInfo) => process.ancestors.some((ancestor) => ancestor.pid === globalThis.process.pid);
const isChromium = (process: ProcessInfo) => /chrom/i.test(process.commandLine.split(' ')[0] ?? '');
const CPU_GROUPS = [
  { name: 'bench + fake servers', matches: (process: ProcessInfo) => process.pid === globalThis.process.pid },
  { name: 'extension host', matches: (process: ProcessInfo) => isOurs(process) && process.commandLine.includes('--type=extensionHost') },
  { name: 'Chromium renderer', matches: (process: ProcessInfo) => isOurs(process) && isChromium(process) && process.commandLine.includes('--type=renderer') },
  { name: 'Chromium other', matches: (process: ProcessInfo) => isOurs(process) && isChromium(process) },
  { name: 'VS Code server', matches: isOurs },
];

const QUESTION = 'Walk me through the bugs in this service and show the fixed code.';
/** The route's model on the fake Anthropic server; any priced Anthropic model would do. */
const CHAT_MODEL = 'claude-sonnet-5';

export async function runChatStreamingBench(options: ChatStreamingOptions): Promise<ChatStreamingReport> {
  const { root, log } = options;
  if (options.build) await buildRelease(root, log);

  const answer = generateChatAnswer(options.seed, options.tokens);
  const chunks = splitIntoChunks(answer, options.tokens);
  const codeBlocks = Math.floor((answer.match(/^```/gm) ?? []).length / 2);
  log(`chat: ${chunks.length} chunks of ${CHARS_PER_TOKEN} characters (${answer.length} in all, ${codeBlocks} code blocks), one every ${options.chunkDelayMs} ms`);

  const temp = mkdtempSync(path.join(tmpdir(), 'switchboard-chat-bench-'));
  const browser = await launchChromium();
  try {
    const withoutFlowControl = await measureSwitchboard({ ...options, answer, chunks, temp, browser, flowControl: false });
    const real = await measureSwitchboard({ ...options, answer, chunks, temp, browser, flowControl: true });
    const experiments: RealRun[] = [];
    for (const experiment of options.experiments ?? []) {
      experiments.push(await measureSwitchboard({ ...options, answer, chunks, temp, browser, flowControl: true, experiment }));
    }
    const naive = await measureNaive({ ...options, answer, chunks, browser, real });
    if (options.rawOut) {
      mkdirSync(path.dirname(options.rawOut), { recursive: true });
      writeFileSync(options.rawOut, JSON.stringify({ real, withoutFlowControl, experiments, naive }));
      log(`chat: samples written to ${options.rawOut}`);
    }
    return buildReport(options, answer, chunks, codeBlocks, { real, withoutFlowControl, experiments }, naive);
  } finally {
    await browser.close().catch(() => undefined);
    rmSync(temp, { recursive: true, force: true });
  }
}

// ---- the real panel ----------------------------------------------------------

export interface RealRun {
  flowControl: boolean;
  experiment?: string;
  arrivals: ChunkArrivalsFile;
  paints: Array<{ seq: number; receivedAt: number; paintedAt: number; renderMs: number; presentedAt: number }>;
  pings: PingRecord[];
  webviewTimeOrigin: number;
  webviewDriftMs: number;
  longTasks: { observed: string[]; entries: LongTaskRecord[] };
  workbenchLongTasks: { observed: string[]; entries: LongTaskRecord[] };
  enterToFooterMs: number;
  origins: { workbench: string; webview: string };
  cpu: CpuUsage | undefined;
  mainThread: MainThreadTasks;
  rendererWork: RendererWork | undefined;
  chromiumThreads: ReturnType<ThreadCpuSampler['stop']>;
  webviewSize: { width: number; height: number };
  /** When the workbench handed each chunk message and ping to the webview, and got each acknowledgement back (workbenchRelayProbe.ts). */
  relayProbe?: RelayProbeLog;
  /** The webview's root style: VS Code's theme variables, for the naive page. */
  themeStyle: string;
}

export async function measureSwitchboard(
  options: ChatStreamingOptions & { answer: string; chunks: string[]; temp: string; browser: Browser; flowControl: boolean; experiment?: string },
): Promise<RealRun> {
  const { log, flowControl, experiment } = options;
  const change = experiment === undefined ? undefined : CHAT_EXPERIMENTS[experiment];
  if (experiment !== undefined && !change) throw new Error(`unknown chat experiment ${experiment}; known: ${Object.keys(CHAT_EXPERIMENTS).join(', ')}`);
  const temp = path.join(options.temp, `${flowControl ? 'flow-control-on' : 'flow-control-off'}${experiment ? `-${experiment}` : ''}`);
  const workspace = path.join(temp, 'workspace');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(path.join(workspace, 'README.md'), '# A service\n');
  const arrivalsFile = path.join(temp, 'chunk-arrivals.json');

  const fakes: FakeProviders = await startFakeProviders();
  let server: VSCodeServer | undefined;
  let page: Page | undefined;
  try {
    fakes.anthropic.scriptModel(CHAT_MODEL, { text: options.answer, chunks: options.tokens, chunkDelayMs: options.chunkDelayMs, firstByteDelayMs: 0 });
    log(`chat: starting VS Code with Switchboard installed, ${flowControl ? 'settings as shipped (switchboard.chat.directStream on, flowControl on)' : 'switchboard.chat.directStream and flowControl off'}${change ? `, ${change.description}` : ''}`);
    server = await startVSCodeServer({
      workspace,
      extensionDevelopmentPath: options.root,
      loadExtensionAs: 'installed',
      env: {
        ANTHROPIC_API_KEY: 'bench-fake-anthropic-key',
        OPENAI_API_KEY: 'sk-bench-fake-key',
        SWITCHBOARD_BENCHMARK_FILE: arrivalsFile,
        SWITCHBOARD_LEDGER: path.join(temp, 'ledger.jsonl'),
      },
      ...(change?.serverArgs ? { serverArgs: change.serverArgs } : {}),
      userSettings: {
        'switchboard.routes.chat': [`anthropic:${CHAT_MODEL}`],
        'switchboard.providers.anthropic.baseUrl': fakes.urls.anthropic.baseUrl,
        'switchboard.providers.openai.baseUrl': fakes.urls.openai.baseUrl,
        'switchboard.chat.maxTokens': Math.min(200_000, Math.max(4_096, options.tokens * 2)),
        'switchboard.completion.enabled': false,
        'switchboard.chat.flowControl': flowControl,
        // Flow control off is a measure of VS Code's relay: the direct stream (on as shipped) would bypass it.
        ...(flowControl ? {} : { 'switchboard.chat.directStream': false }),
        ...change?.settings,
      },
    });
    page = await options.browser.newPage({ viewport: VIEWPORT });
    page.setDefaultTimeout(60_000);
    await page.goto(server.url);
    await waitForWorkbench(page);
    await runCommand(page, 'Switchboard: Focus on Chat View', 60_000);
    const frame = await webviewFrame(page, '#switchboard-chat #prompt', 60_000);
    // The init message with benchmark: true installs the logs; without it nothing would be measured.
    await frame.waitForFunction(() => window.__switchboardPaints !== undefined && window.__switchboardLongTasks !== undefined, undefined, { timeout: 60_000 });
    await frame.evaluate(() => window.__switchboardLongTasks?.clear());
    if (change?.workbenchCss) await page.evaluate(addStyleRules, change.workbenchCss);
    if (change?.workbenchMustMatch) {
      const selector = change.workbenchMustMatch;
      const matched = await page.evaluate((query) => document.querySelectorAll(query).length, selector);
      if (matched === 0) throw new Error(`chat experiment ${experiment}: nothing in the workbench matches ${selector}, so it would change nothing`);
    }
    if (change?.webviewCss) await frame.evaluate(addStyleRules, change.webviewCss);
    for (const variant of change?.webviewVariants ?? []) await frame.evaluate((name) => (window.__switchboardBenchmark as BenchmarkHooks).variants.add(name), variant);
    // The webview's own long-task log (paintLog.ts), bundled and run in the workbench page too.
    await page.evaluate(await longTaskLogScript(options.root));
    const workbenchObserved = await page.evaluate(() => [...(window.__switchboardLongTasks?.observed ?? [])]);
    await installRelayProbe(page);

    log(`chat: relay baseline, ${options.pings} bare pings host → webview, one every ${options.pingIntervalMs} ms`);
    await frame.evaluate(({ count, intervalMs }) => (window.__switchboardBenchmark as BenchmarkHooks).requestPings(count, intervalMs), {
      count: options.pings,
      intervalMs: options.pingIntervalMs,
    });
    await frame.waitForFunction((count) => (window.__switchboardBenchmark as BenchmarkHooks).pings().length >= count, options.pings, {
      timeout: options.pings * options.pingIntervalMs * 4 + 60_000,
    });
    await frame.evaluate(() => window.__switchboardLongTasks?.clear());

    log(`chat: asking; the answer streams for about ${Math.round((options.tokens * options.chunkDelayMs) / 1000)} s`);
    const prompt = frame.locator('#prompt');
    await prompt.fill(QUESTION);
    // The panel's script, which tells its work from the workbench's in the trace (both are one origin in code-server).
    const webviewScript = await frame.evaluate(() => [...document.scripts].map((script) => script.src).find((src) => src !== '') ?? '');
    await startMainThreadTrace(options.browser, page, options.traceWork === true);
    const cpu = new CpuSampler(CPU_GROUPS);
    const threads = new ThreadCpuSampler((process) => isOurs(process) && isChromium(process));
    cpu.begin();
    threads.begin();
    const enteredAt = performance.now();
    await prompt.press('Enter');
    const streamBudgetMs = options.tokens * options.chunkDelayMs * 4 + 60_000;
    await frame.locator('.message.assistant .answer-footer').waitFor({ state: 'visible', timeout: streamBudgetMs });
    const enterToFooterMs = performance.now() - enteredAt;
    const cpuUsage = cpu.stop();
    const chromiumThreads = threads.stop();
    const trace = await stopMainThreadTrace(options.browser, options.traceWork === true ? webviewScript || undefined : undefined);

    const fromWebview = await readWebview(frame);
    const relayProbe = await readRelayProbe(page);
    const arrivals = JSON.parse(readFileSync(arrivalsFile, 'utf8')) as ChunkArrivalsFile;
    const workbenchLongTasks = { observed: workbenchObserved, entries: await page.evaluate(() => window.__switchboardLongTasks?.entries() ?? []) };
    const origins = { workbench: await page.evaluate(() => location.origin), webview: await frame.evaluate(() => location.origin) };
    if (flowControl && change?.settings?.['switchboard.chat.directStream'] !== false) {
      // Whether the answer came by the loopback response at all, or fell back to postMessage (acknowledged chunk messages).
      const fetched = await frame.evaluate(() => performance.getEntriesByType('resource').filter((entry) => entry.name.includes('/answer/')).length);
      log(`chat: direct stream: ${fetched} answer response(s) fetched by the panel; ${arrivals.acks} chunk acknowledgements (0 when every chunk came direct)`);
    }
    return {
      ...fromWebview,
      flowControl,
      ...(experiment ? { experiment } : {}),
      arrivals,
      enterToFooterMs,
      workbenchLongTasks,
      origins,
      cpu: cpuUsage,
      mainThread: trace.tasks,
      rendererWork: trace.work,
      chromiumThreads,
      ...(relayProbe ? { relayProbe } : {}),
    };
  } catch (error) {
    if (server) log(`chat: failed; VS Code server output (tail):\n${server.output().slice(-3_000)}`);
    throw error;
  } finally {
    await page?.close().catch(() => undefined);
    await server?.stop();
    await fakes.close();
  }
}

async function readWebview(
  frame: Frame,
): Promise<Omit<RealRun, 'flowControl' | 'arrivals' | 'enterToFooterMs' | 'workbenchLongTasks' | 'origins' | 'cpu' | 'mainThread' | 'rendererWork' | 'chromiumThreads'>> {
  // No named functions inside: Playwright sends these to the page as source text.
  const clock = await frame.evaluate(() => {
    const start = Date.now();
    let now = start;
    while (now === start) now = Date.now();
    return { timeOrigin: performance.timeOrigin, driftMs: now - (performance.timeOrigin + performance.now()) };
  });
  const logs = await frame.evaluate(() => {
    const paints = (window.__switchboardPaints as PaintLog | undefined)?.entries() ?? [];
    const pings = (window.__switchboardBenchmark as BenchmarkHooks | undefined)?.pings() ?? [];
    const longTasks = window.__switchboardLongTasks as LongTaskLog | undefined;
    return {
      paints,
      pings,
      longTasks: { observed: [...(longTasks?.observed ?? [])], entries: longTasks?.entries() ?? [] },
      webviewSize: { width: window.innerWidth, height: window.innerHeight },
      themeStyle: document.documentElement.getAttribute('style') ?? '',
    };
  });
  return { ...logs, webviewTimeOrigin: clock.timeOrigin, webviewDriftMs: clock.driftMs };
}

// ---- the naive baseline ----------------------------------------------------------

interface NaiveRun {
  results: NaiveResults;
  received: number;
  skipped: number;
  deadlineMs: number;
  observed: string[];
  samples: Array<{ characters: number; ms: number }>;
}

async function measureNaive(
  options: ChatStreamingOptions & { answer: string; chunks: string[]; browser: Browser; real: RealRun },
): Promise<NaiveRun> {
  const { log, real, chunks } = options;
  // The same schedule as the real run: each chunk when it reached the extension host.
  const bySeq = new Map(real.arrivals.arrivals.map((arrival) => [arrival.seq, arrival.arrivedAt]));
  const first = real.arrivals.arrivals[0]?.arrivedAt ?? 0;
  let previous = 0;
  const offsets = chunks.map((_, seq) => (previous = Math.max(previous, (bySeq.get(seq) ?? first + previous) - first)));
  const deadlineMs = (offsets.at(-1) ?? 0) + options.naiveGraceSeconds * 1000;

  const page = await serveNaivePage(options.root, real.themeStyle, options.browser, real.webviewSize);
  try {
    log(`chat: naive baseline, whole message per chunk, same schedule (rendering stops ${options.naiveGraceSeconds} s after the last chunk)`);
    const observed = await page.page.evaluate(() => PerformanceObserver.supportedEntryTypes.filter((type) => type === 'longtask' || type === 'long-animation-frame'));
    await page.page.evaluate((config) => (window.__naiveChat as NaiveChatPage).start(config), { chunks, offsets, deadlineMs });
    const deadline = performance.now() + deadlineMs + 120_000;
    let progress = { received: 0, rendered: 0, skipped: 0 };
    while (progress.received < chunks.length) {
      if (performance.now() > deadline) throw new Error(`naive baseline: only ${progress.received} of ${chunks.length} chunks arrived`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      progress = await page.page.evaluate(() => (window.__naiveChat as NaiveChatPage).progress());
    }
    const results = await page.page.evaluate(() => (window.__naiveChat as NaiveChatPage).results());

    const lengths = Array.from({ length: options.naiveSamples }, (_, i) => Math.round(((i + 1) * options.answer.length) / options.naiveSamples));
    log(`chat: naive baseline, ${lengths.length} whole-message renders at lengths up to ${options.answer.length} characters`);
    const costs = await page.page.evaluate(
      ({ text, lengths }) => (window.__naiveChat as NaiveChatPage).wholeRenderCosts(text, lengths),
      { text: options.answer, lengths },
    );
    return {
      results,
      received: progress.received,
      skipped: progress.skipped,
      deadlineMs,
      observed,
      samples: lengths.map((characters, i) => ({ characters, ms: costs[i] ?? Number.NaN })),
    };
  } finally {
    await page.close();
  }
}

async function serveNaivePage(
  root: string,
  themeStyle: string,
  browser: Browser,
  size: { width: number; height: number },
): Promise<{ page: Page; close(): Promise<void> }> {
  const script = await pageScript({ entryPoints: [path.join(root, 'bench', 'naiveChatPage.ts')], minify: true });
  const style = readFileSync(path.join(root, 'media', 'chat.css'));
  const html = `<!DOCTYPE html>
<html lang="en" style="${escapeAttribute(themeStyle)}">
<head><meta charset="UTF-8"><link rel="stylesheet" href="/chat.css"><title>Naive chat baseline</title></head>
<body><div id="switchboard-chat"><div id="messages"><article class="message assistant"><div class="markdown"></div></article></div></div>
<script src="/naive.js"></script></body>
</html>`;
  const server: Server = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (pathname === '/') response.writeHead(200, { 'content-type': 'text/html' }).end(html);
    else if (pathname === '/naive.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else if (pathname === '/chat.css') response.writeHead(200, { 'content-type': 'text/css' }).end(style);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // The webview's size, so lines wrap as they did in the panel.
  const page = await browser.newPage({ viewport: { width: Math.max(200, size.width), height: Math.max(200, size.height) } });
  page.setDefaultTimeout(60_000);
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => window.__naiveChat !== undefined);
  return {
    page,
    close: async () => {
      await page.close().catch(() => undefined);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---- numbers ----------------------------------------------------------------

function latencySummary(samples: readonly number[], digits = 2): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const p95 = percentile(sorted, 95);
  return { ...rounded(summarize(sorted), digits), p95: Number.isFinite(p95) ? Number(p95.toFixed(digits)) : p95 };
}

function summarizeLongTasks(observed: string[], entries: readonly LongTaskRecord[]): LongTaskSummary {
  const tasks = entries.filter((entry) => entry.type === 'longtask');
  const frames = entries.filter((entry) => entry.type === 'long-animation-frame');
  const tasksByAttribution: LongTaskSummary['tasksByAttribution'] = {};
  for (const task of tasks) {
    const bucket = (tasksByAttribution[task.name] ??= { count: 0, longestMs: 0 });
    bucket.count++;
    bucket.longestMs = Math.max(bucket.longestMs, Number(task.duration.toFixed(1)));
  }
  const longest = (list: readonly LongTaskRecord[]) => Number(Math.max(0, ...list.map((entry) => entry.duration)).toFixed(1));
  return {
    observed,
    tasksByAttribution,
    longestOwnTaskMs: longest(tasks.filter((task) => task.name === 'self')),
    longestTaskMs: longest(tasks),
    tasksOver50Ms: tasks.filter((task) => task.duration > 50).length,
    longFrames: frames.length,
    longestFrameMs: longest(frames),
    longestFrames: [...frames].sort((a, b) => b.duration - a.duration).slice(0, 3).map(frameSummary),
  };
}

function frameSummary(frame: LongTaskRecord): LongFrameSummary {
  const into = (time: number | undefined) => (time ? Number((time - frame.startTime).toFixed(1)) : undefined);
  const renderStartMs = into(frame.renderStart);
  const styleAndLayoutStartMs = into(frame.styleAndLayoutStart);
  return {
    durationMs: Number(frame.duration.toFixed(1)),
    ...(renderStartMs !== undefined ? { renderStartMs } : {}),
    ...(styleAndLayoutStartMs !== undefined ? { styleAndLayoutStartMs } : {}),
    scripts: (frame.scripts ?? [])
      .sort((a, b) => b.duration - a.duration)
      .map((script) => ({
        invoker: script.invoker || script.invokerType,
        source: `${script.sourceFunctionName || '(anonymous)'} ${script.sourceURL.split('/').pop() ?? ''}:${script.sourceCharPosition}`,
        durationMs: Number(script.duration.toFixed(1)),
        forcedLayoutMs: Number(script.forcedStyleAndLayoutDuration.toFixed(1)),
        atMs: Number((script.startTime - frame.startTime).toFixed(1)),
      })),
  };
}

/** One run of the real panel: per chunk, host → webview → painted; frames, long tasks, CPU. */
export function summarizePanelRun(real: RealRun, chunks: string[]): PanelRunReport {
  const hostDrift = real.arrivals.wallClockOffsetMs;
  const arrivedAt = new Map(real.arrivals.arrivals.map((arrival) => [arrival.seq, arrival.arrivedAt + hostDrift]));
  const webviewEpoch = real.webviewTimeOrigin + real.webviewDriftMs;
  const paintedAt = new Map<number, { received: number; painted: number; presented: number }>();
  for (const paint of real.paints) {
    if (!paintedAt.has(paint.seq)) {
      paintedAt.set(paint.seq, { received: webviewEpoch + paint.receivedAt, painted: webviewEpoch + paint.paintedAt, presented: webviewEpoch + paint.presentedAt });
    }
  }
  const latencies: number[] = [];
  const presented: number[] = [];
  const relay: number[] = [];
  const render: number[] = [];
  const tenths = Array.from({ length: 10 }, () => ({ latencies: [] as number[], relay: [] as number[], hostWait: [] as number[] }));
  // Each chunk's wait at the host, on the host's own clock: arrival to the post of the first message that carried it.
  const posts = [...(real.arrivals.posts ?? [])].sort((a, b) => a.seq - b.seq);
  const hostWait = new Map<number, number>();
  let post = 0;
  for (const arrival of [...real.arrivals.arrivals].sort((a, b) => a.seq - b.seq)) {
    while (post < posts.length && (posts[post]?.seq ?? 0) < arrival.seq) post++;
    const carrying = posts[post];
    if (carrying) hostWait.set(arrival.seq, carrying.postedAt - arrival.arrivedAt);
  }
  for (const [seq, arrival] of arrivedAt) {
    const painted = paintedAt.get(seq);
    if (painted === undefined) continue;
    latencies.push(painted.painted - arrival);
    if (Number.isFinite(painted.presented)) presented.push(painted.presented - arrival);
    relay.push(painted.received - arrival);
    render.push(painted.painted - painted.received);
    const tenth = tenths[Math.min(9, Math.floor((seq * 10) / Math.max(1, chunks.length)))];
    tenth?.latencies.push(painted.painted - arrival);
    tenth?.relay.push(painted.received - arrival);
    const waited = hostWait.get(seq);
    if (waited !== undefined) tenth?.hostWait.push(waited);
  }
  const idlePings = real.pings.map((ping) => webviewEpoch + ping.receivedAt - ping.sentAt);
  const split = real.relayProbe
    ? splitRelay(
        real.relayProbe,
        posts.map((entry) => ({ seq: entry.seq, postedAt: entry.postedAt + hostDrift })),
        new Map([...paintedAt].map(([seq, painted]) => [seq, painted.received])),
        real.pings.map((ping) => ({ seq: ping.seq, sentAt: ping.sentAt, receivedAt: webviewEpoch + ping.receivedAt })),
      )
    : undefined;
  const medianOf = (values: number[]) => Number(percentile([...values].sort((a, b) => a - b), 50).toFixed(1));

  // One entry per frame: every chunk painted in a frame shares its paintedAt.
  const frames = new Map<number, { renderMs: number; chunks: number; lastSeq: number }>();
  for (const paint of real.paints) {
    const frame = frames.get(paint.paintedAt);
    if (frame) {
      frame.chunks++;
      frame.lastSeq = Math.max(frame.lastSeq, paint.seq);
    } else {
      frames.set(paint.paintedAt, { renderMs: paint.renderMs, chunks: 1, lastSeq: paint.seq });
    }
  }
  const characterAfter = (seq: number) => chunks.slice(0, seq + 1).reduce((sum, chunk) => sum + chunk.length, 0);
  const slowestFrames = [...frames.values()]
    .sort((a, b) => b.renderMs - a.renderMs)
    .slice(0, 5)
    .map((frame) => ({ renderMs: Number(frame.renderMs.toFixed(1)), chunks: frame.chunks, atCharacter: characterAfter(frame.lastSeq) }));
  const frameTimes = [...frames.keys()].sort((a, b) => a - b);
  const gaps = frameTimes.slice(1).map((time, i) => time - (frameTimes[i] ?? time));
  const chunksPerFrame = [...frames.values()].map((frame) => frame.chunks).sort((a, b) => a - b);

  const arrivalTimes = real.arrivals.arrivals.map((arrival) => arrival.arrivedAt);
  const streamMs = arrivalTimes.length > 1 ? (arrivalTimes.at(-1) ?? 0) - (arrivalTimes[0] ?? 0) : 0;

  return {
    flowControl: real.flowControl,
    ...(real.experiment ? { experiment: real.experiment } : {}),
    chunksSent: chunks.length,
    messagesPosted: real.arrivals.messages,
    acksReceived: real.arrivals.acks,
    chunksArrivedAtHost: real.arrivals.chunks,
    chunksPainted: paintedAt.size,
    streamSeconds: Number((streamMs / 1000).toFixed(2)),
    arrivalTokensPerSecond: streamMs > 0 ? Math.round(((arrivalTimes.length - 1) * 1000) / streamMs) : 0,
    enterToFooterSeconds: Number((real.enterToFooterMs / 1000).toFixed(2)),
    arrivalToPaintMs: latencySummary(latencies),
    arrivalToPresentedMs: latencySummary(presented),
    arrivalToWebviewMs: latencySummary(relay),
    idlePingMs: latencySummary(idlePings),
    webviewToPaintMs: latencySummary(render),
    byTenthMedianMs: {
      arrivalToPaint: tenths.map((t) => medianOf(t.latencies)),
      arrivalToWebview: tenths.map((t) => medianOf(t.relay)),
      hostWait: tenths.map((t) => medianOf(t.hostWait)),
    },
    ...(hostWait.size > 0 ? { hostWaitMs: latencySummary([...hostWait.values()]) } : {}),
    ...(split && split.hostToWorkbenchMs.length > 0
      ? {
          relaySplitMs: {
            hostToWorkbench: latencySummary(split.hostToWorkbenchMs),
            workbenchToWebview: latencySummary(split.workbenchToWebviewMs),
            webviewToWorkbenchAck: latencySummary(split.webviewToWorkbenchAckMs),
            pingHostToWorkbench: latencySummary(split.pingHostToWorkbenchMs),
            pingWorkbenchToWebview: latencySummary(split.pingWorkbenchToWebviewMs),
          },
        }
      : {}),
    renderPerFrameMs: latencySummary([...frames.values()].map((frame) => frame.renderMs)),
    frames: frames.size,
    chunksPerFrame: { median: percentile(chunksPerFrame, 50), max: chunksPerFrame.at(-1) ?? 0 },
    frameGapMs: latencySummary(gaps),
    slowestFrames,
    longTasks: summarizeLongTasks(real.longTasks.observed, real.longTasks.entries),
    workbenchLongTasks: summarizeLongTasks(real.workbenchLongTasks.observed, real.workbenchLongTasks.entries),
    clock: { hostDriftMs: Number(hostDrift.toFixed(3)), webviewDriftMs: Number(real.webviewDriftMs.toFixed(3)) },
    webviewSize: real.webviewSize,
    origins: real.origins,
    ...(real.cpu ? { cpu: real.cpu } : {}),
    mainThread: real.mainThread,
    ...(real.rendererWork ? { rendererWork: real.rendererWork } : {}),
    ...(real.chromiumThreads ? { chromiumThreads: real.chromiumThreads } : {}),
    ...(real.cpu && real.arrivals.chunks > 0
      ? { extensionHostCpuMsPerChunk: Number((((real.cpu.cpuSeconds['extension host'] ?? 0) * 1000) / real.arrivals.chunks).toFixed(3)) }
      : {}),
  };
}

function buildReport(
  options: ChatStreamingOptions,
  answer: string,
  chunks: string[],
  codeBlocks: number,
  runs: { real: RealRun; withoutFlowControl: RealRun; experiments: RealRun[] },
  naive: NaiveRun,
): ChatStreamingReport {
  const switchboard = summarizePanelRun(runs.real, chunks);
  const withoutFlowControl = summarizePanelRun(runs.withoutFlowControl, chunks);
  const updates = naive.results.updates;
  const naiveTasks = naive.results.longTasks.filter((entry) => entry.startTime >= naive.results.startedAt);
  const sampleMs = naive.samples.map((sample) => sample.ms);
  // Cost grows with the text: the mean of evenly spaced samples times the chunk count approximates the sum over every chunk.
  const estimatedSeconds = (sampleMs.reduce((sum, value) => sum + value, 0) / Math.max(1, sampleMs.length)) * chunks.length / 1000;

  const naiveReport: ChatStreamingReport['naive'] = {
    chunksSent: chunks.length,
    chunksRendered: updates.length,
    chunksSkippedAfterDeadline: naive.skipped,
    deadlineSeconds: Number((naive.deadlineMs / 1000).toFixed(1)),
    updateCostMs: latencySummary(updates.map((update) => update.costMs)),
    sentToPaintMs: latencySummary(updates.map((update) => update.paintedAt - update.sentAt)),
    longTasks: summarizeLongTasks(naive.observed, naiveTasks),
    wholeRenderAtLength: naive.samples.map((sample) => ({ characters: sample.characters, ms: Number(sample.ms.toFixed(2)) })),
    estimatedSecondsToRenderEveryChunk: Number(estimatedSeconds.toFixed(1)),
  };

  const ownLongest = switchboard.longTasks.longestOwnTaskMs;
  const checks: Check[] = [
    {
      name: 'chat: median chunk arrival (host) → paint (webview) under 16 ms',
      pass: switchboard.arrivalToPaintMs.median < 16,
      detail:
        `median ${ms(switchboard.arrivalToPaintMs.median, 1)} ms, p99 ${ms(switchboard.arrivalToPaintMs.p99, 1)} ms over ${switchboard.arrivalToPaintMs.n} chunks ` +
        `(relay, flow control off: median ${ms(withoutFlowControl.arrivalToPaintMs.median, 1)} ms; naive: median ${ms(naiveReport.sentToPaintMs.median, 0)} ms for the ${updates.length} it rendered)`,
    },
    {
      name: 'chat: no webview main-thread task over 50 ms',
      pass: switchboard.longTasks.observed.includes('longtask') && ownLongest <= 50,
      detail: switchboard.longTasks.observed.includes('longtask')
        ? `longest own task ${ownLongest === 0 ? 'under 50' : ms(ownLongest, 0)} ms, longest frame ${switchboard.longTasks.longestFrameMs === 0 ? 'under 50' : ms(switchboard.longTasks.longestFrameMs, 0)} ms; panel render per frame max ${ms(switchboard.renderPerFrameMs.max, 1)} ms (naive: ${naiveReport.longTasks.tasksOver50Ms} tasks over 50 ms, longest ${ms(naiveReport.longTasks.longestOwnTaskMs, 0)} ms)`
        : 'this Chromium reports no longtask entries',
    },
    {
      name: 'chat: every chunk sent was painted',
      pass: switchboard.chunksPainted === chunks.length && switchboard.chunksArrivedAtHost === chunks.length,
      detail: `${switchboard.chunksArrivedAtHost} of ${chunks.length} reached the host, ${switchboard.chunksPainted} painted`,
    },
  ];

  return {
    method:
      `Real VS Code ${'(server + workbench in headless Chromium)'} with Switchboard installed from dist/, chat route on the fake Anthropic server, which streams a generated ${answer.length}-character markdown answer ` +
      `as ${chunks.length} equal chunks (${CHARS_PER_TOKEN} characters, one token each), one every ${options.chunkDelayMs} ms. ` +
      'Measured twice in the same run: by VS Code\'s relay with switchboard.chat.flowControl and directStream off (at most one chunk message every 8 ms), then with the settings as shipped (directStream on: chunks over a loopback HTTP response; flowControl on for what goes by postMessage: at most two chunk messages unacknowledged, the rest gathered into the next); the checks are the second run\'s. ' +
      'Arrival: performance.timeOrigin + performance.now() in the extension host when the router delivers a chunk (SWITCHBOARD_BENCHMARK_FILE). ' +
      "Paint: the same in the webview once the chunk is in the DOM and layout has been read (window.__switchboardPaints). " +
      "Its frame: when drawn in an animation frame, the same time (the browser rasters it in that frame); when drawn between frames, the start of the next animation frame, which paints it. " +
      "Each side's drift from Date.now() is measured at a millisecond tick and taken out. Long tasks and long animation frames: PerformanceObserver in the webview, from Enter to the footer; a long frame's scripts (Long Animation Frames API) say what ran in it; " +
      "a Chromium trace (categories toplevel and V8 GC) of the same span gives each renderer main-thread task of 50 ms or more its CPU time and GC. " +
      `Relay baseline, in each run before the question: ${options.pings} bare ping messages posted by the extension host while nothing streams, one every ${options.pingIntervalMs} ms, each stamped with the host's epoch time and timestamped on receipt by the webview. ` +
      'Naive baseline: the same Chromium with VS Code stopped (so it has the machine to itself), a page with the panel stylesheet and the same renderMarkdown (marked, highlight.js, DOMPurify) re-rendering the whole message per chunk, ' +
      `fed by a worker at the times the chunks reached the host; rendering stops ${options.naiveGraceSeconds} s after the last chunk; its "paint" is the end of the update's layout, without waiting for a frame.`,
    answer: {
      tokens: chunks.length,
      characters: answer.length,
      codeBlocks,
      chunkDelayMs: options.chunkDelayMs,
      nominalTokensPerSecond: options.chunkDelayMs > 0 ? Math.round(1000 / options.chunkDelayMs) : Number.POSITIVE_INFINITY,
    },
    switchboard,
    withoutFlowControl,
    experiments: runs.experiments.map((run) => summarizePanelRun(run, chunks)),
    naive: naiveReport,
    checks,
  };
}

export function printChatStreaming(report: ChatStreamingReport): string {
  const { switchboard: ours, withoutFlowControl: off, naive } = report;
  const row = (label: string, summary: LatencySummary, digits = 1): string[] => [
    label,
    ms(summary.median, digits),
    ms(summary.p95, digits),
    ms(summary.p99, digits),
    ms(summary.max, digits),
    String(summary.n),
  ];
  const attribution = (tasks: LongTaskSummary) =>
    Object.entries(tasks.tasksByAttribution)
      .map(([name, bucket]) => `${name} ${bucket.count} (longest ${bucket.longestMs} ms)`)
      .join(', ') || 'none';
  const samples = naive.wholeRenderAtLength;
  const quarter = (fraction: number) => samples[Math.min(samples.length - 1, Math.max(0, Math.round(samples.length * fraction) - 1))];
  const panelRun = (run: PanelRunReport): string[] => {
    const setup = run.flowControl ? 'settings as shipped (direct stream on, flow control on)' : 'by the relay, direct stream and flow control off';
    const name = run.experiment ? `settings as shipped but experiment ${run.experiment}: ${CHAT_EXPERIMENTS[run.experiment]?.description ?? ''}` : setup;
    return [
      '',
      `-- Switchboard, ${name}: reached the host at ${run.arrivalTokensPerSecond} tokens/s over ${run.streamSeconds} s; Enter → footer ${run.enterToFooterSeconds} s; ` +
        `${run.messagesPosted} chunk messages posted, ${run.acksReceived} acknowledged`,
      table(
        ['ms', 'median', 'p95', 'p99', 'max', 'n'],
        [
          row('chunk at host → painted', run.arrivalToPaintMs),
          row('chunk at host → its frame', run.arrivalToPresentedMs),
          row('  of which host → webview (VS Code relay)', run.arrivalToWebviewMs),
          ...(run.hostWaitMs ? [row('    of which waiting at the host to be posted', run.hostWaitMs)] : []),
          ...(run.relaySplitMs
            ? [
                row('  per message: host post → workbench hands it to the webview', run.relaySplitMs.hostToWorkbench),
                row('  per message: workbench → panel handler (two iframes)', run.relaySplitMs.workbenchToWebview),
                row('  per message: panel receipt → its acknowledgement in the workbench', run.relaySplitMs.webviewToWorkbenchAck),
              ]
            : []),
          row('bare ping host → webview, nothing streaming', run.idlePingMs),
          ...(run.relaySplitMs
            ? [row('  of which host → workbench', run.relaySplitMs.pingHostToWorkbench), row('  of which workbench → panel handler', run.relaySplitMs.pingWorkbenchToWebview)]
            : []),
          row('  of which webview → painted', run.webviewToPaintMs),
          row('render per frame', run.renderPerFrameMs, 2),
          row('gap between painted frames', run.frameGapMs),
        ],
      ),
      `median host → painted by tenth of the stream: ${run.byTenthMedianMs.arrivalToPaint.join(' / ')} ms (host → webview: ${run.byTenthMedianMs.arrivalToWebview.join(' / ')}; waiting at the host: ${run.byTenthMedianMs.hostWait.join(' / ')})`,
      `painted ${run.chunksPainted} of ${run.chunksSent} chunks in ${run.frames} frames (median ${run.chunksPerFrame.median}, max ${run.chunksPerFrame.max} chunks a frame)`,
      `slowest frames: ${run.slowestFrames.map((frame) => `${frame.renderMs} ms (${frame.chunks} chunks, at character ${frame.atCharacter})`).join(', ')}`,
      `long tasks ≥ 50 ms (${run.longTasks.observed.join(', ') || 'not reported'}): webview ${attribution(run.longTasks)}; long frames ${run.longTasks.longFrames} (longest ${run.longTasks.longestFrameMs} ms)`,
      `                       VS Code workbench page ${attribution(run.workbenchLongTasks)}; long frames ${run.workbenchLongTasks.longFrames} (longest ${run.workbenchLongTasks.longestFrameMs} ms)`,
      ...longFrameLines('webview', run.longTasks),
      ...longFrameLines('workbench', run.workbenchLongTasks),
      `renderer main-thread tasks ≥ 50 ms in a trace of the stream: ${run.mainThread.tasksOver50Ms} (${run.mainThread.totals.wallMs} ms wall, ${run.mainThread.totals.cpuMs} ms of it on a core, ${run.mainThread.totals.gcMs} ms GC); ` +
        `longest: ${run.mainThread.longest.map((task) => `${task.wallMs} ms (CPU ${task.cpuMs ?? '?'}, GC ${task.gcMs})`).join(', ') || 'none'}`,
      ...(run.cpu
        ? [
            `CPU seconds from Enter to footer (${run.cpu.wallSeconds} s, all cores ${Math.round(run.cpu.machineBusy * 100)}% busy): ` +
              Object.entries(run.cpu.cpuSeconds)
                .map(([group, seconds]) => `${group} ${seconds}`)
                .join(', '),
          ]
        : []),
      ...rendererWorkLines(run),
      `clock drift from Date.now(), taken out: host ${ms(run.clock.hostDriftMs, 3)} ms, webview ${ms(run.clock.webviewDriftMs, 3)} ms; origins: workbench ${run.origins.workbench}, webview ${run.origins.webview}`,
    ];
  };
  return [
    '',
    `== 4. Chat panel streaming (real VS Code in Chromium) ==`,
    `${report.answer.tokens} tokens (${report.answer.characters} characters, ${report.answer.codeBlocks} code blocks), one token a chunk every ${report.answer.chunkDelayMs} ms; ` +
      `webview ${ours.webviewSize.width}×${ours.webviewSize.height}`,
    ...panelRun(off),
    ...panelRun(ours),
    ...report.experiments.flatMap(panelRun),
    '',
    '-- naive: whole message re-rendered per chunk, fed at the times the chunks reached the host in the flow-control run',
    table(
      ['ms', 'median', 'p95', 'p99', 'max', 'n'],
      [row('render per chunk (whole message)', naive.updateCostMs, 2), row('chunk posted → laid out', naive.sentToPaintMs, 0)],
    ),
    `rendered ${naive.chunksRendered} of ${naive.chunksSent} before its deadline (${naive.deadlineSeconds} s), ${naive.chunksSkippedAfterDeadline} left; ` +
      `long tasks ${attribution(naive.longTasks)}; long frames ${naive.longTasks.longFrames} (longest ${naive.longTasks.longestFrameMs} ms)`,
    `naive whole-message render by length: ${[0.25, 0.5, 0.75, 1].map((f) => quarter(f)).filter((s) => s !== undefined).map((s) => `${s.characters} chars ${ms(s.ms, 1)} ms`).join(', ')}; ` +
      `rendering every chunk would take ≈ ${naive.estimatedSecondsToRenderEveryChunk} s of main thread for a ${ours.streamSeconds} s stream`,
  ].join('\n');
}

/** Where the renderer's time went: by thread (/proc), by kind (the trace), along the stream, and frames. */
function rendererWorkLines(run: PanelRunReport): string[] {
  const lines: string[] = [];
  if (run.extensionHostCpuMsPerChunk !== undefined) lines.push(`extension host CPU per chunk: ${run.extensionHostCpuMsPerChunk} ms (all of its work from Enter to footer / chunks)`);
  if (run.chromiumThreads) {
    lines.push(
      `Chromium CPU seconds by thread (/proc, ${run.chromiumThreads.wallSeconds} s): ` +
        run.chromiumThreads.threads
          .slice(0, 10)
          .map((entry) => `${entry.thread} ${entry.cpuSeconds}`)
          .join(', '),
    );
  }
  const work = run.rendererWork;
  if (!work) return lines;
  lines.push(`renderer threads in the trace (CPU ms in traced slices): ${work.threads.slice(0, 6).map((entry) => `${entry.thread} ${entry.cpuMs}`).join(', ')}`);
  const busiest = [...work.kinds].filter((kind) => kind.cpuMs > 0).sort((a, b) => b.cpuMs - a.cpuMs);
  const perChunk = (value: number) => (run.chunksArrivedAtHost > 0 ? (value / run.chunksArrivedAtHost).toFixed(3) : '?');
  lines.push(`renderer work by kind over ${work.seconds} s (ms; per chunk): ${busiest.map((kind) => `${kind.kind} ${kind.cpuMs} (${perChunk(kind.cpuMs)})`).join(', ')}`);
  // By tenth of the trace: a kind that grows with the answer shows as a rising series.
  const tenths = (perSecond: number[]) => {
    const size = Math.max(1, Math.ceil(perSecond.length / 10));
    const out: number[] = [];
    for (let i = 0; i < perSecond.length; i += size) out.push(Math.round(perSecond.slice(i, i + size).reduce((sum, value) => sum + value, 0) / perSecond.slice(i, i + size).length));
    return out.join(' / ');
  };
  for (const kind of busiest.slice(0, 6)) lines.push(`  ${kind.kind} ms per second, by tenth of the trace: ${tenths(kind.perSecondMs)}`);
  for (const document of work.documents.slice(0, 4)) {
    lines.push(`  ${document.document} document: layout ${document.layoutMs} ms, paint ${document.paintMs} ms; layout ms per second by tenth: ${tenths(document.layoutPerSecondMs)}`);
  }
  for (const frames of work.frames.slice(0, 2)) {
    lines.push(
      `${frames.process}: ${frames.mainFrames} main-thread frames (${(frames.mainFrames / work.seconds).toFixed(1)}/s), ${frames.drawnFrames} drawn; main frames per second: ${frames.mainFramesPerSecond.join(' ')}`,
    );
  }
  return lines;
}

/** The longest frames of a page and what ran in them. */
function longFrameLines(pageName: string, tasks: LongTaskSummary): string[] {
  return tasks.longestFrames.map((frame) => {
    const phases = [
      frame.renderStartMs !== undefined ? `render from ${frame.renderStartMs}` : '',
      frame.styleAndLayoutStartMs !== undefined ? `style+layout from ${frame.styleAndLayoutStartMs}` : '',
    ].filter(Boolean);
    const scripts = frame.scripts.map((script) => `${script.invoker} → ${script.source} ${script.durationMs} ms at ${script.atMs} (forced layout ${script.forcedLayoutMs})`);
    return `  ${pageName} frame ${frame.durationMs} ms${phases.length > 0 ? ` (${phases.join(', ')})` : ''}: ${scripts.join('; ') || 'no script of 5 ms or more'}`;
  });
}

// ---- helpers ----------------------------------------------------------------

/** `node scripts/build.mjs --release` in `root`: what the benchmarks in a real VS Code install. */
export async function buildRelease(root: string, log: (line: string) => void): Promise<void> {
  log(`node scripts/build.mjs --release in ${root}`);
  // The bench's own tsx loader must not leak into the build.
  const { NODE_OPTIONS: _loaders, ...env } = process.env;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/build.mjs', '--release'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`release build failed (exit ${code}):\n${output}`))));
  });
}

/** paintLog.ts's long-task log as a script for another page (the workbench), started empty. */
async function longTaskLogScript(root: string): Promise<string> {
  return pageScript({
    stdin: {
      contents: "import { installLongTaskLog } from './src/webview/chat/paintLog';\ninstallLongTaskLog();\nwindow.__switchboardLongTasks?.clear();\n",
      resolveDir: root,
      loader: 'ts',
    },
  });
}

/** One script for a browser page, bundled in memory. */
async function pageScript(input: Pick<BuildOptions, 'entryPoints' | 'stdin' | 'minify'>): Promise<string> {
  const bundle = await build({ ...input, bundle: true, format: 'iife', platform: 'browser', target: 'es2022', write: false, logLevel: 'error' });
  return bundle.outputFiles[0]?.text ?? '';
}

/** The kept changes' off states run by default, so each default run measures them on and off; `none` runs none. */
export const DEFAULT_CHAT_EXPERIMENTS = ['status-spinner', 'draw-at-once'];

export function chatExperimentsFrom(values: string[] | undefined): string[] {
  if (values === undefined) return DEFAULT_CHAT_EXPERIMENTS;
  const names = values.flatMap((value) => value.split(',')).filter((name) => name !== '' && name !== 'none');
  const problem = chatExperimentProblem(names, '--chat-experiment', ', or none');
  if (problem !== undefined) throw new Error(problem);
  return names;
}

/**
 * Experiments renamed since README's "Measured" paragraphs named them, each with what to run now: a reader copying
 * an earlier command is told, not left with "unknown". Refused rather than mapped, since the sides swapped.
 */
const RENAMED_CHAT_EXPERIMENTS: Readonly<Record<string, string>> = {
  'direct-stream':
    'renamed no-direct-stream when the direct stream became the default (2026-12-03): run --experiment no-direct-stream, where A is as shipped (direct stream on) and B has it off, the other way round from the earlier direct-stream runs (A off, B on), so B − A changes sign',
};

/** What is wrong with these experiment names given to `flag`, or undefined when every one is in CHAT_EXPERIMENTS. */
export function chatExperimentProblem(names: readonly string[], flag: string, alsoAccepted = ''): string | undefined {
  const renamed = names.find((name) => Object.hasOwn(RENAMED_CHAT_EXPERIMENTS, name));
  if (renamed !== undefined) return `${flag} ${renamed}: ${RENAMED_CHAT_EXPERIMENTS[renamed]}`;
  const unknown = names.filter((name) => !Object.hasOwn(CHAT_EXPERIMENTS, name));
  if (unknown.length === 0) return undefined;
  return `${flag}: unknown ${unknown.join(', ')}; known: ${Object.keys(CHAT_EXPERIMENTS).join(', ')}${alsoAccepted}`;
}

/** Sent to a page as source text: a constructed style sheet, which a CSP without 'unsafe-inline' still allows. */
function addStyleRules(css: string): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// ---- alone -----------------------------------------------------------------------

function parseOptions(root: string): ChatStreamingOptions & { out: string; strict: boolean } {
  const { values } = parseArgs({
    options: {
      'chat-tokens': { type: 'string', default: '20000' },
      'chat-chunk-ms': { type: 'string', default: '2' },
      'chat-naive-grace-s': { type: 'string', default: '10' },
      'chat-naive-samples': { type: 'string', default: '60' },
      'chat-pings': { type: 'string', default: '300' },
      'chat-ping-ms': { type: 'string', default: '20' },
      seed: { type: 'string', default: '7' },
      'no-build': { type: 'boolean', default: false },
      out: { type: 'string', default: 'bench-output/chat-streaming.json' },
      'chat-raw': { type: 'string' },
      strict: { type: 'boolean', default: false },
      'chat-experiment': { type: 'string', multiple: true },
      'chat-trace-work': { type: 'boolean', default: false },
    },
  });
  const number = (name: keyof typeof values, min: number, max: number): number => {
    const value = Number(values[name]);
    if (!Number.isFinite(value) || value < min || value > max) throw new Error(`--${name} must be a number from ${min} to ${max}, got ${String(values[name])}`);
    return value;
  };
  return {
    root,
    tokens: number('chat-tokens', 10, 60_000),
    chunkDelayMs: number('chat-chunk-ms', 0, 1_000),
    naiveGraceSeconds: number('chat-naive-grace-s', 0, 600),
    naiveSamples: number('chat-naive-samples', 1, 1_000),
    pings: number('chat-pings', 1, 2_000),
    pingIntervalMs: number('chat-ping-ms', 0, 1_000),
    seed: number('seed', 0, 2 ** 31),
    experiments: chatExperimentsFrom(values['chat-experiment']),
    traceWork: values['chat-trace-work'] === true,
    build: !values['no-build'],
    ...(values['chat-raw'] ? { rawOut: path.resolve(root, values['chat-raw']) } : {}),
    out: path.resolve(root, String(values.out)),
    strict: values.strict === true,
    log: (line) => process.stderr.write(`${line}\n`),
  };
}

async function main(): Promise<number> {
  const root = path.resolve(__dirname, '..');
  const options = parseOptions(root);
  const machine = machineInfo();
  console.log(`Switchboard chat streaming benchmark — ${machine.cpus} × ${machine.cpuModel}, load average ${machine.loadAverage.join(' / ')} at start`);
  const report = await runChatStreamingBench(options);
  console.log(printChatStreaming(report));
  console.log(`\n== Checks ==\n${checkLines(report.checks)}`);
  mkdirSync(path.dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify({ generatedAt: new Date().toISOString(), machine, chat: report }, null, 2)}\n`);
  console.log(`Report: ${path.relative(root, options.out)}`);
  return options.strict && report.checks.some((check) => !check.pass) ? 1 : 0;
}

if (path.resolve(process.argv[1] ?? '') === __filename) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exit(2);
    },
  );
}
