/**
 * Section 1: time spent inside Switchboard per inline completion, excluding
 * debounce and server time, on a 2,000-line file.
 *
 * Each call runs the real path (the editor's bounded window, the engine with
 * debounce 0 from createRoutedCompletionEngine, the router, the OpenAI
 * adapter and SDK, HTTP on 127.0.0.1 to the fake server) at a distinct cursor
 * position, with the engine's cache and shown text cleared before it, so every
 * call is a cache miss that makes a request. With t0 = call start, t_req = the
 * fake has the whole request, t_last = the fake wrote its last byte, t_end =
 * the call returned items:
 *     overhead = (t_req − t0) + (t_end − t_last)
 * The naive baseline (naiveProvider.ts) is measured the same way, alternating
 * call by call with the real path so both see the same machine load.
 */
import OpenAI from 'openai';
import { chatRequestBody } from '../src/core/providers/openai';
import type { ProviderAdapter } from '../src/core/providers/provider';
import { completionCacheKey } from '../src/core/completion/completionCache';
import { buildCompletionRequest, DEFAULT_PROMPT_BUDGETS } from '../src/core/completion/completionPrompt';
import type { CompletionInput } from '../src/core/completion/completionContract';
import { SnippetCollector } from '../src/core/completion/contextSnippets';
import { decideMultiline, isCompletablePosition } from '../src/core/completion/multiline';
import { postprocessCompletion } from '../src/core/completion/postprocess';
import { completionSettingsFor, createRoutedCompletionEngine } from '../src/core/completion/routedCompletions';
import { cursorIn } from '../src/core/completion/stringAtCursor';
import { lineSuffixOf } from '../src/core/completion/textWindow';
import type { ProviderRegistry } from '../src/core/providerRegistry';
import { Router } from '../src/core/router';
import { SpendTracker } from '../src/core/spendTracker';
import type { Switchboard } from '../src/core/switchboard';
import type { ModelRequest, StreamEvent } from '../src/core/types';
import { splitIntoChunks } from '../test/fakes/fakeServer';
import { BenchDocument, editorWindow } from './benchDocument';
import { noteOpenDocuments, pickCases, type Case } from './benchCases';
import { BENCH_MODEL, startBenchStack } from './benchSwitchboard';
import { NaiveCompletionProvider } from './naiveProvider';
import { generateTypeScript } from './sourceGenerator';
import { SUMMARY_HEADERS, summaryRow, table } from './report';
import { rounded, summarize, type Summary } from './stats';
import { WireProbe } from './wireProbe';

export interface OverheadOptions {
  iterations: number;
  warmup: number;
  latencyMs: number;
  chunkMs: number;
  chunks: number;
  seed: number;
  lines: number;
  log: (line: string) => void;
}

export interface VariantReport {
  /** (t_req − t0) + (t_end − t_last), ms */
  overheadMs: Summary;
  /** t_req − t0: from the provider call until the fake has the whole request */
  beforeRequestMs: Summary;
  /** t_end − t_last: from the fake's last byte until the items are returned */
  afterResponseMs: Summary;
  /**
   * (clientSent − t0) + (t_end − clientReceivedAll): the same, with both
   * request and answer ending at the client's socket (no loopback, no server-side parsing).
   */
  clientSideOverheadMs: Summary;
  /** Where the time goes: consecutive stages of each call, timed on one clock (see MOMENTS). */
  stages: Record<string, Summary>;
  /** t_last − t_req: the fake's own time (latency + streaming), excluded from the overhead. */
  serverMs: Summary;
  /** Our code alone, timed directly (no network) at the same positions, ms. */
  ownCode: { totalMs: Summary; parts: Record<string, Summary> };
  /** overhead − own code, per position: the SDK, fetch and the event loop hops between them. */
  sdkAndHttpMs: Summary;
  /** Characters of prompt text sent per request (all message contents). */
  promptChars: Summary;
  callsWithItems: number;
  calls: number;
}

export interface OverheadReport {
  method: string;
  file: { lines: number; chars: number; openFiles: number; openFilesChars: number };
  fake: { firstByteDelayMs: number; chunkDelayMs: number; chunks: number };
  iterations: number;
  warmup: number;
  switchboard: VariantReport & { engine: Record<string, number> };
  /** The OpenAI SDK alone, called with the body Switchboard would send: the floor for any SDK-based provider. */
  sdkAlone: Omit<VariantReport, 'ownCode' | 'sdkAndHttpMs'>;
  naive: VariantReport;
  checks: Array<{ name: string; pass: boolean; detail: string }>;
}

