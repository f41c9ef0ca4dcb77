/**
 * Section 2: a recorded typing session (bench/typing-trace.json) replayed
 * through the real engine, router, OpenAI adapter and SDK against the fake
 * server, and the same session through the naive provider.
 *
 * Time: the trace lasts about 475 s. Every duration is multiplied by one
 * factor (--time-scale): gaps between keystrokes, the debounce, the fake's
 * first-byte delay and streaming, the first-token timeout. Ratios between
 * them, which decide what the engine does, stay as in real time; fixed costs
 * (our ~2 ms per request, timer granularity) grow relative to them by 1/scale,
 * so the scaled run is if anything harder on the engine. On top of that, a gap
 * is cut short once nothing is pending (no call, no request, no timer):
 * nothing can happen in such idle time, so skipping it changes no result.
 *
 * The editor is modelled as VS Code behaves: every keystroke calls the
 * provider and cancels the previous call's token; ghost text appears when a
 * call that was not cancelled returns text; typing the next character of the
 * ghost text keeps the rest of it shown.
 */
import path from 'node:path';
import { SnippetCollector } from '../src/core/completion/contextSnippets';
import { createRoutedCompletionEngine } from '../src/core/completion/routedCompletions';
import type { RouterEvent } from '../src/core/router';
import { BenchDocument, editorWindow, type Position } from './benchDocument';
import { startBenchStack, type BenchStack } from './benchSwitchboard';
import { NaiveCompletionProvider } from './naiveProvider';
import { type Check, ms, SUMMARY_HEADERS, summaryRow, table } from './report';
import { rounded, summarize, type Summary } from './stats';
import { readTrace, TraceModel, traceStates, type FakeModelStats, type Trace, type TraceEvent, type TraceState } from './traceModel';
import { WireProbe } from './wireProbe';

export interface ReplayOptions {
  root: string;
  latencyMs: number;
  chunkMs: number;
  timeScale: number;
  pauseMs: number;
  wrongRate: number;
  debounceMs: number;
  seed: number;
  log: (line: string) => void;
}

export interface ContenderReport {
  /** Seconds the replay took on the wall clock (scaled, idle gaps skipped). */
  wallSeconds: number;
  /** Idle time skipped, in scaled seconds. */
  idleSkippedSeconds: number;
  calls: number;
  modelRequests: number;
  /** Requests aborted after they were made (superseded). The naive provider never aborts. */
  cancelledAfterSending: number;
  /** Streams the fake saw the client close before the answer ended. */
  serverSawClosedEarly: number;
  /** Answers that arrived after the call was cancelled: paid for, never shown. */
  answersDiscarded: number;
  cacheHits: number;
  typedThroughHits: number;
  inflightJoins: number;
  debounced: number;
  skippedPositions: number;
  failed: number;
  requestsDuringPauses: number;
  requestsDuringTyping: number;
  pausesWithRequest: number;
  pausesWithMoreThanOneRequest: number;
  maxRequestsInOnePause: number;
  /** All model requests ÷ pauses. */
  requestsPerPause: number;
  /** Keystrokes that typed the next character(s) of the ghost text shown, leaving some of it still to type. */
  typedIntoSuggestion: number;
  typedIntoServedWithoutRequest: number;
  typedIntoServedBy: Record<string, number>;
  /** Pauses whose last keystroke ended with ghost text shown, and the time from that keystroke to it. */
  pausesWithGhostText: number;
  pausesWithoutGhostText: number;
  /** Pauses after which the trace types more at that place (not a Backspace, not a move elsewhere), and those of them with ghost text. */
  pausesWhereTypingGoesOn: { pauses: number; withGhostText: number };
  /**
   * Each pause that ended without ghost text, for a closer look: its last keystroke (index and trace time), the
   * gap after it (trace ms), what the call for it returned (`sourceOf`: model, typed-through, nothing, cancelled…)
   * the line up to the cursor, and the keystroke after the pause (`Backspace` when it takes back what was typed:
   * a typo, where no ghost text would have been right).
   */
  pausesWithoutGhostTextAt: Array<{ index: number; t: number; gapMs: number; source: string; linePrefix: string; next: string | undefined }>;
  ghostTextLatencyMs: Summary;
  /** The same, divided by the time scale: in the trace's time (fixed costs multiplied by 1/scale, so an upper bound). */
  ghostTextLatencyTraceMs: Summary;
  /** Only pauses whose ghost text needed a model request (answered by a new request or by joining one), scaled ms. */
  ghostTextLatencyFromModelMs: Summary;
  inputTokensSent: number;
  costUsd: number;
  fakeModel: FakeModelStats;
}

