/**
 * Section 5: a typing session typed into the editor of a real VS Code
 * (VS Code's server, the workbench in headless Chromium), key by key at the
 * trace's human timing, against the fake OpenAI server answering every
 * completion after a fixed latency. What is measured is what the user sees:
 * the ghost text in the editor's DOM.
 *
 * The trace (bench/editor-typing-trace.json, scripts/make-typing-trace.mjs)
 * types four function bodies back into a TypeScript module; with
 * `--editor-trace topdown`, bench/editor-typing-trace-topdown.json writes a new
 * file from its first line to its last. Characters are
 * typed with Playwright's keyboard; Enter and the next line's indentation go
 * in as one edit (as the trace has it; the editor's own auto-indent, closing
 * brackets and suggestions are off so the document stays the trace's); the
 * cursor moves between bodies through Go to Line. At the end of each pause a
 * user who sees ghost text that is exactly the rest of the line they were
 * about to type accepts it with Tab, and the replay skips the keystrokes that
 * typed it.
 *
 * The fake model knows the trace (bench/traceModel.ts): asked at a place, it
 * answers with what the user goes on to type there, except at a seeded share
 * of places where it answers with other code from the session.
 *
 * Per variant (each in a fresh VS Code with a fresh fake server): requests,
 * requests per pause, aborted requests (the fake saw the client close the
 * stream), requests answered but never shown (no ghost text ever showed part
 * of the answer), pauses with ghost text, and the wait from a pause's last
 * keystroke to ghost text visible. The in-page recorder timestamps keystrokes
 * (keydown and beforeinput, capture phase) and every change of the ghost text
 * in the focused editor (a MutationObserver over the editor part), both on
 * the page's clock.
 *
 * Variants: this build with the shipped settings; this build with one of
 * issue 12's ideas switched off by its setting; another Switchboard build
 * (--editor-baseline DIR, e.g. today's main); and a naive provider
 * (bench/naiveInlineExtension.ts) that asks on every call VS Code makes.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, VIEWPORT } from '../scripts/vscode/browser.mjs';
import { startVSCodeServer, type VSCodeServer } from '../scripts/vscode/server.mjs';
import { wallClockOffsetMs } from '../src/vscode/chat/chunkArrivals';
import { goToPosition, openFile, runCommand, waitForWorkbench, waitUntil } from '../test/e2e/harness';
import { startFakeOpenAI, type FakeServer } from '../test/fakes/index';
import { SETTING_DEFAULTS } from '../src/core/config';
import { BENCH_MODEL } from './benchSwitchboard';
import { buildRelease } from './chatStreaming';
import { ms } from './report';
import { readTrace, TraceModel, traceStates, type Trace, type TraceState } from './traceModel';
import { analyse, buildReport, EDITOR_TRACES, FINAL_PAUSE_MS, pauseCount, type EditorTraceName, type EditorTypingReport, type EditorVariantReport, type PageLog, type Step } from './editorTypingReport';
import { WireProbe } from './wireProbe';

export interface EditorTypingOptions {
  root: string;
  /** Which trace is typed (`EDITOR_TRACES`). */
  trace: EditorTraceName;
  /** The fake's time to first byte (250 ms). */
  latencyMs: number;
  /** The fake's time between streamed pieces. */
  chunkMs: number;
  /** A gap of at least this many trace ms after a keystroke is a pause. */
  pauseMs: number;
  /**
   * Added before the fake reads the first request of each new connection: a
   * stand-in for the TCP and TLS handshakes with a real provider (0: loopback only).
   */
  connectMs: number;
  /** Share of places where the fake answers other than what gets typed next. */
  wrongRate: number;
  seed: number;
  /** Variant names, in the order to run (see `variantsFor`). */
  variants: string[];
  /** Another Switchboard build (a folder with package.json and dist/) for the `baseline` variant. */
  baseline?: string;
  /** Label for the baseline row, e.g. "main c152412". */
  baselineLabel?: string;
  /** Only the first N keystrokes of the trace (a quick look); all when unset. */
  keystrokes?: number;
  /** Also write each variant's raw samples (steps, ghost-text changes, requests) into this folder, for a closer look. */
  rawDir?: string;
  build: boolean;
  log: (line: string) => void;
}