/**
 * Moments of a call, in order; a stage runs from one moment seen to the next.
 * Router moments come from its public events ('waiting' just before the
 * attempt, 'finished' after its bookkeeping and ledger record).
 */
const MOMENTS = [
  ['routerAttempt', 'router attempt'],
  ['clientCreated', 'fetch called'],
  ['clientSent', 'request sent'],
  ['serverReceived', 'server has request'],
  ['serverFinished', 'server last byte'],
  ['clientReceivedAll', 'fetch done'],
  ['routerFinished', 'router finished'],
  ['end', 'items'],
] as const;

type Moment = 'start' | (typeof MOMENTS)[number][0];

interface Sample {
  at: Partial<Record<Moment, number>>;
  gotItems: boolean;
}


const MAIN_URI = 'file:///workspace/src/orders/orderPipeline.ts';
const OPEN_FILE_LINES = 600;

export async function runCompletionOverhead(options: OverheadOptions): Promise<OverheadReport> {
  const { log } = options;
  const mainText = generateTypeScript(options.seed, options.lines);
  const main = BenchDocument.fromText(MAIN_URI, 'src/orders/orderPipeline.ts', 'typescript', mainText);
  const openDocuments = [1, 2, 3].map((n) =>
    BenchDocument.fromText(`file:///workspace/src/orders/related${n}.ts`, `src/orders/related${n}.ts`, 'typescript', generateTypeScript(options.seed + n, OPEN_FILE_LINES)),
  );
  const cases = pickCases(main, options.warmup + options.iterations, options.seed);
  log(`overhead: ${main.lineCount}-line file, ${cases.length} positions (${options.warmup} warm-up), fake first byte ${options.latencyMs} ms`);

  const routerMoments: Array<{ type: string; at: number }> = [];
  const stack = await startBenchStack({
    replyDefaults: { firstByteDelayMs: options.latencyMs, chunkDelayMs: options.chunkMs, chunks: options.chunks },
    debounceMs: 0,
    onEvent: (event) => routerMoments.push({ type: event.type, at: performance.now() }),
  });
  const probe = new WireProbe(stack.fake);
  try {
    const { switchboard, fake } = stack;
    const snippets = new SnippetCollector();
    noteOpenDocuments(snippets, [main, ...openDocuments]);
    const engine = createRoutedCompletionEngine(switchboard, { snippets });
    const naive = new NaiveCompletionProvider(switchboard.router);
    const { prefixChars, suffixChars } = switchboard.currentConfig.completion;

    const ours = async (item: Case) => {
      const window = editorWindow(item.document, item.position, prefixChars, suffixChars);
      if (!window) return undefined;
      const result = await engine.complete(
        {
          uri: item.document.uri,
          languageId: item.document.languageId,
          relativePath: item.document.relativePath,
          prefix: window.prefix,
          suffix: window.suffix,
          line: item.position.line,
        },
        new AbortController().signal,
      );
      return result ? [{ insertText: result.text, position: item.position }] : undefined;
    };
    const theirs = (item: Case) => naive.provide(item.document, item.position, [item.document, ...openDocuments]);
    // Configured as the adapter configures its client.
    const client = new OpenAI({ apiKey: 'bench-not-a-key', baseURL: `${fake.url}/v1`, organization: null, project: null, maxRetries: 0, logLevel: 'off' });
    const requestOf = ownRequestBuilder(switchboard, snippets);
    let sdkBody: ReturnType<typeof chatRequestBody> | undefined;
    const sdkAlone = async (item: Case) => {
      const stream = await client.chat.completions.create(sdkBody!, { signal: new AbortController().signal });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      return text ? [{ insertText: text, position: item.position }] : undefined;
    };

    const measure = async (item: Case, call: (item: Case) => Promise<unknown[] | undefined>): Promise<Sample> => {
      fake.script({ text: item.answer });
      probe.take();
      routerMoments.length = 0;
      const start = performance.now();
      const items = await call(item);
      const end = performance.now();
      const wires = probe.take();
      const wire = wires[0];
      if (wires.length !== 1 || !wire) throw new Error(`expected one request per call, saw ${wires.length}`);
      const routerAttempt = routerMoments.find((m) => m.type === 'waiting')?.at;
      const routerFinished = routerMoments.find((m) => m.type === 'finished')?.at;
      const { serverReceived, serverFinished, clientCreated, clientSent, clientReceivedAll } = wire;
      return {
        at: { start, routerAttempt, clientCreated, clientSent, serverReceived, serverFinished, clientReceivedAll, routerFinished, end },
        gotItems: items !== undefined && items.length > 0,
      };
    };

    const oursSamples: Sample[] = [];
    const naiveSamples: Sample[] = [];
    const sdkSamples: Sample[] = [];
    const promptChars = { ours: [] as number[], naive: [] as number[], sdk: [] as number[] };
    for (let index = 0; index < cases.length; index++) {
      const item = cases[index] as Case;
      // A fresh engine state each time: no cache hit, no typed-through, no request to join.
      engine.dispose();
      const a = await measure(item, ours);
      const aChars = lastPromptChars(fake);
      const b = await measure(item, theirs);
      const bChars = lastPromptChars(fake);
      sdkBody = chatRequestBody(BENCH_MODEL, requestOf(item).request, false);
      const c = await measure(item, sdkAlone);
      const cChars = lastPromptChars(fake);
      // The request log would otherwise hold every naive prompt (the whole file each time).
      fake.reset();
      if (index < options.warmup) continue;
      oursSamples.push(a);
      naiveSamples.push(b);
      sdkSamples.push(c);
      promptChars.ours.push(aChars);
      promptChars.naive.push(bChars);
      promptChars.sdk.push(cChars);
      if ((index - options.warmup + 1) % 50 === 0) log(`overhead: ${index - options.warmup + 1}/${options.iterations}`);
    }
    const engineStats = engine.stats();
    if (engineStats.modelRequests !== cases.length) {
      throw new Error(`every call should have made a request: ${engineStats.modelRequests} requests for ${cases.length} calls`);
    }

    log('overhead: timing our code directly');
    const own = await timeOwnCode(switchboard, snippets, cases.slice(options.warmup), options);
    const naiveOwn = timeNaiveCode(naive, cases.slice(options.warmup), openDocuments);

    const switchboardReport = {
      ...variantReport(oursSamples, own, promptChars.ours),
      engine: { ...engineStats },
    };
    const naiveReport = variantReport(naiveSamples, naiveOwn, promptChars.naive);
    const { ownCode: _own, sdkAndHttpMs: _rest, ...sdkReport } = variantReport(sdkSamples, { total: [], parts: {} }, promptChars.sdk);
    return {
      method:
        'Real path per call: editor window (as src/vscode/completionProvider.ts) → CompletionEngine (createRoutedCompletionEngine, debounce 0, cache cleared) → Router → OpenAI adapter + SDK → fetch → fake server on 127.0.0.1, one distinct cursor position per call (the line is cut at the cursor; the fake answers the rest of it). ' +
        'Times come from one performance.now() clock: t_req when the fake has the whole request body, t_last when it has written its last byte (Node diagnostics channels http.server.request.start/response.finish), t_end when the call returns items. overhead = (t_req − t0) + (t_end − t_last). ' +
        'Client-side overhead ends both legs at the client instead (undici request:bodySent and request:trailers). Stages add the router events (waiting, finished) and undici request:create. ' +
        'Own code is timed directly at the same positions without network: editor window, engine before the request (cache key, cursor, multi-line, snippets, prompt), adapter request body, router bookkeeping with an in-memory adapter, post-processing. sdkAndHttp = overhead − own code, per position. ' +
        'Naive baseline alternates call by call with the real path through the same Switchboard, SDK and fake. ' +
        'SDK alone: the OpenAI SDK called directly with the body Switchboard would send (built outside the timing), measured the same way: the floor any SDK-based provider pays.',
      file: {
        lines: mainText.endsWith('\n') ? main.lineCount - 1 : main.lineCount,
        chars: mainText.length,
        openFiles: openDocuments.length,
        openFilesChars: openDocuments.reduce((sum, d) => sum + d.getText().length, 0),
      },
      fake: { firstByteDelayMs: options.latencyMs, chunkDelayMs: options.chunkMs, chunks: options.chunks },
      iterations: options.iterations,
      warmup: options.warmup,
      switchboard: switchboardReport,
      sdkAlone: sdkReport,
      naive: naiveReport,
      checks: [
        {
          name: 'overhead median < 1 ms',
          pass: switchboardReport.overheadMs.median < 1,
          detail: `${switchboardReport.overheadMs.median.toFixed(3)} ms (naive ${naiveReport.overheadMs.median.toFixed(3)} ms)`,
        },
        {
          name: 'overhead p99 < 5 ms',
          pass: switchboardReport.overheadMs.p99 < 5,
          detail: `${switchboardReport.overheadMs.p99.toFixed(3)} ms (naive ${naiveReport.overheadMs.p99.toFixed(3)} ms)`,
        },
        {
          name: 'own code alone (no SDK, no HTTP) median < 1 ms and p99 < 5 ms',
          pass: switchboardReport.ownCode.totalMs.median < 1 && switchboardReport.ownCode.totalMs.p99 < 5,
          detail:
            `median ${switchboardReport.ownCode.totalMs.median.toFixed(3)} ms, p99 ${switchboardReport.ownCode.totalMs.p99.toFixed(3)} ms; ` +
            `the OpenAI SDK alone with the same body costs median ${sdkReport.overheadMs.median.toFixed(3)} ms, p99 ${sdkReport.overheadMs.p99.toFixed(3)} ms`,
        },
      ],
    };
  } finally {
    probe.dispose();
    await stack.close();
  }
}