export interface ReplayReport {
  method: string;
  trace: { file: string; keystrokes: number; inserts: number; deletes: number; durationSeconds: number; pauses: number; pauseDefinition: string };
  timeScale: number;
  debounceMs: { setting: number; scaled: number };
  fake: { firstByteDelayMs: number; chunkDelayMs: number; scaledFirstByteDelayMs: number; scaledChunkDelayMs: number; wrongRate: number };
  switchboard: ContenderReport;
  naive: ContenderReport;
  checks: Check[];
}

interface CallResult {
  text: string;
  source: string;
}

/** One way of answering a provider call: the real engine or the naive provider. */
interface Contender {
  call(document: BenchDocument, position: Position, token: AbortSignal): Promise<CallResult | undefined>;
  /** VS Code reports the edit before it asks for a completion. */
  noteEdit(document: BenchDocument, position: Position): void;
  counters(): Partial<ContenderReport>;
}

export async function runTypingReplay(options: ReplayOptions): Promise<ReplayReport> {
  const trace = readTrace(path.join(options.root, 'bench/typing-trace.json'));
  const pauses = pauseIndexes(trace, options.pauseMs);
  const scaled = (value: number) => value * options.timeScale;
  options.log(
    `replay: ${trace.events.length} keystrokes over ${(trace.summary.durationMs / 1000).toFixed(0)} s, ${pauses.size} pauses; time ×${options.timeScale}`,
  );
  const switchboard = await replayWith('switchboard', trace, pauses, options);
  const naive = await replayWith('naive', trace, pauses, options);
  const inserts = trace.events.filter((event) => event.type === 'insert').length;
  const served = switchboard.typedIntoSuggestion ? switchboard.typedIntoServedWithoutRequest / switchboard.typedIntoSuggestion : 0;
  return {
    method:
      `Replays bench/typing-trace.json through the real CompletionEngine (createRoutedCompletionEngine), Router, OpenAI adapter and SDK against the fake OpenAI server, then the same trace through the naive provider (no debounce, no cache, no reuse, one request per keystroke; VS Code cancels the call but the naive provider does not abort its HTTP request). ` +
      `Time is compressed: every duration (typing gaps, debounce, fake first-byte delay and streaming, first-token timeout) is multiplied by ${options.timeScale}, which keeps their ratios; fixed costs (~2 ms per request, 1 ms timer granularity) are not scaled, so they weigh ${(1 / options.timeScale).toFixed(0)}× more than in real time. ` +
      `In addition, a gap ends early once nothing is pending (no provider call, no request, no timer): nothing can happen in idle time, so this changes no count. ` +
      `A pause is a gap of at least ${options.pauseMs} ms (trace time) before the next keystroke, or the end of the session. ` +
      `The fake answers each request from the trace: what the user goes on to type at that place (single-line requests: up to the end of the line; multi-line: up to ${4} lines), except for a seeded ${Math.round(options.wrongRate * 100)}% of places (decided per place, so the same prompt always gets the same answer) and places with an uncorrected typo before the cursor, where it answers with code from elsewhere in the session. ` +
      `A keystroke types into a shown suggestion when ghost text is shown at the cursor and the typed text is its start, with some of it left to type. It is served without a request when the provider call for it returns from the cache, typed-through or an in-flight request. ` +
      `Ghost-text latency: for each pause, from its last keystroke until that keystroke's call returned ghost text; measured in scaled time and divided by the scale for trace time.`,
    trace: {
      file: 'bench/typing-trace.json',
      keystrokes: trace.events.length,
      inserts,
      deletes: trace.events.length - inserts,
      durationSeconds: Number((trace.summary.durationMs / 1000).toFixed(1)),
      pauses: pauses.size,
      pauseDefinition: `gap ≥ ${options.pauseMs} ms before the next keystroke (trace time), or the end of the session`,
    },
    timeScale: options.timeScale,
    debounceMs: { setting: options.debounceMs, scaled: scaled(options.debounceMs) },
    fake: {
      firstByteDelayMs: options.latencyMs,
      chunkDelayMs: options.chunkMs,
      scaledFirstByteDelayMs: scaled(options.latencyMs),
      scaledChunkDelayMs: scaled(options.chunkMs),
      wrongRate: options.wrongRate,
    },
    switchboard,
    naive,
    checks: [
      {
        name: 'at most one model request per pause in typing',
        pass: switchboard.maxRequestsInOnePause <= 1 && switchboard.requestsPerPause <= 1,
        detail:
          `${switchboard.modelRequests} requests for ${pauses.size} pauses (${switchboard.requestsPerPause.toFixed(2)} per pause; ` +
          `${switchboard.requestsDuringPauses} made in pauses, ${switchboard.requestsDuringTyping} between keystrokes of a burst; ` +
          `${switchboard.pausesWithMoreThanOneRequest} pauses with more than one); naive ${naive.modelRequests}`,
      },
      {
        name: 'at least half of the keystrokes typing into a shown suggestion served without a request',
        pass: served >= 0.5,
        detail: `${switchboard.typedIntoServedWithoutRequest} of ${switchboard.typedIntoSuggestion} (${(served * 100).toFixed(1)}%); naive 0 of ${naive.typedIntoSuggestion}`,
      },
    ],
  };
}