/** Issue 12's ideas, each switched by one setting; the `no-NAME` variant turns that one off, `with-NAME` on. */
export const COMPLETION_IDEAS: ReadonlyArray<{ name: string; setting: string; shipped: boolean }> = [
  { name: 'speculation', setting: 'switchboard.completion.speculate', shipped: SETTING_DEFAULTS['completion.speculate'] },
  { name: 'speculation-backoff', setting: 'switchboard.completion.speculationBackoff', shipped: SETTING_DEFAULTS['completion.speculationBackoff'] },
  { name: 'adaptive-debounce', setting: 'switchboard.completion.adaptiveDebounce', shipped: SETTING_DEFAULTS['completion.adaptiveDebounce'] },
  { name: 'next-line', setting: 'switchboard.completion.nextLine', shipped: SETTING_DEFAULTS['completion.nextLine'] },
  { name: 'speculate-next-line', setting: 'switchboard.completion.speculateNextLine', shipped: SETTING_DEFAULTS['completion.speculateNextLine'] },
  { name: 'early-first-line', setting: 'switchboard.completion.earlyFirstLine', shipped: SETTING_DEFAULTS['completion.earlyFirstLine'] },
  { name: 'preconnect', setting: 'switchboard.completion.preconnect', shipped: SETTING_DEFAULTS['completion.preconnect'] },
];

/** The variant that switches `idea` away from its shipped default. */
export function flippedVariant(idea: { name: string; shipped: boolean }): string {
  return `${idea.shipped ? 'no' : 'with'}-${idea.name}`;
}

export interface EditorVariant {
  name: string;
  label: string;
  extension: 'this build' | 'baseline' | 'naive';
  settings: Record<string, unknown>;
}

export function variantsFor(names: readonly string[], options: { baselineLabel?: string }): EditorVariant[] {
  return names.map((name): EditorVariant => {
    if (name === 'naive') return { name, label: 'naive (a request per call, no debounce, cache or reuse)', extension: 'naive', settings: {} };
    if (name === 'baseline') return { name, label: options.baselineLabel ?? 'baseline build', extension: 'baseline', settings: {} };
    if (name === 'switchboard') return { name, label: 'Switchboard (this build, shipped settings)', extension: 'this build', settings: {} };
    if (name === 'no-ideas') {
      const settings = Object.fromEntries(COMPLETION_IDEAS.map((idea) => [idea.setting, false]));
      return { name, label: 'Switchboard, every idea off', extension: 'this build', settings };
    }
    for (const idea of COMPLETION_IDEAS) {
      for (const on of [false, true]) {
        if (name !== `${on ? 'with' : 'no'}-${idea.name}`) continue;
        return { name, label: `Switchboard, ${idea.name} ${on ? 'on' : 'off'}`, extension: 'this build', settings: { [idea.setting]: on } };
      }
    }
    const known = ['switchboard', 'baseline', 'naive', 'no-ideas', ...COMPLETION_IDEAS.flatMap((idea) => [`no-${idea.name}`, `with-${idea.name}`])];
    throw new Error(`unknown editor variant "${name}" (known: ${known.join(', ')})`);
  });
}

/** Settings that keep the document the trace's: nothing typed but what the replay types. */
const EDITOR_SETTINGS: Record<string, unknown> = {
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoClosingComments': 'never',
  'editor.autoSurround': 'never',
  'editor.autoIndent': 'none',
  'editor.formatOnType': false,
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
  'editor.parameterHints.enabled': false,
  'editor.wordBasedSuggestions': 'off',
  'editor.tabCompletion': 'off',
  'editor.hover.enabled': false,
  // A still cursor and the classic textarea, so the recorder sees only ghost-text changes and beforeinput events.
  'editor.cursorBlinking': 'solid',
  'editor.editContext': false,
  'files.autoSave': 'off',
};