function overheadOf(sample: Sample): { total: number; before: number; after: number; clientSide: number } {
  const { start, serverReceived, serverFinished, end, clientSent, clientReceivedAll } = sample.at;
  if (start === undefined || serverReceived === undefined || serverFinished === undefined || end === undefined) {
    throw new Error(`incomplete times for a call: ${JSON.stringify(sample.at)}`);
  }
  const before = serverReceived - start;
  const after = end - serverFinished;
  const clientSide = clientSent !== undefined && clientReceivedAll !== undefined ? clientSent - start + (end - clientReceivedAll) : Number.NaN;
  return { total: before + after, before, after, clientSide };
}

function lastPromptChars(fake: { requests: readonly { body: unknown }[] }): number {
  const body = fake.requests.at(-1)?.body as { messages?: Array<{ content?: unknown }> } | undefined;
  return (body?.messages ?? []).reduce((sum, message) => sum + (typeof message.content === 'string' ? message.content.length : 0), 0);
}

function variantReport(samples: Sample[], own: { total: number[]; parts: Record<string, number[]> }, promptChars: number[]): VariantReport {
  const overheads = samples.map(overheadOf);
  const of = (values: number[]) => rounded(summarize(values.filter((value) => Number.isFinite(value))));
  const stages: Record<string, Summary> = {};
  let previous: { moment: Moment; label: string } = { moment: 'start', label: 'call' };
  for (const [moment, label] of MOMENTS) {
    const from = previous.moment;
    const durations = samples.map((s) => (s.at[moment] ?? Number.NaN) - (s.at[from] ?? Number.NaN));
    // Variants without a router (the SDK alone) have no router moments.
    if (!durations.some((value) => Number.isFinite(value))) continue;
    const name = `${previous.label} → ${label}`;
    stages[moment === 'serverFinished' ? `(${name}: server time, excluded)` : name] = of(durations);
    previous = { moment, label };
  }
  return {
    overheadMs: of(overheads.map((o) => o.total)),
    beforeRequestMs: of(overheads.map((o) => o.before)),
    afterResponseMs: of(overheads.map((o) => o.after)),
    clientSideOverheadMs: of(overheads.map((o) => o.clientSide)),
    stages,
    serverMs: of(samples.map((s) => (s.at.serverFinished ?? Number.NaN) - (s.at.serverReceived ?? Number.NaN))),
    ownCode: {
      totalMs: rounded(summarize(own.total), 4),
      parts: Object.fromEntries(Object.entries(own.parts).map(([name, values]) => [name, rounded(summarize(values), 4)])),
    },
    sdkAndHttpMs: of(overheads.map((o, i) => o.total - (own.total[i] ?? Number.NaN))),
    promptChars: rounded(summarize(promptChars), 0),
    callsWithItems: samples.filter((s) => s.gotItems).length,
    calls: samples.length,
  };
}