/** Indexes of keystrokes followed by a pause (and the last one). */
function pauseIndexes(trace: Trace, pauseMs: number): Set<number> {
  const pauses = new Set<number>();
  trace.events.forEach((event, index) => {
    const next = trace.events[index + 1];
    if (!next || next.t - event.t >= pauseMs) pauses.add(index);
  });
  return pauses;
}

async function replayWith(name: 'switchboard' | 'naive', trace: Trace, pauses: ReadonlySet<number>, options: ReplayOptions): Promise<ContenderReport> {
  const scale = options.timeScale;
  const states = traceStates(trace);
  const model = new TraceModel(states, options.wrongRate, options.seed);

  const inFlight = new Set<number>();
  const requestGap = new Map<number, number>();
  let inputTokens = 0;
  let costUsd = 0;
  let currentIndex = 0;
  const changed = new Notifier();
  const onEvent = (event: RouterEvent) => {
    if (event.type === 'waiting' && !requestGap.has(event.requestId)) {
      requestGap.set(event.requestId, currentIndex);
      inFlight.add(event.requestId);
    } else if (event.type === 'finished') {
      inFlight.delete(event.requestId);
      inputTokens += event.record.usage.inputTokens + event.record.usage.cacheReadTokens;
      costUsd += event.record.costUsd ?? 0;
      changed.notify();
    }
  };
  const stack = await startBenchStack({
    // No fixed piece count: longer answers stream in more pieces, as from a model.
    replyDefaults: { firstByteDelayMs: options.latencyMs * scale, chunkDelayMs: options.chunkMs * scale },
    debounceMs: options.debounceMs * scale,
    completionFirstTokenMs: 3000 * scale,
    onEvent,
  });
  const probe = new WireProbe(stack.fake);
  probe.answerWith((body) => ({ text: model.answer(body) }));

  try {
    const contender = name === 'switchboard' ? engineContender(stack, trace) : naiveContender(stack);
    const documentAt = (index: number) =>
      BenchDocument.fromText(`file:///workspace/${trace.path}`, trace.path, trace.languageId, states[index]?.text ?? trace.file, index + 2);

    let shown: { offset: number; text: string } | undefined;
    let controller: AbortController | undefined;
    const pending = new Set<Promise<unknown>>();
    const keystrokeAt: number[] = [];
    const ghostAt = new Map<number, number>();
    const sourceOf = new Map<number, string>();
    const typedInto: number[] = [];
    let skippedIdle = 0;
    const idle = () => pending.size === 0 && inFlight.size === 0;
    const started = performance.now();

    for (let index = 0; index < trace.events.length; index++) {
      const event = trace.events[index] as TraceEvent;
      const previous = trace.events[index - 1];
      if (previous) skippedIdle += await waitUnlessIdle((event.t - previous.t) * scale, idle, changed);

      const document = documentAt(index);
      const state = states[index]!;
      const position = document.positionAt(state.cursor);
      currentIndex = index;
      model.currentIndex = index;
      keystrokeAt[index] = performance.now();
      controller?.abort();

      if (shown && event.type === 'insert' && event.offset === shown.offset && shown.text.startsWith(event.text)) {
        const rest = shown.text.slice(event.text.length);
        if (rest.trim() !== '') typedInto.push(index);
        shown = rest ? { offset: shown.offset + event.text.length, text: rest } : undefined;
      } else {
        shown = undefined;
      }

      contender.noteEdit(document, position);
      const token = new AbortController();
      controller = token;
      const call = contender.call(document, position, token.signal).then(
        (result) => {
          if (token.signal.aborted) {
            sourceOf.set(index, result ? result.source : 'cancelled');
          } else if (result && result.text) {
            sourceOf.set(index, result.source);
            ghostAt.set(index, performance.now());
            shown = { offset: state.cursor, text: result.text };
          } else {
            sourceOf.set(index, result?.source ?? 'nothing');
          }
        },
        () => sourceOf.set(index, 'failed'),
      );
      pending.add(call);
      void call.finally(() => {
        pending.delete(call);
        changed.notify();
      });
    }
    await waitUnlessIdle(Number.POSITIVE_INFINITY, idle, changed);
    const wallSeconds = (performance.now() - started) / 1000;

    const requestsPerGap = new Map<number, number>();
    for (const gap of requestGap.values()) requestsPerGap.set(gap, (requestsPerGap.get(gap) ?? 0) + 1);
    let requestsDuringPauses = 0;
    let pausesWithRequest = 0;
    let pausesWithMoreThanOne = 0;
    let maxInPause = 0;
    for (const [gap, count] of requestsPerGap) {
      if (!pauses.has(gap)) continue;
      requestsDuringPauses += count;
      pausesWithRequest++;
      if (count > 1) pausesWithMoreThanOne++;
      maxInPause = Math.max(maxInPause, count);
    }
    const servedBy: Record<string, number> = {};
    for (const index of typedInto) {
      const source = sourceOf.get(index) ?? 'unknown';
      servedBy[source] = (servedBy[source] ?? 0) + 1;
    }
    const withoutRequest = typedInto.filter((index) => ['cache', 'typed-through', 'inflight'].includes(sourceOf.get(index) ?? '')).length;
    const ghostLatency: number[] = [];
    const fromModel: number[] = [];
    for (const index of pauses) {
      const at = ghostAt.get(index);
      if (at === undefined) continue;
      const latency = at - (keystrokeAt[index] ?? at);
      ghostLatency.push(latency);
      if (sourceOf.get(index) === 'model' || sourceOf.get(index) === 'inflight') fromModel.push(latency);
    }
    const modelRequests = requestGap.size;
    return {
      wallSeconds: Number(wallSeconds.toFixed(1)),
      idleSkippedSeconds: Number((skippedIdle / 1000).toFixed(1)),
      calls: trace.events.length,
      modelRequests,
      cancelledAfterSending: 0,
      serverSawClosedEarly: stack.fake.closedEarly,
      answersDiscarded: 0,
      cacheHits: 0,
      typedThroughHits: 0,
      inflightJoins: 0,
      debounced: 0,
      skippedPositions: 0,
      failed: 0,
      ...contender.counters(),
      requestsDuringPauses,
      requestsDuringTyping: modelRequests - requestsDuringPauses,
      pausesWithRequest,
      pausesWithMoreThanOneRequest: pausesWithMoreThanOne,
      maxRequestsInOnePause: maxInPause,
      requestsPerPause: Number((modelRequests / pauses.size).toFixed(3)),
      typedIntoSuggestion: typedInto.length,
      typedIntoServedWithoutRequest: withoutRequest,
      typedIntoServedBy: servedBy,
      pausesWithGhostText: ghostLatency.length,
      pausesWithoutGhostText: pauses.size - ghostLatency.length,
      pausesWhereTypingGoesOn: {
        pauses: [...pauses].filter((index) => typingGoesOn(states[index]!)).length,
        withGhostText: [...pauses].filter((index) => typingGoesOn(states[index]!) && ghostAt.has(index)).length,
      },
      pausesWithoutGhostTextAt: [...pauses]
        .filter((index) => !ghostAt.has(index))
        .sort((a, b) => a - b)
        .map((index) => {
          const { text, cursor } = states[index]!;
          const next = trace.events[index + 1];
          return {
            index,
            t: trace.events[index]!.t,
            gapMs: next ? next.t - trace.events[index]!.t : Number.POSITIVE_INFINITY,
            source: sourceOf.get(index) ?? 'unknown',
            linePrefix: text.slice(text.lastIndexOf('\n', cursor - 1) + 1, cursor),
            next: next ? (next.type === 'delete' ? 'Backspace' : next.text) : undefined,
          };
        }),
      ghostTextLatencyMs: rounded(summarize(ghostLatency), 2),
      ghostTextLatencyTraceMs: rounded(summarize(ghostLatency.map((value) => value / scale)), 1),
      ghostTextLatencyFromModelMs: rounded(summarize(fromModel), 2),
      inputTokensSent: inputTokens,
      costUsd: Number(costUsd.toFixed(6)),
      fakeModel: { ...model.stats },
    };
  } finally {
    probe.dispose();
    await stack.close();
  }
}