/** Before the next body, the cursor moves this long before its first keystroke (the trace leaves 1.5 to 4 s). */
const MOVE_LEAD_MS = 1_200;

export async function runEditorTyping(options: EditorTypingOptions): Promise<EditorTypingReport> {
  const { root, log } = options;
  const fullTrace = readTrace(path.join(root, EDITOR_TRACES[options.trace]), 100);
  const trace: Trace = options.keystrokes ? { ...fullTrace, events: fullTrace.events.slice(0, options.keystrokes) } : fullTrace;
  const states = traceStates(trace);
  const variants = variantsFor(options.variants, options);
  if (variants.some((variant) => variant.extension === 'baseline') && !options.baseline) {
    throw new Error('the baseline variant needs --editor-baseline DIR (a built Switchboard: package.json and dist/)');
  }
  if (options.build && variants.some((variant) => variant.extension === 'this build')) await buildRelease(root, log);

  const temp = mkdtempSync(path.join(tmpdir(), 'switchboard-editor-bench-'));
  const browser = await launchChromium();
  try {
    const naiveDir = variants.some((variant) => variant.extension === 'naive') ? await buildNaiveExtension(root, temp) : undefined;
    const reports: EditorVariantReport[] = [];
    for (const variant of variants) {
      const extensionDir = variant.extension === 'naive' ? naiveDir! : variant.extension === 'baseline' ? path.resolve(options.baseline!) : root;
      if (!existsSync(path.join(extensionDir, 'package.json'))) throw new Error(`${extensionDir}: no package.json; --editor-baseline must be a built extension folder`);
      log(`editor: ${variant.label}: typing ${trace.events.length} keystrokes (about ${Math.round((trace.events.at(-1)?.t ?? 0) / 1000)} s)`);
      const report = await runVariant({ options, variant, trace, states, extensionDir, browser, temp });
      log(
        `editor: ${variant.name}: ${report.requests} requests, ${report.pausesWithGhostText}/${report.pauses} pauses with ghost text, ` +
          `median wait ${ms(report.waitMs.median, 0)} ms, ${report.aborted} aborted, ${report.neverShown} never shown`,
      );
      reports.push(report);
    }
    const pauses = pauseCount(trace, options.pauseMs);
    return buildReport(options, trace, pauses, reports);
  } finally {
    await browser.close().catch(() => undefined);
    rmSync(temp, { recursive: true, force: true });
  }
}

// ---- one variant --------------------------------------------------------------

interface VariantRun {
  options: EditorTypingOptions;
  variant: EditorVariant;
  trace: Trace;
  states: TraceState[];
  extensionDir: string;
  browser: Browser;
  temp: string;
}