/** An adapter that answers at once from memory: what the router costs with no SDK and no network. */
function instantAdapter(answer: () => string, chunks: number): ProviderAdapter {
  return {
    id: 'openai',
    kind: 'openai',
    async *stream(): AsyncGenerator<StreamEvent> {
      for (const piece of splitIntoChunks(answer(), chunks)) yield { type: 'text', text: piece };
      yield { type: 'usage', usage: { inputTokens: 900, outputTokens: 12, cacheReadTokens: 0, cacheWriteTokens: 0 } };
    },
  };
}

interface OwnRequest {
  request: ModelRequest;
  input: CompletionInput;
  multiline: boolean;
  fim: boolean;
}

/** The engine's steps before a request, as functions the bench can time one by one. */
function ownRequestBuilder(switchboard: Switchboard, snippets: SnippetCollector) {
  const settings = completionSettingsFor(switchboard.currentConfig, switchboard);
  const budgets = settings.budgets ?? DEFAULT_PROMPT_BUDGETS;
  const { prefixChars, suffixChars } = switchboard.currentConfig.completion;
  return (item: Case, lap: (name: string) => void = () => {}): OwnRequest => {
    const window = editorWindow(item.document, item.position, prefixChars, suffixChars)!;
    lap('editorWindow');
    const input: CompletionInput = {
      uri: item.document.uri,
      languageId: item.document.languageId,
      relativePath: item.document.relativePath,
      ...window,
      line: item.position.line,
    };
    completionCacheKey({ languageId: input.languageId, variant: `${settings.modelKey}\u0000${settings.multiline}`, prefix: input.prefix, suffix: input.suffix });
    isCompletablePosition(lineSuffixOf(input.suffix));
    // As the engine reads it: the lines around the cursor and the multi-line string it stands in.
    const cursor = cursorIn(input.prefix, input.suffix, input.languageId, 12);
    const multiline = decideMultiline(cursor, input.languageId, settings.multiline);
    const found = snippets.topSnippets(
      [...cursor.previousLines, cursor.linePrefix + cursor.lineSuffix, ...cursor.nextLines].join('\n'),
      input.uri,
      budgets.snippetChars,
      { languageId: input.languageId, line: item.position.line },
    );
    const request = buildCompletionRequest({ ...input, snippets: found }, budgets, {
      fim: settings.fim,
      multiline,
      maxTokens: multiline ? settings.maxTokens.multiLine : settings.maxTokens.singleLine,
      ...(settings.temperature !== undefined && { temperature: settings.temperature }),
    });
    lap('engineBeforeRequest');
    return { request, input, multiline, fim: settings.fim };
  };
}