/** The trace types more right here after this state: not a Backspace (a typo taken back), not a move elsewhere. */
function typingGoesOn(state: TraceState): boolean {
  return state.continuation !== undefined && state.continuation.trim() !== '';
}

function engineContender(stack: BenchStack, trace: Trace): Contender {
  const snippets = new SnippetCollector();
  const engine = createRoutedCompletionEngine(stack.switchboard, { snippets });
  const { prefixChars, suffixChars } = stack.switchboard.currentConfig.completion;
  let current: BenchDocument | undefined;
  snippets.noteOpenDocument({
    uri: `file:///workspace/${trace.path}`,
    relativePath: trace.path,
    languageId: trace.languageId,
    version: () => current?.version ?? 0,
    getText: () => current?.getText() ?? trace.file,
  });
  return {
    noteEdit(document, position) {
      current = document;
      // As the editor adapter: a few lines around each edit.
      const from = Math.max(0, position.line - 3);
      const to = Math.min(document.lineCount, position.line + 3);
      snippets.recordEdit({
        uri: document.uri,
        relativePath: document.relativePath,
        languageId: document.languageId,
        line: position.line,
        text: document.getText({ line: from, character: 0 }, { line: to, character: 0 }),
      });
    },
    async call(document, position, token) {
      const window = editorWindow(document, position, prefixChars, suffixChars);
      if (!window) return undefined;
      const result = await engine.complete(
        { uri: document.uri, languageId: document.languageId, relativePath: document.relativePath, ...window, line: position.line },
        token,
      );
      return result ? { text: result.text, source: result.source } : undefined;
    },
    counters() {
      const stats = engine.stats();
      return {
        cancelledAfterSending: stats.cancelled,
        cacheHits: stats.cacheHits,
        typedThroughHits: stats.typedThroughHits,
        inflightJoins: stats.inflightJoins,
        debounced: stats.debounced,
        skippedPositions: stats.skipped,
        failed: stats.failed,
      };
    },
  };
}