async function runVariant(run: VariantRun): Promise<EditorVariantReport> {
  const { options, variant, trace, states, browser, temp, log } = { ...run, log: run.options.log };
  const workspace = path.join(temp, `workspace-${variant.name}`);
  mkdirSync(path.join(workspace, path.dirname(trace.path)), { recursive: true });
  writeFileSync(path.join(workspace, trace.path), trace.file);
  writeFileSync(path.join(workspace, 'warmup.ts'), 'export const warmUp = 1;\n');

  const fake = await startFakeOpenAI({ defaults: { firstByteDelayMs: options.latencyMs, chunkDelayMs: options.chunkMs } });
  const handshake = options.connectMs > 0 ? await startHandshakeDelay(fake.port, options.connectMs) : undefined;
  const baseUrl = `${handshake ? handshake.url : fake.url}/v1`;
  const model = new TraceModel(states, options.wrongRate, options.seed);
  const probe = new WireProbe(fake);
  probe.answerWith((body) => (isCompletionBody(body) ? { text: model.answer(body) } : undefined));
  let server: VSCodeServer | undefined;
  let page: Page | undefined;
  try {
    server = await startVSCodeServer({
      workspace,
      extensionDevelopmentPath: run.extensionDir,
      loadExtensionAs: 'installed',
      env: {
        OPENAI_API_KEY: 'sk-bench-fake-key',
        NAIVE_COMPLETION_BASE_URL: baseUrl,
        NAIVE_COMPLETION_MODEL: BENCH_MODEL,
        SWITCHBOARD_LEDGER: path.join(temp, `ledger-${variant.name}.jsonl`),
      },
      userSettings: {
        ...EDITOR_SETTINGS,
        'switchboard.routes.completion': [`openai:${BENCH_MODEL}`],
        'switchboard.providers.openai.baseUrl': baseUrl,
        ...variant.settings,
      },
    });
    page = await browser.newPage({ viewport: VIEWPORT });
    page.setDefaultTimeout(60_000);
    await page.goto(server.url);
    await waitForWorkbench(page);
    await warmUp(page, fake, probe);
    probe.take();
    model.stats.unmatched = 0;

    await openFile(page, trace.path);
    await page.evaluate(RECORDER_SOURCE);
    const started = performance.now();
    const { steps, pauses } = await replay(page, trace, states, options, model);
    await new Promise((resolve) => setTimeout(resolve, FINAL_PAUSE_MS));
    const pageLog = (await page.evaluate('window.__benchTyping.log')) as PageLog;
    const pageClock = (await page.evaluate(
      '(() => { const start = Date.now(); let now = start; while (now === start) now = Date.now(); return { origin: performance.timeOrigin, drift: now - (performance.timeOrigin + performance.now()) }; })()',
    )) as { origin: number; drift: number };
    const wallSeconds = (performance.now() - started) / 1000;

    await page.keyboard.press('Control+S');
    const file = path.join(workspace, trace.path);
    const finalText = states.at(-1)?.text ?? trace.file;
    const documentMatches = await waitUntil(() => readFileSync(file, 'utf8') === finalText, 'the file saved', 10_000).then(
      () => true,
      () => false,
    );
    if (!documentMatches) log(`editor: ${variant.name}: the saved file differs from the trace's final text`);

    // Page times to the bench's epoch: each clock's drift from the wall clock is taken out.
    const benchDrift = wallClockOffsetMs();
    const toEpoch = (pageTime: number) => pageClock.origin + pageTime + pageClock.drift - benchDrift;
    const wire = probe.take();
    const report = analyse(variant, states, steps, pauses, pageLog, wire, toEpoch, { documentMatches, fakeModel: { ...model.stats }, wallSeconds });
    if (options.rawDir) {
      mkdirSync(options.rawDir, { recursive: true });
      const toPage = (epoch: number | undefined) => (epoch === undefined ? undefined : Number((epoch - toEpoch(0)).toFixed(1)));
      const requests = wire.map((request) => ({ ...request, receivedAt: toPage(request.serverReceivedEpoch), finishedAt: toPage(request.serverFinishedEpoch) }));
      writeFileSync(path.join(options.rawDir, `${variant.name}.json`), JSON.stringify({ steps, pauses, inputs: pageLog.inputs, ghosts: pageLog.ghosts, requests }, null, 1));
    }
    return report;
  } catch (error) {
    if (server) log(`editor: ${variant.name} failed; VS Code server output (tail):\n${server.output().slice(-3_000)}`);
    throw error;
  } finally {
    probe.dispose();
    await page?.close().catch(() => undefined);
    await server?.stop();
    await handshake?.close();
    await fake.close();
  }
}

/**
 * A TCP relay in front of the fake that holds each new connection's first
 * bytes for `delayMs`: what setting up a connection to a real provider costs
 * (TCP, then TLS) before its first request can be read. Later requests on the
 * same connection pass at once.
 */