/**
 * Our code at each position, timed directly: the same functions the editor
 * adapter, engine, OpenAI adapter and router run, in the same order, with an
 * in-memory adapter in place of SDK and network.
 */
async function timeOwnCode(
  switchboard: Switchboard,
  snippets: SnippetCollector,
  cases: readonly Case[],
  options: OverheadOptions,
): Promise<{ total: number[]; parts: Record<string, number[]> }> {
  const requestOf = ownRequestBuilder(switchboard, snippets);
  let currentAnswer = '';
  const adapter = instantAdapter(() => currentAnswer, options.chunks);
  const registry = {
    status: () => ({ id: 'openai', kind: 'openai', usable: true }),
    adapter: async () => adapter,
    dialledHost: () => '127.0.0.1',
  };
  const router = new Router({
    registry: registry as unknown as ProviderRegistry,
    prices: () => switchboard.priceTable,
    config: () => switchboard.currentConfig,
    ledger: () => switchboard.ledger,
    spend: new SpendTracker(),
    source: 'bench',
  });

  const parts: Record<string, number[]> = { editorWindow: [], engineBeforeRequest: [], adapterRequestBody: [], router: [], postprocess: [] };
  const total: number[] = [];
  const run = async (item: Case, record: boolean) => {
    currentAnswer = item.answer;
    let t = performance.now();
    const start = t;
    const lap = (name: string) => {
      const now = performance.now();
      if (record) parts[name]?.push(now - t);
      t = now;
    };
    const { request, input, multiline, fim } = requestOf(item, lap);
    chatRequestBody(BENCH_MODEL, request, false);
    lap('adapterRequestBody');
    const result = await router.run('completion', request);
    lap('router');
    postprocessCompletion(result.text, { prefix: input.prefix, suffix: input.suffix, multiline, languageId: input.languageId, fim });
    lap('postprocess');
    if (record) total.push(t - start);
  };
  for (const item of cases.slice(0, 20)) await run(item, false);
  for (const item of cases) await run(item, true);
  return { total, parts };
}