function naiveContender(stack: BenchStack): Contender {
  const naive = new NaiveCompletionProvider(stack.switchboard.router);
  let current: BenchDocument | undefined;
  return {
    noteEdit(document) {
      current = document;
    },
    async call(document, position, token) {
      const items = await naive.provide(document, position, [document], { cancelled: token, live: () => current ?? document });
      const first = items?.[0];
      return first ? { text: first.insertText, source: 'model' } : undefined;
    },
    counters() {
      return { answersDiscarded: naive.stats.discarded, failed: naive.stats.failed };
    },
  };
}

/** Resolves on the next `notify()`. */
class Notifier {
  private waiters: Array<() => void> = [];

  next(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

/**
 * Waits `ms`, or less once nothing is pending; returns the time skipped.
 * Checked again after every settled call or request, so a gap ends as soon as
 * the last thing that could still happen in it has happened.
 */
async function waitUnlessIdle(ms: number, idle: () => boolean, changed: Notifier): Promise<number> {
  const deadline = performance.now() + ms;
  for (;;) {
    // Let settled promises run their handlers before deciding the session is idle.
    await new Promise((resolve) => setImmediate(resolve));
    const remaining = deadline - performance.now();
    if (remaining <= 0) return 0;
    if (idle()) return Number.isFinite(remaining) ? remaining : 0;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      changed.next(),
      new Promise<void>((resolve) => {
        if (Number.isFinite(remaining)) timer = setTimeout(resolve, remaining);
      }),
    ]);
    clearTimeout(timer);
  }
}