async function startHandshakeDelay(targetPort: number, delayMs: number): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    client.pause();
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', closeBoth).on('close', closeBoth);
    upstream.on('error', closeBoth).on('close', closeBoth);
    setTimeout(() => {
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function isCompletionBody(body: unknown): boolean {
  return typeof body === 'object' && body !== null && Array.isArray((body as { messages?: unknown }).messages);
}

/**
 * The first completion after start loads the provider SDK and may wait for
 * the TypeScript extension to start: typed into a file of its own until an
 * answer has come back, then reverted and closed.
 */
async function warmUp(page: Page, fake: FakeServer, probe: WireProbe): Promise<void> {
  await openFile(page, 'warmup.ts');
  await page.keyboard.press('Control+End');
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.type('w');
    const answered = await waitUntil(() => probe.requests.some((request) => request.serverFinished !== undefined), 'a warm-up answer', 5_000).then(
      () => true,
      () => false,
    );
    if (answered) break;
    if (attempt >= 12) throw new Error(`no completion request reached the fake in ${attempt + 1} warm-up keystrokes (${fake.requests.length} requests)`);
  }
  await runCommand(page, 'File: Revert File');
  await runCommand(page, 'View: Close Editor');
}

/**
 * Types the trace into the focused editor at its timing. Returns what was
 * done, and which steps start a pause.
 */
async function replay(
  page: Page,
  trace: Trace,
  states: readonly TraceState[],
  options: EditorTypingOptions,
  model: TraceModel,
): Promise<{ steps: Step[]; pauses: number[] }> {
  const { events } = trace;
  const steps: Step[] = [];
  const pauses: number[] = [];
  const start = performance.now() + 500;
  /** Subtracted from trace times once accepted suggestions have skipped keystrokes. */
  let shift = 0;
  let at = -1;
  const gapAfter = (state: number) => {
    const next = events[state + 1];
    const current = events[state];
    return next && current ? next.t - current.t : Number.POSITIVE_INFINITY;
  };
  const noteStep = (step: Step) => {
    steps.push(step);
    if (step.kind !== 'move' && gapAfter(step.state) >= options.pauseMs) pauses.push(steps.length - 1);
  };

  while (at + 1 < events.length) {
    const next = at + 1;
    const event = events[next]!;
    const cursor = at >= 0 ? states[at]!.cursor : -1;
    const moving = event.type === 'insert' ? event.offset !== cursor : event.offset !== cursor - 1;
    const due = start + event.t - shift;

    if (moving) {
      const before = at >= 0 ? states[at]!.text : trace.file;
      const { line, column } = lineAndColumn(before, event.type === 'insert' ? event.offset : event.offset + 1);
      await sleepUntil(due - MOVE_LEAD_MS);
      noteStep({ kind: 'move', match: { type: 'keydown', key: 'Control' }, state: at });
      await goToPosition(page, line, column);
    } else if (at >= 0 && gapAfter(at) >= options.pauseMs) {
      await sleepUntil(due);
      const accepted = await acceptIfWanted(page, states, at);
      if (accepted) {
        noteStep({ kind: 'accept', match: { type: 'keydown', key: 'Tab' }, state: accepted.state, characters: accepted.characters });
        shift = start + (events[accepted.state]?.t ?? 0) - performance.now();
        at = accepted.state;
        model.currentIndex = at;
        continue;
      }
    }
    await sleepUntil(due);
    model.currentIndex = next;
    if (event.type === 'delete') {
      noteStep({ kind: 'key', match: { type: 'keydown', key: 'Backspace' }, state: next });
      await page.keyboard.press('Backspace');
    } else if (event.text.length === 1 && event.text !== '\n') {
      noteStep({ kind: 'key', match: { type: 'keydown', key: event.text }, state: next });
      await page.keyboard.type(event.text);
    } else {
      // Enter and the next line's indentation: one edit, as the editor's auto-indent makes it.
      noteStep({ kind: 'insert', match: { type: 'input', key: event.text }, state: next });
      await page.keyboard.insertText(event.text);
    }
    at = next;
    // A replay running late (a slow Go to Line, a busy machine) catches up by typing faster, never by
    // shortening a pause: the next step is due the trace's whole gap after this keystroke went in.
    if (gapAfter(at) >= options.pauseMs) shift = Math.min(shift, start + event.t - performance.now());
  }
  return { steps, pauses };
}

/**
 * At the end of a pause: when the ghost text shown is exactly the start of
 * what the user goes on to type here, Tab takes it, and the replay continues
 * from the trace's state with that text typed.
 */
async function acceptIfWanted(page: Page, states: readonly TraceState[], at: number): Promise<{ state: number; characters: number } | undefined> {
  const state = states[at]!;
  const ghost = (await page.evaluate('window.__benchTyping.ghostText()')) as string;
  // Only the rest of a line: longer suggestions are read and typed. Taking whole blocks would skip
  // most of the session (and its pauses) whenever the model is right, so variants would no longer
  // type comparable sessions.
  if (!ghost.trim() || ghost.includes('\n') || state.continuation === undefined || !state.continuation.startsWith(ghost)) return undefined;
  const text = state.text.slice(0, state.cursor) + ghost + state.text.slice(state.cursor);
  const cursor = state.cursor + ghost.length;
  for (let j = at + 1; j < states.length; j++) {
    if (states[j]!.cursor === cursor && states[j]!.text === text) {
      await page.keyboard.press('Tab');
      return { state: j, characters: ghost.length };
    }
  }
  return undefined;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

function sleepUntil(time: number): Promise<void> {
  const wait = time - performance.now();
  return wait > 0 ? new Promise((resolve) => setTimeout(resolve, wait)) : Promise.resolve();
}

/**
 * Installed in the workbench page: keystroke times and every change of the
 * focused editor's ghost text (the inline part on the cursor's line, then
 * each further line of a multi-line suggestion, shown in a view zone).
 * A string, so the bench's TypeScript transform cannot add helpers to it.
 */
const RECORDER_SOURCE = String.raw`(() => {
  const log = { inputs: [], ghosts: [] };
  const ghostText = () => {
    const editor = document.querySelector('[id="workbench.parts.editor"] .monaco-editor.focused');
    if (!editor) return '';
    let inline = '';
    for (const part of editor.querySelectorAll('.view-lines .ghost-text-decoration, .view-lines .ghost-text-decoration-preview')) inline += part.textContent;
    const lines = Array.from(editor.querySelectorAll('.view-zones .suggest-preview-text .view-line'))
      .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
      .map((line) => '\n' + line.textContent);
    return (inline + lines.join('')).replace(/\u00a0/g, ' ');
  };
  let last = '';
  const note = () => {
    const text = ghostText();
    if (text === last) return;
    last = text;
    log.ghosts.push({ t: performance.now(), text });
  };
  new MutationObserver(note).observe(document.querySelector('[id="workbench.parts.editor"]'), { subtree: true, childList: true, characterData: true });
  window.addEventListener('keydown', (event) => log.inputs.push({ t: performance.now(), type: 'keydown', key: event.key }), true);
  window.addEventListener('beforeinput', (event) => log.inputs.push({ t: performance.now(), type: 'input', key: event.data ?? '' }), true);
  window.__benchTyping = { log, ghostText };
})()`;

// ---- the naive extension ------------------------------------------------------

async function buildNaiveExtension(root: string, temp: string): Promise<string> {
  const dir = path.join(temp, 'naive-inline-extension');
  mkdirSync(dir, { recursive: true });
  await build({
    entryPoints: [path.join(root, 'bench', 'naiveInlineExtension.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['vscode'],
    outfile: path.join(dir, 'extension.js'),
    logLevel: 'error',
  });
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({
      name: 'naive-inline-completions',
      publisher: 'switchboard-bench',
      version: '0.0.1',
      engines: { vscode: '^1.101.0' },
      main: './extension.js',
      activationEvents: ['onStartupFinished'],
    }),
  );
  return dir;
}