function timeNaiveCode(
  naive: NaiveCompletionProvider,
  cases: readonly Case[],
  openDocuments: readonly BenchDocument[],
): { total: number[]; parts: Record<string, number[]> } {
  const parts: Record<string, number[]> = { buildRequest: [], finishAnswer: [] };
  const total: number[] = [];
  const run = (item: Case, record: boolean) => {
    const t0 = performance.now();
    const { text } = naive.buildRequest(item.document, item.position, [item.document, ...openDocuments]);
    const t1 = performance.now();
    naive.finishAnswer(item.answer, item.document, text, item.position);
    const t2 = performance.now();
    if (!record) return;
    parts.buildRequest?.push(t1 - t0);
    parts.finishAnswer?.push(t2 - t1);
    total.push(t2 - t0);
  };
  for (const item of cases.slice(0, 20)) run(item, false);
  for (const item of cases) run(item, true);
  return { total, parts };
}

export function printOverhead(report: OverheadReport): string {
  const s = report.switchboard;
  const n = report.naive;
  const k = report.sdkAlone;
  const stageRows = (stages: Record<string, Summary>) => Object.entries(stages).map(([label, summary]) => summaryRow(`    ${label}`, summary));
  const lines = [
    '',
    `== 1. Pipeline overhead per completion (${report.file.lines}-line file of ${report.file.chars} chars, ${report.file.openFiles} other open files; ${report.iterations} calls each after ${report.warmup} warm-up) ==`,
    `fake: first byte ${report.fake.firstByteDelayMs} ms, ${report.fake.chunks} pieces ${report.fake.chunkDelayMs} ms apart; every call a cache miss; times in ms`,
    table(SUMMARY_HEADERS, [
      summaryRow('Switchboard: overhead (t_req − t0) + (t_end − t_last)', s.overheadMs),
      summaryRow('  t_req − t0 (call → request at server)', s.beforeRequestMs),
      summaryRow('  t_end − t_last (last byte → items)', s.afterResponseMs),
      summaryRow('  same, ending both legs at the client socket', s.clientSideOverheadMs),
      summaryRow('  own code (timed directly, no network)', s.ownCode.totalMs, 4),
      ...Object.entries(s.ownCode.parts).map(([name, summary]) => summaryRow(`    ${name}`, summary, 4)),
      summaryRow('  SDK + HTTP client + hops (overhead − own code)', s.sdkAndHttpMs),
      ['  stages:', '', '', '', '', ''],
      ...stageRows(s.stages),
      summaryRow('OpenAI SDK alone, same body: overhead', k.overheadMs),
      summaryRow('  same, ending both legs at the client socket', k.clientSideOverheadMs),
      ...stageRows(k.stages),
      summaryRow('Naive provider: overhead', n.overheadMs),
      summaryRow('  t_req − t0', n.beforeRequestMs),
      summaryRow('  t_end − t_last', n.afterResponseMs),
      summaryRow('  same, ending both legs at the client socket', n.clientSideOverheadMs),
      summaryRow('  own code (timed directly, no network)', n.ownCode.totalMs, 4),
      ...Object.entries(n.ownCode.parts).map(([name, summary]) => summaryRow(`    ${name}`, summary, 4)),
      summaryRow('  SDK + HTTP client + hops (overhead − own code)', n.sdkAndHttpMs),
      ...stageRows(n.stages),
    ]),
    `Switchboard − SDK alone (medians): ${(s.overheadMs.median - k.overheadMs.median).toFixed(3)} ms, what Switchboard adds to the SDK it calls; own code alone: ${s.ownCode.totalMs.median.toFixed(3)} ms.`,
    'p99 and max include scheduling noise when the machine is busy (see the load average above): compare with the SDK-alone rows, measured interleaved.',
    `prompt sent, median chars: Switchboard ${s.promptChars.median}, naive ${n.promptChars.median}; calls with items: Switchboard ${s.callsWithItems}/${s.calls}, naive ${n.callsWithItems}/${n.calls}`,
  ];
  return lines.join('\n');
}