export function printReplay(report: ReplayReport): string {
  const s = report.switchboard;
  const n = report.naive;
  const row = (label: string, pick: (r: ContenderReport) => string | number) => [label, String(pick(s)), String(pick(n))];
  const pct = (part: number, whole: number) => (whole ? `${part} (${((part / whole) * 100).toFixed(0)}%)` : '0');
  const lines = [
    '',
    `== 2. Typing replay: ${report.trace.keystrokes} keystrokes (${report.trace.inserts} inserts, ${report.trace.deletes} deletes) over ${report.trace.durationSeconds} s, ${report.trace.pauses} pauses ==`,
    `pause: ${report.trace.pauseDefinition}. Time ×${report.timeScale}: debounce ${report.debounceMs.setting}→${report.debounceMs.scaled} ms, ` +
      `fake first byte ${report.fake.firstByteDelayMs}→${report.fake.scaledFirstByteDelayMs} ms, pieces ${report.fake.chunkDelayMs}→${report.fake.scaledChunkDelayMs} ms apart; idle gaps skipped. ` +
      `Fake model wrong at ${Math.round(report.fake.wrongRate * 100)}% of places (seeded).`,
    table(
      ['', 'Switchboard', 'naive'],
      [
        row('model requests', (r) => r.modelRequests),
        row('  made during pauses / between keystrokes of a burst', (r) => `${r.requestsDuringPauses} / ${r.requestsDuringTyping}`),
        row('  per pause (all requests ÷ pauses)', (r) => r.requestsPerPause.toFixed(2)),
        row('  pauses with a request / with more than one', (r) => `${r.pausesWithRequest} / ${r.pausesWithMoreThanOneRequest}`),
        row('  most requests in one pause', (r) => r.maxRequestsInOnePause),
        row('requests cancelled (aborted after sending)', (r) => r.cancelledAfterSending),
        row('  streams the server saw closed early', (r) => r.serverSawClosedEarly),
        row('answers discarded (arrived after cancel, not aborted)', (r) => r.answersDiscarded),
        row('cache hits', (r) => r.cacheHits),
        row('typed-through hits', (r) => r.typedThroughHits),
        row('in-flight joins', (r) => r.inflightJoins),
        row('calls ended in debounce / at positions skipped', (r) => `${r.debounced} / ${r.skippedPositions}`),
        row('keystrokes typing into a shown suggestion', (r) => r.typedIntoSuggestion),
        row('  served without a request', (r) => pct(r.typedIntoServedWithoutRequest, r.typedIntoSuggestion)),
        row('  served by', (r) => Object.entries(r.typedIntoServedBy).map(([k, v]) => `${k} ${v}`).join(', ') || '–'),
        row('pauses ending with ghost text / without', (r) => `${r.pausesWithGhostText} / ${r.pausesWithoutGhostText}`),
        row('  … of pauses where typing goes on (no Backspace next)', (r) => `${r.pausesWhereTypingGoesOn.withGhostText} of ${r.pausesWhereTypingGoesOn.pauses}`),
        row('last keystroke → ghost text, median (scaled ms)', (r) => ms(r.ghostTextLatencyMs.median, 1)),
        row('last keystroke → ghost text, p99 (scaled ms)', (r) => ms(r.ghostTextLatencyMs.p99, 1)),
        row('  in trace time ÷ scale, median / p99 (ms)', (r) => `${ms(r.ghostTextLatencyTraceMs.median, 0)} / ${ms(r.ghostTextLatencyTraceMs.p99, 0)}`),
        row('input tokens sent (fake counts ~4 chars/token)', (r) => r.inputTokensSent),
        row('cost at gpt-5.4-nano prices (USD)', (r) => r.costUsd.toFixed(4)),
        row('fake answers right / wrong / at typo / empty', (r) => `${r.fakeModel.right} / ${r.fakeModel.wrong} / ${r.fakeModel.atTypo} / ${r.fakeModel.empty}`),
        row('failed requests / unmatched prompts', (r) => `${r.failed} / ${r.fakeModel.unmatched}`),
        row('wall time (s), idle skipped (s)', (r) => `${r.wallSeconds}, ${r.idleSkippedSeconds}`),
      ],
    ),
    'last keystroke of a pause → ghost text, scaled ms (× 1/scale for trace time):',
    table(SUMMARY_HEADERS, [
      summaryRow('Switchboard, all pauses with ghost text', s.ghostTextLatencyMs, 1),
      summaryRow('  only those that needed a model answer', s.ghostTextLatencyFromModelMs, 1),
      summaryRow('naive, all pauses with ghost text', n.ghostTextLatencyMs, 1),
    ]),
  ];
  return lines.join('\n');
}
